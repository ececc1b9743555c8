"""Section numbering: which lines are headings, which are items, and the section each is in.

Plans number their parts "I.", "1.", "1.1" / "3.1.", "a)" / "a.", and bullet with "-" or "+".
An item is one numbered, lettered or bulleted paragraph (or a plain paragraph), with the lines a
page break split off it joined back (a line that starts in lower case continues the one before).
Its section is the numbering as printed joined with dots from the top: "III.1.4", "IV.2", "4.2",
"V.1.a".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.ingest.reader import Document, Line
from knowledge.textnorm import fold

_ROMAN = re.compile(r"^(?P<num>[IVX]{1,5})\s*[.):]\s*(?P<body>\S.*)?$")
_DOTTED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})+)\.?\)?\s*(?P<body>\S.*)?$")
_ARABIC = re.compile(
    r"^(?P<num>\d{1,2})\s*[.)]\s*(?P<body>\S.*)?$|^(?P<num2>\d{1,2})\s+(?P<body2>\S.*)$"
)
_LETTER = re.compile(r"^(?P<num>[a-zđ])\s*[.)]\s+(?P<body>\S.*)$")
_BULLET = re.compile(r"^[-–—+•·▪●○◦*]\s*(?P<body>\S.*)$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
_FOOTER = re.compile(r"^(?:nơi nhận|noi nhan)\s*:?", re.IGNORECASE)
_CLOSING = re.compile(r"^trên đây là\b", re.IGNORECASE)
_APPENDIX = re.compile(r"^(?:phụ\s+lục|phu\s+luc)(?:\s+(?:số\s+)?[IVX\d]{1,4}\b)?\s*[:.]?(?:\s|$)",
                       re.IGNORECASE)
_FOOTNOTE = re.compile(r"^\[\d{1,2}\]\s")
APPENDIX = "Phụ lục"


def roman_value(text: str) -> int | None:
    """Value of a Roman numeral (I..XXXIX), or None when it is not one."""
    total, prev = 0, 0
    for ch in reversed(text):
        value = _ROMAN_VALUES.get(ch)
        if value is None:
            return None
        total += -value if value < prev else value
        prev = max(prev, value)
    return total if 0 < total < 40 else None


@dataclass
class Item:
    """One paragraph of the plan.

    Attributes:
        kind: "roman", "arabic", "dotted", "letter", "bullet", "heading" (a title with no
            number: a Word heading, or bold capitals) or "text".
        label: the number as printed ("III", "1", "1.4", "a"), None for bullets and text.
        body: the text after the number or bullet, continuation lines joined with one space.
        line: the line it starts on.
        path: the section numbers it is in, e.g. ("III", "1", "4").
        letter: the lettered item it is in, if any.
        heading: it reads as a title rather than content (short, no full stop).
        bold: the paragraph is bold in the .docx.
        spans: (line number, offset in ``body``) for each source line it covers.
        row: the cells of a table row.
        context: the title of the nearest section around it ("" when none).
    """

    kind: str
    label: str | None
    body: str
    line: int
    path: tuple[str, ...] = ()
    letter: str | None = None
    heading: bool = False
    bold: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)
    row: list[list[str]] | None = None
    context: str = ""

    @property
    def section(self) -> str:
        """The section as printed, joined with dots ("III.1.4", "V.1.a")."""
        parts = list(self.path)
        if self.letter:
            parts.append(self.letter)
        return ".".join(parts)

    @property
    def numbered(self) -> bool:
        """A Roman, Arabic or dotted number starts it."""
        return self.kind in ("roman", "arabic", "dotted")

    def line_at(self, offset: int) -> int:
        """The source line that holds character ``offset`` of ``body``."""
        line = self.line
        for no, start in self.spans:
            if start <= offset:
                line = no
        return line


@dataclass
class Outline:
    """The document split into its parts."""

    preamble: list[Item]
    body: list[Item]
    footer: list[Line]


def _classify(line: Line) -> tuple[str, str | None, str]:
    text = line.text
    m = _ROMAN.match(text)
    if m and roman_value(m.group("num")) and (m.group("body") or "").strip():
        body = m.group("body")
        if body[:1].isupper() or body[:1].isdigit():
            return "roman", m.group("num"), body
    m = _DOTTED.match(text)
    if m and m.group("body"):
        return "dotted", m.group("num"), m.group("body")
    m = _ARABIC.match(text)
    if m:
        num = m.group("num") or m.group("num2")
        body = m.group("body") or m.group("body2") or ""
        if body and not body[0].isdigit() and (m.group("num") or body[0].isupper()):
            return "arabic", num, body
    m = _LETTER.match(text)
    if m:
        return "letter", m.group("num"), m.group("body")
    m = _BULLET.match(text)
    if m and not text.startswith("**"):
        return "bullet", None, m.group("body")
    return "text", None, text


def _looks_like_heading(kind: str, body: str, bold: bool) -> bool:
    if kind == "roman":
        return True
    words = body.split()
    if kind in ("arabic", "dotted", "letter", "text") and bold and len(words) <= 25:
        return True
    if kind not in ("arabic", "dotted"):
        return False
    stripped = body.rstrip()
    return len(words) <= 16 and not stripped.endswith((".", ";", ",")) and ": " not in stripped


def outline(doc: Document) -> Outline:
    """Split ``doc`` into preamble, numbered body and footer (from "Nơi nhận"), as items.

    Args:
        doc: the document's lines.

    Returns:
        Its outline: items with their sections, and the title of each numbered section.
    """
    items: list[Item] = []
    footer: list[Line] = []
    roman: str | None = None
    path: tuple[str, ...] = ()
    letter: str | None = None
    started = False
    preamble_end = 0
    last: Item | None = None
    titles: dict[tuple[str, ...], str] = {}
    prefix: tuple[str, ...] = ()
    in_footer = False
    for line in doc.lines:
        if line.note:
            continue
        if started and _APPENDIX.match(line.text) and len(line.text) < 120 and line.cells is None:
            # an appendix after the signature ("PHỤ LỤC" + its title + a task table) is read too
            in_footer = False
            prefix = (_appendix_label(line.text),)
            roman, path, letter = None, prefix, None
            titles = {prefix: line.text}
            item = Item("heading", None, line.text, line.no, path, None, True, line.bold,
                        spans=[(line.no, 0)], context=line.text)
            items.append(item)
            last = None
            continue
        if _FOOTNOTE.match(line.text) and started:
            footer.append(line)
            last = None
            continue
        if in_footer or _FOOTER.match(line.text) or (
            started and _CLOSING.match(line.text) and not prefix
        ):
            in_footer = True
            footer.append(line)
            continue
        if not line.text:
            continue
        if line.cells is not None:
            items.append(Item("text", None, line.text, line.no, path, letter, row=line.cells,
                              spans=[(line.no, 0)], context=_context(titles, path)))
            last = None
            continue
        kind, label, body = _classify(line)
        if kind == "text" and _is_plain_heading(line):
            kind = "heading"  # a Word heading or a bold title in capitals, with no number
        if kind == "text" and last is not None and not line.bold and _continues(last, body):
            # a page break or a wrapped line: the paragraph goes on
            last.spans.append((line.no, len(last.body) + 1))
            last.body = f"{last.body} {body}"
            continue
        if kind in ("roman", "heading") or (kind in ("arabic", "dotted") and not started):
            started = True
        if kind == "roman":
            roman, path, letter = label, prefix + (label or "",), None
        elif kind == "heading":
            roman, path, letter = None, prefix, None
            titles = {prefix: body.rstrip(" :.")}
        elif kind == "arabic":
            path, letter = prefix + ((roman,) if roman else ()) + (label or "",), None
        elif kind == "dotted":
            dotted = tuple((label or "").split("."))
            path, letter = prefix + ((roman,) if roman else ()) + dotted, None
        elif kind == "letter":
            letter = label
        heading = _looks_like_heading(kind, body, line.bold or bool(line.heading))
        if kind in ("roman", "arabic", "dotted"):
            titles = {p: t for p, t in titles.items() if len(p) < len(path)}
            titles[path] = body.rstrip(" :.") if heading else ""
        item = Item(kind, label, body, line.no, path, letter, heading, line.bold,
                    spans=[(line.no, 0)], context=_context(titles, path))
        items.append(item)
        if not started:
            preamble_end = len(items)
        last = item
    return Outline(items[:preamble_end], items[preamble_end:], footer)


def _appendix_label(text: str) -> str:
    m = re.match(r"^\S+\s+\S+(?:\s+(?:số\s+)?([IVX\d]{1,4})\b)?", text)
    number = m.group(1) if m and m.group(1) else ""
    return f"{APPENDIX} {number}".strip()


def _continues(last: Item, body: str) -> bool:
    """Whether a line goes on with the paragraph before.

    A line in lower case, or one after a line with no final stop that starts with neither a
    capital nor a marker ("15/6 và cả năm ...").
    """
    if body[:1].islower():
        return True
    return not body[:1].isupper() and not last.body.rstrip().endswith((".", ";", ":", "!", "?"))


def _context(titles: dict[tuple[str, ...], str], path: tuple[str, ...]) -> str:
    while path:
        if titles.get(path):
            return titles[path]
        path = path[:-1]
    return titles.get((), "")


def _is_plain_heading(line: Line) -> bool:
    letters = [c for c in line.text if c.isalpha()]
    if not letters or len(line.text.split()) > 12:
        return False
    if re.match(r"^k[eế] ho[aạ]ch$", line.text, re.IGNORECASE):  # the title, not a section
        return False
    if line.heading is not None and line.heading >= 1:
        return True
    return line.bold and all(c.isupper() for c in letters)


_ASSIGNMENT = re.compile(r"\b(?:to chuc thuc hien|phan cong)\b")


def is_assignment_title(title: str) -> bool:
    """Whether a section title is the task-assignment part ("Tổ chức thực hiện", "Phân công")."""
    return bool(_ASSIGNMENT.search(fold(title)))


def scope_end(items: list[Item], start: int) -> int:
    """Index after the last item inside the section that ``items[start]`` heads."""
    head = items[start]
    for i in range(start + 1, len(items)):
        item = items[i]
        if head.kind in ("roman", "heading"):
            if item.kind in ("roman", "heading"):
                return i
        elif item.kind == "roman" or (item.numbered and len(item.path) <= len(head.path)):
            return i
    return len(items)
