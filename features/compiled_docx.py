"""The compiled report as a Word draft (.docx, python-docx), and writing it privately.

It only renders :class:`features.compiled.Compiled`. The headings are part of the document
format and live here. Text is written as the units sent it (no markup is interpreted: HTML
stays literal text); characters XML cannot hold are dropped, emoji kept.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.clock import VN_TZ
from features.compiled import Compiled, UnitReport
from features.rates import percent

TITLE = "BÁO CÁO TỔNG HỢP"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DRAFT_NOTE = ("Bản dự thảo do trợ lý kehoach lập lúc {when} từ các báo cáo đã nhận; "
              "cần rà soát, chỉnh sửa trước khi ký gửi.")
SECTION_RATES = "1. Tình hình nộp báo cáo của các đơn vị"
SECTION_REPORTS = "2. Báo cáo của các đơn vị"
SECTION_MISSING = "3. Đơn vị chưa nộp báo cáo"
SECTION_INCIDENTS = "4. Sự vụ về trẻ em trong kỳ"
RATE_TABLE_HEADERS = ("Chỉ tiêu", "Số đơn vị", "Tỷ lệ so với số phải nộp")
UNIT_TABLE_HEADERS = ("STT", "Đơn vị", "Tình trạng", "Thời gian nộp", "Số biên nhận")
INCIDENT_TABLE_HEADERS = ("Loại sự vụ", "Số sự vụ")
STATUS = {"on_time": "Đúng hạn", "late": "Nộp muộn", "missing": "Chưa nộp",
          "overdue": "Quá hạn, chưa nộp", "exempt": "Miễn nộp kỳ này"}
LATE_MARK = "NỘP MUỘN"
NOT_EXPECTED = "không thuộc danh sách đơn vị phải nộp"
NO_TEXT = "(Không có nội dung chữ; xem tệp đính kèm.)"
NONE = "Không có."
INCIDENT_NOTE = ("Chỉ ghi số sự vụ theo loại, không ghi mô tả hay thông tin nhận dạng; số dưới 3 "
                 "ghi «<3» để không thể suy ra trẻ em cụ thể.")
# Characters an XML 1.0 document cannot contain (python-docx refuses them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` without the characters XML cannot hold (emoji and markup kept as text)."""
    return _NOT_XML.sub("", text)


def _time(moment: dt.datetime) -> str:
    return f"{moment.astimezone(VN_TZ):%H:%M %d/%m/%Y}"


def _pct(part: int, whole: int) -> str:
    value = percent(part, whole)
    return "—" if value is None else f"{value}%"


class _Body:
    """Appends paragraphs at the end of the document body in constant time.

    python-docx's ``add_paragraph`` looks for the section properties among all the body's
    children at every call (quadratic: minutes for 1,000 reports); here each paragraph goes
    straight before them (``addprevious``), built with lxml.
    """

    def __init__(self, doc: Any) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        body = doc.element.body
        self.anchor = body.sectPr if body.sectPr is not None else None
        self.body = body
        self.styles = {name: doc.styles[name].style_id
                       for name in ("Heading 1", "Heading 2", "List Bullet")}

    def para(self, *runs: tuple[str, str], style: str | None = None,
             center: bool = False) -> Any:
        """A paragraph of ``(text, format)`` runs; format is "", "b" (bold) or "i" (italic)."""
        from lxml import etree  # type: ignore[import-untyped]

        qn = self.qn
        p = etree.Element(qn("w:p"))
        if style or center:
            ppr = etree.SubElement(p, qn("w:pPr"))
            if style:
                etree.SubElement(ppr, qn("w:pStyle")).set(qn("w:val"), self.styles[style])
            if center:
                etree.SubElement(ppr, qn("w:jc")).set(qn("w:val"), "center")
        for text, fmt in runs:
            r = etree.SubElement(p, qn("w:r"))
            if fmt:
                rpr = etree.SubElement(r, qn("w:rPr"))
                etree.SubElement(rpr, qn("w:b" if fmt == "b" else "w:i"))
            t = etree.SubElement(r, qn("w:t"))
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = clean(text)
        if self.anchor is not None:
            self.anchor.addprevious(p)
        else:
            self.body.append(p)
        return p


def _table(doc: Any, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    from docx.table import _Cell

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, headers, strict=True):
        cell.text = heading
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        tr = table.add_row()._tr  # (``_Row.cells`` rebuilds every cell of the table)
        for tc, value in zip(tr.tc_lst, values, strict=True):
            _Cell(tc, table).text = clean(str(value))


def _unit(body: _Body, index: int, rep: UnitReport) -> None:
    body.para((f"2.{index}. {rep.unit_name}", ""), style="Heading 2")
    meta = f"Số biên nhận {rep.number}, nộp lúc {_time(rep.submitted_at)}"
    if rep.versions > 1:
        meta += f" (lần gửi thứ {rep.versions})"
    runs = [(meta, "i")]
    if rep.late:
        runs += [(" — ", ""), (LATE_MARK, "b")]
    if not rep.expected:
        runs.append((f" ({NOT_EXPECTED})", "i"))
    body.para(*runs)
    if rep.text:
        for line in rep.text.split("\n"):
            body.para((line.rstrip("\r"), ""))
    else:
        body.para((NO_TEXT, ""))
    for f in rep.attachments:
        body.para((f"Tệp đính kèm: {f.name} (số biên nhận {f.number})", ""))


def render_docx(c: Compiled) -> bytes:
    """The compiled report as a .docx file's bytes."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(13)
    made = c.made_at.astimezone(VN_TZ)
    header = doc.add_table(rows=2, cols=2)
    header.cell(0, 0).text = clean(c.office.upper())
    header.cell(0, 1).text = f"{NATION}\n{MOTTO}"
    header.cell(1, 0).text = "Số:      /BC-"
    header.cell(1, 1).text = clean(
        f"{c.locality}, ngày {made.day:02d} tháng {made.month:02d} năm {made.year}")
    for cell in (header.cell(0, 0), header.cell(0, 1)):
        for run in cell.paragraphs[0].runs:
            run.bold = True
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(TITLE).bold = True
    due = c.period.due_date
    assert due is not None
    start, end = c.covers
    for text in (
        c.period.title,
        f"Kỳ báo cáo: từ {start:%d/%m/%Y} đến {end:%d/%m/%Y} (hạn {due:%d/%m/%Y})",
        f"Thực hiện: {c.plan_title}",
        f"Kính gửi: {c.recipient}",
    ):
        p = doc.add_paragraph(clean(text))
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph().add_run(DRAFT_NOTE.format(when=_time(c.made_at))).italic = True

    r = c.rate
    doc.add_heading(SECTION_RATES, level=1)
    grace = f" (kể cả {r.grace_days} ngày gia hạn)" if r.grace_days else ""
    doc.add_paragraph(
        f"{r.received}/{r.expected} đơn vị đã nộp ({_pct(r.received, r.expected)}), "
        f"{r.on_time} đúng hạn{grace} ({_pct(r.on_time, r.expected)})."
    )
    rows = [
        ("Đơn vị phải nộp", r.expected, _pct(r.expected, r.expected)),
        ("Đã nộp", r.received, _pct(r.received, r.expected)),
        ("Nộp đúng hạn", r.on_time, _pct(r.on_time, r.expected)),
        ("Nộp muộn", r.late, _pct(r.late, r.expected)),
        ("Chưa nộp", r.missing, _pct(r.missing, r.expected)),
    ]
    if r.exempt:
        rows.append(("Miễn nộp kỳ này (không tính)", r.exempt, ""))
    _table(doc, RATE_TABLE_HEADERS, rows)
    doc.add_paragraph()
    _table(doc, UNIT_TABLE_HEADERS, [
        (i, u.unit_name, STATUS[u.status],
         _time(u.first_submitted_at) if u.first_submitted_at else "", u.number or "")
        for i, u in enumerate(r.units, start=1)
    ])

    body = _Body(doc)
    body.para((SECTION_REPORTS, ""), style="Heading 1")
    if not c.reports:
        body.para((NONE, ""))
    for index, rep in enumerate(c.reports, start=1):
        _unit(body, index, rep)

    body.para((SECTION_MISSING, ""), style="Heading 1")
    for name in c.missing:
        body.para((name, ""), style="List Bullet")
    if not c.missing:
        body.para((NONE, ""))
    if c.exempt:
        body.para(("Miễn nộp kỳ này: " + ", ".join(c.exempt) + ".", ""))

    if c.incidents is not None:
        body.para((SECTION_INCIDENTS, ""), style="Heading 1")
        body.para((f"Tổng số sự vụ ghi nhận trong kỳ: {c.incidents_total}.", ""))
        if c.incidents:
            _table(doc, INCIDENT_TABLE_HEADERS, [(i.label, i.shown) for i in c.incidents])
        body.para((INCIDENT_NOTE, "i"))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` readable and writable by its owner only (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # an existing file keeps its mode otherwise
        with os.fdopen(fd, "wb") as handle:
            fd = -1
            handle.write(data)
    finally:
        if fd != -1:
            os.close(fd)
    return path
