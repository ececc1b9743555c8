"""The compiled report (báo cáo tổng hợp) of one deadline occurrence, as typed content.

The coordinating office writes one report to the level above from its units' reports. This
module gathers what goes in it — header, completeness figures, each unit's current report in
the plan's order, the units that did not report and, when incidents are enabled, the counts
of incidents by type for the period (small counts shown as ``<3``; never a description or an
identifying field). :mod:`features.compiled_docx` renders it as a Word draft. Compiling is
audited. Functions take a session and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session

from core.texts import exports as tx
from features.incident_fields import KINDS
from features.incidents import all_views
from features.permissions import Action, Actor, require
from features.rates import EXEMPT, LATE, ON_TIME, OccurrenceRate, occurrence_rate
from features.reports import Period, list_reports, local_date
from knowledge.base import KnowledgeBase
from knowledge.deadlines import dates_between
from storage import audit
from storage.crypto import FieldCipher

COMPILED = "reports.compiled"
# Incident counts below this are shown as "<3".
MIN_INCIDENT_COUNT = 3


@dataclass(frozen=True)
class Attachment:
    """A file a unit attached, by name and the receipt number of the report carrying it."""

    name: str
    number: str


@dataclass(frozen=True)
class UnitReport:
    """One unit's current report for the occurrence."""

    unit_id: str
    unit_name: str
    number: str
    submitted_at: dt.datetime
    late: bool
    versions: int
    text: str | None
    attachments: tuple[Attachment, ...]
    expected: bool = True  # False: a unit that is not among the deadline's submitters


@dataclass(frozen=True)
class IncidentCount:
    """Incidents of one type in the period; ``shown`` is the count, or ``<3``."""

    kind: str
    label: str
    shown: str


@dataclass(frozen=True)
class Compiled:
    """Everything the compiled report says."""

    plan_id: str
    plan_title: str
    plan_label: str
    locality: str
    office: str
    recipient: str
    period: Period
    covers: tuple[dt.date, dt.date]
    made_at: dt.datetime
    rate: OccurrenceRate
    reports: tuple[UnitReport, ...]  # expected units in the plan's order, then the others
    missing: tuple[str, ...]  # names of expected units with nothing received
    exempt: tuple[str, ...]  # names of units not expected this time
    incidents: tuple[IncidentCount, ...] | None  # None: incidents not enabled
    incidents_total: str = "0"


def covered_dates(kb: KnowledgeBase, period: Period) -> tuple[dt.date, dt.date]:
    """The days an occurrence reports on.

    From the day after the previous occurrence of the same deadline (else the plan's issue
    date, else 1 January) to its due date.
    """
    assert period.due_date is not None
    plan = kb.get(period.plan_id)
    deadlines = plan.deadlines if plan else []
    deadline = next((d for d in deadlines if d.id == period.deadline_id), None)
    start = dt.date(period.due_date.year, 1, 1)
    if plan is not None and plan.date_issued and plan.date_issued <= period.due_date:
        start = max(plan.date_issued, dt.date(period.due_date.year - 1, 1, 1))
    if deadline is not None:
        earlier = dates_between(deadline.rule, dt.date(period.due_date.year - 2, 1, 1),
                                period.due_date - dt.timedelta(days=1))
        if earlier:
            start = earlier[-1] + dt.timedelta(days=1)
    return start, period.due_date


def _shown(n: int) -> str:
    return str(n) if n == 0 or n >= MIN_INCIDENT_COUNT else f"<{MIN_INCIDENT_COUNT}"


def incident_counts(session: Session, cipher: FieldCipher, plan_id: str, start: dt.date,
                    end: dt.date) -> tuple[tuple[IncidentCount, ...], str]:
    """Incidents of ``plan_id`` that happened in ``[start, end]``, by type (no other field).

    An anonymised incident (month only) counts when its month overlaps the range.
    """
    kinds: Counter[str] = Counter()
    for v in all_views(session, cipher, [plan_id]):
        if v.occurred_on is not None:
            inside = start <= v.occurred_on <= end
        elif v.occurred_month:
            first = dt.date.fromisoformat(v.occurred_month + "-01")
            inside = start.replace(day=1) <= first <= end
        else:
            inside = start <= local_date(v.created_at) <= end
        if inside:
            kinds[v.kind if v.kind in KINDS else "other"] += 1
    counts = tuple(IncidentCount(k, KINDS[k], _shown(kinds[k])) for k in KINDS if kinds[k])
    return counts, _shown(sum(kinds.values()))


def compile_report(session: Session, actor: Actor, kb: KnowledgeBase, period: Period, *,
                   now: dt.datetime, cipher: FieldCipher | None = None,
                   office: str | None = None) -> Compiled:
    """Gather the compiled report of a dated period; audited.

    Args:
        session: the session.
        actor: a coordinator of the plan, or an admin.
        kb: the knowledge base.
        period: a dated period of the plan.
        now: when (the draft's date).
        cipher: the incident cipher when incidents are enabled (None: no incident section).
        office: the issuing office (default: the deadline's "qua …" office, else the issuer).

    Raises:
        PermissionDenied: not a coordinator of the plan nor an admin.
        NoDatedDeadline: the period has no date or its plan is unknown.

    Returns:
        The content of the report.
    """
    require(actor, Action.EXPORT, plan_id=period.plan_id)
    today = local_date(now)
    rate = occurrence_rate(session, kb, period, today)
    plan = kb.get(period.plan_id)
    assert plan is not None
    assert period.due_date is not None
    deadline = next(d for d in plan.deadlines if d.id == period.deadline_id)
    current = {r.unit_id: r for r in list_reports(
        session, plan_id=plan.id, deadline_id=period.deadline_id, due_date=period.due_date)}
    status = {u.unit_id: u.status for u in rate.units}
    names = {u.id: u.name for u in plan.units}
    order = [u.id for u in plan.units]
    expected_ids = [u for u in order if status.get(u) in (ON_TIME, LATE)]
    others = sorted((u for u in current if u not in status),
                    key=lambda u: (order.index(u) if u in order else len(order), u))
    closes = period.due_date + dt.timedelta(days=rate.grace_days)
    sections = []
    for unit_id in expected_ids + others:
        rep = current.get(unit_id)
        if rep is None:
            continue
        files = ((Attachment(rep.file_name or tx.ATTACHMENT_NAME, rep.number),)
                 if rep.file_sha256 else ())
        late = status.get(unit_id) == LATE if unit_id in status else (
            local_date(rep.submitted_at) > closes)
        sections.append(UnitReport(
            unit_id, names.get(unit_id, unit_id), rep.number, rep.submitted_at, late,
            rep.version, rep.text, files, expected=unit_id in status,
        ))
    by_order = sorted(rate.units, key=lambda u: order.index(u.unit_id) if u.unit_id in order
                      else len(order))
    missing = tuple(u.unit_name for u in by_order if u.status not in (ON_TIME, LATE, EXEMPT))
    exempt = tuple(u.unit_name for u in by_order if u.status == EXEMPT)
    covers = covered_dates(kb, period)
    incidents, total = (None, "0")
    if cipher is not None:
        incidents, total = incident_counts(session, cipher, plan.id, *covers)
    compiled = Compiled(
        plan_id=plan.id, plan_title=plan.title, plan_label=f"{plan.locality} ({plan.year})",
        locality=plan.locality, office=office or deadline.via or plan.issuer,
        recipient=deadline.recipient, period=period, covers=covers, made_at=now, rate=rate,
        reports=tuple(sections), missing=missing, exempt=exempt, incidents=incidents,
        incidents_total=total,
    )
    audit.record(
        session, actor_id=actor.telegram_id, actor=actor.label, action=COMPILED,
        target=period.key or "", plan_id=plan.id,
        details={"reports": len(sections), "expected": rate.expected,
                 "received": rate.received, "incidents": cipher is not None},
        now=now,
    )
    return compiled
