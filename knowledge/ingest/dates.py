"""Vietnamese dates and date rules as plans write them.

- "trước ngày 10 tháng 11 năm 2020", "trước ngày 05/12/2023" → one date (``once``);
- "định kỳ 06 tháng (trước 10/6), 01 năm (trước 10/12)", "vào ngày 15/6", "trước ngày 15/11 hàng
  năm" → every year on a month/day (``yearly``);
- "từ 01/6 đến 30/6" → a period (an event);
- "sơ kết 6 tháng trước ngày 05/6/2023, 9 tháng trước ngày 05/9/2023" → one rule per date, each
  with its period ("6 tháng", "9 tháng", "năm").

A date without a year takes the plan's own year, never today's. "06 tháng" alone is a period, not
a date: a date needs a day and a month, after a word that makes it a deadline ("trước", "vào",
"chậm nhất", "hạn") — so "đường dây nóng 24/7" and "Nghị quyết 121/2020/QH14" are not dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from knowledge.textnorm import clean

# A day and a month, with an optional year: "10/6", "05/6/2023", "10 tháng 11 năm 2020", "10-6".
_DATE = (
    r"(?:(?P<d1>\d{1,2})\s*[/.-]\s*(?P<m1>\d{1,2})(?:\s*[/.-]\s*(?P<y1>\d{4}))?(?![\d/])"
    r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})(?:\s*(?:năm|/)\s*(?P<y2>\d{4}))?)"
)
_DATE_RE = re.compile(_DATE, re.IGNORECASE)
_TRIGGER = (
    r"(?:trước|vào|chậm nhất(?:\s+là)?|hạn(?:\s+chót|\s+cuối)?(?:\s+là)?|không\s+quá"
    r"|hoàn\s+thành\s+trước)"
)
_DEADLINE_RE = re.compile(rf"\b{_TRIGGER}(?:\s+ngày)?\s+{_DATE}", re.IGNORECASE)
_AND_DATE_RE = re.compile(rf"\s*(?:,|và)\s*(?:ngày\s+)?{_DATE}", re.IGNORECASE)
_RANGE_RE = re.compile(
    rf"\btừ(?:\s+ngày)?\s+(?P<a>{_DATE.replace('(?P<', '(?P<a_')})"
    rf"\s*(?:đến|tới|-|–)(?:\s+hết)?(?:\s+ngày)?\s+(?P<b>{_DATE.replace('(?P<', '(?P<b_')})",
    re.IGNORECASE,
)
_DAYS_RANGE_RE = re.compile(
    r"\btừ(?:\s+ngày)?\s+(?P<a>\d{1,2})\s*(?:đến|tới|-|–)(?:\s+hết)?(?:\s+ngày)?\s+(?P<b>\d{1,2})"
    r"\s*(?:tháng\s+|/\s*)(?P<m>\d{1,2})(?:\s*(?:năm|/)\s*(?P<y>\d{4}))?(?![\d/])",
    re.IGNORECASE,
)
# What a date rule covers, said just before (or right after) it.
_PERIOD_RE = re.compile(
    r"(?P<n>\d{1,2}|sáu|chín)\s+tháng(?!\s+\d)|(?P<year>(?:\b0?1|\bmột|\bcả)\s+năm\b|\bhằng\s+năm\b"
    r"|\bhàng\s+năm\b|\bcuối\s+năm\b|\btổng\s+kết\s+năm\b)|(?P<adhoc>đột\s+xuất)",
    re.IGNORECASE,
)
_YEARLY_AFTER_RE = re.compile(r"^\s*(?:hằng|hàng|mỗi)\s+năm\b", re.IGNORECASE)
_RECURRING_RE = re.compile(r"\b(?:định\s+kỳ|hằng\s+năm|hàng\s+năm|mỗi\s+năm)\b", re.IGNORECASE)
_YEAR_WORD_RE = re.compile(r"\bnăm\s+(\d{4})\b", re.IGNORECASE)
_WORD_NUMBERS = {"sáu": 6, "chín": 9}

Period = str  # "6 tháng" | "9 tháng" | "năm" | "đột xuất"


@dataclass(frozen=True)
class FoundRule:
    """A date rule found in a sentence.

    Attributes:
        kind: "once" or "yearly".
        date: the date for "once"; for "yearly", the date in the plan's year.
        month: month of the date.
        day: day of the date.
        period: "6 tháng", "9 tháng", "năm" or None.
        text: the rule as written, e.g. "định kỳ 06 tháng (trước 10/6)".
        start: offset of ``text`` in the sentence.
        end: offset after the date itself.
    """

    kind: str
    date: dt.date
    month: int
    day: int
    period: Period | None
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class FoundRange:
    """A period "từ 01/6 đến 30/6" found in a sentence."""

    start_date: dt.date
    end_date: dt.date
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class BadDate:
    """Something written like a date that is not a valid one ("31/02", "ngày tháng 5")."""

    text: str
    start: int


def _parts(match: re.Match[str], prefix: str = "") -> tuple[int, int, int | None]:
    g = match.groupdict()
    if g.get(f"{prefix}d1") is not None:
        day, month, year = g[f"{prefix}d1"], g[f"{prefix}m1"], g[f"{prefix}y1"]
    else:
        day, month, year = g[f"{prefix}d2"], g[f"{prefix}m2"], g[f"{prefix}y2"]
    return int(day), int(month), int(year) if year else None


def make_date(day: int, month: int, year: int) -> dt.date | None:
    """Return the date, or None when it does not exist (31/2)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str, *, default_year: int | None = None) -> dt.date | None:
    """Parse the first date in ``text`` ("26/5/2020", "22 tháng 12 năm 2015").

    Args:
        text: any text.
        default_year: the year to use when the text gives none (the plan's year).

    Returns:
        The date, or None when there is no complete, valid date.
    """
    match = _DATE_RE.search(clean(text))
    if not match:
        return None
    day, month, year = _parts(match)
    year = year or default_year
    return make_date(day, month, year) if year else None


def period_of(text: str) -> Period | None:
    """The reporting period named last in ``text`` ("6 tháng", "9 tháng", "năm", "đột xuất")."""
    found: Period | None = None
    for m in _PERIOD_RE.finditer(text):
        if m.group("n"):
            n = m.group("n").lower()
            months = _WORD_NUMBERS.get(n) or int(n)
            found = {6: "6 tháng", 9: "9 tháng", 12: "năm"}.get(months, found)
        elif m.group("year"):
            found = "năm"
        else:
            found = "đột xuất"
    return found


def _rule_start(sentence: str, floor: int, match_start: int) -> int:
    """Where the rule's own words begin: its period words, e.g. "định kỳ 06 tháng (" + date."""
    before = sentence[floor:match_start]
    last = None
    for m in _PERIOD_RE.finditer(before):
        last = m
    if last is None:
        return match_start
    start = floor + last.start()
    # "định kỳ 06 tháng", "sơ kết 6 tháng": the word in front belongs to the rule
    lead = re.search(r"(?:định\s+kỳ|sơ\s+kết|báo\s+cáo)\s+$", sentence[floor:start], re.IGNORECASE)
    if lead and not re.search(r"[,;(]", sentence[floor + lead.start() : start]):
        start = floor + lead.start()
    # only when the period words are close to the date (not a whole clause away)
    gap = sentence[floor + last.end() : match_start]
    if len(gap) > 20 or re.search(r"[;.]", gap):
        return match_start
    return start


def find_rules(sentence: str, plan_year: int) -> tuple[list[FoundRule], list[BadDate]]:
    """Find every deadline date rule in ``sentence``.

    Args:
        sentence: one sentence of the plan (clean text).
        plan_year: the plan's own year, used when a date has no year.

    Returns:
        The rules in text order, and the date-like expressions that are not valid dates.
    """
    rules: list[FoundRule] = []
    bad: list[BadDate] = []
    recurring = bool(_RECURRING_RE.search(sentence))
    ranges = [(r.start, r.end) for r in find_ranges(sentence, plan_year)[0]]
    floor = 0
    matches = list(_DEADLINE_RE.finditer(sentence))
    for m in list(matches):  # "trước ngày 01/6 và 15/11 hằng năm": one trigger, two dates
        at = m.end()
        while True:
            more = _AND_DATE_RE.match(sentence, at)
            if not more:
                break
            matches.append(more)
            at = more.end()
    matches.sort(key=lambda x: x.start())
    for m in matches:
        if any(a <= m.start() < b for a, b in ranges):
            continue
        day, month, year = _parts(m)
        explicit = year is not None
        date = make_date(day, month, year or plan_year)
        if date is None:
            bad.append(BadDate(m.group(0), m.start()))
            continue
        start = _rule_start(sentence, floor, m.start())
        end = m.end()
        tail = sentence[end:]
        yearly_after = _YEARLY_AFTER_RE.match(tail)
        # the closing bracket of "(trước 10/6)" belongs to the rule
        text_end = end
        if yearly_after:
            text_end = end + yearly_after.end()
        if "(" in sentence[start:m.start()] and tail.lstrip().startswith(")"):
            text_end = end + tail.index(")") + 1
        period = period_of(sentence[start:m.start()]) or (
            "năm" if yearly_after else None
        )
        if period is None and not rules:
            # a period said at the start of the sentence covers its first date
            period = period_of(sentence[floor : m.start()])
            if period == "đột xuất":
                period = None
        kind = "once" if explicit else ("yearly" if (recurring or yearly_after) else "once")
        rules.append(
            FoundRule(
                kind=kind, date=date, month=month, day=day,
                period=period, text=re.sub(r"^(?:và\s+|,\s*)", "",
                                           clean(sentence[start:text_end]).strip(" ,;")),
                start=start, end=text_end,
            )
        )
        floor = text_end
    return rules, bad


def find_ranges(sentence: str, year: int) -> tuple[list[FoundRange], list[BadDate]]:
    """Find periods "từ 01/6 đến 30/6" (the year from the text, else ``year``)."""
    found: list[FoundRange] = []
    bad: list[BadDate] = []
    for m in _DAYS_RANGE_RE.finditer(sentence):  # "từ ngày 08 đến ngày 10 tháng 12 năm 2025"
        month, y = int(m.group("m")), int(m.group("y")) if m.group("y") else year
        a, b = make_date(int(m.group("a")), month, y), make_date(int(m.group("b")), month, y)
        if a is None or b is None or b < a:
            bad.append(BadDate(m.group(0), m.start()))
        else:
            found.append(FoundRange(a, b, clean(m.group(0)), m.start(), m.end()))
    for m in _RANGE_RE.finditer(sentence):
        if any(r.start <= m.start() < r.end for r in found):
            continue
        d1, m1, y1 = _parts(m, "a_")
        d2, m2, y2 = _parts(m, "b_")
        context_year = _YEAR_WORD_RE.findall(sentence[: m.start()])
        default = int(context_year[-1]) if context_year else year
        end_year = y2 or y1 or default
        start_year = y1 or end_year
        a, b = make_date(d1, m1, start_year), make_date(d2, m2, end_year)
        if a is None or b is None or b < a:
            bad.append(BadDate(m.group(0), m.start()))
            continue
        found.append(FoundRange(a, b, clean(m.group(0)), m.start(), m.end()))
    return found, bad


def first_occurrence_year(month: int, day: int, year: int, plan_start: dt.date | None) -> int:
    """The first year a yearly date applies.

    The plan's year, or the next one when the plan starts after that day (a plan of September
    has no June report that year).
    """
    if plan_start is not None and plan_start.year == year:
        this_year = make_date(min(day, 28) if month == 2 else day, month, year)
        if this_year is not None and this_year < plan_start:
            return year + 1
    return year


# --- a time as a plan's table or "Thời gian thực hiện:" line writes it -------------------------

_QUARTER = re.compile(r"\bqu[ýíy]\s+(?P<q>IV|I{1,3}|[1-4])\s*(?:[-/,]|\s+năm)?\s*(?P<y>\d{4})?",
                      re.IGNORECASE)
_YEARS = re.compile(
    r"(?:\b(?:từ\s+)?năm\s+|\bgiai\s+đoạn\s+|^|\s)(?P<a>20\d{2})(?:\s*(?:-|–|đến(?:\s+hết)?"
    r"(?:\s+năm)?)\s*(?P<b>20\d{2}))?(?P<on>\s+và\s+(?:các\s+)?(?:năm\s+)?tiếp\s+theo)?",
    re.IGNORECASE,
)
_MONTH_YEARLY = re.compile(r"\btháng\s+(?P<m>\d{1,2})\s+(?:hằng|hàng|mỗi)\s+năm\b", re.IGNORECASE)
_RELATIVE = re.compile(
    r"\b(?:trong\s+(?:thời\s+hạn\s+)?(?P<n>\d{1,3})(?:\s*-\s*\d{1,3})?\s+(?P<unit>ngày|giờ)"
    r"(?:\s+(?:làm\s+việc|đầu))?\s+(?:kể\s+từ|sau)\s+(?:khi\s+)?(?P<after>[^,;.()]{3,60})"
    r"|(?:ngay\s+)?sau\s+khi\s+(?P<after2>[^,;.()]{3,60})|ngay\s+khi\s+(?P<after3>[^,;.()]{3,60})"
    r"|giai\s+đoạn[^:;.]{0,30}?\(?\s*(?:sau\s+)?\d{1,3}(?:\s*-\s*\d{1,3})?\s*giờ\s*\)?"
    r"|khi\s+có\s+(?!yêu\s+cầu)[^,;.()]{3,60})",
    re.IGNORECASE,
)
_UNDATED = re.compile(
    r"^\s*(?:thường\s+xuyên|liên\s+tục|hằng\s+năm|hàng\s+năm|định\s+kỳ|theo\s+(?:kế\s+hoạch|"
    r"quy\s+định|yêu\s+cầu|tiến\s+độ|chỉ\s+đạo)|khi\s+có\s+yêu\s+cầu|đột\s+xuất)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TimeRule:
    """A time written in a table cell or a "Thời gian thực hiện:" line, read as a rule.

    Attributes:
        kind: "once", "yearly", "period", "relative" or "none".
        date: for "once": the date; for a "period" with days: its last day.
        start: for a "period" with days: its first day.
        month, day: for "yearly".
        first_year, last_year: for a "period" of years (``last_year`` None: open-ended).
        days, after: for "relative" ("10 ngày" kể từ "ngày nhận Kế hoạch").
    """

    kind: str
    date: dt.date | None = None
    start: dt.date | None = None
    month: int | None = None
    day: int | None = None
    first_year: int | None = None
    last_year: int | None = None
    days: int | None = None
    after: str | None = None


def time_rule(text: str, plan_year: int) -> TimeRule | None:
    """Read a time phrase.

    "Trước ngày 30/11/2025", "Tháng 12 hằng năm", "Quý IV-2025", "2025", "Năm 2025 và các năm
    tiếp theo", "2026-2030", "Sau khi có Quy chế của TW", "Thường xuyên".

    Returns:
        The rule, or None when the text says no time.
    """
    text = clean(text)
    if not text:
        return None
    rules, _ = find_rules(text, plan_year)
    if rules:
        r = rules[0]
        if r.kind == "yearly":
            return TimeRule("yearly", month=r.month, day=r.day)
        return TimeRule("once", date=r.date)
    m = re.match(rf"^\s*(?:ngày\s+)?{_DATE}\s*(?P<every>(?:hằng|hàng|mỗi)\s+năm)?\s*$", text,
                 re.IGNORECASE)
    if m:
        day, month, year = _parts(m)
        date = make_date(day, month, year or plan_year)
        if date is not None and m.group("every") and year is None:
            return TimeRule("yearly", month=month, day=day)
        if date is not None:
            return TimeRule("once", date=date)
    ranges, _ = find_ranges(text, plan_year)
    if ranges:
        return TimeRule("period", date=ranges[0].end_date, start=ranges[0].start_date)
    m = _MONTH_YEARLY.search(text)
    if m and 1 <= int(m.group("m")) <= 12:
        month = int(m.group("m"))
        following = dt.date(2001 if month < 12 else 2002, month % 12 + 1, 1)
        last = (following - dt.timedelta(days=1)).day
        return TimeRule("yearly", month=month, day=last)
    m = _RELATIVE.search(text)
    if m:
        after = m.group("after") or m.group("after2") or m.group("after3")
        days = int(m.group("n")) if m.group("n") and (m.group("unit") or "").lower() == "ngày" \
            else None
        return TimeRule("relative", days=days, after=clean(after) if after else None)
    m = _QUARTER.search(text)
    if m:
        year = int(m.group("y")) if m.group("y") else plan_year
        return TimeRule("period", first_year=year, last_year=year)
    m = _YEARS.search(text)
    if m and (len(text) < 60 or re.search(r"thời\s+gian|giai\s+đoạn|trong\s+năm", text, re.I)):
        a = int(m.group("a"))
        b = int(m.group("b")) if m.group("b") else (None if m.group("on") else a)
        return TimeRule("period", first_year=a, last_year=b)
    if _UNDATED.match(text):
        return TimeRule("none")
    return None
