"""The coordinating office's reporting rules: grace days and exemptions (:mod:`features.rates`).

Functions take a session and never commit; changes are audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from features.permissions import Action, Actor, require
from knowledge.base import KnowledgeBase
from storage import audit
from storage.models import ReportingExemption, ReportingGrace

MAX_GRACE_DAYS = 60
GRACE_SET = "reports.grace_set"
EXEMPTION_ADDED = "reports.exemption_added"


@dataclass(frozen=True)
class Rules:
    """What changes the expected set and timeliness of a plan: grace days and exemptions."""

    grace: dict[str, int] = field(default_factory=dict)  # deadline id → days
    exemptions: tuple[ReportingExemption, ...] = ()

    def grace_days(self, deadline_id: str | None) -> int:
        """The grace days of a deadline (0 when none is set)."""
        return self.grace.get(deadline_id or "", 0)

    def exempt(self, unit_id: str, deadline_id: str | None, due: dt.date) -> str | None:
        """The reason ``unit_id`` is not expected for this occurrence, or None."""
        for e in self.exemptions:
            if e.unit_id != unit_id or (e.deadline_id and e.deadline_id != deadline_id):
                continue
            if (e.from_date is None or e.from_date <= due) and (e.to_date is None
                                                               or due <= e.to_date):
                return e.reason
        return None


def load_rules(session: Session, plan_id: str) -> Rules:
    """The grace days and exemptions of ``plan_id``."""
    grace = {g.deadline_id: g.days for g in session.exec(
        select(ReportingGrace).where(ReportingGrace.plan_id == plan_id)).all()}
    exemptions = tuple(session.exec(
        select(ReportingExemption).where(ReportingExemption.plan_id == plan_id)
        .order_by(col(ReportingExemption.id))).all())
    return Rules(grace, exemptions)


# --- the office's settings -------------------------------------------------------------------


class RulesError(ValueError):
    """A grace or exemption request that cannot be done; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        """Refuse for ``reason`` (``unknown_deadline``, ``bad_days``…)."""
        super().__init__(reason)
        self.reason = reason


def set_grace(session: Session, actor: Actor, kb: KnowledgeBase, plan_id: str,
              deadline_id: str, days: int, *, now: dt.datetime) -> None:
    """Set the grace days of a deadline (0 removes them); audited.

    Raises:
        PermissionDenied: not a coordinator of the plan nor an admin.
        RulesError: ``unknown_deadline`` or ``bad_days`` (outside 0..60).
    """
    require(actor, Action.EXPORT, plan_id=plan_id)
    plan = kb.get(plan_id)
    if plan is None or deadline_id not in {d.id for d in plan.deadlines}:
        raise RulesError("unknown_deadline")
    if not 0 <= days <= MAX_GRACE_DAYS:
        raise RulesError("bad_days")
    row = session.get(ReportingGrace, (plan_id, deadline_id))
    if row is None:
        row = ReportingGrace(plan_id=plan_id, deadline_id=deadline_id, updated_at=now)
    row.days, row.updated_at, row.updated_by = days, now, actor.telegram_id
    session.add(row)
    session.flush()
    audit.record(session, actor_id=actor.telegram_id, actor=actor.label, action=GRACE_SET,
                 target=f"{plan_id}:{deadline_id}", plan_id=plan_id, details={"days": days},
                 now=now)


def add_exemption(session: Session, actor: Actor, kb: KnowledgeBase, plan_id: str,
                  unit_id: str, *, now: dt.datetime, deadline_id: str | None = None,
                  from_date: dt.date | None = None, to_date: dt.date | None = None,
                  reason: str = "exempt", note: str = "") -> ReportingExemption:
    """Exempt a unit from some occurrences, or record that it was added to the plan later.

    For ``added_later`` pass ``to_date`` = the day before the unit was added.

    Raises:
        PermissionDenied: not a coordinator of the plan nor an admin.
        RulesError: ``unknown_unit``, ``unknown_deadline``, ``bad_range``, ``bad_reason``.
    """
    require(actor, Action.EXPORT, plan_id=plan_id)
    plan = kb.get(plan_id)
    if plan is None or unit_id not in {u.id for u in plan.units}:
        raise RulesError("unknown_unit")
    if deadline_id is not None and deadline_id not in {d.id for d in plan.deadlines}:
        raise RulesError("unknown_deadline")
    if from_date and to_date and from_date > to_date:
        raise RulesError("bad_range")
    if reason not in ("exempt", "added_later"):
        raise RulesError("bad_reason")
    row = ReportingExemption(plan_id=plan_id, unit_id=unit_id, deadline_id=deadline_id,
                             from_date=from_date, to_date=to_date, reason=reason,
                             note=note[:255], created_by=actor.telegram_id, created_at=now)
    session.add(row)
    session.flush()
    audit.record(session, actor_id=actor.telegram_id, actor=actor.label, action=EXEMPTION_ADDED,
                 target=f"{plan_id}:{unit_id}", plan_id=plan_id,
                 details={"deadline_id": deadline_id, "reason": reason,
                          "from": from_date.isoformat() if from_date else None,
                          "to": to_date.isoformat() if to_date else None},
                 now=now)
    return row
