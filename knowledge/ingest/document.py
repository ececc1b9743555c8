"""A plan document as numbered lines (:class:`Document`), and how plain text becomes one.

A text file is read as is: a line with " | " is a table row (cells split there) and
"# key: value" lines at its top are notes about the file, not part of the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.textnorm import clean

_CELL_SEP = " | "
_META = re.compile(r"^#\s+[\w-]+\s*:")
_EMPHASIS = re.compile(r"\*{1,3}(?=\S)|(?<=\S)\*{1,3}")


class IngestError(ValueError):
    """A document that cannot be ingested. ``str()`` is a message for the officer (vi / en)."""


@dataclass
class Line:
    """One line of the source text.

    Attributes:
        no: 1-based line number in the source text.
        raw: the line as written to the source text.
        text: the line cleaned for parsing (NFC, single spaces, emphasis markers dropped).
        bold: the whole paragraph is bold (a .docx heading without numbering).
        heading: Word heading level (1 for "Heading 1"), if any.
        cells: for a table row, the paragraphs of each cell.
        note: a note about the file ("# source: ..."), not part of the document.
    """

    no: int
    raw: str
    text: str
    bold: bool = False
    heading: int | None = None
    cells: list[list[str]] | None = None
    note: bool = False


@dataclass
class Document:
    """A document as numbered lines."""

    name: str
    lines: list[Line] = field(default_factory=list)

    @property
    def source_text(self) -> str:
        """The text to write beside the draft (what the draft's ``line`` numbers count)."""
        return "\n".join(line.raw for line in self.lines) + "\n"

    def virtual_lines(self) -> list[tuple[int, str]]:
        """Every line, with a table row split into its cells' paragraphs (same line number)."""
        out: list[tuple[int, str]] = []
        for line in self.lines:
            if line.note:
                continue
            if line.cells:
                out.extend((line.no, t) for cell in line.cells for t in cell if t)
            else:
                out.append((line.no, line.text))
        return out


def plain(raw: str) -> str:
    """The line cleaned for parsing: NFC, single spaces, emphasis markers dropped."""
    return clean(_EMPHASIS.sub("", raw))


def from_text(text: str, name: str = "document.txt") -> Document:
    """Build a :class:`Document` from plain text (lines kept as they are).

    A line with " | " is a table row (its cells split there); "# key: value" lines before the
    document starts are notes about the file, kept in the source text but not read as the plan.
    """
    raw_lines = text.splitlines()
    doc = Document(name=name)
    started = False
    for i, raw in enumerate(raw_lines, start=1):
        if not started and _META.match(raw):
            doc.lines.append(Line(no=i, raw=raw, text="", note=True))
            continue
        started = started or bool(raw.strip())
        cells = None
        if _CELL_SEP in raw or raw.rstrip().endswith(" |"):
            parts = re.split(r"\s*(?<!\S)\|(?!\S)\s*", raw.strip())
            cells = [[plain(part)] if plain(part) else [] for part in parts]
            while cells and not cells[-1]:
                cells.pop()
            if sum(1 for c in cells if c) < 1:
                cells = None
        doc.lines.append(Line(no=i, raw=raw, text=plain(raw), cells=cells))
    return doc
