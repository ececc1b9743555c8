"""Facts in the body of a plan: legal bases, targets, hotlines, events and funding."""

from __future__ import annotations

import re

from knowledge.ingest.dates import find_ranges, parse_date
from knowledge.ingest.header import UPPER
from knowledge.ingest.structure import Item
from knowledge.ingest.units import expand
from knowledge.schema import Contact, Event, Funding, LegalBasis, Target
from knowledge.textnorm import clean, fold

_DOC_TYPES = (
    r"Thông tư liên tịch|Chương trình phối hợp|Chương trình hành động|Chỉ thị|Quyết định|Kế hoạch|"
    r"Nghị quyết|Nghị định|Thông tư|Công văn|Kết luận|Chương trình|Hướng dẫn|Tờ trình|Công điện|"
    r"Thông báo|Luật|Pháp lệnh|Văn bản|Phương án|Quy chế phối hợp|Quy chế|Đề án"
)
_NUMBER = r"\d{1,5}(?:/\d{4})?[/-][\wĐđ./&-]*[A-Za-zĐđ][\wĐđ&-]*"
_DOC_RE = re.compile(rf"\b(?P<type>{_DOC_TYPES})\s+(?:số\s+)?(?P<num>{_NUMBER})")
# "Các Công điện: số 007/CĐ-UBND ngày 17/11/2025, số 008/CĐ-UBND …": more of the same type.
_MORE_RE = re.compile(rf"[^;.]{{0,80}}?(?:,|;|và)\s*(?:số\s+)(?P<num>{_NUMBER})")
_PLURAL_RE = re.compile(rf"\b[Cc]ác\s+(?P<type>{_DOC_TYPES})\s*:?\s*(?:số\s+)(?P<num>{_NUMBER})")
_DOC_DATE = re.compile(
    r"^\s*,?\s*(?:ngày\s+)?(?P<date>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})"
)
_DOC_ISSUER = re.compile(
    r"^\s*(?:của|giữa)\s+(?P<issuer>.+?)(?=\s+(?:về|phê\s+duyệt|ban\s+hành|triển\s+khai|quy\s+định|"
    r"hướng\s+dẫn|trong|tại|đối\s+với)\b|[;,.(]|$)"
)
_CLAUSE_END = re.compile(
    rf";|\.(?:\s+(?=[{UPPER}])|\s*$)|\s+và\s+đề\s+nghị\b|,\s+(?=(?:Ủy ban|UBND|Ban Thường trực|"
    r"Sở|Phòng)\s)|\s+như\s+sau|\s*\((?:sau\s+đây|gọi\s+tắt)|\s+để\s+(?:triển\s+khai|thực\s+hiện)"
)
_PERCENT_RE = re.compile(
    r"(?:(?:dưới|trên|ít\s+nhất|tối\s+thiểu|tối\s+đa|khoảng|đạt|hơn)\s+)?\d+(?:[.,]\d+)?\s*%",
    re.IGNORECASE,
)
_HOTLINE_RE = re.compile(
    r"(?P<name>(?:Tổng|Tông)\s+đài[^()\d;,.]*?|Đường\s+dây[^()\d;,.]*?)\s*[(–\-:]?\s*(?:số\s+)?"
    r"(?P<number>\d{3,5}(?:\s?\d{3}){0,2})\b",
    re.IGNORECASE,
)
_HOTLINE_NAMED_RE = re.compile(
    r"(?P<name>đường\s+dây\s+nóng\b[^;,.()]*?\bcủa\s+[^;,.()]+)", re.IGNORECASE
)

# --- facts in the body ------------------------------------------------------------------------


def legal_bases(items: list[tuple[Item, str]]) -> list[LegalBasis]:
    """Every document cited with its number ("Chỉ thị số 23/CT-TTg ngày 26/5/2020 của ...").

    Args:
        items: (item, section) pairs — preamble items with section "".
    """
    out: list[LegalBasis] = []
    seen: set[str] = set()
    for item, section in items:
        text = item.body
        found = [(m.start(), m.end(), m.group("type"), m.group("num"), m)
                 for m in _DOC_RE.finditer(text)]
        found += [(m.start("num"), m.end(), m.group("type"), m.group("num"), m)
                  for m in _PLURAL_RE.finditer(text)]
        more = []
        for _start, end, kind, _, _ in found:
            at = end
            while (m := _MORE_RE.match(text, at)) and not _DOC_RE.match(text, m.start("num") - 4):
                more.append((m.start("num"), m.end(), kind, m.group("num"), m))
                at = m.end()
        found = sorted({f[0]: f for f in found + more}.values(), key=lambda f: f[0])
        for start, _end, kind, number, m in found:
            number = number.rstrip(".,;-")
            if number in seen:
                continue
            clause_end = _CLAUSE_END.search(text, m.end())
            title = text[start : clause_end.start() if clause_end else len(text)].strip(" ,")
            if not title.startswith(kind):  # "số 008/CĐ-UBND …" of "Các Công điện: …"
                title = text[max(0, start - 3) : start] + title if text[max(0, start - 3) :
                                                                         start] == "số " else title
            after = text[m.end():]
            date = None
            dm = _DOC_DATE.match(after)
            if dm:
                date = parse_date(dm.group("date"))
                after = after[dm.end():]
            im = _DOC_ISSUER.match(after)
            issuer = expand(im.group("issuer").strip()) if im else None
            seen.add(number)
            out.append(LegalBasis(
                section=section, line=item.line_at(start), number=number, date=date,
                issuer=issuer, title=title, review=True,
            ))
    return out


def targets(item: Item, kind: str) -> list[Target]:
    """Targets of one item: one per part with a percentage, or the item itself."""
    text = item.body
    values = list(_PERCENT_RE.finditer(text))
    if len(values) > 1 and ";" in text:
        out = []
        at = 0
        for part in text.split(";"):
            start = at + len(part) - len(part.lstrip())
            at += len(part) + 1
            piece = part.strip()
            value = _PERCENT_RE.search(piece)
            if piece:
                out.append(Target(
                    section=item.section, line=item.line_at(start), kind=kind,
                    text=piece + (";" if at <= len(text) else ""),
                    value=clean(value.group(0)) if value else None, review=True,
                ))
        return out
    return [Target(section=item.section, line=item.line, kind=kind, text=text,
                   value=clean(values[0].group(0)) if values else None, review=True)]


def contacts(item: Item) -> list[Contact]:
    """Hotlines named in an item (111, 18001567, "đường dây nóng ... của Trung tâm ...")."""
    out: list[Contact] = []
    for m in _HOTLINE_RE.finditer(item.body):
        name = clean(m.group("name")).strip(" (–-:")
        name = re.sub(r"\s+số$", "", name)
        number = re.sub(r"\s", "", m.group("number"))
        out.append(Contact(section=item.section, line=item.line_at(m.start()), name=name,
                           number=number, text=item.body, review=True))
    for m in _HOTLINE_NAMED_RE.finditer(item.body):
        name = clean(m.group("name"))
        if len(name.split()) <= 3 or any(fold(c.name) in fold(name) for c in out):
            continue
        if any(name.startswith(c.name) or c.name.startswith(name) for c in out):
            continue
        out.append(Contact(section=item.section, line=item.line_at(m.start()),
                           name=name[:1].upper() + name[1:], number=None, text=item.body,
                           review=True))
    return out


def events(item: Item, year: int) -> list[Event]:
    """Periods "từ 01/6 đến 30/6" named in an item, with the name of what happens."""
    out: list[Event] = []
    ranges, _ = find_ranges(item.body, year)
    for r in ranges:
        before = item.body[: r.start].rstrip(" (")
        name = re.split(r"[.;:]\s", before)[-1]
        name = re.sub(r"^(?:Tổ\s+chức|Triển\s+khai|Phát\s+động|Hưởng\s+ứng)\s+", "", name).strip()
        if not name:
            continue
        out.append(Event(section=item.section, line=item.line, name=name[:1].upper() + name[1:],
                         start=r.start_date, end=r.end_date, text=item.body, review=True))
    return out


def funding(item: Item) -> Funding:
    """A funding source."""
    return Funding(section=item.section, line=item.line, text=item.body, review=True)
