"""Reporting completeness and timeliness, the way health information systems count them (DHIS2).

For one deadline occurrence:

- **expected** — the units that must report it: the deadline's submitters, each once, minus the
  units exempted for it (an exemption, or a unit added to the plan after the occurrence);
- **received** — expected units with a report for the occurrence (a replaced report counts
  once); **on time** — received by the due date plus the deadline's grace days (local date of
  the *first* version: sending again never turns an on-time report late, nor a late one on
  time); **late** — received after that; **missing** — expected, nothing received;
- **rate** = received ÷ expected, **on-time rate** = on time ÷ expected: never above 100%
  (reports of units that are not expected are not counted at all).

The figures are typed (:class:`OccurrenceRate`, :class:`Trend`); texts, charts and files only
render them. Functions take a session and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from features.permissions import Action, Actor, require
from features.rate_rules import (  # noqa: F401 - re-exported: rates.set_grace etc.
    EXEMPTION_ADDED,
    GRACE_SET,
    MAX_GRACE_DAYS,
    Rules,
    RulesError,
    add_exemption,
    load_rules,
    set_grace,
)
from features.reports import Period, local_date
from knowledge.base import KnowledgeBase
from knowledge.deadlines import dates_between
from knowledge.schema import Plan
from storage import audit
from storage.models import Submission

ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"  # expected, nothing yet; the due date (plus grace) has not passed
OVERDUE = "overdue"  # expected, nothing received, due date plus grace passed
EXEMPT = "exempt"  # not expected for this occurrence
# How many past occurrences a trend shows by default.
DEFAULT_LAST = 6
# A unit is "regularly late" when it is late or missing in at least this share of its expected
# occurrences (and in at least two of them).
REGULARLY_LATE_SHARE = 0.5

# Audit actions.
RATES_EXPORTED = "reports.rates_exported"


class NoDatedDeadline(LookupError):  # noqa: N818 - reads better at the call sites
    """The plan sets no dated deadline with submitting units: nothing to count."""


def percent(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in whole percent: 7/9 → 78.

    Never 100 unless complete, 0 only when nothing; None when nothing is expected.
    """
    if whole <= 0:
        return None
    value = int(100 * part / whole + 0.5)
    if part < whole:
        value = min(value, 99)
    if part > 0:
        value = max(value, 1)
    return min(value, 100)


@dataclass(frozen=True)
class UnitOutcome:
    """One unit for one occurrence."""

    unit_id: str
    unit_name: str
    status: str  # ON_TIME, LATE, MISSING, OVERDUE, EXEMPT
    first_submitted_at: dt.datetime | None = None
    number: str | None = None  # the current receipt number
    exempt_reason: str | None = None


@dataclass(frozen=True)
class OccurrenceRate:
    """Completeness and timeliness of one deadline occurrence."""

    plan_id: str
    deadline_id: str
    title: str
    due_date: dt.date
    grace_days: int
    units: tuple[UnitOutcome, ...]

    def _count(self, *statuses: str) -> int:
        return sum(1 for u in self.units if u.status in statuses)

    @property
    def key(self) -> str:
        """The occurrence key ``plan:deadline:date``."""
        return f"{self.plan_id}:{self.deadline_id}:{self.due_date.isoformat()}"

    @property
    def expected(self) -> int:
        """Units that must report it (each once)."""
        return len(self.units) - self.exempt

    @property
    def received(self) -> int:
        """Expected units that reported."""
        return self._count(ON_TIME, LATE)

    @property
    def on_time(self) -> int:
        """Expected units that reported by the due date plus grace."""
        return self._count(ON_TIME)

    @property
    def late(self) -> int:
        """Expected units that reported after it."""
        return self._count(LATE)

    @property
    def missing(self) -> int:
        """Expected units with nothing received."""
        return self._count(MISSING, OVERDUE)

    @property
    def exempt(self) -> int:
        """Units of the deadline not expected this time."""
        return self._count(EXEMPT)

    @property
    def rate(self) -> int | None:
        """Received ÷ expected, in percent (None when nothing is expected)."""
        return percent(self.received, self.expected)

    @property
    def on_time_rate(self) -> int | None:
        """On time ÷ expected, in percent."""
        return percent(self.on_time, self.expected)

    def to_json(self) -> dict[str, object]:
        """A JSON-serialisable form (no report content)."""
        return {
            "plan_id": self.plan_id, "deadline_id": self.deadline_id, "title": self.title,
            "due_date": self.due_date.isoformat(), "grace_days": self.grace_days,
            "expected": self.expected, "received": self.received, "on_time": self.on_time,
            "late": self.late, "missing": self.missing, "exempt": self.exempt,
            "rate": self.rate, "on_time_rate": self.on_time_rate,
            "units": [{"unit_id": u.unit_id, "status": u.status, "number": u.number}
                      for u in self.units],
        }


def _expected_ids(plan: Plan, deadline_id: str) -> list[str]:
    """The submitters of a deadline, each once, in the order the deadline lists them."""
    deadline = next((d for d in plan.deadlines if d.id == deadline_id), None)
    return list(dict.fromkeys(deadline.submitters)) if deadline else []


_Subs = dict[tuple[str, str], tuple[dt.datetime, str]]


def _submissions(session: Session, plan_id: str, keys: Iterable[str]) -> _Subs:
    """(occurrence key, unit) → (first submitted at, current number), in one query."""
    keys = list(keys)
    if not keys:
        return {}
    rows = session.exec(
        select(Submission.occurrence_key, Submission.unit_id, Submission.first_submitted_at,
               Submission.current_number)
        .where(Submission.plan_id == plan_id, col(Submission.occurrence_key).in_(keys))
    ).all()
    return {(k, u): (first, number) for k, u, first, number in rows if k is not None}


def _rate(plan: Plan, period: Period, rules: Rules, subs: _Subs, today: dt.date
          ) -> OccurrenceRate:
    assert period.due_date is not None
    assert period.deadline_id is not None
    names = {u.id: u.name for u in plan.units}
    grace = rules.grace_days(period.deadline_id)
    closes = period.due_date + dt.timedelta(days=grace)
    outcomes = []
    for unit_id in _expected_ids(plan, period.deadline_id):
        name = names.get(unit_id, unit_id)
        reason = rules.exempt(unit_id, period.deadline_id, period.due_date)
        found = subs.get((period.key or "", unit_id))
        if reason is not None:
            outcomes.append(UnitOutcome(unit_id, name, EXEMPT, exempt_reason=reason))
        elif found is None:
            outcomes.append(UnitOutcome(unit_id, name, OVERDUE if today > closes else MISSING))
        else:
            first, number = found
            status = ON_TIME if local_date(first) <= closes else LATE
            outcomes.append(UnitOutcome(unit_id, name, status, first, number))
    return OccurrenceRate(plan.id, period.deadline_id, period.title, period.due_date, grace,
                          tuple(outcomes))


def occurrence_rates(session: Session, kb: KnowledgeBase, periods: Sequence[Period],
                     today: dt.date) -> list[OccurrenceRate]:
    """The figures of dated periods (of one or several plans), in the order given.

    Args:
        session: the session.
        kb: the knowledge base (submitters, unit names).
        periods: dated periods (undated ones and unknown plans are left out).
        today: the date in Asia/Ho_Chi_Minh (missing after the due date plus grace = overdue).

    Returns:
        One :class:`OccurrenceRate` per dated period.
    """
    out = []
    by_plan: dict[str, list[Period]] = {}
    for p in periods:
        if p.due_date is not None and p.deadline_id is not None and kb.get(p.plan_id):
            by_plan.setdefault(p.plan_id, []).append(p)
    cache: dict[str, tuple[Rules, _Subs]] = {}
    for plan_id, items in by_plan.items():
        cache[plan_id] = (load_rules(session, plan_id),
                          _submissions(session, plan_id, {p.key for p in items if p.key}))
    for p in periods:
        if p.plan_id in cache and p.due_date is not None:
            rules, subs = cache[p.plan_id]
            plan = kb.get(p.plan_id)
            assert plan is not None
            out.append(_rate(plan, p, rules, subs, today))
    return out


def occurrence_rate(session: Session, kb: KnowledgeBase, period: Period, today: dt.date
                    ) -> OccurrenceRate:
    """The figures of one dated period.

    Raises:
        NoDatedDeadline: the period has no date or its plan is unknown.
    """
    found = occurrence_rates(session, kb, [period], today)
    if not found:
        raise NoDatedDeadline(period.plan_id)
    return found[0]


# --- the trend -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitTrend:
    """One unit over the occurrences of a trend."""

    unit_id: str
    unit_name: str
    expected: int
    on_time: int
    late: int
    missing: int

    @property
    def received(self) -> int:
        """Occurrences it reported."""
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> int | None:
        """Its on-time rate over the trend, in percent."""
        return percent(self.on_time, self.expected)

    @property
    def regularly_late(self) -> bool:
        """Late or missing in at least half of its expected occurrences (and at least twice)."""
        bad = self.late + self.missing
        return bad >= 2 and bad >= REGULARLY_LATE_SHARE * self.expected


@dataclass(frozen=True)
class Trend:
    """A plan's completeness and timeliness over its last occurrences, oldest first."""

    plan_id: str
    occurrences: tuple[OccurrenceRate, ...]
    units: tuple[UnitTrend, ...]  # in the plan's order

    @property
    def regularly_late(self) -> list[UnitTrend]:
        """The units that are regularly late, worst first."""
        late = [u for u in self.units if u.regularly_late]
        return sorted(late, key=lambda u: (-(u.late + u.missing), u.on_time_rate or 0))

    def to_json(self) -> dict[str, object]:
        """A JSON-serialisable form (figures only)."""
        return {
            "plan_id": self.plan_id,
            "occurrences": [o.to_json() for o in self.occurrences],
            "units": [{"unit_id": u.unit_id, "unit_name": u.unit_name, "expected": u.expected,
                       "on_time": u.on_time, "late": u.late, "missing": u.missing,
                       "on_time_rate": u.on_time_rate, "regularly_late": u.regularly_late}
                      for u in self.units],
        }


def dated_periods(plan: Plan, start: dt.date, end: dt.date) -> list[Period]:
    """Every dated occurrence with submitting units in ``[start, end]``, oldest first."""
    found = [
        Period(plan.id, d.id, day, d.title)
        for d in plan.deadlines
        if d.submitters and d.rule.kind != "none"
        for day in dates_between(d.rule, start, end)
    ]
    return sorted(found, key=lambda p: (p.due_date, p.title))


def trend(session: Session, kb: KnowledgeBase, plan_id: str, *, today: dt.date,
          start: dt.date | None = None, end: dt.date | None = None,
          last: int | None = DEFAULT_LAST, deadline_ids: Sequence[str] | None = None) -> Trend:
    """The plan's figures over its occurrences due in ``[start, end]``, at most the ``last``.

    Args:
        session: the session.
        kb: the knowledge base.
        plan_id: the plan.
        today: the date in Asia/Ho_Chi_Minh.
        start: the first due date counted (default: the year before the plan's).
        end: the last due date counted (default: ``today``).
        last: keep only the latest this many occurrences (None: all in the range).
        deadline_ids: only these deadlines (default: every dated deadline with units).

    Raises:
        NoDatedDeadline: the plan is unknown or sets no dated deadline with units.

    Returns:
        The trend (its ``occurrences`` may be empty when none fell in the range).
    """
    plan = kb.get(plan_id)
    if plan is None or not any(d.submitters and d.rule.kind != "none" for d in plan.deadlines):
        raise NoDatedDeadline(plan_id)
    start = start or dt.date(plan.year - 1, 1, 1)
    periods = dated_periods(plan, start, end or today)
    if deadline_ids is not None:
        periods = [p for p in periods if p.deadline_id in set(deadline_ids)]
    if last is not None:
        periods = periods[-last:] if last > 0 else []
    rates = occurrence_rates(session, kb, periods, today)
    order = [u.id for u in plan.units]
    tally: dict[str, list[int]] = {}
    for occ in rates:
        for u in occ.units:
            if u.status in (EXEMPT, MISSING):  # not expected, or still open: not counted
                continue
            counts = tally.setdefault(u.unit_id, [0, 0, 0, 0])
            counts[0] += 1
            counts[1] += u.status == ON_TIME
            counts[2] += u.status == LATE
            counts[3] += u.status in (MISSING, OVERDUE)
    names = {u.id: u.name for u in plan.units}
    ranked = sorted(tally, key=lambda i: order.index(i) if i in order else len(order))
    units = tuple(UnitTrend(i, names.get(i, i), *tally[i]) for i in ranked)
    return Trend(plan_id, tuple(rates), units)


def export_trend(session: Session, actor: Actor, kb: KnowledgeBase, plan_id: str, *,
                 now: dt.datetime, fmt: str, start: dt.date | None = None,
                 end: dt.date | None = None, last: int | None = None,
                 deadline_ids: Sequence[str] | None = None) -> Trend:
    """The trend for an export (``kehoach reports rates``, the chart); audited.

    Raises:
        PermissionDenied: not a coordinator of the plan nor an admin.
        NoDatedDeadline: the plan sets no dated deadline.
    """
    require(actor, Action.EXPORT, plan_id=plan_id)
    found = trend(session, kb, plan_id, today=local_date(now), start=start, end=end, last=last,
                  deadline_ids=deadline_ids)
    audit.record(
        session, actor_id=actor.telegram_id, actor=actor.label, action=RATES_EXPORTED,
        target=f"rates:{plan_id}", plan_id=plan_id,
        details={"format": fmt, "occurrences": len(found.occurrences),
                 "from": start.isoformat() if start else None,
                 "to": end.isoformat() if end else None},
        now=now,
    )
    return found
