"""Reading a plan document into numbered lines: a text file as is, a .docx paragraph by paragraph,
a PDF page by page (its text layer), a legacy .doc through LibreOffice.

For a .docx the source text the draft cites is the extracted text, one paragraph a line, tables
one row a line (cells joined with " | "). Word's automatic numbering is not part of a paragraph's
text, so it is rebuilt from the document's numbering definitions ("I.", "1.", "a)", "-"). A text
file written that way reads back the same: a line with " | " is a table row, and "# key: value"
lines at its top are notes about the file, not part of the plan.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.textnorm import clean

logger = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
SUPPORTED = (".docx", ".txt", ".text", ".md", ".pdf", ".doc")
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


def _plain(raw: str) -> str:
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
            cells = [[_plain(part)] if _plain(part) else [] for part in parts]
            while cells and not cells[-1]:
                cells.pop()
            if sum(1 for c in cells if c) < 1:
                cells = None
        doc.lines.append(Line(no=i, raw=raw, text=_plain(raw), cells=cells))
    return doc


def read_document(path: Path, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read ``path`` (.docx or text) into a :class:`Document`.

    Args:
        path: the file.
        max_bytes: larger files are refused.

    Returns:
        The document's lines.

    Raises:
        IngestError: the file is missing, empty, too large, corrupt or of another type.
    """
    try:
        if not path.is_file():
            raise IsADirectoryError(21, "không phải một tệp") if path.exists() else (
                FileNotFoundError(2, "không có tệp này")
            )
        _check_size(path.stat().st_size, path.name, max_bytes)
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(
            f"Không mở được {path}: {exc.strerror or exc}. (Cannot open {path.name}.)"
        ) from exc
    return read_bytes(data, path.name, max_bytes=max_bytes)


def _check_size(size: int, name: str, max_bytes: int) -> None:
    if size >= max_bytes:
        raise IngestError(
            f"Tệp {name} quá lớn ({size / 1024 / 1024:.1f} MB); chỉ nhận tệp dưới "
            f"{max_bytes / 1024 / 1024:.0f} MB. (File too large.)"
        )


def read_bytes(
    data: bytes, name: str, *, max_bytes: int = MAX_BYTES, office: str | None = None
) -> Document:
    """Read a document's bytes; ``name`` (its file name) tells the type.

    Args:
        data: the file's bytes.
        name: its file name.
        max_bytes: larger files are refused.
        office: the LibreOffice program that converts a legacy .doc (default: ``soffice`` or
            ``libreoffice`` on the PATH; "" for none).

    Raises:
        IngestError: see :func:`read_document`.
    """
    _check_size(len(data), name, max_bytes)
    suffix = Path(name).suffix.lower()
    if not data.strip():
        raise IngestError(f"Tệp {name} rỗng, không có nội dung. (The file is empty.)")
    if suffix == ".doc" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _read_doc(data, name, office)
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        return _read_pdf(data, name)
    if suffix == ".docx" or data[:4] == b"PK\x03\x04":
        return _read_docx(data, name)
    if suffix and suffix not in SUPPORTED:
        raise IngestError(
            f"Không đọc được loại tệp {suffix}: chỉ nhận .docx, .doc, .pdf hoặc .txt. "
            "(Unsupported file type.)"
        )
    if b"\x00" in data[:4096]:
        raise IngestError(
            f"Tệp {name} không phải văn bản (có byte nhị phân). (Not a text file.)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"Tệp {name} không phải văn bản UTF-8 (byte {exc.start}). Hãy lưu lại với mã "
            "UTF-8. (Not UTF-8 text.)"
        ) from exc
    if not text.strip():
        raise IngestError(f"Tệp {name} rỗng, không có nội dung. (The file is empty.)")
    return from_text(text, name)


# --- PDF and legacy .doc ----------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?\s*$",
                          re.IGNORECASE)


def _read_pdf(data: bytes, name: str) -> Document:
    """A PDF's text layer, page by page, one printed line a line (page numbers dropped)."""
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        pdf = pypdf.PdfReader(io.BytesIO(data))
        if pdf.is_encrypted and not pdf.decrypt(""):
            raise IngestError(
                f"Tệp {name} là PDF có mật khẩu: hãy gỡ mật khẩu (hoặc gửi tệp Word gốc) rồi gửi "
                "lại. (Password-protected PDF.)"
            )
        pages = [page.extract_text() or "" for page in pdf.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise IngestError(
            f"Tệp {name} bị hỏng hoặc không phải PDF, không đọc được. (Corrupt PDF: "
            f"{type(exc).__name__}.)"
        ) from exc
    except Exception as exc:  # pypdf raises many kinds on damaged files
        logger.warning("cannot read %s as PDF", name, exc_info=True)
        raise IngestError(
            f"Tệp {name} bị hỏng, không đọc được nội dung PDF. (Corrupt PDF: "
            f"{type(exc).__name__}.)"
        ) from exc
    lines: list[str] = []
    for page in pages:
        for raw in page.splitlines():
            raw = raw.rstrip()
            if raw.strip() and not _PAGE_NUMBER.match(raw):
                lines.append(raw.strip())
    letters = sum(1 for line in lines for c in line if c.isalpha())
    if letters < 40 * max(1, len(pages)) // 4:
        raise IngestError(
            f"Tệp {name} là PDF scan (ảnh chụp), không có lớp chữ để đọc. Hãy gửi tệp Word gốc, "
            "hoặc chạy nhận dạng chữ (OCR) để có PDF có chữ rồi gửi lại. (Scanned PDF with no "
            "text layer.)"
        )
    return from_text("\n".join(lines) + "\n", name)


def _encrypted_office(data: bytes) -> bool:
    try:
        import msoffcrypto

        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # not an OLE file msoffcrypto knows: let the converter decide
        return False


def office_program() -> str | None:
    """The LibreOffice program on the PATH (``soffice`` or ``libreoffice``), if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _read_doc(data: bytes, name: str, office: str | None) -> Document:
    """A legacy Word .doc, converted to .docx by LibreOffice when it is installed."""
    if _encrypted_office(data):
        raise IngestError(
            f"Tệp {name} có mật khẩu: hãy mở bằng Word, gỡ mật khẩu, lưu lại thành .docx rồi "
            "gửi lại. (Password-protected Office file.)"
        )
    program = office_program() if office is None else office
    if not program:
        raise IngestError(
            f"Tệp {name} là định dạng Word cũ (.doc). Để trợ lý tự chuyển đổi, cần cài "
            "LibreOffice (ví dụ: apt-get install libreoffice-writer); hoặc mở tệp bằng Word, "
            "chọn Lưu thành .docx rồi gửi lại. (Legacy .doc: install LibreOffice or save as "
            ".docx.)"
        )
    with tempfile.TemporaryDirectory(prefix="kehoach-doc-") as tmp:
        source = Path(tmp) / "van-ban.doc"
        source.write_bytes(data)
        try:
            subprocess.run(
                [program, "--headless", "--convert-to", "docx", "--outdir", tmp, str(source)],
                check=True, capture_output=True, timeout=180,
            )
            converted = (Path(tmp) / "van-ban.docx").read_bytes()
        except (OSError, subprocess.SubprocessError) as exc:
            logger.warning("LibreOffice could not convert %s", name, exc_info=True)
            raise IngestError(
                f"Không chuyển được tệp {name} (.doc) sang .docx bằng LibreOffice: tệp có thể "
                "bị hỏng hoặc có mật khẩu. Hãy mở bằng Word và lưu lại thành .docx. (Cannot "
                "convert the .doc file.)"
            ) from exc
    return _read_docx(converted, name)


# --- .docx ------------------------------------------------------------------------------------


def _read_docx(data: bytes, name: str) -> Document:
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
                    no=len(doc.lines) + 1, raw=raw, text=_plain(raw), bold=_is_bold(block),
                    heading=_heading_level(block),
                )
            )
        else:
            for row in _rows(block, numbering):
                raw = " | ".join(" ".join(p for p in cell if p) for cell in row if any(cell))
                doc.lines.append(
                    Line(no=len(doc.lines) + 1, raw=raw, text=_plain(raw), cells=[
                        [_plain(p) for p in cell if p.strip()] for cell in row
                    ])
                )
    if not any(line.text for line in doc.lines):
        raise IngestError(f"Tệp {name} không có chữ nào. (The document has no text.)")
    return doc


def _blocks(word):
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def walk(parent_el):
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


def _para_text(paragraph) -> str:
    return paragraph.text.replace("\n", " ").replace("\t", " ").rstrip()


def _rows(table, numbering: _Numbering) -> list[list[list[str]]]:
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


def _is_bold(paragraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    if not runs:
        return False
    style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
    return all(r.bold or (r.bold is None and style_bold) for r in runs)


def _heading_level(paragraph) -> int | None:
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

    def __init__(self, word) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self.abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
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
                start = self._val(override, "w:startOverride")
                if start is not None:
                    overrides[int(override.get(qn("w:ilvl"), "0"))] = int(start)
            self.nums[num.get(qn("w:numId"))] = (abstract_id, overrides)

    def _val(self, el, tag: str) -> str | None:
        child = el.find(self._qn(tag))
        return None if child is None else child.get(self._qn("w:val"))

    def _num_pr(self, paragraph) -> tuple[str, int] | None:
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

    def prefix(self, paragraph) -> str:
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
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        if fmt == "bullet" or fmt == "none":
            return "- " if fmt == "bullet" else ""

        def level_text(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            lfmt, _, lstart = levels.get(level, ("decimal", "", 1))
            value = counters[level] if counters[level] is not None else lstart
            return _format(value, lfmt)

        return re.sub(r"%(\d)", level_text, text).strip() + " "
