"""Deadline arithmetic: pure functions of a rule and a date (Asia/Ho_Chi_Minh "today").

A ``once`` rule is its date, even when passed. A ``yearly`` rule's next occurrence is the
first (month, day) on or after ``today`` — not before ``first_year``, not after ``last_year``;
``monthly`` and ``quarterly`` rules the same with every month or quarter; a ``daily`` rule is
due today. A ``period`` is due at its end when it has one. ``relative`` (counted from an event
the plan cannot date) and ``none`` rules have no date and never get one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from core.texts import answers as P, format as F
from knowledge.answers import DeadlineOut
from knowledge.base import KnowledgeBase
from knowledge.schema import DateRule, Deadline, Plan


def _on(year: int, month: int, day: int) -> dt.date:
    """(year, month, day), with 29/2 moved to 28/2 in a common year."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return dt.date(year, month, 28)


def _in_month(year: int, month: int, day: int) -> dt.date:
    """(year, month, day), with a day past the month's end moved to its last day."""
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1


def _years(rule: DateRule) -> tuple[int, int]:
    return rule.first_year or 1, rule.last_year or 9999


def _periodic(rule: DateRule, start: dt.date, end: dt.date) -> list[dt.date]:
    """Occurrences of a monthly or quarterly rule in ``[start, end]``."""
    assert rule.day is not None
    months = range(1, 13) if rule.kind == "monthly" else [
        q * 3 + (rule.month or 3) for q in range(4)
    ]
    first, last = _years(rule)
    out = []
    for year in range(max(start.year, first), min(end.year, last) + 1):
        for month in months:
            day = _in_month(year, month, rule.day)
            if start <= day <= end:
                out.append(day)
    return out


def next_date(rule: DateRule, today: dt.date) -> dt.date | None:
    """The occurrence that is due on or after ``today``.

    Returns:
        For ``once``: its date (passed or not). For ``yearly``: the next occurrence, or the
        last one when the rule ended before ``today``; ``monthly`` and ``quarterly`` alike.
        For ``daily``: today. For ``period``: its end, if it has one. For ``relative`` and
        ``none``: None.
    """
    if rule.kind == "once":
        return rule.date
    if rule.kind == "period":
        return rule.date
    if rule.kind in ("none", "relative"):
        return None
    if rule.kind == "daily":
        return today
    if rule.kind in ("monthly", "quarterly"):
        first, last = _years(rule)
        ahead = _periodic(rule, max(today, dt.date(min(first, 9998), 1, 1)),
                          dt.date(min(last, 9998), 12, 31))
        if ahead:
            return ahead[0]
        before = _periodic(rule, dt.date(max(first, today.year - 1), 1, 1), today)
        return before[-1] if before else None
    assert rule.month is not None
    assert rule.day is not None
    year = today.year
    if _on(year, rule.month, rule.day) < today:
        year += 1
    if rule.first_year is not None:
        year = max(year, rule.first_year)
    if rule.last_year is not None and year > rule.last_year:
        year = rule.last_year
    return _on(year, rule.month, rule.day)


def dates_between(rule: DateRule, start: dt.date, end: dt.date) -> list[dt.date]:
    """Every occurrence of ``rule`` in ``[start, end]``, ascending."""
    if rule.kind in ("none", "relative"):
        return []
    if rule.kind in ("once", "period"):
        if rule.date is None:
            return []
        return [rule.date] if start <= rule.date <= end else []
    if rule.kind == "daily":
        return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    if rule.kind in ("monthly", "quarterly"):
        return _periodic(rule, start, end)
    assert rule.month is not None
    assert rule.day is not None
    first = max(start.year, rule.first_year or start.year)
    last = min(end.year, rule.last_year or end.year)
    found = [_on(y, rule.month, rule.day) for y in range(first, last + 1)]
    return [d for d in found if start <= d <= end]


def describe_rule(rule: DateRule) -> str:
    """A short Vietnamese description of the rule."""
    at = P.RULE_AT.format(time=rule.time.replace(":", "h")) if rule.time else ""
    if rule.kind == "once":
        assert rule.date is not None
        return P.RULE_ONCE.format(date=F.date(rule.date), at=at)
    if rule.kind == "yearly":
        return P.RULE_YEARLY.format(day=rule.day, month=rule.month, at=at)
    if rule.kind == "monthly":
        return P.RULE_MONTHLY.format(day=rule.day, at=at)
    if rule.kind == "quarterly":
        which = P.RULE_QUARTER_MONTHS[rule.month or 3]
        return P.RULE_QUARTERLY.format(day=rule.day, which=which, at=at)
    if rule.kind == "daily":
        return P.RULE_DAILY.format(at=at)
    if rule.kind == "period":
        if rule.date is not None:
            since = P.RULE_PERIOD_SINCE.format(date=F.date(rule.start)) if rule.start else ""
            return P.RULE_PERIOD.format(since=since, date=F.date(rule.date), text=rule.text)
        return P.RULE_PERIOD_UNDATED.format(text=rule.text)
    if rule.kind == "relative":
        return P.RULE_RELATIVE.format(text=rule.text)
    return P.RULE_NONE_SAID.format(text=rule.text) if rule.text else P.RULE_NONE

@dataclass(frozen=True)
class Occurrence:
    """One deadline of one plan on one date (None for a deadline without a date)."""

    plan: Plan
    deadline: Deadline
    date: dt.date | None

    @property
    def recurring(self) -> bool:
        """True for a deadline that comes back (yearly, quarterly, monthly, daily)."""
        return self.deadline.rule.kind in ("yearly", "quarterly", "monthly", "daily")

    @property
    def key(self) -> str:
        """A stable key: plan, deadline and date (for reports and reminders)."""
        when = self.date.isoformat() if self.date else "none"
        return f"{self.plan.id}:{self.deadline.id}:{when}"


def submitter_names(plan: Plan, deadline: Deadline) -> list[str]:
    """Full names of the units that submit, or the plan's words when no unit is listed."""
    names = []
    for unit_id in deadline.submitters:
        try:
            names.append(plan.unit(unit_id).name)
        except KeyError:  # validated at load time; kept defensive for drafts
            continue
    return names or [deadline.submitters_text]


def to_out(occ: Occurrence, today: dt.date) -> DeadlineOut:
    """The contract's deadline object for an occurrence."""
    d = occ.deadline
    return DeadlineOut(
        date=occ.date.isoformat() if occ.date else None,
        title=d.title,
        plan_id=occ.plan.id,
        recurring=occ.recurring,
        days_left=(occ.date - today).days if occ.date else None,
        submitters=submitter_names(occ.plan, d),
        recipient=d.recipient,
        via=d.via,
        deadline_id=d.id,
        section=d.section,
        rule=d.rule.text,
        passed=bool(occ.date and occ.date < today),
    )


def next_occurrences(
    kb: KnowledgeBase, today: dt.date, plan_ids: Iterable[str] | None = None
) -> Iterator[Occurrence]:
    """The next (or only) occurrence of every deadline of the chosen plans, dated or not."""
    wanted = None if plan_ids is None else set(plan_ids)
    for plan in kb:
        if wanted is not None and plan.id not in wanted:
            continue
        for d in plan.deadlines:
            yield Occurrence(plan, d, next_date(d.rule, today))


def upcoming(
    kb: KnowledgeBase,
    today: dt.date,
    plan_ids: Iterable[str] | None = None,
    limit: int | None = None,
) -> list[Occurrence]:
    """Dated deadlines due on or after ``today``, ascending (ties by plan and title).

    Args:
        kb: the knowledge base.
        today: the reference date.
        plan_ids: only these plans (all when None).
        limit: at most this many.

    Returns:
        Occurrences with a date ``>= today``.
    """
    found = [o for o in next_occurrences(kb, today, plan_ids) if o.date and o.date >= today]
    found.sort(key=lambda o: (o.date, o.plan.id, o.deadline.title))
    return found[:limit] if limit else found


def window(
    kb: KnowledgeBase,
    start: dt.date,
    end: dt.date,
    plan_ids: Iterable[str] | None = None,
) -> list[Occurrence]:
    """Every dated occurrence in ``[start, end]``, ascending."""
    wanted = None if plan_ids is None else set(plan_ids)
    found = [
        Occurrence(plan, d, day)
        for plan in kb
        if wanted is None or plan.id in wanted
        for d in plan.deadlines
        for day in dates_between(d.rule, start, end)
    ]
    found.sort(key=lambda o: (o.date, o.plan.id, o.deadline.title))
    return found
