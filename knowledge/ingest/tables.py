"""Assignment tables: "STT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian".

Each row a task of the unit in its lead column, with its date in the time column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.ingest.structure import Item
from knowledge.textnorm import fold

_CONTENT = re.compile(r"\b(?:noi dung|nhiem vu|cong viec|hoat dong)\b")
_LEAD = re.compile(r"\b(?:chu tri|don vi thuc hien|co quan thuc hien|phu trach|trach nhiem)\b")
_COOP = re.compile(r"\bphoi hop\b")
_TIME = re.compile(r"\b(?:thoi gian|thoi han|han|tien do)\b")


@dataclass
class Columns:
    """Which column holds what."""

    content: int
    lead: int
    coop: int | None
    time: int | None


def _columns(row: list[list[str]]) -> Columns | None:
    folded = [fold(" ".join(cell)) for cell in row]
    found: dict[str, int] = {}
    for i, text in enumerate(folded):
        if _LEAD.search(text) and "lead" not in found:
            found["lead"] = i
        elif _COOP.search(text) and "coop" not in found:
            found["coop"] = i
        elif _CONTENT.search(text) and "content" not in found:
            found["content"] = i
        elif _TIME.search(text) and "time" not in found:
            found["time"] = i
    if "content" not in found or "lead" not in found:
        return None
    return Columns(found["content"], found["lead"], found.get("coop"), found.get("time"))


def _cell(row: list[list[str]], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return " ".join(p for p in row[index] if p).strip()


@dataclass
class TableTask:
    """A row of an assignment table."""

    lead: str
    item: Item
    text: str
    cooperating: str
    time: str
    section: str = ""


def _is_section_row(item: Item) -> str | None:
    """A table's section row ("I | KIỆN TOÀN …", or "I. NÂNG CAO …" alone): its label."""
    if item.row is None:
        if item.kind == "roman":
            return item.label
        return "" if item.kind == "heading" else None
    cells = [c for c in item.row if c]
    if not cells or len(cells) > 2:
        return None
    first = " ".join(cells[0])
    m = re.match(r"^([IVX]{1,5}|[A-Z])\s*[.)]?$", first.strip())
    if m and len(cells) == 2:
        return m.group(1)
    m = re.match(r"^([IVX]{1,5}|[A-Z])\s*[.)]\s+\S", first.strip())
    return m.group(1) if m and len(cells) == 1 else None


def assignment_rows(body: list[Item]) -> list[TableTask]:
    """Every row of every assignment table in the document's body.

    A table's section rows (one merged cell, or a Roman number and a title in capitals) and the
    rows a page leaves out ("…………") do not end it; each row's section is the table's own
    numbering ("Phụ lục.II.3").
    """
    out: list[TableTask] = []
    cols: Columns | None = None
    part = ""
    for item in body:
        label = _is_section_row(item)
        if cols is not None and (label is not None or re.fullmatch(r"[.…\s]+", item.body)):
            if label is not None:  # a heading between rows is in the item's own section already
                part = label if item.row is not None else ""
            continue
        if item.row is None:
            cols = None
            continue
        header = _columns(item.row)
        if header is not None:
            cols, part = header, ""
            continue
        if cols is None:
            continue
        text = _cell(item.row, cols.content)
        lead = _cell(item.row, cols.lead)
        if text and lead:
            number = _cell(item.row, 0) if cols.content != 0 else ""
            base = item.section or ""
            parts = [p for p in (base, part,
                                 number if re.fullmatch(r"\d{1,3}", number) else "") if p]
            out.append(TableTask(lead, item, text, _cell(item.row, cols.coop),
                                 _cell(item.row, cols.time), ".".join(parts)))
    return out
