"""Build .docx plan documents for the ingest tests and benchmark, as an office would type them:
a header table (issuer | national motto, number | date), the title as a heading, Roman sections
as headings, "1." items with Word's automatic numbering restarted in each section, bullets as a
bullet list, sub-numbers ("1.2", "a)") typed, the signature in a table, and the rows of a text
written with " | " between cells (an assignment table, an appendix after the signature) as a
Word table. "# key: value" notes at the top of a text are left out."""

from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

_ROMAN = re.compile(r"^[IVX]{1,5}\.\s+\S")
_ARABIC = re.compile(r"^(\d{1,2})\.?\s+(\S.*)$")
_BULLET = re.compile(r"^[-+]\s*(\S.*)$")
_DATE_LINE = re.compile(r"^[^,\d]{2,40}, ngày")
_NUMBER_LINE = re.compile(r"^Số\s*:")


def _abstract_of(word: WordDocument, style: str) -> str:
    num_id = word.styles[style].element.pPr.numPr.numId.val
    for num in word.part.numbering_part.element.findall(qn("w:num")):
        if num.get(qn("w:numId")) == str(num_id):
            return num.find(qn("w:abstractNumId")).get(qn("w:val"))
    raise LookupError(style)


def _restart(word: WordDocument, abstract_id: str, start: int) -> int:
    num = word.part.numbering_part.element.add_num(int(abstract_id))
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return int(num.get(qn("w:numId")))


def _number(paragraph: Paragraph, num_id: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_numId().val = num_id
    num_pr.get_or_add_ilvl().val = 0


def _paragraphs(text: str) -> list[str]:
    """The plan's paragraphs: blank lines dropped, page-break halves joined."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip().replace("*", "")
        if not line or (not out and re.match(r"^#\s+[\w-]+\s*:", line)):
            continue
        if out and line[:1].islower() and not re.match(r"^[a-zđ][.)]\s", line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def text_to_docx(text: str, path: Path, *, issuer: str = "ỦY BAN NHÂN DÂN") -> Path:
    """Write ``text`` (a plan as plain text) as a realistic .docx at ``path``."""
    word = docx.Document()
    paragraphs = _paragraphs(text)
    if paragraphs and " | " in paragraphs[0] and "CỘNG HÒA" in paragraphs[0]:
        issuer = paragraphs.pop(0).split(" | ")[0]  # "ỦY BAN … | CỘNG HÒA …": the header row
    if paragraphs and _NUMBER_LINE.match(paragraphs[0]) and " | " in paragraphs[0]:
        paragraphs[0:1] = paragraphs[0].split(" | ", 1)
    header = word.add_table(rows=2, cols=2)
    header.cell(0, 0).text = issuer
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    header.cell(0, 1).add_paragraph("Độc lập - Tự do - Hạnh phúc")
    top = [p for p in paragraphs[:3] if _DATE_LINE.match(p) or _NUMBER_LINE.match(p)]
    for p in top:
        paragraphs.remove(p)
        cell = header.cell(1, 0) if _NUMBER_LINE.match(p) else header.cell(1, 1)
        cell.text = p
    footer_at = next((i for i, p in enumerate(paragraphs) if p.startswith("Nơi nhận")),
                     len(paragraphs))
    body, footer = paragraphs[:footer_at], paragraphs[footer_at:]
    appendix_at = next((i for i, p in enumerate(footer) if re.match(r"^PHỤ LỤC\b", p)),
                       len(footer))
    footer, appendix = footer[:appendix_at], footer[appendix_at:]
    footer = [p for p in footer if not re.match(r"^\[\d+\]", p)]  # footnotes
    if footer and " | " in footer[0]:  # "Nơi nhận: … | TM. ỦY BAN … Nguyễn Văn A"
        received, signed = footer[0].split(" | ", 1)
        footer = [received, *_signature_lines(signed), *footer[1:]]
    _body(word, body)
    if footer:
        signature = [p for p in footer if p.isupper() or re.fullmatch(r"(?:\w+\s){1,4}\w+", p)]
        received = [p for p in footer if p not in signature]
        table = word.add_table(rows=1, cols=2)
        table.cell(0, 0).text = received[0] if received else ""
        for p in received[1:]:
            table.cell(0, 0).add_paragraph(p)
        table.cell(0, 1).text = signature[0] if signature else ""
        for p in signature[1:]:
            table.cell(0, 1).add_paragraph(p)
    _body(word, appendix)
    word.save(str(path))
    return path


def _signature_lines(text: str) -> list[str]:
    """"TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Văn A" → its lines."""
    words = text.split()
    n = 0
    while n < len(words) and not words[len(words) - 1 - n].isupper():
        n += 1
    titles = " ".join(words[: len(words) - n])
    parts = re.split(r"\s+(?=(?:TM|KT|TL)\.\s)|(?<=CHỦ TỊCH)\s+(?=PHÓ CHỦ TỊCH)", titles)
    return [p for p in parts if p] + [" ".join(words[len(words) - n:])]


def _body(word: WordDocument, paragraphs: list[str]) -> None:
    list_number = _abstract_of(word, "List Number")
    num_id: int | None = None
    rows: list[list[str]] = []
    for p in [*paragraphs, ""]:
        if " | " in p or p.endswith(" |"):
            rows.append([c.strip() for c in re.split(r"(?<!\S)\|(?!\S)", p)])
            continue
        if rows:  # a table, one row a line
            table = word.add_table(rows=0, cols=max(len(r) for r in rows))
            for values in rows:
                cells = table.add_row().cells
                if len(values) == 2 and len(cells) > 2 and values[0].isupper():
                    cells[0].text = values[0]  # a section row: number, then one merged cell
                    cells[1].merge(cells[-1]).text = values[1]
                    continue
                for cell, value in zip(cells, values, strict=False):
                    cell.text = value
            rows = []
        if not p:
            continue
        if re.fullmatch(r"KẾ HOẠCH", p):
            word.add_heading(p, level=0)
        elif _ROMAN.match(p):
            word.add_heading(p, level=1)
            num_id = None
        elif m := _ARABIC.match(p):
            if num_id is None:
                num_id = _restart(word, list_number, int(m.group(1)))
            para = word.add_paragraph(m.group(2), style="List Number")
            _number(para, num_id)
        elif m := _BULLET.match(p):
            word.add_paragraph(m.group(1), style="List Bullet")
        elif re.match(r"^\d+\.\d+", p) and len(p.split()) <= 16:
            word.add_paragraph().add_run(p).bold = True
        else:
            word.add_paragraph(p)
