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
from core.texts import exports as tx
from core.texts.exports import (  # noqa: F401 - the wording of the file (re-exported)
    DRAFT_NOTE,
    INCIDENT_NOTE,
    INCIDENT_TABLE_HEADERS,
    LATE_MARK,
    MOTTO,
    NATION,
    NO_TEXT,
    NONE,
    NOT_EXPECTED,
    RATE_TABLE_HEADERS,
    SECTION_INCIDENTS,
    SECTION_MISSING,
    SECTION_RATES,
    SECTION_REPORTS,
    STATUS,
    TITLE,
    UNIT_TABLE_HEADERS,
)
from features.compiled import Compiled, UnitReport
from features.rates import percent

# Characters an XML 1.0 document cannot contain (python-docx refuses them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` without the characters XML cannot hold (emoji and markup kept as text)."""
    return _NOT_XML.sub("", text)


def _time(moment: dt.datetime) -> str:
    return f"{moment.astimezone(VN_TZ):%H:%M %d/%m/%Y}"


def _pct(part: int, whole: int) -> str:
    value = percent(part, whole)
    return tx.PERCENT_NONE if value is None else f"{value}%"


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
    body.para((tx.UNIT_HEADING.format(index=index, unit=rep.unit_name), ""), style="Heading 2")
    meta = tx.UNIT_META.format(number=rep.number, when=_time(rep.submitted_at))
    if rep.versions > 1:
        meta += tx.UNIT_VERSIONS.format(versions=rep.versions)
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
        body.para((tx.UNIT_ATTACHMENT.format(name=f.name, number=f.number), ""))


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
    header.cell(1, 0).text = tx.NUMBER_LINE
    header.cell(1, 1).text = clean(tx.PLACE_DATE.format(
        locality=c.locality, day=made.day, month=made.month, year=made.year))
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
        tx.COVERS.format(start=start, end=end, due=due),
        tx.CARRIES_OUT.format(plan=c.plan_title),
        tx.ADDRESSED_TO.format(recipient=c.recipient),
    ):
        p = doc.add_paragraph(clean(text))
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph().add_run(DRAFT_NOTE.format(when=_time(c.made_at))).italic = True

    r = c.rate
    doc.add_heading(SECTION_RATES, level=1)
    grace = tx.RATE_GRACE.format(days=r.grace_days) if r.grace_days else ""
    doc.add_paragraph(tx.RATE_SENTENCE.format(
        received=r.received, expected=r.expected, rate=_pct(r.received, r.expected),
        on_time=r.on_time, grace=grace, on_time_rate=_pct(r.on_time, r.expected)))
    rows: list[tuple[str, int, str]] = [
        (tx.ROW_EXPECTED, r.expected, _pct(r.expected, r.expected)),
        (tx.ROW_RECEIVED, r.received, _pct(r.received, r.expected)),
        (tx.ROW_ON_TIME, r.on_time, _pct(r.on_time, r.expected)),
        (tx.ROW_LATE, r.late, _pct(r.late, r.expected)),
        (tx.ROW_MISSING, r.missing, _pct(r.missing, r.expected)),
    ]
    if r.exempt:
        rows.append((tx.ROW_EXEMPT, r.exempt, ""))
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
        body.para((tx.EXEMPT_LINE.format(units=", ".join(c.exempt)), ""))

    if c.incidents is not None:
        body.para((SECTION_INCIDENTS, ""), style="Heading 1")
        body.para((tx.INCIDENTS_TOTAL.format(total=c.incidents_total), ""))
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
