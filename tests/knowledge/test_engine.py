"""The answering engine (knowledge.engine.answer), on questions written from the plan texts.

Each question here is ours (not from the evaluation sets); today is always explicit.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

import pytest

from knowledge.answers import Answer
from knowledge.base import KnowledgeBase
from knowledge.engine import answer
from knowledge.textnorm import fold, strip_diacritics

TODAY = dt.date(2026, 11, 22)
INTENTS = {"responsible", "deadline", "unit_tasks", "targets", "contacts", "funding",
           "plan_info", "search", "unknown"}
CONTRACT_FIELDS = {"intent", "plan_ids", "units", "deadlines", "citations", "text"}
DEADLINE_FIELDS = {"date", "title", "plan_id", "recurring", "days_left", "submitters",
                   "recipient"}
VIETNAMESE_LETTERS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


def ask(kb: KnowledgeBase, q: str, *, plan: str | None = None,
        today: dt.date = TODAY) -> Answer:
    return answer(kb, q, today=today, plan_id=plan)


def has_words(text: str, words: str) -> bool:
    return fold(words) in fold(text)


def check_contract(a: Answer) -> dict:
    """The answer has the contract's fields, with the contract's types, and JSON-serialises."""
    data = json.loads(json.dumps(a.to_contract(), ensure_ascii=False))
    assert CONTRACT_FIELDS <= set(data)
    assert data["intent"] in INTENTS
    assert isinstance(data["text"], str)
    assert data["text"].strip()
    assert all(isinstance(u, str) and u for u in data["units"])
    assert all(isinstance(p, str) for p in data["plan_ids"])
    for d in data["deadlines"]:
        assert DEADLINE_FIELDS <= set(d)
        assert d["date"] is None or dt.date.fromisoformat(d["date"])
        assert isinstance(d["recurring"], bool)
    for c in data["citations"]:
        assert {"plan_id", "section"} <= set(c)
    return data


# --- every intent ----------------------------------------------------------------------------

INTENT_CASES = [
    # question, plan, intent, plan ids, first unit, words the text must contain
    ("Ai bố trí kinh phí cho các chương trình, đề án về bảo vệ, chăm sóc trẻ em ở Quận 3?", None,
     "responsible", ["quan3-2020"], "Phòng Tài chính – Kế hoạch", "III.1.8"),
    ("Đơn vị nào chỉ đạo xây dựng trường học an toàn ở Hải Dương?", None,
     "responsible", ["haiduong-2017"], "Sở Giáo dục và Đào tạo", "trường học an toàn"),
    ("Ai bố trí vốn đầu tư phát triển để thực hiện Chương trình ở Cần Thơ?", None,
     "responsible", ["cantho-2017"], "Sở Kế hoạch và Đầu tư", "V.3"),
    ("Ai kiểm tra dịch vụ internet và game online dành cho trẻ em ở Đức Phổ?", None,
     "responsible", ["ducpho-2023"], "Trung tâm Truyền thông – Văn hóa – Thể thao", "game"),
    ("Ai hướng dẫn trưởng ban công tác mặt trận thôn tổ chức hội nghị ở Bình Sơn?", None,
     "responsible", ["binhson-2023"],
     "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam các xã, thị trấn", "4.2"),
    ("Ai cung cấp gói dịch vụ điều trị cho trẻ em nhiễm HIV?", "ducpho-2023",
     "responsible", ["ducpho-2023"], "Phòng Y tế", "HIV"),
    ("Phòng Văn hóa – Thông tin Quận 3 có nhiệm vụ gì?", None,
     "unit_tasks", ["quan3-2020"], "Phòng Văn hóa – Thông tin", "điểm vui chơi"),
    ("Sở Thông tin và Truyền thông Hải Dương làm gì?", None,
     "unit_tasks", ["haiduong-2017"], "Sở Thông tin và Truyền thông", "báo chí"),
    ("Thị đoàn có nhiệm vụ gì?", "ducpho-2023",
     "unit_tasks", ["ducpho-2023"], "Thị đoàn Đức Phổ", "kỹ năng tự bảo vệ"),
    ("Khi nào hạn báo cáo năm của Hải Dương?", None,
     "deadline", ["haiduong-2017"], None, "15/12/2026"),
    ("Báo cáo 9 tháng của MTTQ các xã Bình Sơn hạn ngày nào?", None,
     "deadline", ["binhson-2023"], None, "30/08/2023"),
    ("Chỉ tiêu của kế hoạch Bình Sơn là gì?", None,
     "targets", ["binhson-2023"], None, "80%"),
    ("Tỷ lệ trẻ em có hoàn cảnh đặc biệt được trợ giúp ở Cần Thơ là bao nhiêu phần trăm?", None,
     "targets", ["cantho-2017"], None, "92%"),
    ("Số điện thoại tổng đài bảo vệ trẻ em ở Hải Dương?", None,
     "contacts", ["haiduong-2017"], None, "18001567"),
    ("Hotline bảo vệ trẻ em?", "quan3-2020", "contacts", ["quan3-2020"], None, "111"),
    ("Nguồn kinh phí thực hiện kế hoạch Đức Phổ?", None,
     "funding", ["ducpho-2023"], None, "nguồn tài trợ"),
    ("Kinh phí của kế hoạch Hải Dương lấy từ đâu?", None,
     "funding", ["haiduong-2017"], None, "không có mục kinh phí riêng"),
    ("Ai ký kế hoạch Đức Phổ?", None, "plan_info", ["ducpho-2023"], None, "Võ Thanh Hùng"),
    ("Kế hoạch Quận 3 căn cứ văn bản nào?", None,
     "plan_info", ["quan3-2020"], None, "23/CT-TTg"),
    ("Kế hoạch Cần Thơ thực hiện theo quyết định nào?", None,
     "plan_info", ["cantho-2017"], None, "2361/QĐ-TTg"),
    ("Tháng hành động vì trẻ em diễn ra khi nào?", None,
     "plan_info", ["ducpho-2023"], None, "30/06/2023"),
    ("Luật Trẻ em năm 2016 quy định gì về bảo vệ trẻ em ở Hải Dương", None,
     "search", ["haiduong-2017"], None, "Nghị định 56/2017"),
    ("Thời tiết Đà Nẵng cuối tuần này thế nào?", None, "unknown", [], None, "trẻ em"),
]


@pytest.mark.parametrize(("q", "plan", "intent", "plan_ids", "unit", "words"), INTENT_CASES)
def test_every_intent(
    kb: KnowledgeBase, q: str, plan: str | None, intent: str, plan_ids: list[str],
    unit: str | None, words: str,
) -> None:
    a = ask(kb, q, plan=plan)
    check_contract(a)
    assert a.intent == intent
    assert a.plan_ids == plan_ids
    if unit is not None:
        assert a.units[0] == unit
    assert has_words(a.text, words), a.text
    if intent != "unknown" and "không nêu" not in a.text:
        assert a.citations, "an answer from the plans cites them"
        assert {c.plan_id for c in a.citations} <= set(plan_ids)
    if intent not in {"deadline"}:
        assert a.deadlines == []


def test_intents_covered() -> None:
    assert {case[2] for case in INTENT_CASES} == INTENTS


@pytest.mark.parametrize(
    ("q", "plan", "unit", "section"),
    [
        ("Ai bố trí kinh phí cho các chương trình, đề án về bảo vệ, chăm sóc trẻ em ở Quận 3?",
         None, "phong-tckh", "III.1.8"),
        ("Sở Thông tin và Truyền thông Hải Dương làm gì?", None, "so-tttt", "IV.6"),
        ("Ai hướng dẫn trưởng ban công tác mặt trận thôn tổ chức hội nghị ở Bình Sơn?", None,
         "mttq-xa", "4.2"),
    ],
)
def test_citations_point_at_the_units_section(
    kb: KnowledgeBase, q: str, plan: str | None, unit: str, section: str
) -> None:
    a = ask(kb, q, plan=plan)
    [plan_id] = a.plan_ids
    p = kb.get(plan_id)
    assert p is not None
    assert p.unit(unit).section == section
    assert a.citations[0].section == section
    assert a.citations[0].plan_id == plan_id


def test_cooperating_units_follow_the_lead(kb: KnowledgeBase) -> None:
    a = ask(kb, "Ai phối hợp với Sở LĐ-TB&XH hướng dẫn chăm sóc, hỗ trợ trẻ em bị xâm hại "
                "ở Cần Thơ?")
    assert a.intent == "responsible"
    assert a.units[:2] == ["Sở Y tế", "Sở Lao động - Thương binh và Xã hội"]
    assert "Phối hợp" in a.text


# --- the same question typed many ways ---------------------------------------------------------

VARIANT_GROUPS = [
    # expected plan, expected first unit, the question as written, then hand-made variants:
    # old tone placement, abbreviations, a one-letter typo
    ("haiduong-2017", "Sở Y tế",
     "Ai ưu tiên tiếp nhận, điều trị, tư vấn chăm sóc sức khỏe cho trẻ em bị bạo lực ở "
     "Hải Dương?",
     ["Ai ưu tiên tiếp nhận, điều trị, tư vấn chăm sóc sức khoẻ cho trẻ em bị bạo lực ở "
      "Hải Dương?",
      "Ai ưu tiên tiếp nhận, điềi trị, tư vấn chăm sóc sức khỏe cho trẻ em bị bạo lực ở "
      "Hải Dương?",
      "AI ƯU TIÊN TIẾP NHẬN, ĐIỀU TRỊ, TƯ VẤN CHĂM SÓC SỨC KHỎE CHO TRẺ EM BỊ BẠO LỰC Ở "
      "HẢI DƯƠNG?"]),
    ("haiduong-2017", "Tòa án nhân dân tỉnh, Viện kiểm sát nhân dân tỉnh",
     "Tòa án nhân dân tỉnh Hải Dương có nhiệm vụ gì?",
     ["Toà án nhân dân tỉnh Hải Dương có nhiệm vụ gì?",
      "TAND tỉnh Hải Dương có nhiệm vụ gì?",
      "VKSND tỉnh Hải Dương có nhiệm vụ gì?",
      "Tòa án nhân dâ tỉnh Hải Dương có nhiệm vụ gì?"]),
    ("quan3-2020", "Phòng Văn hóa – Thông tin",
     "Phòng Văn hóa – Thông tin Quận 3 có nhiệm vụ gì?",
     ["Phòng Văn hoá – Thông tin Quận 3 có nhiệm vụ gì?",
      "Phòng VH-TT Quận 3 có nhiệm vụ gì?",
      "Phòng Văn hóa - Thông tin Q3 có nhiệm vụ gì?",
      "Phòng Văn hóa – Thôg tin Quận 3 có nhiệm vụ gì?"]),
    ("quan3-2020", "Phòng Lao động - Thương binh và Xã hội",
     "Phòng Lao động - Thương binh và Xã hội Quận 3 có nhiệm vụ gì?",
     ["Phòng LĐ-TB&XH Quận 3 có nhiệm vụ gì?",
      "Phòng LĐTBXH quận 3 có nhiệm vụ gì?",
      "Phòng Lao động - Thương binh và Xã hộ Quận 3 có nhiệm vụ gì?"]),
    ("cantho-2017", "Sở Y tế",
     "Ai phối hợp với Sở Lao động - Thương binh và Xã hội hướng dẫn về chăm sóc và hỗ trợ trẻ "
     "em bị xâm hại ở Cần Thơ?",
     ["Ai phối hợp với Sở LĐ-TB&XH hướng dẫn về chăm sóc và hỗ trợ trẻ em bị xâm hại ở Cần Thơ?",
      "Ai phối hợp với Sở LĐTBXH hướng dẫn về chăm sóc và hỗ trợ trẻ em bị xâm hại ở TP Cần Thơ?",
      "Ai phối hợp với Sở LĐ-TB&XH hướng dẫn về chăm sóc và hỗ trợ trẻ em bị xâm hạ ở Cần Thơ?"]),
    ("ducpho-2023", "Hội Liên hiệp Phụ nữ thị xã",
     "Ai tổ chức các diễn đàn, tọa đàm về kỹ năng bảo vệ, chăm sóc trẻ em ở Đức Phổ?",
     ["Ai tổ chức các diễn đàn, toạ đàm về kỹ năng bảo vệ, chăm sóc trẻ em ở Đức Phổ?",
      "Ai tổ chức các diễn đàn, tọa đàm về kỹ năng bảo vệ, chăm sóc trẻ em ở TX Đức Phổ?",
      "Ai tổ chức các diễn đàn, tọa đàm về kỹ năg bảo vệ, chăm sóc trẻ em ở Đức Phổ?"]),
    ("ducpho-2023", "Ủy ban nhân dân các xã, phường",
     "Ủy ban nhân dân các xã, phường Đức Phổ có nhiệm vụ gì?",
     ["Uỷ ban nhân dân các xã, phường Đức Phổ có nhiệm vụ gì?",
      "UBND các xã, phường Đức Phổ có nhiệm vụ gì?",
      "UBND cấp xã ở thị xã Đức Phổ có nhiệm vụ gì?"]),
]


def _variants(question: str, extra: list[str]) -> list[str]:
    return [
        question,
        strip_diacritics(question),  # typed without diacritics
        strip_diacritics(question).lower(),
        unicodedata.normalize("NFD", question),
        question.replace(" ", "\u00a0", 3).replace(",", " ,\t"),
        *extra,
    ]


@pytest.mark.parametrize(
    ("plan_id", "unit", "question", "variant"),
    [
        pytest.param(p, u, q, v, id=f"{p}-{i}-{j}")
        for i, (p, u, q, extra) in enumerate(VARIANT_GROUPS)
        for j, v in enumerate(_variants(q, extra))
    ],
)
def test_same_question_typed_many_ways_gives_the_same_unit(
    kb: KnowledgeBase, plan_id: str, unit: str, question: str, variant: str
) -> None:
    base = ask(kb, question)
    a = ask(kb, variant)
    assert a.units[:1] == [unit]
    assert a.plan_ids[:1] == [plan_id]
    assert a.intent == base.intent
    assert a.units[0] == base.units[0]


# --- across plans and narrowing ----------------------------------------------------------------


def test_no_plan_no_place_answers_from_several_plans(kb: KnowledgeBase) -> None:
    a = ask(kb, "Ai tuyên truyền phòng chống xâm hại trẻ em?")
    assert a.intent == "responsible"
    assert len(a.plan_ids) >= 2
    assert len(a.units) >= 2
    assert {c.plan_id for c in a.citations} == set(a.plan_ids)
    # each plan's line names its plan
    for plan_id in a.plan_ids:
        p = kb.get(plan_id)
        assert p is not None
        assert p.locality in a.text


def test_the_same_question_with_a_plan_stays_in_it(kb: KnowledgeBase) -> None:
    for plan_id in ("quan3-2020", "ducpho-2023"):
        a = ask(kb, "Ai tuyên truyền phòng chống xâm hại trẻ em?", plan=plan_id)
        assert a.plan_ids == [plan_id]
        p = kb.get(plan_id)
        assert p is not None
        names = {u.name for u in p.units}
        assert a.units
        assert set(a.units) <= names


@pytest.mark.parametrize(
    ("q", "plans", "unit_words"),
    [
        ("Những kế hoạch nào có nhiệm vụ cho Công an?",
         {"quan3-2020", "haiduong-2017", "cantho-2017", "ducpho-2023"}, "công an"),
        ("Kế hoạch nào giao nhiệm vụ cho Sở hoặc Phòng Giáo dục và Đào tạo?",
         {"quan3-2020", "haiduong-2017", "cantho-2017", "ducpho-2023"}, "giáo dục và đào tạo"),
        ("Các kế hoạch nào có nhiệm vụ cho Phòng Tư pháp?",
         {"quan3-2020", "cantho-2017", "ducpho-2023"}, "tư pháp"),
        ("Mặt trận Tổ quốc có nhiệm vụ gì trong các kế hoạch?",
         {"quan3-2020", "haiduong-2017", "cantho-2017", "ducpho-2023", "binhson-2023"},
         "mặt trận tổ quốc"),
    ],
)
def test_which_plans_have_tasks_for_a_unit(
    kb: KnowledgeBase, q: str, plans: set[str], unit_words: str
) -> None:
    a = ask(kb, q)
    assert a.intent == "unit_tasks"
    assert set(a.plan_ids) == plans
    assert len(a.units) == len(plans)
    assert all(has_words(u, unit_words) for u in a.units), a.units
    assert f"{len(plans)} kế hoạch" in a.text


@pytest.mark.parametrize(
    ("q", "selected", "plan_id", "unit"),
    [
        ("Ai bố trí kinh phí cho trẻ em ở Cần Thơ?", "quan3-2020", "cantho-2017", "Sở Tài chính"),
        ("Phòng Tư pháp Quận 3 có nhiệm vụ gì?", "ducpho-2023", "quan3-2020", "Phòng Tư pháp"),
        ("Ai tổ chức lớp huấn luyện kỹ năng tự bảo vệ cho trẻ em ở Đức Phổ?", "binhson-2023",
         "ducpho-2023", "Thị đoàn Đức Phổ"),
    ],
)
def test_place_in_the_question_overrides_the_selected_plan(
    kb: KnowledgeBase, q: str, selected: str, plan_id: str, unit: str
) -> None:
    a = ask(kb, q, plan=selected)
    assert a.plan_ids == [plan_id]
    assert a.units[0] == unit


def test_place_overrides_plan_for_deadlines(kb: KnowledgeBase) -> None:
    a = ask(kb, "Khi nào hạn báo cáo năm của Hải Dương?", plan="quan3-2020")
    assert a.plan_ids == ["haiduong-2017"]
    assert a.deadlines[0].plan_id == "haiduong-2017"
    assert a.deadlines[0].date == "2026-12-15"


def test_unknown_plan_id_is_ignored_not_fatal(kb: KnowledgeBase) -> None:
    a = ask(kb, "Ai chỉ đạo xây dựng trường học an toàn?", plan="khong-co-2099")
    check_contract(a)
    assert a.intent == "responsible"
    assert a.units[0] == "Sở Giáo dục và Đào tạo"


# --- deadlines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (dt.date(2026, 11, 22), ("2026-12-10", "quan3-2020")),
        (dt.date(2026, 12, 10), ("2026-12-10", "quan3-2020")),
        (dt.date(2026, 12, 11), ("2026-12-15", "haiduong-2017")),
        (dt.date(2026, 12, 20), ("2027-06-10", "quan3-2020")),
        (dt.date(2026, 6, 11), ("2026-06-15", "haiduong-2017")),
        (dt.date(2023, 5, 1), ("2023-05-30", "binhson-2023")),
    ],
)
def test_next_deadlines_ascending_from_today(
    kb: KnowledgeBase, today: dt.date, first: tuple[str, str]
) -> None:
    a = ask(kb, "Hạn báo cáo tiếp theo là khi nào?", today=today)
    check_contract(a)
    assert a.intent == "deadline"
    dates = [d.date for d in a.deadlines]
    assert len(dates) >= 2
    assert all(dates), "only dated deadlines are 'next'"
    assert dates == sorted(dates)  # type: ignore[type-var]
    assert all(dt.date.fromisoformat(d) >= today for d in dates)  # type: ignore[arg-type]
    assert (a.deadlines[0].date, a.deadlines[0].plan_id) == first
    for d in a.deadlines:
        assert d.days_left == (dt.date.fromisoformat(d.date) - today).days  # type: ignore[arg-type]
        assert not d.passed


def test_next_deadline_of_one_plan(kb: KnowledgeBase) -> None:
    a = ask(kb, "han bao cao tiep theo?", plan="quan3-2020", today=dt.date(2027, 6, 1))
    assert {d.plan_id for d in a.deadlines} == {"quan3-2020"}
    assert a.deadlines[0].date == "2027-06-10"
    assert a.deadlines[0].days_left == 9
    assert a.deadlines[0].recurring


def test_today_exactly_on_the_deadline(kb: KnowledgeBase) -> None:
    today = dt.date(2026, 12, 10)
    a = ask(kb, "Còn bao nhiêu ngày đến hạn báo cáo năm của Quận 3?", today=today)
    assert a.intent == "deadline"
    first = a.deadlines[0]
    assert (first.date, first.days_left, first.passed) == ("2026-12-10", 0, False)
    assert "hôm nay" in a.text


def test_recurring_deadline_across_the_year_end(kb: KnowledgeBase) -> None:
    a = ask(kb, "Khi nào hạn báo cáo năm của Hải Dương?", today=dt.date(2026, 12, 20))
    assert a.deadlines[0].date == "2027-12-15"
    assert a.deadlines[0].days_left == 360
    assert a.deadlines[0].recurring


def test_yearly_ward_report_after_its_day_moves_to_next_year(kb: KnowledgeBase) -> None:
    a = ask(kb, "UBND phường Quận 3 báo cáo tiêu chuẩn phường phù hợp với trẻ em trước ngày nào?")
    assert a.deadlines[0].deadline_id == "bao-cao-phuong-phu-hop-tre-em"
    assert a.deadlines[0].date == "2027-11-15"


def test_passed_one_off_date_stays_and_is_said(kb: KnowledgeBase) -> None:
    a = ask(kb, "Phòng LĐ-TB&XH Đức Phổ tổng hợp báo cáo năm gửi UBND thị xã trước ngày nào?")
    assert a.intent == "deadline"
    first = a.deadlines[0]
    assert first.plan_id == "ducpho-2023"
    assert first.date == "2023-12-05"
    assert first.passed
    assert not first.recurring
    assert first.days_left is not None
    assert first.days_left < 0
    assert "đã qua" in a.text


@pytest.mark.parametrize(
    ("q", "plan"),
    [
        ("Khi nào phải nộp báo cáo kết quả thực hiện chương trình?", "cantho-2017"),
        ("Cần Thơ hạn báo cáo là ngày nào?", None),
        ("Hạn báo cáo tiếp theo của Cần Thơ?", None),
        ("Sở LĐ-TB&XH Cần Thơ nộp báo cáo định kỳ khi nào?", None),
    ],
)
def test_plan_without_dates_answers_without_a_date(
    kb: KnowledgeBase, q: str, plan: str | None
) -> None:
    a = ask(kb, q, plan=plan)
    check_contract(a)
    assert a.intent == "deadline"
    assert a.plan_ids == ["cantho-2017"]
    assert a.deadlines, "the undated reports are still named"
    assert all(d.plan_id == "cantho-2017" and d.date is None for d in a.deadlines)
    assert all(d.days_left is None for d in a.deadlines)
    assert "không ấn định" in a.text


def test_no_invented_dates_for_cantho_on_any_day(kb: KnowledgeBase) -> None:
    for today in (dt.date(2017, 1, 1), dt.date(2017, 12, 31), TODAY):
        a = ask(kb, "Hạn báo cáo năm là ngày nào?", plan="cantho-2017", today=today)
        assert [d.date for d in a.deadlines if d.plan_id == "cantho-2017"] == [None] * len(
            a.deadlines
        )


def test_deadline_names_submitters_recipient_and_via(kb: KnowledgeBase) -> None:
    a = ask(kb, "Các đơn vị Quận 3 gửi báo cáo 6 tháng cho ai, trước ngày nào?")
    first = a.deadlines[0]
    assert first.deadline_id == "bao-cao-6-thang"
    assert first.date == "2027-06-10"
    assert first.recipient == "Ủy ban nhân dân Quận 3"
    assert "Công an Quận 3" in (first.via or "")
    assert "Phòng Giáo dục và Đào tạo" in first.submitters


# --- out of scope and odd input ----------------------------------------------------------------

UNKNOWN = [
    "Thời tiết Hà Nội ngày mai thế nào?",
    "Giá vàng hôm nay bao nhiêu?",
    "Giá xăng tăng chưa?",
    "Tỷ giá USD hôm nay?",
    "Chào bạn",
    "Hello",
    "Cảm ơn bạn nhé",
    "asdkjh qwpoeiru zxmcnv",
    "qwerty uiop",
    "",
    "   ",
    "\t\n\u00a0",
    "🙂🙂🎉",
    "???",
    "x" * 5000,
    "Ai tuyên truyền phòng chống xâm hại trẻ em? " * 120,
    "Kết quả bóng đá tối qua thế nào?",  # shares "kết quả" with many tasks
    "Bitcoin lên không?",
]


@pytest.mark.parametrize("q", UNKNOWN)
def test_out_of_scope_is_unknown_with_a_vietnamese_help_text(kb: KnowledgeBase, q: str) -> None:
    a = ask(kb, q)
    data = check_contract(a)
    assert a.intent == "unknown"
    assert data["units"] == []
    assert data["deadlines"] == []
    assert set(a.text.lower()) & VIETNAMESE_LETTERS, a.text
    assert len(a.text) < 1000


def test_too_long_question_says_so(kb: KnowledgeBase) -> None:
    a = ask(kb, "trẻ em " * 1000)
    assert a.intent == "unknown"
    assert "dài" in a.text


def test_empty_question_says_so(kb: KnowledgeBase) -> None:
    assert "chưa nhập" in ask(kb, "  ").text


# --- contacts and plan info asked in other words ----------------------------------------------


@pytest.mark.parametrize(
    ("q", "plan", "number"),
    [
        ("Tổng đài 111 là gì?", None, "111"),
        ("Đường dây tư vấn hỗ trợ trẻ em của Hải Dương là số mấy?", None, "18001567"),
        # "số nào" folds to "so nao", like "sở nào" (which unit)
        ("Đường dây nóng ở Quận 3 là số nào?", None, "111"),
        ("Số điện thoại đường dây nóng là số nào?", "ducpho-2023", "111"),
    ],
)
def test_hotline_questions(kb: KnowledgeBase, q: str, plan: str | None, number: str) -> None:
    a = ask(kb, q, plan=plan)
    assert a.intent == "contacts"
    assert number in a.text


def test_plan_issue_date(kb: KnowledgeBase) -> None:
    a = ask(kb, "Kế hoạch Bình Sơn ban hành ngày nào?")
    assert a.intent == "plan_info"
    assert "29/03/2023" in a.text
    assert a.deadlines == []


# --- low confidence -----------------------------------------------------------------------------


def test_low_confidence_offers_at_most_three_suggestions(kb: KnowledgeBase) -> None:
    a = ask(kb, "Ai phụ trách hòa nhập cộng đồng cho trẻ em có hoàn cảnh đặc biệt ở Cần Thơ?")
    assert a.confidence < 50
    assert 1 <= len(a.suggestions) <= 3
    assert "Có phải bạn muốn hỏi" in a.text
    for s in a.suggestions:
        assert s in a.text


@pytest.mark.parametrize("case", INTENT_CASES, ids=lambda c: c[0][:30])
def test_confident_answers_have_no_suggestions(kb: KnowledgeBase, case: tuple) -> None:
    q, plan, intent = case[:3]
    a = ask(kb, q, plan=plan)
    assert len(a.suggestions) <= 3
    if intent in {"responsible", "unit_tasks"}:
        assert a.suggestions == []
        assert "Có phải bạn muốn hỏi" not in a.text


# --- the answer object ----------------------------------------------------------------------


def test_answer_object_fields_and_json(kb: KnowledgeBase) -> None:
    a = ask(kb, "Hạn báo cáo tiếp theo là khi nào?")
    data = check_contract(a)
    assert CONTRACT_FIELDS <= set(data)
    assert set(Answer.model_fields) >= CONTRACT_FIELDS
    line = json.dumps(data, ensure_ascii=False)
    assert "\n" not in line
    assert json.loads(line) == data
    first = data["deadlines"][0]
    assert first == {**first, "date": "2026-12-10", "plan_id": "quan3-2020", "recurring": True,
                     "days_left": 18}


def test_answers_are_deterministic(kb: KnowledgeBase) -> None:
    q = "Ai tuyên truyền phòng chống xâm hại trẻ em?"
    assert ask(kb, q).to_contract() == ask(kb, q).to_contract()


def test_a_plan_without_a_funding_section_points_to_what_it_says_of_budgets(
    kb: KnowledgeBase,
) -> None:
    a = ask(kb, "Hải Dương bố trí ngân sách thế nào để thực hiện kế hoạch?")
    assert a.intent == "funding"
    assert "không có mục kinh phí riêng" in a.text
    # II.8: "Chủ động bố trí ngân sách của địa phương …" — cited, not invented
    assert "bố trí ngân sách của địa phương" in a.text
    assert any(c.plan_id == "haiduong-2017" and c.section == "II.8" for c in a.citations)


def test_which_plans_ask_for_a_report_of_a_period(kb: KnowledgeBase) -> None:
    a = ask(kb, "Những kế hoạch nào có báo cáo 9 tháng?")
    assert a.intent == "deadline"
    assert a.plan_ids == ["binhson-2023"]
    assert all(d.plan_id == "binhson-2023" for d in a.deadlines)
