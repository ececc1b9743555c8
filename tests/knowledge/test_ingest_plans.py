"""``kehoach ingest`` on the five plans, as text and as .docx built here with python-docx
(header table, headings, Word-numbered items, bullets, signature table), and on .docx layouts
the five do not use (an assignment table, bold unit headings)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest

from knowledge.base import DEFAULT_PLANS_DIR, read_plan_file
from knowledge.ingest import Draft, ingest_file, write_draft
from knowledge.ingest.reader import read_document
from knowledge.schema import Plan
from tests.support.ingest_docs import text_to_docx

D = dt.date
PLANS = ["quan3-2020", "haiduong-2017", "cantho-2017", "ducpho-2023", "binhson-2023"]
HEADERS = {
    "quan3-2020": "ỦY BAN NHÂN DÂN QUẬN 3",
    "haiduong-2017": "ỦY BAN NHÂN DÂN TỈNH HẢI DƯƠNG",
    "cantho-2017": "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ",
    "ducpho-2023": "ỦY BAN NHÂN DÂN\nTHỊ XÃ ĐỨC PHỔ",
    "binhson-2023": "BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM HUYỆN BÌNH SƠN",
}
# The dated deadlines of each plan: (kind, date or (month, day, first year), period).
DEADLINES = {
    "quan3-2020": {
        ("yearly", (11, 15, 2020), "năm"), ("once", D(2020, 11, 1), None),
        ("once", D(2020, 11, 10), None), ("yearly", (6, 10, 2021), "6 tháng"),
        ("yearly", (12, 10, 2020), "năm"),
    },
    "haiduong-2017": {("yearly", (6, 15, 2017), "6 tháng"), ("yearly", (12, 15, 2017), "năm")},
    "cantho-2017": set(),
    "ducpho-2023": {
        ("once", D(2023, 5, 31), "6 tháng"), ("once", D(2023, 11, 30), "năm"),
        ("once", D(2023, 12, 5), None),
    },
    "binhson-2023": {
        ("once", D(2023, 6, 5), "6 tháng"), ("once", D(2023, 9, 5), "9 tháng"),
        ("once", D(2023, 12, 5), "năm"), ("once", D(2023, 5, 30), "6 tháng"),
        ("once", D(2023, 8, 30), "9 tháng"), ("once", D(2023, 11, 30), "năm"),
    },
}
UNITS = {"quan3-2020": 11, "haiduong-2017": 9, "cantho-2017": 12, "ducpho-2023": 13,
         "binhson-2023": 2}


def dated(plan: Plan) -> set[tuple]:
    out = set()
    for d in plan.deadlines:
        r = d.rule
        if r.kind == "once":
            out.add(("once", r.date, d.period))
        elif r.kind == "yearly":
            out.add(("yearly", (r.month, r.day, r.first_year), d.period))
    return out


def reviewed(plan: Plan) -> bool:
    items = [*plan.units, *plan.deadlines, *plan.legal_bases, *plan.objectives, *plan.funding,
             *plan.contacts, *plan.events, *plan.passages]
    items += [t for u in plan.units for t in u.tasks]
    return all(i.review for i in items)


def written_and_valid(draft: Draft, out: Path) -> Plan:
    path = write_draft(draft, out)
    assert path == out / f"{draft.plan.id}.yaml"
    assert (out / f"{draft.plan.id}.txt").read_text(encoding="utf-8") == draft.source_text
    plan, _ = read_plan_file(path)  # schema + every citation found in the source text
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# BẢN NHÁP kế hoạch")  # the summary, as YAML comments
    return plan


@pytest.fixture(scope="module")
def drafts() -> dict[str, Draft]:
    return {p: ingest_file(DEFAULT_PLANS_DIR / f"{p}.txt", plan_id=p) for p in PLANS}


@pytest.fixture(scope="module")
def docx_drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Draft]:
    tmp = tmp_path_factory.mktemp("docx")
    out = {}
    for p in PLANS:
        text = (DEFAULT_PLANS_DIR / f"{p}.txt").read_text(encoding="utf-8")
        out[p] = ingest_file(text_to_docx(text, tmp / f"{p}.docx", issuer=HEADERS[p]),
                             plan_id=p)
    return out


@pytest.mark.parametrize("plan_id", PLANS)
def test_text_plan_gives_a_valid_reviewed_draft(
    plan_id: str, drafts: dict[str, Draft], tmp_path: Path
) -> None:
    draft = drafts[plan_id]
    plan = written_and_valid(draft, tmp_path)
    assert reviewed(plan)
    assert len(plan.units) == UNITS[plan_id]
    assert all(u.tasks for u in plan.units)
    assert dated(plan) == DEADLINES[plan_id]


@pytest.mark.parametrize("plan_id", PLANS)
def test_docx_plan_reads_like_its_text(
    plan_id: str, drafts: dict[str, Draft], docx_drafts: dict[str, Draft], tmp_path: Path
) -> None:
    from_text, from_docx = drafts[plan_id].plan, docx_drafts[plan_id].plan
    plan = written_and_valid(docx_drafts[plan_id], tmp_path)
    assert reviewed(plan)
    assert [u.name for u in from_docx.units] == [u.name for u in from_text.units]
    assert [u.section for u in from_docx.units] == [u.section for u in from_text.units]
    assert [[t.text for t in u.tasks] for u in from_docx.units] == [
        [t.text for t in u.tasks] for u in from_text.units
    ]
    assert dated(from_docx) == DEADLINES[plan_id]
    # the header table names the issuer the way the text's own sentence does
    assert (from_docx.issuer, from_docx.level, from_docx.locality) == (
        from_text.issuer, from_text.level, from_text.locality
    )


def test_word_numbering_is_written_into_the_source_text(docx_drafts: dict[str, Draft]) -> None:
    lines = docx_drafts["haiduong-2017"].source_text.splitlines()
    assert "IV. TỔ CHỨC THỰC HIỆN" in lines
    assert "1. Sở Lao động - Thương binh và Xã hội" in lines  # Word's number, rebuilt
    assert "9. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức thành viên: Tăng " \
           "cường giám sát việc thực thi pháp luật về bảo vệ trẻ em; tuyên truyền, vận động " \
           "hội viên, đoàn viên và toàn xã hội lên án mạnh mẽ, kịp thời phát hiện, tố giác các " \
           "hành vi bạo lực, xâm hại trẻ em, đặc biệt là xâm hại tình dục trẻ em." in lines
    assert any(x.startswith("- Chỉ đạo công an các cấp") for x in lines)  # a Word bullet


def test_quan3_particulars(drafts: dict[str, Draft]) -> None:
    plan = drafts["quan3-2020"].plan
    assert (plan.issuer, plan.level, plan.locality, plan.year) == (
        "Ủy ban nhân dân Quận 3", "quận", "Quận 3", 2020)
    units = {u.name: u for u in plan.units}
    police = units["Công an Quận 3"]
    assert (police.section, police.line) == ("III.1.2", 45)
    ids = {u.name: u.id for u in plan.units}
    assert police.tasks[0].cooperating == [
        ids["Phòng Lao động - Thương binh và Xã hội"], ids["Phòng Y tế"]]
    assert "Hội liên hiệp phụ nữ quận" in police.tasks[0].partners
    # a heading that runs on to the next line ("... và các đoàn thể / Quận: Tăng cường ...")
    front = units["Ủy ban Mặt trận Tổ quốc Việt Nam Quận 3 và các đoàn thể Quận"]
    assert [(t.line, t.text[:20]) for t in front.tasks] == [(100, "Tăng cường giám sát ")]
    # a task split by a page break is one task, cited at its first line
    labour = units["Phòng Lao động - Thương binh và Xã hội"]
    assert labour.tasks[0].line == 57
    assert labour.tasks[0].text.endswith("“Phường phù hợp với trẻ em”.")
    leader = units["Phó Chủ tịch phụ trách Văn hóa – Xã hội"]
    assert leader.tasks[0].text.startswith("chủ trì, chỉ đạo")
    report = next(d for d in plan.deadlines if d.rule.kind == "yearly" and d.rule.month == 6)
    assert (report.recipient, report.via) == (
        "Ủy ban nhân dân Quận 3", "Cơ quan thường trực BCĐ138 - Công an Quận 3")
    assert report.submitters_text.startswith("Các đơn vị phòng, ban ngành")
    assert ids["Công an Quận 3"] in report.submitters
    assert [c.number for c in plan.contacts] == ["111"]
    assert {"23/CT-TTg", "1431/KH-CATP-PC02"} <= {lb.number for lb in plan.legal_bases}
    adhoc = [d for d in plan.deadlines if d.rule.kind == "none"]
    # a report the plan asks for without a date is a deadline with no date (rule none)
    assert [(d.line, d.period, d.rule.text) for d in adhoc] == [
        (31, None, "báo cáo kết quả"), (122, "đột xuất", "báo cáo đột xuất (khi có yêu cầu)")]


def test_cantho_particulars(drafts: dict[str, Draft]) -> None:
    plan = drafts["cantho-2017"].plan
    assert (plan.issuer, plan.level, plan.year) == (
        "Ủy ban nhân dân thành phố Cần Thơ", "thành phố", 2017)
    units = {u.name: u for u in plan.units}
    finance = units["Sở Tài chính"]
    assert [(t.line, t.section, t.text[:15]) for t in finance.tasks] == [
        (75, "V.2", "bố trí kinh phí")]
    labour = units["Sở Lao động - Thương binh và Xã hội"]
    assert [t.section for t in labour.tasks] == ["V.1.a", "V.1.b", "V.1.c"]
    culture = units["Sở Văn hóa, Thể thao và Du lịch"]
    assert culture.tasks[0].cooperating == [labour.id]
    assert [(t.kind, t.value) for t in plan.objectives] == [
        ("general", None), ("specific", "dưới 1%"), ("specific", None), ("specific", "92%")]
    assert [f.line for f in plan.funding] == [60, 62, 64]
    assert plan.scope
    assert plan.scope.startswith("Trẻ em, ưu tiên")


def test_haiduong_particulars(drafts: dict[str, Draft]) -> None:
    plan = drafts["haiduong-2017"].plan
    assert (plan.issuer, plan.locality, plan.year) == (
        "Ủy ban nhân dân tỉnh Hải Dương", "tỉnh Hải Dương", 2017)
    assert "năm 2017: lấy từ" in drafts["haiduong-2017"].summary()
    joint = next(u for u in plan.units if u.section == "IV.8")
    assert joint.members == ["Tòa án nhân dân tỉnh", "Viện kiểm sát nhân dân tỉnh"]
    report = next(d for d in plan.deadlines if d.period == "6 tháng")
    assert (report.rule.text, report.recipient, report.via) == (
        "định kỳ 6 tháng (vào ngày 15/6)", "Ủy ban nhân dân tỉnh Hải Dương",
        "Sở Lao động - Thương binh và Xã hội")
    assert [(c.name, c.number) for c in plan.contacts] == [
        ("Đường dây tư vấn và hỗ trợ trẻ em", "18001567")]


def test_ducpho_particulars(drafts: dict[str, Draft], docx_drafts: dict[str, Draft]) -> None:
    draft = drafts["ducpho-2023"]
    plan = draft.plan
    assert (plan.date_issued, plan.date_text) == (None, "Đức Phổ, ngày tháng 5 năm 2023")
    assert any("ngày ban hành chưa đủ" in n for n in draft.notes)
    assert (plan.signer, plan.signer_title) == ("Võ Thanh Hùng", "Phó Chủ tịch (KT. Chủ tịch)")
    assert [(e.name, e.start, e.end) for e in plan.events] == [
        ("Tháng hành động vì trẻ em năm 2023", D(2023, 6, 1), D(2023, 6, 30))]
    assert [(c.name, c.number) for c in plan.contacts] == [
        ("Tổng đài điện thoại quốc gia bảo vệ trẻ em", "111"),
        ("Đường dây nóng 24/7 của Trung tâm Công tác xã hội tỉnh", None)]
    assert plan.province == "tỉnh Quảng Ngãi"
    # the signature sits in a table in the .docx
    assert docx_drafts["ducpho-2023"].plan.signer == "Võ Thanh Hùng"


def test_binhson_particulars(drafts: dict[str, Draft]) -> None:
    plan = drafts["binhson-2023"].plan
    assert plan.issuer == "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam huyện Bình Sơn"
    assert (plan.date_issued, plan.signer) == (D(2023, 3, 29), "Lê Văn Thành")
    assert [t.value for t in plan.objectives if t.value] == ["100%", "80%"]
    # the documents the preamble names, not those a task mentions (121/2020/QH14 in 3.1)
    assert {lb.number for lb in plan.legal_bases} == {"267/KH-MTTQ-BTT"}
    district = plan.units[0]
    assert [d.recipient for d in plan.deadlines if district.id in d.submitters] == [
        "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"] * 3


def _table_plan(path: Path) -> Path:
    word = docx.Document()
    word.add_heading("KẾ HOẠCH", level=0)
    word.add_paragraph("Triển khai Tháng hành động vì trẻ em huyện Sơn Tịnh năm 2024")
    word.add_paragraph("Ủy ban nhân dân huyện ban hành kế hoạch như sau:")
    word.add_heading("I. MỤC TIÊU", level=1)
    word.add_paragraph("95% trẻ em được tiếp cận dịch vụ bảo vệ.", style="List Bullet")
    word.add_heading("II. PHÂN CÔNG NHIỆM VỤ", level=1)
    table = word.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ["STT", "Nội dung công việc", "Đơn vị chủ trì",
                                                 "Đơn vị phối hợp", "Thời gian hoàn thành"],
                          strict=True):
        cell.text = text
    rows = [
        ["1", "Tổ chức lễ phát động Tháng hành động", "Phòng Văn hóa - Thông tin",
         "Huyện đoàn", "30/5/2024"],
        ["2", "Tổng hợp báo cáo kết quả gửi Sở Lao động - Thương binh và Xã hội",
         "Phòng LĐ-TB&XH", "Phòng Văn hóa - Thông tin", "Trước 15/7/2024"],
        ["3", "Rà soát trẻ em có hoàn cảnh đặc biệt", "Phòng LĐ-TB&XH", "UBND các xã",
         "15/12 hằng năm"],
    ]
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    word.add_paragraph("Nơi nhận:")
    word.save(str(path))
    return path


def test_assignment_table(tmp_path: Path) -> None:
    draft = ingest_file(_table_plan(tmp_path / "son-tinh.docx"), plan_id="sontinh-2024")
    plan = written_and_valid(draft, tmp_path / "out")
    assert (plan.issuer, plan.level, plan.year) == (
        "Ủy ban nhân dân huyện Sơn Tịnh", "huyện", 2024)
    units = {u.name: u for u in plan.units}
    # the cooperation column names units of the plan too (they have no task of their own)
    assert list(units) == ["Phòng Văn hóa - Thông tin", "Huyện đoàn",
                           "Phòng Lao động - Thương binh và Xã hội", "Ủy ban nhân dân các xã"]
    labour = units["Phòng Lao động - Thương binh và Xã hội"]
    assert [t.text for t in labour.tasks] == [
        "Tổng hợp báo cáo kết quả gửi Sở Lao động - Thương binh và Xã hội",
        "Rà soát trẻ em có hoàn cảnh đặc biệt"]
    assert labour.tasks[0].cooperating == [units["Phòng Văn hóa - Thông tin"].id]
    assert units["Phòng Văn hóa - Thông tin"].tasks[0].cooperating == [units["Huyện đoàn"].id]
    culture = units["Phòng Văn hóa - Thông tin"]
    assert [(t.text, t.lead) for t in units["Huyện đoàn"].tasks] == [
        ("Tổ chức lễ phát động Tháng hành động", [culture.id])]
    rules = sorted((d.rule.kind, str(d.rule.date or (d.rule.month, d.rule.day)), d.submitters[0])
                   for d in plan.deadlines)
    assert rules == [
        ("once", "2024-05-30", units["Phòng Văn hóa - Thông tin"].id),
        ("once", "2024-07-15", labour.id),
        ("yearly", "(12, 15)", labour.id),
    ]
    assert [t.value for t in plan.objectives] == ["95%"]


def test_bold_unit_headings_without_numbers(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_paragraph("KẾ HOẠCH")
    word.add_paragraph("Phòng chống đuối nước trẻ em xã Bình Hải năm 2022")
    word.add_paragraph("Ủy ban nhân dân xã ban hành kế hoạch như sau:")
    word.add_heading("TỔ CHỨC THỰC HIỆN", level=1)
    for unit, tasks in [
        ("Công chức Văn hóa - Xã hội", ["Tham mưu xây dựng kế hoạch.",
                                        "Báo cáo kết quả về UBND xã trước ngày 20/12."]),
        ("Trạm Y tế xã", ["Sơ cứu đuối nước."]),
        ("Đoàn Thanh niên xã", ["Dạy bơi cho trẻ em trong hè."]),
    ]:
        word.add_paragraph().add_run(unit).bold = True
        for task in tasks:
            word.add_paragraph(task, style="List Bullet")
    path = tmp_path / "binh-hai.docx"
    word.save(str(path))
    draft = ingest_file(path, plan_id="binhhai-2022")
    plan = written_and_valid(draft, tmp_path / "out")
    assert [(u.name, u.section, len(u.tasks)) for u in plan.units] == [
        ("Công chức Văn hóa - Xã hội", "", 2), ("Trạm Y tế xã", "", 1),
        ("Đoàn Thanh niên xã", "", 1)]
    report = [d for d in plan.deadlines if d.rule.kind == "once"]
    assert [(d.rule.date, d.recipient) for d in report] == [
        (D(2022, 12, 20), "Ủy ban nhân dân xã Bình Hải")]


def test_read_document_keeps_tables_in_place(tmp_path: Path) -> None:
    doc = read_document(_table_plan(tmp_path / "t.docx"))
    lines = [line.raw for line in doc.lines]
    i = lines.index("II. PHÂN CÔNG NHIỆM VỤ")
    assert lines[i + 1] == ("STT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | "
                            "Thời gian hoàn thành")
    assert lines[i + 2].startswith("1 | Tổ chức lễ phát động")


COMMUNE_PLAN = """ỦY BAN NHÂN DÂN
XÃ TỊNH HÒA
Số: 45/KH-UBND
Tịnh Hòa, ngày 12 tháng 4 năm 2024

KẾ HOẠCH
Thực hiện công tác bảo vệ, chăm sóc trẻ em năm 2024

Căn cứ Kế hoạch số 120/KH-UBND ngày 02/4/2024 của UBND huyện Sơn Tịnh về công tác trẻ em;
UBND xã xây dựng kế hoạch như sau:

I. MỤC TIÊU
1. 100% trẻ em dưới 6 tuổi được cấp thẻ bảo hiểm y tế.

II. TỔ CHỨC THỰC HIỆN
1. Công chức Văn hóa - Xã hội
- Tổng hợp báo cáo kết quả về Phòng LĐ-TB&XH huyện trước ngày 25/11/2024.
2. Trạm Y tế xã: Phối hợp với Công chức Văn hóa - Xã hội khám sức khỏe trong tháng 6/2024.
3. Ban Chỉ đạo 138 xã chủ trì, phối hợp với Công an xã rà soát trẻ em có nguy cơ.
4. Công an xã
- Bảo đảm an ninh trật tự.

III. CHẾ ĐỘ BÁO CÁO
Các ban, ngành báo cáo về UBND xã (qua Công chức Văn hóa - Xã hội) định kỳ 6 tháng trước ngày
15/6 và cả năm trước ngày 15/11 hằng năm.

Nơi nhận:
- Lưu VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Nguyễn Văn An
"""


def test_a_plan_none_of_the_five_looks_like(tmp_path: Path) -> None:
    source = tmp_path / "tinh-hoa.txt"
    source.write_text(COMMUNE_PLAN, encoding="utf-8")
    draft = ingest_file(source, plan_id="tinhhoa-2024")
    plan = written_and_valid(draft, tmp_path / "out")
    assert (plan.issuer, plan.level, plan.locality, plan.document_number) == (
        "Ủy ban nhân dân xã Tịnh Hòa", "xã", "xã Tịnh Hòa", "45/KH-UBND")
    assert (plan.title, plan.date_issued) == (
        "Thực hiện công tác bảo vệ, chăm sóc trẻ em năm 2024", D(2024, 4, 12))
    assert (plan.signer, plan.signer_title) == ("Nguyễn Văn An", "Chủ tịch (TM. Ủy ban nhân dân)")
    ids = {u.name: u.id for u in plan.units}
    assert list(ids) == ["Công chức Văn hóa - Xã hội", "Trạm Y tế xã", "Ban Chỉ đạo 138 xã",
                         "Công an xã"]
    tasks = {u.name: u.tasks for u in plan.units}
    assert tasks["Trạm Y tế xã"][0].cooperating == [ids["Công chức Văn hóa - Xã hội"]]
    assert tasks["Ban Chỉ đạo 138 xã"][0].cooperating == [ids["Công an xã"]]
    assert dated(plan) == {("once", D(2024, 11, 25), None), ("yearly", (6, 15, 2024), "6 tháng"),
                           ("yearly", (11, 15, 2024), "năm")}
    report = next(d for d in plan.deadlines if d.period == "6 tháng")
    assert (report.recipient, report.via) == ("Ủy ban nhân dân xã Tịnh Hòa",
                                              "Công chức Văn hóa - Xã hội")
    # a month without a day is no deadline: it is left for the officer, and said so
    assert any("'trong tháng 6/2024'" in n for n in draft.notes)
