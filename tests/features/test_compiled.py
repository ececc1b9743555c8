"""The compiled report (SQLite and PostgreSQL): what it holds, reopened with python-docx paragraph
by paragraph and cell by cell; incidents by type with "<3"; written 0600; audited."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import stat
import subprocess
import zipfile

import pytest
from docx import Document

from features import compiled, compiled_docx, incidents, rates
from features.permissions import Actor, PermissionDenied
from storage import audit
from storage.files import StoredFile
from tests.support.incidents_kit import OFFICER_ACTOR, PLANTED, PLANTED_MARK, cipher, draft
from tests.support.office_kit import (
    PLAN,
    UNITS,
    YEAR,
    at,
    big_plan,
    bulk_submit,
    submit,
    year_period,
)

DUE = dt.date(2025, 12, 10)
NOW = at(dt.date(2026, 11, 22))
COORD = Actor(2001, coordinator_of=frozenset({PLAN}))
# 4,000 characters with emoji, HTML and a character XML cannot hold (a vertical tab)
LONG = ("Kết quả 😀 <b>in đậm</b> &amp; <script>x</script>\vdòng\n" * 80)[:4000]
PDF = StoredFile(sha256="a" * 64, name="phu-luc-1.pdf", mime="application/pdf", size=1234)


def _seed(db, kb) -> dict[str, str]:
    """Phòng Y tế (long text) and GD&ĐT (sent twice) on time, Công an late with a file, Tài
    chính exempt; the others missing. Returns unit → current receipt number."""
    numbers = {}
    numbers["phong-yte"] = submit(db, "phong-yte", at(DUE, 8), text=LONG).number
    submit(db, "phong-gddt", at(DUE - dt.timedelta(days=2)), text="Bản đầu")
    numbers["phong-gddt"] = submit(db, "phong-gddt", at(DUE + dt.timedelta(days=4)),
                                   text="Bản thay thế\nđoạn hai").number
    numbers["cong-an-quan"] = submit(db, "cong-an-quan", at(DUE + dt.timedelta(days=1)),
                                     text=None, file=PDF).number
    db.call(rates.add_exemption, Actor.command_line("t"), kb, PLAN, "phong-tckh", now=NOW,
            deadline_id=YEAR)
    return numbers


def _incident(db, n: int, **changes) -> None:
    c = cipher()
    db.call(incidents.create, OFFICER_ACTOR, c, draft(**changes), source_chat_id=1001,
            source_message_id=n, now=at(dt.date(2025, 12, 1)))


def _cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_docx_paragraph_by_paragraph_and_cell_by_cell(db, kb, tmp_path) -> None:
    numbers = _seed(db, kb)
    for n in range(3):
        _incident(db, n, kind="violence", occurred_on=dt.date(2025, 3, 1 + n))
    _incident(db, 10, kind="neglect", occurred_on=dt.date(2025, 12, 10))
    _incident(db, 11, kind="drowning", occurred_on=dt.date(2024, 12, 10))  # before the period
    content = db.call(compiled.compile_report, COORD, kb, year_period(DUE), now=NOW,
                      cipher=cipher())
    data = compiled_docx.render_docx(content)
    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs]

    header, rate_table, unit_table, incident_table = doc.tables
    assert _cells(header) == [
        ["CƠ QUAN THƯỜNG TRỰC BCĐ138 - CÔNG AN QUẬN 3",
         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
        ["Số:      /BC-", "Quận 3, ngày 22 tháng 11 năm 2026"],
    ]
    assert paragraphs[:6] == [
        "BÁO CÁO TỔNG HỢP",
        "Báo cáo năm kết quả thực hiện kế hoạch",
        "Kỳ báo cáo: từ 11/12/2024 đến 10/12/2025 (hạn 10/12/2025)",
        f"Thực hiện: {kb.get(PLAN).title}",
        "Kính gửi: Ủy ban nhân dân Quận 3",
        "Bản dự thảo do trợ lý kehoach lập lúc 09:00 22/11/2026 từ các báo cáo đã nhận; "
        "cần rà soát, chỉnh sửa trước khi ký gửi.",
    ]
    assert paragraphs[6:8] == [compiled_docx.SECTION_RATES,
                               "3/8 đơn vị đã nộp (38%), 2 đúng hạn (25%)."]
    assert _cells(rate_table) == [
        list(compiled_docx.RATE_TABLE_HEADERS),
        ["Đơn vị phải nộp", "8", "100%"],
        ["Đã nộp", "3", "38%"],
        ["Nộp đúng hạn", "2", "25%"],
        ["Nộp muộn", "1", "13%"],
        ["Chưa nộp", "5", "63%"],
        ["Miễn nộp kỳ này (không tính)", "1", ""],
    ]
    units = _cells(unit_table)
    assert units[0] == list(compiled_docx.UNIT_TABLE_HEADERS)
    assert [r[1] for r in units[1:]] == [kb.get(PLAN).unit(u).name for u in UNITS]
    by_name = {r[1]: r for r in units[1:]}
    assert by_name["Công an Quận 3"][2:] == ["Nộp muộn", "09:00 11/12/2025",
                                            numbers["cong-an-quan"]]
    assert by_name["Phòng Giáo dục và Đào tạo"][2:] == [
        "Đúng hạn", "09:00 08/12/2025", numbers["phong-gddt"]]  # the first version's time
    assert by_name["Phòng Tài chính – Kế hoạch"][2:] == ["Miễn nộp kỳ này", "", ""]
    assert by_name["Phòng Tư pháp"][2:] == ["Quá hạn, chưa nộp", "", ""]

    start = paragraphs.index(compiled_docx.SECTION_REPORTS)
    end = paragraphs.index(compiled_docx.SECTION_MISSING)
    body = paragraphs[start + 1:end]
    # units in the plan's order: Công an, GD&ĐT, Y tế
    assert [p for p in body if p.startswith("2.")] == [
        "2.1. Công an Quận 3", "2.2. Phòng Giáo dục và Đào tạo", "2.3. Phòng Y tế"]
    i = body.index("2.1. Công an Quận 3")
    assert body[i + 1] == (f"Số biên nhận {numbers['cong-an-quan']}, nộp lúc 09:00 11/12/2025"
                           " — NỘP MUỘN")
    assert body[i + 2] == compiled_docx.NO_TEXT
    assert body[i + 3] == f"Tệp đính kèm: phu-luc-1.pdf (số biên nhận {numbers['cong-an-quan']})"
    j = body.index("2.2. Phòng Giáo dục và Đào tạo")
    assert body[j + 1] == (f"Số biên nhận {numbers['phong-gddt']}, nộp lúc 09:00 14/12/2025"
                           " (lần gửi thứ 2)")  # replaced late, counted on time: not marked
    assert body[j + 2:j + 4] == ["Bản thay thế", "đoạn hai"]
    k = body.index("2.3. Phòng Y tế")
    assert "\n".join(body[k + 2:]) == LONG.strip().replace("\v", "")  # as stored; HTML as text
    assert "<script>x</script>" in body[k + 2]
    assert "😀" in body[k + 2]

    missing_start = paragraphs.index(compiled_docx.SECTION_MISSING)
    incidents_start = paragraphs.index(compiled_docx.SECTION_INCIDENTS)
    assert paragraphs[missing_start + 1:incidents_start] == [
        "Phòng Lao động - Thương binh và Xã hội", "Phòng Văn hóa – Thông tin", "Phòng Tư pháp",
        "Ủy ban Mặt trận Tổ quốc Việt Nam Quận 3 và các đoàn thể Quận",
        "Ủy ban nhân dân 14 phường", "Miễn nộp kỳ này: Phòng Tài chính – Kế hoạch.",
    ]
    assert paragraphs[incidents_start + 1] == "Tổng số sự vụ ghi nhận trong kỳ: 4."
    assert _cells(incident_table) == [["Loại sự vụ", "Số sự vụ"], ["Bạo lực", "3"],
                                      ["Bỏ rơi, sao nhãng", "<3"]]
    assert paragraphs[-1] == compiled_docx.INCIDENT_NOTE
    # never a description or an identifying field, anywhere in the package
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = "".join(package.read(n).decode("utf-8", "replace") for n in package.namelist())
    assert PLANTED_MARK not in xml
    assert PLANTED[:20] not in xml
    assert "Phường 5" not in xml
    assert "step_parent" not in xml

    (entry,) = db.call(audit.list_entries, action=compiled.COMPILED)
    assert (entry.actor_id, entry.target, entry.details["reports"]) == (
        2001, f"{PLAN}:{YEAR}:{DUE}", 3)
    target = tmp_path / "tong-hop.docx"
    target.write_bytes(b"old")
    target.chmod(0o644)
    compiled_docx.write_private(target, data)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() == data


def test_without_incidents_there_is_no_incident_section_and_no_submission_is_fine(db, kb):
    content = db.call(compiled.compile_report, COORD, kb, year_period(DUE), now=NOW)
    doc = Document(io.BytesIO(compiled_docx.render_docx(content)))
    paragraphs = [p.text for p in doc.paragraphs]
    assert compiled_docx.SECTION_INCIDENTS not in paragraphs
    assert "0/9 đơn vị đã nộp (0%), 0 đúng hạn (0%)." in paragraphs
    start = paragraphs.index(compiled_docx.SECTION_REPORTS)
    assert paragraphs[start + 1] == compiled_docx.NONE
    assert len(doc.tables) == 3


def test_small_incident_totals_are_masked_too(db, kb) -> None:
    _incident(db, 1, kind="violence", occurred_on=dt.date(2025, 5, 1))
    content = db.call(compiled.compile_report, COORD, kb, year_period(DUE), now=NOW,
                      cipher=cipher())
    assert content.incidents_total == "<3"
    assert [(i.label, i.shown) for i in content.incidents] == [("Bạo lực", "<3")]


def test_only_the_plans_coordinators_and_admins_compile(db, kb) -> None:
    for actor in (Actor(1001, officer_of=(PLAN, "phong-yte")),
                  Actor(2002, coordinator_of=frozenset({"cantho-2017"})), Actor(4001)):
        with pytest.raises(PermissionDenied):
            db.call(compiled.compile_report, actor, kb, year_period(DUE), now=NOW)
    assert db.call(audit.list_entries, action=compiled.COMPILED) == []


def test_a_thousand_submissions(db, kb) -> None:
    big = big_plan(kb, units=1000, months=1)
    plan = big.get("lon-2026")
    assert bulk_submit(db, plan, share=1.0) == 1000
    period = rates.dated_periods(plan, dt.date(2026, 1, 1), dt.date(2026, 12, 31))[0]
    content = db.call(compiled.compile_report, Actor.command_line("t"), big, period, now=NOW)
    doc = Document(io.BytesIO(compiled_docx.render_docx(content)))
    paragraphs = doc.paragraphs
    headings = [p for p in paragraphs if p.text.startswith("2.") and ". Ủy ban" in p.text]
    assert [p.text for p in headings] == [f"2.{i}. Ủy ban nhân dân xã số {i}"
                                          for i in range(1, 1001)]
    assert {headings[0].style.name, headings[-1].style.name} == {"Heading 2"}
    assert sum(p.text == "Đã thực hiện." for p in paragraphs) == 1000
    assert sum(p.text.startswith("Tệp đính kèm: phu-luc.pdf") for p in paragraphs) == 200
    assert len(doc.tables[2].rows) == 1001


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                    reason="LibreOffice is not installed")
def test_libreoffice_converts_it_to_pdf(db, kb, tmp_path) -> None:
    _seed(db, kb)
    content = db.call(compiled.compile_report, COORD, kb, year_period(DUE), now=NOW)
    source = tmp_path / "tong-hop.docx"
    source.write_bytes(compiled_docx.render_docx(content))
    office = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(source)], check=True, timeout=120, capture_output=True)
    pdf = (tmp_path / "tong-hop.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 5000
