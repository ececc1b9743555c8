"""Deadlines: the sentences of a plan that set a date (or explicitly none).

For a report, a plan or a task, with who submits, to whom and through whom.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from knowledge.ingest.dates import (
    _RELATIVE,
    BadDate,
    find_ranges,
    find_rules,
    first_occurrence_year,
    time_rule,
)
from knowledge.ingest.roles import UnitKeys, find_mentions
from knowledge.ingest.structure import Item
from knowledge.ingest.units import expand, is_org, split_units
from knowledge.schema import DateRule, Deadline
from knowledge.textnorm import clean, fold

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤ])")
# Reports the plan asks for without a date: (pattern, period, needs "báo cáo" just before).
_NONE_RULES = [
    (re.compile(r"báo\s+cáo\s+đột\s+xuất(?:\s*\((?:khi|theo)\s+(?:có\s+)?yêu\s+cầu\))?",
                re.IGNORECASE), "đột xuất", False),
    (re.compile(r"(?:khi|theo)\s+(?:có\s+)?yêu\s+cầu", re.IGNORECASE), "đột xuất", True),
    (re.compile(r"nếu\s+có\s+(?:khó\s+khăn,\s*)?vướng\s+mắc", re.IGNORECASE), "đột xuất", False),
    (re.compile(r"định\s+kỳ\s+báo\s+cáo|báo\s+cáo[^.;]{0,60}?định\s+kỳ(?:\s+\d+\s+tháng"
                r"(?:\s+và\s+\d+\s+năm)?)?", re.IGNORECASE), None, False),
]
_REPORT_WORDS = re.compile(r"\bbáo\s+cáo\b", re.IGNORECASE)
_TO_RE = re.compile(r"\b(?:gửi(?:\s+về)?|nộp(?:\s+về)?|về)\s+", re.IGNORECASE)
_RECIPIENT_RE = re.compile(
    r"(?P<r>[^()]+?)"
    r"(?=\s*\(|\s+qua\s|\s+để\s|\s+trước\s|\s+vào\s|\s+tổng\s+hợp|\s+theo\s|[;.]|$)",
    re.IGNORECASE,
)
_REPORT_TO_RE = re.compile(
    r"báo\s+cáo\s+(?P<r>(?:Ủy|UBND|UB|Sở|Ban|Bộ|Phòng|Thường|Huyện|Tỉnh)[^()]+?)"
    r"(?=\s*\(|\s+qua\s|\s+để\s|\s+trước\s|\s+vào\s|\s+về\s|[;.]|$)",
)
_VIA_RE = re.compile(r"\(?\s*\bqua\s+(?P<v>[^)]+?)\s*(?:\)|\s+để\s|[;.,]|$)", re.IGNORECASE)
_SUBJECT_STOP = re.compile(
    r"\s(?:căn\s+cứ|chủ\s+động|xây\s+dựng|báo\s+cáo|gửi|thực\s+hiện|tổng\s+hợp|định\s+kỳ|có\s+trách"
    r"\s+nhiệm|chịu\s+trách\s+nhiệm|triển\s+khai|tổ\s+chức|nộp)\b",
    re.IGNORECASE,
)


@dataclass
class Sentence:
    """A sentence of an item, with the line it starts on."""

    text: str
    line: int


def sentences(item: Item) -> list[Sentence]:
    """Split an item's text into sentences, each with its starting line."""
    out: list[Sentence] = []
    start = 0
    body = item.body
    for m in _SENTENCE_END.finditer(body):
        out.append(Sentence(body[start : m.start()].strip(), item.line_at(start)))
        start = m.end()
    out.append(Sentence(body[start:].strip(), item.line_at(start)))
    return [s for s in out if s.text]


def _clip_org(text: str) -> str:
    parts = re.split(r",\s+", text)
    kept = [parts[0]]
    for part in parts[1:]:
        if is_org(part):
            kept.append(part)
        else:
            break
    return ", ".join(kept).strip(" ,*")


def recipient_of(text: str, level: str, locality: str) -> tuple[str, str | None]:
    """To whom and through whom a sentence sends something ("" when it does not say)."""
    recipient = ""
    for to in _TO_RE.finditer(text):
        m = _RECIPIENT_RE.match(text, to.end())
        candidate = m.group("r").strip(" ,*") if m else ""
        if candidate and is_org(candidate):
            recipient = _clip_org(candidate)
            break
    if not recipient:
        m = _REPORT_TO_RE.search(text)
        if m:
            recipient = m.group("r").strip(" ,*")
    via = None
    m = _VIA_RE.search(text)
    if m and is_org(m.group("v")):
        via = clean(m.group("v").strip(" *"))
    recipient = expand(recipient)
    # "Ủy ban nhân dân quận" in a plan of Quận 3 is "Ủy ban nhân dân Quận 3"
    if level and locality:
        m = re.match(rf"^(Ủy ban nhân dân)\s+{re.escape(level)}$", recipient, re.IGNORECASE)
        if m and fold(locality).startswith(fold(level)):
            recipient = f"{m.group(1)} {locality}"
    return recipient, via


def subject_of(text: str) -> str:
    """Who the sentence is about: its words before the first verb ("Các đơn vị ... và ...")."""
    text = re.sub(r"^(?:\d+\.\s*)?(?:Căn\s+cứ|Trên\s+cơ\s+sở|Trong\s+quá\s+trình)[^,]*,\s*", "",
                  text)
    m = _SUBJECT_STOP.search(text)
    subject = text[: m.start()] if m else ""
    subject = subject.strip(" ,;:")
    if not subject or len(subject.split()) > 30:
        return ""
    if not (is_org(subject) or re.match(r"^(?:các|tất\s+cả|toàn\s+bộ|mỗi)\b", subject, re.I)):
        return ""
    return subject[:1].upper() + subject[1:]


@dataclass
class Context:
    """What a deadline needs to know about the plan being read."""

    year: int
    plan_start: dt.date | None
    level: str
    locality: str
    issuer: str


@dataclass
class Found:
    """Deadlines found in one sentence and the dates that could not be read."""

    deadlines: list[Deadline]
    bad: list[BadDate]


def _kind(text: str, period: str | None) -> str:
    low = text.lower()
    if period in ("6 tháng", "9 tháng", "năm") or _REPORT_WORDS.search(text):
        return "report"
    if "kế hoạch" in low and ("gửi" in low or "xây dựng" in low):
        return "plan"
    if "gửi" in low or "tổng hợp" in low or "nộp" in low:
        return "report"
    return "task"


def title_for(kind: str, period: str | None, text: str) -> str:
    """The title of a deadline of this kind and period, from the sentence that sets it."""
    if kind == "report":
        if period == "đột xuất":
            return "Báo cáo đột xuất"
        if period:
            what = "sơ kết" if "sơ kết" in text.lower() and period != "năm" else ""
            return " ".join(x for x in ("Báo cáo", what, period, "kết quả thực hiện") if x)
        return "Báo cáo kết quả thực hiện"
    if kind == "plan":
        return "Gửi kế hoạch triển khai thực hiện"
    words = text.split()
    return " ".join(words[:10]).rstrip(",;.") + ("…" if len(words) > 10 else "")


def find_deadlines(
    sentence: Sentence,
    item: Item,
    ctx: Context,
    *,
    submitters: list[str],
    submitters_text: str,
) -> Found:
    """Deadlines set by one sentence.

    Args:
        sentence: the sentence.
        item: the item it is in (for the section).
        ctx: the plan's year, start, level and locality.
        submitters: unit ids that submit (the unit whose task this is, or those the subject
            names).
        submitters_text: who submits, as written.

    Returns:
        Its deadlines (one per date, plus "none" rules for "khi có yêu cầu" and the like).
    """
    text = sentence.text
    rules, bad = find_rules(text, ctx.year)
    out: list[Deadline] = []
    recipient, via = recipient_of(text, ctx.level, ctx.locality)
    for rule in rules:
        if rule.kind == "yearly":
            first = first_occurrence_year(rule.month, rule.day, ctx.year, ctx.plan_start)
            date_rule = DateRule(kind="yearly", month=rule.month, day=rule.day, first_year=first,
                                 text=rule.text)
        else:
            date_rule = DateRule(kind="once", date=rule.date, text=rule.text)
        kind = _kind(text, rule.period)
        out.append(Deadline(
            id="d", section=item.section, line=sentence.line,
            title=title_for(kind, rule.period, text), kind=kind, period=rule.period,
            rule=date_rule,
            submitters=submitters, submitters_text=submitters_text, recipient=recipient,
            via=via, text=text, review=True,
        ))
    taken = [(r.start, r.end) for r in rules]
    for pattern, period, near in _NONE_RULES:
        for m in pattern.finditer(text):
            if any(a <= m.start() < b or m.start() <= a < m.end() for a, b in taken):
                continue
            if period is None and rules:
                continue  # "định kỳ ..." with dates is already read
            if not _REPORT_WORDS.search(text[max(0, m.start() - 80) : m.start()] if near
                                        else text):
                continue
            taken.append((m.start(), m.end()))
            out.append(Deadline(
                id="d", section=item.section, line=sentence.line,
                title="Báo cáo đột xuất" if period else "Báo cáo định kỳ",
                kind="report", period=period,
                rule=DateRule(kind="none", text=clean(m.group(0))),
                submitters=submitters, submitters_text=submitters_text,
                recipient=recipient, via=via, text=text, review=True,
            ))
    extra = _other_rules(text, ctx, taken, bool(rules))
    if any(r.kind in ("monthly", "quarterly", "daily") for r, _ in extra):
        # "định kỳ hằng tháng … báo cáo": the dated rule says it, not a dateless one too
        out = [d for d in out if not (d.rule.kind == "none" and d.period is None)]

    def make(rule: DateRule, title: str, kind: str, period: str | None) -> Deadline:
        return Deadline(
            id="d", section=item.section, line=sentence.line, title=title, kind=kind,
            period=period, rule=rule, submitters=submitters, submitters_text=submitters_text,
            recipient=recipient, via=via, text=text, review=True,
        )

    for extra_rule, period in extra:
        kind = "report" if _REPORT_WORDS.search(text) else "task"
        every = {"ngày": "Báo cáo hằng ngày", "tháng": "Báo cáo hằng tháng",
                 "quý": "Báo cáo hằng quý"}
        title = every.get(period or "", "") if kind == "report" else ""
        title = title or title_for(kind, None, text)
        out.append(make(extra_rule, title, kind, period))
    return Found(out, bad)


_DAILY = re.compile(
    r"(?:trước\s+(?P<h>\d{1,2})\s*(?:h|giờ)\s*(?P<mi>\d{2})?\s*[’'′]?\s*)?(?:hằng|hàng|mỗi)\s+ngày"
    r"|(?P<n>\d{1,2})\s*lần\s*/\s*ngày(?:\s*\((?P<times>[^)]*)\))?",
    re.IGNORECASE,
)
_MONTHLY = re.compile(
    r"\b(?:trước|vào|chậm\s+nhất)\s+ngày\s+(?P<d>\d{1,2})\s+(?:hằng|hàng|mỗi|của\s+mỗi)\s+tháng\b"
    r"|\b(?:hằng|hàng|mỗi)\s+tháng[^.;]{0,40}?\b(?:trước|vào|chậm\s+nhất)\s+ngày\s+(?P<d2>\d{1,2})"
    r"(?!\s*[/.-]\s*\d|\s+tháng)",
    re.IGNORECASE,
)
_QUARTERLY = re.compile(
    r"\b(?:hằng|hàng|mỗi)\s+quý[^.;]{0,40}?\b(?:trước|vào|chậm\s+nhất)\s+ngày\s+(?P<d>\d{1,2})"
    r"(?:\s+(?:của\s+)?tháng\s+(?P<which>cuối|đầu|giữa|thứ\s+hai)(?:\s+(?:của\s+)?quý)?)?"
    r"(?!\s*[/.-]\s*\d)",
    re.IGNORECASE,
)
_DUE_WORDS = re.compile(r"\b(?:hoàn\s+thành|kiểm\s+tra|báo\s+cáo|nộp|gửi|tổ\s+chức\s+thi)\b",
                        re.IGNORECASE)
_CLOCK = re.compile(r"(?P<h>\d{1,2})\s*(?:h|giờ)\s*(?P<mi>\d{2})?", re.IGNORECASE)
_REPORT_NOW = re.compile(r"\bbáo\s+cáo\s+ngay\b", re.IGNORECASE)
_FROM_DATE = re.compile(
    r"\btừ\s+ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})"
    r"(?!\s*(?:đến|tới|-|–))|\btừ\s+ngày\s+(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>\d{4})"
    r"(?!\s*(?:đến|tới|-|–))",
    re.IGNORECASE,
)
# "báo cáo" as what a unit does: to someone, its results, by the rules, regularly.
_REPORTS = re.compile(
    r"\bbáo\s+cáo\s+(?:(?:kết\s+quả|tình\s+hình|về|cho|lên|gửi)\b|(?:Ủy|UBND|UB|Sở|Ban|Bộ|Phòng|"
    r"Thường|cấp|Chủ|Hội|Trung)\b)|\b(?:tổng\s+hợp,?\s+)?báo\s+cáo\b[^.;]{0,120}?\b(?:theo\s+quy"
    r"\s+định|định\s+kỳ)\b|\b(?:định\s+kỳ|hằng\s+năm|hàng\s+năm)[^.;]{0,40}?\bbáo\s+cáo\b",
)


def _other_rules(
    text: str, ctx: Context, taken: list[tuple[int, int]], dated: bool
) -> list[tuple[DateRule, str | None]]:
    """Daily reports, relative deadlines, "từ ngày …" and reports with no date."""
    out: list[tuple[DateRule, str | None]] = []
    m: re.Match[str] | None
    for m in _MONTHLY.finditer(text):
        day = int(m.group("d") or m.group("d2"))
        if 1 <= day <= 31:
            out.append((DateRule(kind="monthly", day=day, text=clean(m.group(0))), "tháng"))
            taken.append((m.start(), m.end()))
    for m in _QUARTERLY.finditer(text):
        day = int(m.group("d"))
        which = fold(m.group("which") or "cuoi")
        month = 1 if which.startswith("dau") else 2 if which.startswith(("giua", "thu hai")) else 3
        if 1 <= day <= 31:
            said = clean(m.group(0))
            if said.count("(") > said.count(")") and text[m.end():].lstrip().startswith(")"):
                said += ")"  # "hằng quý (trước ngày 20 tháng cuối quý)"
            out.append((DateRule(kind="quarterly", day=day, month=month, text=said), "quý"))
            taken.append((m.start(), m.end()))
    if out:
        return out
    for m in _DAILY.finditer(text):
        if not _REPORT_WORDS.search(text):
            break
        times = []
        if m.group("h"):
            times = [(m.group("h"), m.group("mi"))]
        elif m.group("times"):
            times = [(c.group("h"), c.group("mi")) for c in _CLOCK.finditer(m.group("times"))]
        rule_text = clean(m.group(0))
        for h, mi in times or [(None, None)]:
            at = f"{int(h):02d}:{int(mi or 0):02d}" if h and int(h) < 24 else None
            out.append((DateRule(kind="daily", time=at, text=rule_text), "ngày"))
        taken.append((m.start(), m.end()))
        break
    if not dated:
        m = _FROM_DATE.search(text)
        if m:
            d, mo, y = (m.group("d") or m.group("d2"), m.group("m") or m.group("m2"),
                        m.group("y") or m.group("y2"))
            starts = dt.date(int(y), int(mo), int(d)) if 1 <= int(mo) <= 12 else None
            if starts is not None:  # "bảo đảm từ ngày 01/01/2026 … được thực hiện": ready by then
                out.append((DateRule(kind="once", date=starts, text=clean(m.group(0))), None))
                dated = True
    if not out and not dated:
        m = _RELATIVE.search(text) or _REPORT_NOW.search(text)
        if m and m.group(0).lower().startswith("sau khi") and (
            len(m.group(0).split()) > 6 or text[m.end():].strip(" .;")
        ):
            m = None  # "… sau khi chấp hành án phạt tù có thời hạn …" is no deadline
        if m and not m.group(0).lower().startswith("khi có"):
            time = time_rule(m.group(0), ctx.year)
            days = time.days if time else None
            after = time.after if time else None
            out.append((DateRule(kind="relative", days=days, after=after,
                                 text=clean(m.group(0))), None))
    if not out and not dated:
        ranges, _ = find_ranges(text, ctx.year)
        if ranges and _DUE_WORDS.search(text):  # "kiểm tra từ ngày 08 đến ngày 10 tháng 12"
            r = ranges[0]
            out.append((DateRule(kind="period", start=r.start_date, date=r.end_date,
                                 text=r.text), None))
            dated = True
    if not out and not dated and not taken:
        m = _REPORTS.search(text)
        if m:
            out.append((DateRule(kind="none", text=clean(m.group(0))), None))
    return out


_EVERYONE = re.compile(
    r"^(?:các|tất\s+cả|toàn\s+bộ)\s+(?:các\s+)?(?:cơ\s+quan|đơn\s+vị|địa\s+phương|ngành|cấp)"
    r"(?:[\s,]+(?:và\s+)?(?:cơ\s+quan|đơn\s+vị|địa\s+phương|ngành|cấp|tổ\s+chức|có\s+liên\s+quan"
    r"|liên\s+quan|được\s+giao|được\s+phân\s+công))*\s*$",
    re.IGNORECASE,
)


def is_everyone(subject: str) -> bool:
    """"Các đơn vị", "Các cơ quan, đơn vị, địa phương": every unit of the plan."""
    return bool(_EVERYONE.match(subject.strip(" ,.")))


def submitters_for(
    text: str, units: list[UnitKeys], all_ids: list[str], exclude: set[str]
) -> list[str]:
    """Unit ids a subject covers.

    Those it names ("Các sở, ban, ngành, UBND phường, xã gửi báo cáo về Sở …": the Sở after
    "về" receives), else every unit when it says "Các …".
    """
    named = [uid for _, uid in find_mentions(text, units) if uid not in exclude]
    plural = re.match(r"^(?:các|tất\s+cả|toàn\s+bộ)\b", text, re.IGNORECASE)
    first = (split_units(text) or [text])[0]
    if plural and (not named or set(fold(first).replace(",", " ").split()) <= _GROUP_WORDS):
        return [u for u in all_ids if u not in exclude]
    return named


# "Các đơn vị phòng, ban ngành, đoàn thể …": a group that covers the plan's units.
_GROUP_WORDS = {"cac", "tat", "ca", "toan", "bo", "co", "quan", "don", "vi", "dia", "phuong",
                "nganh", "cap", "to", "chuc", "doan", "the", "phong", "ban", "so", "lien"}
