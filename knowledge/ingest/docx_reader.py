"""Reading a .docx paragraph by paragraph, tables one row a line (cells joined with " | ").

Word's automatic numbering is not part of a paragraph's text, so it is rebuilt from the
document's numbering definitions ("I.", "1.", "a)", "-").
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from knowledge.ingest.document import Document, IngestError, Line, plain

logger = logging.getLogger(__name__)



def read_docx(data: bytes, name: str) -> Document:
    """Read a .docx's bytes into a :class:`Document` (``name`` for the messages).

    Raises:
        IngestError: not a .docx, corrupt, or with no text.
    """
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        members = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        members = None
    if members is not None and "word/document.xml" not in members:
        raise IngestError(
            f"Tệp {name} là một tệp nén (.zip) hoặc tài liệu khác, không phải tệp Word .docx. "
            "Hãy gửi đúng tệp kế hoạch .docx. (A zip archive, not a .docx.)"
        )
    try:
        word = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(
            f"Tệp {name} bị hỏng hoặc không phải tệp Word .docx. (Corrupt or not a .docx "
            f"file: {type(exc).__name__}.)"
        ) from exc
    except Exception as exc:  # lxml and zip errors of a damaged package come in many types
        logger.warning("cannot open %s as .docx", name, exc_info=True)
        raise IngestError(
            f"Tệp {name} bị hỏng, không đọc được nội dung Word. (Corrupt .docx: "
            f"{type(exc).__name__}.)"
        ) from exc
    numbering = _Numbering(word)
    doc = Document(name=name)
    for kind, block in _blocks(word):
        if kind == "p":
            raw = numbering.prefix(block) + _para_text(block)
            doc.lines.append(
                Line(
                    no=len(doc.lines) + 1, raw=raw, text=plain(raw), bold=_is_bold(block),
                    heading=_heading_level(block),
                )
            )
        else:
            for row in _rows(block, numbering):
                raw = " | ".join(" ".join(p for p in cell if p) for cell in row if any(cell))
                doc.lines.append(
                    Line(no=len(doc.lines) + 1, raw=raw, text=plain(raw), cells=[
                        [plain(p) for p in cell if p.strip()] for cell in row
                    ])
                )
    if not any(line.text for line in doc.lines):
        raise IngestError(f"Tệp {name} không có chữ nào. (The document has no text.)")
    return doc


def _blocks(word: Any) -> Iterator[tuple[str, Any]]:
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def walk(parent_el: Any) -> Iterator[tuple[str, Any]]:
        for child in parent_el.iterchildren():
            if child.tag == qn("w:p"):
                yield "p", Paragraph(child, word.part)
            elif child.tag == qn("w:tbl"):
                yield "t", Table(child, word.part)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    yield from walk(content)

    yield from walk(word.element.body)


def _para_text(paragraph: Any) -> str:
    return str(paragraph.text).replace("\n", " ").replace("\t", " ").rstrip()


def _rows(table: Any, numbering: _Numbering) -> list[list[list[str]]]:
    rows = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats
                continue
            seen.add(id(cell._tc))
            cells.append([numbering.prefix(p) + _para_text(p) for p in cell.paragraphs])
        rows.append(cells)
    return rows


def _is_bold(paragraph: Any) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    if not runs:
        return False
    style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
    return all(r.bold or (r.bold is None and style_bold) for r in runs)


def _heading_level(paragraph: Any) -> int | None:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    m = re.match(r"(?:Heading|Tiêu đề)\s*(\d)", name, re.IGNORECASE)
    if m:
        return int(m.group(1))
    return 1 if name.lower() == "title" else None


def _roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
        (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):
        while n >= value:
            out += letters
            n -= value
    return out


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def _format(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class _Numbering:
    """Word's automatic numbering, replayed in document order."""

    def __init__(self, word: Any) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self.abstract: dict[str | None, dict[int, tuple[str, str, int]]] = {}
        self.nums: dict[str, tuple[str | None, dict[int, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        try:
            root = word.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                fmt = self._val(lvl, "w:numFmt") or "decimal"
                text = self._val(lvl, "w:lvlText") or ""
                start = int(self._val(lvl, "w:start") or "1")
                levels[ilvl] = (fmt, text, start)
            self.abstract[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            abstract_id = self._val(num, "w:abstractNumId")
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                start_at = self._val(override, "w:startOverride")
                if start_at is not None:
                    overrides[int(override.get(qn("w:ilvl"), "0"))] = int(start_at)
            self.nums[num.get(qn("w:numId"))] = (abstract_id, overrides)

    def _val(self, el: Any, tag: str) -> str | None:
        child = el.find(self._qn(tag))
        value = None if child is None else child.get(self._qn("w:val"))
        return None if value is None else str(value)

    def _num_pr(self, paragraph: Any) -> tuple[str, int] | None:
        pPr = paragraph._p.pPr
        num_pr = pPr.numPr if pPr is not None else None
        style = paragraph.style
        while num_pr is None and style is not None:
            spPr = style.element.pPr
            num_pr = spPr.numPr if spPr is not None else None
            style = style.base_style
        if num_pr is None or num_pr.numId is None:
            return None
        num_id = str(num_pr.numId.val)
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        return (num_id, int(ilvl)) if num_id != "0" else None

    def prefix(self, paragraph: Any) -> str:
        """The number or bullet Word shows before ``paragraph`` ("" when none)."""
        found = self._num_pr(paragraph)
        if found is None or found[0] not in self.nums or not paragraph.text.strip():
            return ""
        num_id, ilvl = found
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        key = f"num{num_id}" if overrides else f"abs{abstract_id}"
        counters = self.counters.setdefault(key, [None] * 9)
        fmt, text, start = levels[ilvl]
        start = overrides.get(ilvl, start)
        previous = counters[ilvl]
        counters[ilvl] = start if previous is None else previous + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        if fmt == "bullet" or fmt == "none":
            return "- " if fmt == "bullet" else ""

        def level_text(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            lfmt, _, lstart = levels.get(level, ("decimal", "", 1))
            value = counters[level]
            return _format(lstart if value is None else value, lfmt)

        return re.sub(r"%(\d)", level_text, text).strip() + " "
