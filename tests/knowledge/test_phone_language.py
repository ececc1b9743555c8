"""Officers' phone language: abbreviations, keyboard leftovers, typos, places and units no plan
has, plans named by their document, complete deadline lists, follow-ups, small talk, odd input.

Each table is one phenomenon of the phone-language issue; the answers are read through the real
engine and the bundled plans.
"""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge import keyboard
from knowledge.engine import Engine
from knowledge.followup import Context
from knowledge.lexicon import Lexicon, QueryReader
from knowledge.textnorm import fold, fold_search

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def engine(kb) -> Engine:
    return Engine(kb)


def folded(engine: Engine, question: str) -> str:
    return engine.query_reader.normalise(question)


# --- 1. chat abbreviations, with senses from their neighbours ----------------------------------

ABBREVIATIONS = [
    ("cho e hoi han bc 6 thang cua q3 la bao h a",
     "cho hoi han bao cao 6 thang cua quan 3 la bao gio"),
    ("pb nào lo vụ này z ad", "phong ban nao lo vu nay"),
    ("đv nào đẩy nhanh đtra mấy vụ xhtd", "don vi nao day nhanh dieu tra may vu xam hai tinh duc"),
    ("phòng tư pháp có nv j", "phong tu phap co nhiem vu gi"),
    ("kh bvte co ghi ko", "ke hoach bao ve tre em co ghi khong"),
    ("tntt của hs, tập huấn gv", "tai nan thuong tich cua hoc sinh tap huan giao vien"),
    ("a/c mn cho hỏi ctv là gì", "cho hoi cong tac vien la gi"),
    ("sở gd hải dương", "so giao duc hai duong"),
    ("kp lam kh nay o dau ra", "kinh phi lam ke hoach nay o dau ra"),
    ("kh trien khai ct18 cua ttg", "ke hoach trien khai chi thi 18 cua thu tuong"),
]


@pytest.mark.parametrize(("question", "expected"), ABBREVIATIONS)
def test_chat_abbreviations_expand(engine, question, expected):
    assert folded(engine, question) == expected


AMBIGUOUS = [  # one key, its sense from the neighbours and the plans' pairs of words
    ("chi dao thang hd quoc gia phong chong blgd", "thang hanh dong quoc gia"),
    ("cac hd cua thi doan", "cac hoat dong cua"),
    ("ke hoach cua hd", "ke hoach cua hai duong"),
    ("mttq xa, tt can lam j", "xa thi tran"),
    ("con em cong nhan o may khu cn", "khu cong nghiep"),
    ("ai cung cap dv ho tro tre", "cung cap dich vu"),
    ("dv nao phu trach", "don vi nao phu trach"),
    ("co phai gui bc cho ai kh", "cho ai khong"),
]


@pytest.mark.parametrize(("question", "part"), AMBIGUOUS)
def test_ambiguous_abbreviations_take_the_sense_their_neighbours_give(engine, question, part):
    assert part in folded(engine, question)


def test_lexicon_file_is_read_and_rejects_an_entry_without_senses(tmp_path):
    (tmp_path / "abbreviations.yaml").write_text("abbreviations:\n  - key: [x]\n",
                                                 encoding="utf-8")
    with pytest.raises(ValueError, match="abbreviations.yaml"):
        Lexicon.load(tmp_path)
    (tmp_path / "abbreviations.yaml").write_text(
        "abbreviations:\n  - key: [qq]\n    senses: [{expand: quan quan}]\n", encoding="utf-8")
    reader = QueryReader(Lexicon.load(tmp_path), words=[], pairs=[])
    assert reader.normalise("qq oi") == "quan quan oi"


# --- 2. keyboard leftovers: Telex, VNI, doubled letters, run-together words, z for d -----------

TELEX_VNI = [
    ("baos", "bao"), ("caos", "cao"), ("lamf", "lam"), ("nhieemj", "nhiem"), ("vuj", "vu"),
    ("sowr", "so"), ("nooij", "noi"), ("quyeenf", "quyen"), ("chuwcs", "chuc"),
    ("ddoongj", "dong"), ("phonfg", "phong"), ("tees", "te"), ("ba1o", "bao"),
    ("tha1ng", "thang"), ("cu3a", "cua"), ("la62n", "lan"), ("to71i", "toi"),
    ("lamm", "lam"), ("phapp", "phap"), ("lyy", "ly"), ("duongg", "duong"), ("zuc", "duc"),
]


@pytest.mark.parametrize(("typed", "meant"), TELEX_VNI)
def test_keyboard_leftovers_are_repaired(typed, meant):
    assert keyboard.repair(typed) == meant


@pytest.mark.parametrize("word", ["bao", "nguoi", "thuong", "khuyen", "xoong", "hs", "xhtd",
                                  "q3", "bcd138", "ubnd"])
def test_real_words_and_abbreviations_are_left_alone(word):
    assert keyboard.repair(word) is None


RUN_TOGETHER = [
    ("hanbc tiep theo", "han bao cao tiep theo"),
    ("baocao nam", "bao cao nam"),
    ("trong kehoach", "trong ke hoach"),
    ("ai ki kh cua ducpho", "ai ki ke hoach cua duc pho"),
    ("so ytế", "so y te"),
    ("ubndphuong lam j", "uy ban nhan dan phuong lam gi"),
    ("ubnd quan 3", "uy ban nhan dan quan 3"),  # a plan abbreviation is not split
    ("bc 6thang", "bao cao 6 thang"),
]


@pytest.mark.parametrize(("question", "expected"), RUN_TOGETHER)
def test_run_together_words_are_split(engine, question, expected):
    assert folded(engine, question) == expected


def test_final_i_and_y_are_one_spelling_for_matching():
    assert fold_search("Ai kí kế hoạch") == fold_search("Ai ký kế hoạch") == "ai ki ke hoach"
    assert fold_search("tỷ lệ") == fold_search("tỉ lệ")
    assert fold("Ai ký") == "ai ky"  # the personal-data screen and ingest keep plain fold


TYPED_QUESTIONS = [  # whole questions typed badly, answered like the clean ones
    ("sowr nooij vuj lamf gif trong kehoach", None, "unit_tasks", "Nội vụ"),
    ("cong an tinh nhieemj vuj la gi", "haiduong-2017", "unit_tasks", "Công an tỉnh"),
    ("tre bi xhtd can tro giup phapp lyy thi lien he pb nao?", None, "responsible", "Tư pháp"),
    ("Thị đoàn Đức Phổ phải làmm những hđ j trong kh nàyy", None, "unit_tasks", "Thị đoàn"),
    ("clb quyeenf tham gia trer em do ai toor chuwcs?", None, "responsible", "Thị đoàn"),
]


@pytest.mark.parametrize(("question", "plan", "intent", "unit"), TYPED_QUESTIONS)
def test_badly_typed_questions_find_their_unit(engine, question, plan, intent, unit):
    a = engine.answer(question, today=TODAY, plan_id=plan)
    assert a.intent == intent
    assert unit in a.units[0]


# --- 3. places and units no plan has; merged and contained places -----------------------------

UNKNOWN_PLACES = [
    ("thế còn nghệ an, hạn bc bvte là bao h", "tỉnh Nghệ An"),
    ("sở gd&dt đà nẵng đc giao nv gì trong kh bvte", "thành phố Đà Nẵng"),
    ("kế hoạch của tỉnh Gia Lai có gì", "tỉnh Gia Lai"),
    ("phường Bến Thành phải làm gì", "phường Bến Thành"),
]


@pytest.mark.parametrize(("question", "place"), UNKNOWN_PLACES)
def test_a_place_no_plan_covers_is_answered_honestly(engine, question, place):
    a = engine.answer(question, today=TODAY)
    assert a.intent == "unknown"
    assert not a.units
    assert not a.deadlines
    assert f"Chưa có kế hoạch của {place} trong hệ thống" in a.text
    assert "Kế hoạch Quận 3 2020" in a.text  # and what is loaded


MERGED = [  # today's name → the plan of the place that merged into it, with one line saying so
    ("hạn báo cáo năm của Hải Phòng", "haiduong-2017",
     "Thành phố Hải Phòng nay gồm cả tỉnh Hải Dương cũ", "Nghị quyết 202/2025/QH15"),
    ("phường Xuân Hòa có nhiệm vụ gì", "quan3-2020",
     "Phường Xuân Hòa được lập năm 2025 từ địa bàn của Quận 3 cũ", "vietnamadminunits"),
    ("phường Nhiêu Lộc hạn báo cáo năm", "quan3-2020", "Quận 3 cũ", "vietnamadminunits"),
]


@pytest.mark.parametrize(("question", "plan", "line", "source"), MERGED)
def test_a_merged_place_finds_its_plan_and_says_so(engine, question, plan, line, source):
    a = engine.answer(question, today=TODAY)
    assert a.plan_ids == [plan]
    first = a.text.splitlines()[0]
    assert line in first
    assert source in first


def test_a_province_holding_two_plans_places_finds_both(engine):
    a = engine.answer("kế hoạch của Quảng Ngãi do ai ký", today=TODAY)
    assert set(a.plan_ids) == {"ducpho-2023", "binhson-2023"}
    assert "Thị xã Đức Phổ thuộc tỉnh Quảng Ngãi" in a.text


@pytest.mark.parametrize(("plan_id", "locality"), [
    ("quan3-2020", "Quận 3"), ("haiduong-2017", "Tỉnh Hải Dương"),
    ("cantho-2017", "Thành phố Cần Thơ"), ("ducpho-2023", "Thị xã Đức Phổ"),
    ("binhson-2023", "Huyện Bình Sơn"),
])
def test_each_plan_is_linked_to_its_place_in_the_package_data(engine, plan_id, locality):
    assert engine.reader.plan_places[plan_id].name == locality


@pytest.mark.parametrize(("plan_id", "successor"), [
    ("quan3-2020", "Thành phố Hồ Chí Minh"), ("haiduong-2017", "Thành phố Hải Phòng"),
    ("cantho-2017", "Thành phố Cần Thơ"), ("ducpho-2023", "Tỉnh Quảng Ngãi"),
    ("binhson-2023", "Tỉnh Quảng Ngãi"),
])
def test_each_plans_place_has_the_province_of_today_the_reference_names(engine, plan_id,
                                                                        successor):
    gaz = engine.reader.gaz
    assert gaz.successor_province(engine.reader.plan_places[plan_id]).name == successor


@pytest.mark.parametrize("question", [
    "nhiem vu cua phong y te la gi",  # "là gì" is not thị xã La Gi
    "văn bản nào là căn cứ của kế hoạch Quận 3",  # "văn bản" is not huyện Văn Bàn
])
def test_ordinary_words_that_are_also_place_names_are_not_places(engine, question):
    a = engine.answer(question, today=TODAY)
    assert "Chưa có kế hoạch của" not in a.text


UNKNOWN_AGENCIES = [
    ("Sở Ngoại vụ phải làm j ntn trong kh bvte dzậy", "Sở Ngoại vụ"),
    ("điện lực có nhiệm vụ gì", "Điện lực"),
    ("Hội Nông dân làm gì trong kế hoạch", "Hội Nông dân"),
]


@pytest.mark.parametrize(("question", "agency"), UNKNOWN_AGENCIES)
def test_an_agency_no_plan_tasks_is_answered_honestly_with_the_nearest_units(engine, question,
                                                                          agency):
    a = engine.answer(question, today=TODAY, plan_id="quan3-2020")
    assert a.intent == "unknown"
    assert not a.units
    assert f"không giao nhiệm vụ cho {agency}" in a.text
    assert "Các đơn vị gần nhất có trong kế hoạch:" in a.text


def test_an_agency_that_is_the_object_of_a_who_question_is_not_unknown(engine):
    a = engine.answer("Ai chỉ đạo bệnh viện ưu tiên tiếp nhận trẻ bị bạo lực?", today=TODAY,
                      plan_id="haiduong-2017")
    assert a.intent == "responsible"
    assert "Y tế" in a.units[0]


# --- 4. a plan named by its document -----------------------------------------------------------

DOCUMENTS = [
    ("kh thực hiện chỉ thị 23 do ai ký", ["quan3-2020"]),
    ("kh nào dựa trên qđ 2361 của thủ tướng z", ["cantho-2017"]),
    ("kh trien khai ct18 cua ttg thi bc 6 thang nop ngay may", ["haiduong-2017"]),
]


@pytest.mark.parametrize(("question", "plans"), DOCUMENTS)
def test_a_plan_named_by_its_document(engine, question, plans):
    assert engine.answer(question, today=TODAY).plan_ids == plans


def test_the_plan_whose_subject_is_a_document_wins_over_plans_citing_it(engine):
    subject = engine.reader.doc_plans(fold_search("ke hoach thuc hien chi thi 23"))
    assert subject == ["quan3-2020"]


# --- 5. complete deadline lists ----------------------------------------------------------------

def _dates(a):
    return [d.date for d in a.deadlines]


def test_a_plans_deadline_list_is_complete(engine, kb):
    a = engine.answer("Các hạn báo cáo của Quận 3", today=TODAY)
    plan = kb.plans["quan3-2020"]
    assert len(a.deadlines) == len(plan.deadlines)
    assert "2027-06-10" in _dates(a)
    assert "2026-12-10" in _dates(a)


def test_binh_son_lists_all_six_of_its_deadlines(engine):
    a = engine.answer("Bình Sơn có những hạn báo cáo nào", today=TODAY)
    assert {"2023-06-05", "2023-09-05", "2023-12-05", "2023-05-30", "2023-08-30",
            "2023-11-30"} <= set(_dates(a))


def test_upcoming_deadlines_come_first_in_a_list(engine):
    dated = [d for d in engine.answer("liet ke het cac moc bc cua kh nay", today=TODAY,
                                      plan_id="quan3-2020").deadlines if d.date]
    upcoming = [d.date for d in dated if not d.passed]
    assert upcoming == sorted(upcoming)
    assert dated[0].passed is False


def test_a_kind_of_report_across_plans_gives_each_plans_occurrence(engine):
    a = engine.answer("Hạn báo cáo 6 tháng là ngày nào?", today=TODAY)
    assert {"quan3-2020", "haiduong-2017"} <= set(a.plan_ids)
    assert len(set(d.plan_id for d in a.deadlines)) >= 3


# --- 6. several plans in scope (the asker's own) ------------------------------------------------

def test_several_plans_in_scope_answer_for_those_plans_only(engine):
    a = engine.answer("Phòng Y tế có nhiệm vụ gì?", today=TODAY,
                      plan_id=["quan3-2020", "ducpho-2023"])
    assert set(a.plan_ids) == {"quan3-2020", "ducpho-2023"}


# --- 7. follow-ups -----------------------------------------------------------------------------

FOLLOW_UPS = [
    ("phòng y tế quận 3 có nhiệm vụ gì", "còn phòng tư pháp thì sao?", "unit_tasks",
     ["quan3-2020"], "Tư pháp"),
    ("hạn báo cáo năm của quận 3", "thế còn Hải Dương?", "deadline", ["haiduong-2017"], None),
    ("ai tập huấn cho ctv bvte ở thôn z", "còn đức phổ", "responsible", ["ducpho-2023"], None),
]


@pytest.mark.parametrize(("before", "question", "intent", "plans", "unit"), FOLLOW_UPS)
def test_a_follow_up_continues_the_previous_question(engine, before, question, intent, plans,
                                                     unit):
    a = engine.answer(question, today=TODAY, context=Context(before))
    assert a.intent == intent
    assert a.plan_ids == plans
    if unit:
        assert unit in a.units[0]


def test_that_deadline_and_the_nth_item(engine):
    same = engine.answer("hạn đó còn mấy ngày", today=TODAY,
                         context=Context("hạn báo cáo năm của quận 3"))
    assert same.deadlines[0].date == "2026-12-10"
    assert same.deadlines[0].days_left == 9
    listed = engine.answer("Các hạn báo cáo của Quận 3", today=TODAY)
    second = engine.answer("cái thứ 2", today=TODAY,
                           context=Context("Các hạn báo cáo của Quận 3", answer=listed))
    assert second.deadlines[0].deadline_id == listed.deadlines[1].deadline_id
    missing = engine.answer("cái thứ 9", today=TODAY,
                            context=Context("hạn báo cáo năm của quận 3"))
    assert missing.intent == "unknown"
    assert "mục thứ 9" in missing.text


def test_without_context_a_follow_up_is_answered_on_its_own(engine):
    a = engine.answer("còn phòng tư pháp thì sao?", today=TODAY)
    assert len(a.plan_ids) > 1  # no previous place: every plan with a Phòng Tư pháp


def test_a_question_that_stands_alone_ignores_the_context(engine):
    plain = engine.answer("Công an tỉnh Hải Dương có nhiệm vụ gì?", today=TODAY)
    with_ctx = engine.answer("Công an tỉnh Hải Dương có nhiệm vụ gì?", today=TODAY,
                             context=Context("hạn báo cáo năm của quận 3"))
    assert with_ctx.text == plain.text


# --- 8. small talk and suggestions -------------------------------------------------------------

@pytest.mark.parametrize(("message", "start"), [
    ("xin chào", "Xin chào!"), ("chào bạn", "Xin chào!"), ("cảm ơn ad nhiều", "Không có gì ạ!"),
    ("bạn là ai", "Tôi là trợ lý kế hoạch bảo vệ trẻ em"),
])
def test_small_talk_gets_a_short_friendly_reply(engine, message, start):
    a = engine.answer(message, today=TODAY)
    assert a.intent == "unknown"
    assert a.text.startswith(start)
    assert "Phòng Y tế có nhiệm vụ gì?" in a.text  # and what it can do


def test_suggestions_are_whole_questions(engine):
    a = engine.answer("ai lo viec ho tro tam ly", today=TODAY)
    for s in a.suggestions:
        assert s.endswith("?")
        assert "…" not in s


# --- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("message", [
    "", "   ", "???", "🙂🙂🎉", "\u200b\u200c\u200d", "bc kh nv j z", "q3", "Hải Dương",
    "x" * 4096, "a/c " * 1000, "ph\u00f2ng y t\u1ebf".encode().decode() + "\u0301" * 5,
])
def test_odd_messages_get_a_vietnamese_answer_never_an_exception(engine, message):
    a = engine.answer(message, today=TODAY)
    assert a.text.strip()


def test_nfd_and_zero_width_read_like_the_plain_question(engine):
    import unicodedata

    plain = engine.answer("Phòng Y tế Quận 3 có nhiệm vụ gì?", today=TODAY)
    nfd = engine.answer(unicodedata.normalize("NFD", "Phòng Y\u200b tế Quận 3 có nhiệm vụ gì?"),
                        today=TODAY)
    assert nfd.units == plain.units
    assert nfd.intent == plain.intent


# --- questions on freshly ingested plans (what the ingest bench found) ---------------------------

def test_roman_numerals_are_not_telex():
    assert keyboard.repair("xix") is None
    assert keyboard.repair("iv") is None


@pytest.mark.parametrize(("question", "plan_info"), [
    ("Ai ban hành quy chế phối hợp bảo vệ trẻ em?", False),
    ("Ai ban hành hướng dẫn phòng chống xâm hại trẻ em trong trường học?", False),
    ("Ai ban hành kế hoạch này?", True),
    ("Ai ký kế hoạch Quận 3?", True),
])
def test_issuing_another_document_is_a_task_not_the_plans_own_information(engine, question,
                                                                         plan_info):
    intent = engine.answer(question, today=TODAY, plan_id="quan3-2020").intent
    assert (intent == "plan_info") is plan_info


def test_an_agency_inside_a_units_longer_name_is_that_unit(engine):
    reader = engine.reader
    assert reader.names_unit("cong an", ["quan3-2020"])
    assert not reader.names_unit("ngoai vu", list(engine.kb.plans))


def test_an_undated_deadline_is_answered_without_other_deadlines_dates(engine):
    a = engine.answer("Cần Thơ định kỳ báo cáo khi nào?", today=TODAY, plan_id="cantho-2017")
    assert all(d.date is None for d in a.deadlines if d.plan_id == "cantho-2017")


@pytest.mark.parametrize(("question", "expected"), [
    ("pldtbxh co nv gi", "phong lao dong thuong binh va xa hoi co nhiem vu gi"),
    ("syt lam j", "so y te lam gi"),
])
def test_an_office_glued_to_an_abbreviation_is_split(engine, question, expected):
    assert folded(engine, question) == expected


def test_a_kind_word_inside_a_units_name_is_no_commune(engine):
    a = engine.answer("ubnd huyen tx tp phai lam nhung j", today=TODAY, plan_id="haiduong-2017")
    assert a.units[0] == "Ủy ban nhân dân các huyện, thị xã, thành phố"


def test_a_plan_named_by_a_run_of_its_title(engine):
    q = ("kh trien khai ct phong chong toi pham xam hai tre em va nguoi duoi 18t nam 2023 "
         "thi xa thi tran gui so ket 6 thang truoc ngay nao")
    assert engine.answer(q, today=TODAY).plan_ids == ["binhson-2023"]


def test_a_successor_unit_of_a_place_no_plan_covers_is_still_unknown(engine):
    a = engine.answer("so y te lam dong co nv j ve bvte ko ad", today=TODAY)
    assert a.intent == "unknown"
    assert "Chưa có kế hoạch của tỉnh Lâm Đồng" in a.text
