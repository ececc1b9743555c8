"""The periods a report answers: open occurrences of a plan's deadlines, or ad hoc.

A **period** is one dated occurrence of a plan's deadline (from :mod:`knowledge.deadlines`) or
an ad-hoc report ("báo cáo đột xuất"). No database here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from core.clock import VN_TZ
from core.texts.reports import ADHOC_REPORT_TITLE
from knowledge.base import KnowledgeBase
from knowledge.deadlines import Occurrence, dates_between
from knowledge.schema import Plan

# An occurrence can be reported from this many days before it is due ...
OPEN_AHEAD_DAYS = 60
# ... until this many days after (late).
OPEN_LATE_DAYS = 30
ADHOC_TITLE = ADHOC_REPORT_TITLE  # the title of a report no deadline asked for


@dataclass(frozen=True)
class Period:
    """What a report answers: a dated deadline occurrence, or an ad-hoc report (no date)."""

    plan_id: str
    deadline_id: str | None
    due_date: dt.date | None
    title: str

    @classmethod
    def from_occurrence(cls, occ: Occurrence) -> Period:
        """The period of a deadline occurrence."""
        return cls(occ.plan.id, occ.deadline.id, occ.date, occ.deadline.title)

    @property
    def adhoc(self) -> bool:
        """True for a "báo cáo đột xuất", which never replaces another report."""
        return self.due_date is None

    @property
    def key(self) -> str | None:
        """The occurrence key (:attr:`Occurrence.key`), None for an ad-hoc report."""
        if self.due_date is None:
            return None
        return f"{self.plan_id}:{self.deadline_id}:{self.due_date.isoformat()}"

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable form (for the conversation state)."""
        out = asdict(self)
        out["due_date"] = self.due_date.isoformat() if self.due_date else None
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Period:
        """The inverse of :meth:`to_json`."""
        due = data.get("due_date")
        return cls(
            plan_id=data["plan_id"], deadline_id=data.get("deadline_id"),
            due_date=dt.date.fromisoformat(due) if due else None, title=data["title"],
        )


def local_date(moment: dt.datetime) -> dt.date:
    """The date of ``moment`` in Asia/Ho_Chi_Minh."""
    return moment.astimezone(VN_TZ).date()


# --- periods ---------------------------------------------------------------------------------


def _window(plan: Plan, today: dt.date, unit_id: str | None) -> list[Period]:
    start = today - dt.timedelta(days=OPEN_LATE_DAYS)
    end = today + dt.timedelta(days=OPEN_AHEAD_DAYS)
    found = [
        Period(plan.id, d.id, day, d.title)
        for d in plan.deadlines
        if d.submitters and (unit_id is None or unit_id in d.submitters)
        # a daily report is open on its day only
        for day in dates_between(d.rule, *((today, today) if d.rule.kind == "daily" else
                                           (start, end)))
    ]
    found.sort(key=lambda p: (p.due_date, p.title))
    return found


def open_periods(kb: KnowledgeBase, plan_id: str, unit_id: str, today: dt.date) -> list[Period]:
    """The occurrences ``unit_id`` can report on now, soonest first.

    An occurrence is open from :data:`OPEN_AHEAD_DAYS` days before its date until
    :data:`OPEN_LATE_DAYS` days after it (then it is late).

    Args:
        kb: the knowledge base.
        plan_id: the officer's plan.
        unit_id: the officer's unit (only deadlines it submits to).
        today: the date in Asia/Ho_Chi_Minh.

    Returns:
        The open periods (none when the plan is unknown).
    """
    plan = kb.get(plan_id)
    return _window(plan, today, unit_id) if plan else []


def adhoc_period(kb: KnowledgeBase, plan_id: str, unit_id: str) -> Period:
    """The ad-hoc period of a unit: the plan's "đột xuất" deadline for it, if it has one."""
    plan = kb.get(plan_id)
    for d in plan.deadlines if plan else []:
        if d.period == "đột xuất" and unit_id in d.submitters:
            return Period(plan_id, d.id, None, d.title)
    return Period(plan_id, None, None, ADHOC_TITLE)


def board_periods(kb: KnowledgeBase, plan_id: str, today: dt.date) -> list[Period]:
    """The occurrences a coordinator follows now: the open ones, else the latest past one.

    Returns:
        Periods with a date, soonest first (empty when the plan has no dated deadline).
    """
    plan = kb.get(plan_id)
    if plan is None:
        return []
    found = _window(plan, today, None)
    if found:
        return found
    past = [
        Period(plan.id, d.id, day, d.title)
        for d in plan.deadlines
        if d.submitters
        for day in dates_between(d.rule, dt.date(plan.year - 1, 1, 1), today)
    ]
    if not past:
        return []
    latest = max(p.due_date for p in past if p.due_date)
    return sorted((p for p in past if p.due_date == latest), key=lambda p: p.title)


def find_period(kb: KnowledgeBase, plan_id: str, deadline_id: str, due: dt.date) -> Period | None:
    """The period of ``deadline_id`` on ``due``, if the plan has such an occurrence."""
    plan = kb.get(plan_id)
    for d in plan.deadlines if plan else []:
        if d.id == deadline_id and due in dates_between(d.rule, due, due):
            return Period(plan_id, d.id, due, d.title)
    return None
