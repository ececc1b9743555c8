"""The layouts of the plans offices issue in 2025–2026 (issue 11), one small synthetic document
per pattern: tasks given outside "Tổ chức thực hiện", assignment tables in an appendix,
headings that start with a title or a request, submitter versus recipient, the date rules,
names, documents that are not quite plans. The documents are written as offices write them,
one paragraph a line (hence the long lines)."""
# ruff: noqa: E501

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest

from knowledge.base import read_plan_file
from knowledge.deadlines import dates_between, next_date
from knowledge.ingest import Draft, ingest_document, write_draft
from knowledge.ingest.reader import from_text
from knowledge.schema import Plan

D = dt.date
HEAD = """ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH AN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc
Số: 12/KH-UBND | Hòa Bình An, ngày 10 tháng 11 năm 2025
KẾ HOẠCH
{title}
Căn cứ Luật Trẻ em năm 2016; Căn cứ Quyết định số 45/QĐ-UBND ngày 02/10/2025 của UBND tỉnh về công tác trẻ em;
Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:
"""
FOOT = """Nơi nhận: - Như trên; - Lưu: VT. | TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Lê Văn Minh
"""


def _draft(body: str, title: str = "THỰC HIỆN CÔNG TÁC BẢO VỆ TRẺ EM NĂM 2025",
           plan_id: str = "hoabinhan-2025") -> Draft:
    text = HEAD.format(title=title) + body + FOOT
    return ingest_document(from_text(text, "ke-hoach.txt"), plan_id=plan_id)


def _valid(draft: Draft, tmp_path: Path) -> Plan:
    plan, _ = read_plan_file(write_draft(draft, tmp_path))  # schema and every citation
    return plan


def _units(plan: Plan) -> dict[str, object]:
    return {u.name: u for u in plan.units}


# --- 1. tasks outside "Tổ chức thực hiện" ------------------------------------------------------

LABELLED = """I. MỤC ĐÍCH, YÊU CẦU
Bảo đảm quyền trẻ em trên địa bàn tỉnh.
II. NỘI DUNG
1. Tập huấn kỹ năng bảo vệ trẻ em cho cán bộ cơ sở
- Nội dung thực hiện: Tổ chức 02 lớp tập huấn kỹ năng phát hiện, can thiệp trẻ em bị xâm hại.
- Cơ quan chủ trì: Sở Y tế, Sở Giáo dục và Đào tạo.
- Cơ quan phối hợp: Tỉnh đoàn, Bảo hiểm xã hội tỉnh và các cơ quan, đơn vị có liên quan.
- Thời gian thực hiện: Năm 2025 và các năm tiếp theo.
2. Kiểm tra việc thực hiện
- Cơ quan thực hiện: Công an tỉnh chủ trì kiểm tra; Ủy ban nhân dân các xã, phường chủ động tự kiểm tra.
- Thời gian thực hiện: Quý IV/2025.
3. Truyền thông
+ Báo và Phát thanh, Truyền hình tỉnh đăng tải tin bài về phòng, chống xâm hại trẻ em.
Ủy ban nhân dân tỉnh giao Thanh tra tỉnh thành lập đoàn kiểm tra liên ngành về trẻ em.
III. TỔ CHỨC THỰC HIỆN
1. Sở Y tế
Chủ trì theo dõi, tổng hợp kết quả thực hiện Kế hoạch.
"""


def test_labelled_lines_and_unit_led_paragraphs_outside_the_assignment_part(
    tmp_path: Path,
) -> None:
    plan = _valid(_draft(LABELLED), tmp_path)
    units = _units(plan)
    assert {"Sở Y tế", "Sở Giáo dục và Đào tạo", "Tỉnh đoàn", "Bảo hiểm xã hội tỉnh",
            "Công an tỉnh", "Ủy ban nhân dân các xã, phường",
            "Báo và Phát thanh, Truyền hình tỉnh", "Thanh tra tỉnh"} <= set(units)
    health = units["Sở Y tế"]
    training = next(t for t in health.tasks if "02 lớp tập huấn" in t.text)
    assert training.line == 11  # the "Nội dung thực hiện" line, not the heading
    assert units["Tỉnh đoàn"].id in training.cooperating
    # a cooperating unit takes part in the task another leads
    youth = units["Tỉnh đoàn"].tasks[0]
    assert youth.lead == [health.id, units["Sở Giáo dục và Đào tạo"].id]
    check = units["Ủy ban nhân dân các xã, phường"].tasks[0]
    assert check.lead == [units["Công an tỉnh"].id]  # the clause that says "chủ trì"
    assert units["Thanh tra tỉnh"].tasks[0].text.startswith("thành lập đoàn kiểm tra")
    assert units["Báo và Phát thanh, Truyền hình tỉnh"].tasks[0].text.startswith("đăng tải")
    # "Thời gian thực hiện:" is a period of those units, with no invented date
    periods = [d for d in plan.deadlines if d.rule.kind == "period"]
    assert [(d.rule.text, d.rule.first_year, d.rule.last_year) for d in periods] == [
        ("Năm 2025 và các năm tiếp theo", 2025, None), ("Quý IV/2025", 2025, 2025)]
    assert set(periods[0].submitters) >= {health.id, units["Tỉnh đoàn"].id}
    assert all(next_date(d.rule, D(2026, 1, 1)) is None for d in periods)


# --- 2. assignment tables in an appendix ---------------------------------------------------------

APPENDIX = """I. MỤC TIÊU
Giảm tỷ lệ trẻ em bị xâm hại.
II. TỔ CHỨC THỰC HIỆN
1. Sở Y tế chủ trì theo dõi việc thực hiện Kế hoạch.
(Chi tiết nhiệm vụ tại Phụ lục kèm theo)
""" + FOOT + """PHỤ LỤC
DANH MỤC NHIỆM VỤ
(Kèm theo Kế hoạch số 12/KH-UBND ngày 10/11/2025)
TT | Nội dung thực hiện | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm
I | KIỆN TOÀN BỘ MÁY
1 | Kiện toàn Ban Chỉ đạo bảo vệ trẻ em các cấp | Sở Y tế; UBND cấp xã | Sở Nội vụ | Trước ngày 30/11/2025 | Quyết định
II. TRUYỀN THÔNG
1 | Tổ chức Tháng hành động vì trẻ em | Sở Văn hóa, Thể thao và Du lịch | Tỉnh đoàn và cơ quan, địa phương liên quan | Tháng 12 hằng năm |
2 | Xây dựng chuyên mục về quyền trẻ em | Báo và Phát thanh, Truyền hình tỉnh | | 2026-2030 |
….................
3 | Rà soát trẻ em có hoàn cảnh đặc biệt | Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã | Sở Y tế | Thường xuyên |
"""


def test_an_appendix_table_after_the_signature(tmp_path: Path) -> None:
    text = HEAD.format(title="BẢO VỆ TRẺ EM NĂM 2025") + APPENDIX
    draft = ingest_document(from_text(text, "pl.txt"), plan_id="phuluc-2025")
    plan = _valid(draft, tmp_path)
    units = _units(plan)
    assert plan.signer == "Lê Văn Minh"  # the signature, not a line of the appendix
    commune = units["Ủy ban nhân dân cấp xã"]
    task = next(t for t in commune.tasks if t.text.startswith("Kiện toàn"))
    assert task.section == "Phụ lục.I.1"
    assert units["Sở Y tế"].id in {u.id for u in plan.units
                                   if any(t.line == task.line for t in u.tasks)}
    # the cooperating column names units too; a section row is no task
    assert {"Sở Nội vụ", "Tỉnh đoàn", "Cơ quan, địa phương liên quan",
            "Ban Chỉ huy Phòng thủ dân sự cấp tỉnh",
            "Ban Chỉ huy Phòng thủ dân sự cấp xã"} <= set(units)
    assert not any("KIỆN TOÀN BỘ MÁY" in t.text for u in plan.units for t in u.tasks)
    rules = {d.rule.text: d.rule for d in plan.deadlines if d.kind == "task"}
    assert rules["Trước ngày 30/11/2025"].date == D(2025, 11, 30)
    december = rules["Tháng 12 hằng năm"]
    assert (december.kind, december.month, december.day) == ("yearly", 12, 31)
    assert (rules["2026-2030"].kind, rules["2026-2030"].first_year,
            rules["2026-2030"].last_year) == ("period", 2026, 2030)
    assert rules["Thường xuyên"].kind == "none"
    # the row a page leaves out ("…....") does not end the table
    assert any(t.text.startswith("Rà soát trẻ em") for t in units["Sở Y tế"].tasks)


def test_an_assignment_table_in_a_docx_with_a_merged_section_row(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_paragraph("KẾ HOẠCH")
    word.add_paragraph("Phòng, chống đuối nước trẻ em tỉnh Hòa Bình An năm 2025")
    word.add_paragraph("Ủy ban nhân dân tỉnh ban hành kế hoạch như sau:")
    word.add_heading("I. PHÂN CÔNG NHIỆM VỤ", level=1)
    table = word.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["STT", "Tên nhiệm vụ", "Cơ quan chủ trì",
                                                 "Thời gian hoàn thành"], strict=True):
        cell.text = text
    section = table.add_row().cells
    merged = section[0].merge(section[3])
    merged.text = "I. NÂNG CAO NHẬN THỨC"
    for values in (["1", "Dạy bơi cho học sinh tiểu học", "Sở Giáo dục và Đào tạo", "Quý II-2026"],
                   ["2", "Kiểm tra các điểm có nguy cơ đuối nước", "Công an tỉnh",
                    "Trước ngày 15/5/2026"]):
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    word.add_paragraph("Nơi nhận:")
    path = tmp_path / "duoi-nuoc.docx"
    word.save(str(path))
    from knowledge.ingest import ingest_file

    plan = _valid(ingest_file(path, plan_id="duoinuoc-2025"), tmp_path / "out")
    units = _units(plan)
    assert list(units) == ["Sở Giáo dục và Đào tạo", "Công an tỉnh"]
    assert [t.section for t in units["Công an tỉnh"].tasks] == ["I.I.2"]
    kinds = sorted((d.rule.kind, d.rule.text) for d in plan.deadlines)
    assert kinds == [("once", "Trước ngày 15/5/2026"), ("period", "Quý II-2026")]


# --- 3. headings that start with a title or a request -------------------------------------------

TITLES = """I. TỔ CHỨC THỰC HIỆN
1. Sở Y tế
Chủ trì tổng hợp kết quả thực hiện Kế hoạch.
2. Thủ trưởng các sở, ban, ngành tỉnh
Chỉ đạo đơn vị trực thuộc lồng ghép nội dung bảo vệ trẻ em.
3. Đề nghị các tổ chức chính trị - xã hội, tổ chức xã hội - nghề nghiệp tỉnh
Tuyên truyền, vận động hội viên tham gia bảo vệ trẻ em.
4. Sở Lao động - Thương binh và Xã hội (cơ quan thường trực Ban Chỉ đạo)
Tham mưu kiện toàn Ban Chỉ đạo.
"""


def test_headings_with_a_title_a_request_or_a_role(tmp_path: Path) -> None:
    plan = _valid(_draft(TITLES), tmp_path)
    units = _units(plan)
    assert list(units) == [
        "Sở Y tế", "Các sở, ban, ngành tỉnh",
        "Các tổ chức chính trị - xã hội, tổ chức xã hội - nghề nghiệp tỉnh",
        "Sở Lao động - Thương binh và Xã hội"]
    assert "Thủ trưởng các sở, ban, ngành tỉnh" in units["Các sở, ban, ngành tỉnh"].aliases
    labour = units["Sở Lao động - Thương binh và Xã hội"]
    assert labour.role == "cơ quan thường trực Ban Chỉ đạo"
    assert {"Sở Lao động - Thương binh và Xã hội (cơ quan thường trực Ban Chỉ đạo)",
            "Sở LĐTBXH"} <= set(labour.aliases)
    assert units["Các tổ chức chính trị - xã hội, tổ chức xã hội - nghề nghiệp tỉnh"].tasks[
        0].text.startswith("Tuyên truyền")


# --- 4. submitter versus recipient ----------------------------------------------------------------

REPORTS = """I. TỔ CHỨC THỰC HIỆN
1. Sở Y tế
- Chủ trì theo dõi việc thực hiện Kế hoạch.
2. Sở Tư pháp
- Phổ biến pháp luật về trẻ em.
3. Ủy ban nhân dân phường, xã, đặc khu
- Rà soát trẻ em có hoàn cảnh đặc biệt.
Các sở, ban, ngành, Ủy ban nhân dân phường, xã, đặc khu gửi báo cáo kết quả về Sở Y tế trước ngày 15/12/2025.
Các đơn vị gửi báo cáo định kỳ 06 tháng (trước ngày 15/6) về Ủy ban nhân dân tỉnh (qua Sở Y tế).
"""


def test_who_sends_and_who_receives(tmp_path: Path) -> None:
    plan = _valid(_draft(REPORTS), tmp_path)
    ids = {u.name: u.id for u in plan.units}
    assert list(ids) == ["Sở Y tế", "Sở Tư pháp", "Ủy ban nhân dân phường, xã, đặc khu"]
    # the closing sentences are no task of the last unit
    assert [t.text for t in plan.unit(ids["Ủy ban nhân dân phường, xã, đặc khu"]).tasks] == [
        "Rà soát trẻ em có hoàn cảnh đặc biệt."]
    result = next(d for d in plan.deadlines if d.rule.kind == "once")
    assert result.recipient == "Sở Y tế"
    assert ids["Sở Y tế"] not in result.submitters  # the Sở after "về" receives
    assert ids["Sở Tư pháp"] in result.submitters
    half = next(d for d in plan.deadlines if d.period == "6 tháng")
    # "Các đơn vị …" after the last unit is every unit's duty, not the last unit's (the Sở
    # it goes through reports too: only the recipient is left out)
    assert set(half.submitters) == set(ids.values())
    assert (half.recipient, half.via) == ("Ủy ban nhân dân tỉnh Hòa Bình An", "Sở Y tế")


# --- 5. date rules ------------------------------------------------------------------------------

RULES = """I. TỔ CHỨC THỰC HIỆN
1. Sở Y tế
- Định kỳ tổng hợp, báo cáo Ủy ban nhân dân tỉnh kết quả thực hiện theo quy định.
- Báo cáo tình hình trước ngày 10 hằng tháng về Ủy ban nhân dân tỉnh.
2. Công an tỉnh
- Định kỳ hằng quý (trước ngày 20 tháng cuối quý) báo cáo Ủy ban nhân dân tỉnh.
- Xây dựng kế hoạch, gửi về Sở Y tế trong thời hạn 10 ngày kể từ ngày nhận Kế hoạch này.
3. Sở Giáo dục và Đào tạo
- Tổ chức đoàn kiểm tra từ ngày 08 đến ngày 10 tháng 12 năm 2025.
- Báo cáo Ủy ban nhân dân tỉnh trước 19h00 hằng ngày trong thời gian mưa lũ.
- Báo cáo 02 lần/ngày (trước 9h00’ và 16h00’) về Sở Y tế.
"""


def test_date_rules_and_their_occurrences(tmp_path: Path) -> None:
    plan = _valid(_draft(RULES), tmp_path)
    rules = [(d.line, d.rule) for d in plan.deadlines]
    assert [(line, r.kind, r.text) for line, r in rules] == [
        (9, "none", "tổng hợp, báo cáo Ủy ban nhân dân tỉnh kết quả thực hiện theo quy định"),
        (10, "monthly", "trước ngày 10 hằng tháng"),
        (12, "quarterly", "hằng quý (trước ngày 20 tháng cuối quý)"),
        (13, "relative", "trong thời hạn 10 ngày kể từ ngày nhận Kế hoạch này"),
        (15, "period", "từ ngày 08 đến ngày 10 tháng 12 năm 2025"),
        (16, "daily", "trước 19h00 hằng ngày"),
        (17, "daily", "02 lần/ngày (trước 9h00’ và 16h00’)"),
        (17, "daily", "02 lần/ngày (trước 9h00’ và 16h00’)"),
    ]
    none, monthly, quarterly, relative, period, *daily = (r for _, r in rules)
    assert next_date(none, D(2026, 1, 1)) is None  # the plan sets no date: none invented
    assert monthly.day == 10
    assert next_date(monthly, D(2026, 1, 11)) == D(2026, 2, 10)
    assert (quarterly.day, quarterly.month) == (20, 3)
    assert dates_between(quarterly, D(2026, 1, 1), D(2026, 12, 31)) == [
        D(2026, 3, 20), D(2026, 6, 20), D(2026, 9, 20), D(2026, 12, 20)]
    assert (relative.days, relative.after) == (10, "ngày nhận Kế hoạch này")
    assert next_date(relative, D(2026, 1, 1)) is None  # said, not dated
    assert (period.start, period.date) == (D(2025, 12, 8), D(2025, 12, 10))
    assert [r.time for r in daily] == ["19:00", "09:00", "16:00"]
    assert next_date(daily[0], D(2025, 12, 3)) == D(2025, 12, 3)


# --- 6. names -------------------------------------------------------------------------------------

NAMES = """I. TỔ CHỨC THỰC HIỆN
1. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh
Giám sát việc thực hiện chính sách trẻ em theo Hướng dẫn số 07/BNV-CTTN&BĐG.
2. Ủy ban nhân dân các xã, phường
Rà soát trẻ em; phối hợp với Ủy ban MTTQ Việt Nam tỉnh vận động nguồn lực.
3. Sở Y tế
Bố trí cán bộ y tế tại các điểm sơ tán.
Ủy ban nhân dân tỉnh giao Giám đốc các sở, Chủ tịch Ủy ban nhân dân các xã, phường tổ chức thực hiện nghiêm túc Kế hoạch này.
"""


def test_names_aliases_legal_bases_and_the_closing_sentence(tmp_path: Path) -> None:
    plan = _valid(_draft(NAMES), tmp_path)
    units = _units(plan)
    front = units["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"]
    assert {"Mặt trận Tổ quốc tỉnh", "Ủy ban MTTQ tỉnh"} <= set(front.aliases)
    communes = units["Ủy ban nhân dân các xã, phường"]
    assert "UBND cấp xã" in communes.aliases
    assert communes.tasks[0].cooperating == [front.id]
    # the closing "UBND tỉnh giao Giám đốc các sở …" is not the last unit's task
    assert [t.text for t in units["Sở Y tế"].tasks] == ["Bố trí cán bộ y tế tại các điểm sơ tán."]
    # the preamble's documents only, not 07/BNV-CTTN&BĐG that a task mentions
    assert [lb.number for lb in plan.legal_bases] == ["45/QĐ-UBND"]
    assert plan.title == "Thực hiện công tác bảo vệ trẻ em năm 2025"
    assert (plan.signer, plan.signer_title) == ("Lê Văn Minh",
                                                "Phó Chủ tịch (TM. Ủy ban nhân dân, KT. Chủ tịch)")


def test_a_title_keeps_its_place_names_and_a_number_keeps_its_ampersand(tmp_path: Path) -> None:
    plan = _valid(_draft(NAMES, title="THỰC HIỆN HƯỚNG DẪN SỐ 07/BNV-CTTN&BĐG TRÊN ĐỊA BÀN TỈNH "
                                      "HÒA BÌNH AN"), tmp_path)
    assert plan.title == "Thực hiện Hướng dẫn số 07/BNV-CTTN&BĐG trên địa bàn tỉnh Hòa Bình An"


def test_a_deadline_printed_twice_is_stored_once(tmp_path: Path) -> None:
    line = ("Các đơn vị gửi báo cáo định kỳ 06 tháng (trước ngày 15/6) về Ủy ban nhân dân tỉnh (qua "
            "Sở Y tế).\n")
    plan = _valid(_draft(REPORTS + line), tmp_path)
    assert len([d for d in plan.deadlines if d.period == "6 tháng"]) == 1


# --- 7. documents that are not quite plans ---------------------------------------------------------

LETTER = """BỘ Y TẾ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc
Số: 345/BYT-BMTE | Hà Nội, ngày 05 tháng 5 năm 2025
V/v tổ chức Tháng hành động vì trẻ em năm 2025
Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.
Thực hiện Chỉ thị số 20/CT-TTg ngày 05/4/2025 của Thủ tướng Chính phủ, Bộ Y tế đề nghị:
1. Sở Y tế các tỉnh, thành phố
- Tổ chức Tháng hành động vì trẻ em từ ngày 01/6 đến ngày 30/6/2025.
- Gửi báo cáo kết quả về Bộ Y tế (qua Vụ Bà mẹ - Trẻ em) trước ngày 15/7/2025.
2. Ủy ban nhân dân các xã, phường
- Rà soát trẻ em có hoàn cảnh đặc biệt.
Nơi nhận: - Như trên; - Lưu: VT. | KT. BỘ TRƯỞNG THỨ TRƯỞNG Nguyễn Thị Lan
"""


def test_a_letter_that_assigns_tasks_is_read_like_a_plan(tmp_path: Path) -> None:
    draft = ingest_document(from_text(LETTER, "cong-van.txt"), plan_id="byt-thang-hanh-dong-2025")
    plan = _valid(draft, tmp_path)
    assert plan.kind == "công văn"
    assert plan.title == "Tổ chức Tháng hành động vì trẻ em năm 2025"
    assert [u.name for u in plan.units] == ["Sở Y tế các tỉnh, thành phố",
                                            "Ủy ban nhân dân các xã, phường"]
    report = next(d for d in plan.deadlines if d.rule.kind == "once")
    assert (report.rule.date, report.recipient, report.via) == (
        D(2025, 7, 15), "Bộ Y tế", "Vụ Bà mẹ - Trẻ em")
    assert "công văn" in draft.summary()


def test_a_partial_text_gives_a_draft_that_says_what_is_missing(tmp_path: Path) -> None:
    text = HEAD.format(title="BẢO VỆ TRẺ EM NĂM 2025") + (
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nBảo đảm quyền trẻ em.\n"
        "II. NỘI DUNG\n1. Tăng cường truyền thông về quyền trẻ em.\n")
    draft = ingest_document(from_text(text, "mot-phan.txt"), plan_id="motphan-2025")
    plan = _valid(draft, tmp_path)
    assert plan.units == []
    summary = draft.summary()
    assert "CÒN THIẾU (3)" in summary
    assert "phần phân công nhiệm vụ" in summary
    assert "phần cuối (Nơi nhận, người ký)" in summary


@pytest.mark.parametrize("kind", ["CHỈ THỊ", "CHƯƠNG TRÌNH"])
def test_other_kinds_of_document_record_their_kind(tmp_path: Path, kind: str) -> None:
    text = HEAD.format(title="VỀ TĂNG CƯỜNG BẢO VỆ TRẺ EM").replace("KẾ HOẠCH", kind) + TITLES
    plan = _valid(ingest_document(from_text(text, "x.txt"), plan_id="khac-2025"), tmp_path)
    assert plan.kind == kind.lower().replace("chỉ thị", "chỉ thị")
    assert plan.title == "Về tăng cường bảo vệ trẻ em"
