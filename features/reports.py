"""Report submissions: which periods are open, submitting (with receipts), status boards.

A **period** is what a report answers: one dated occurrence of a plan's deadline (from
:mod:`knowledge.deadlines`) or an ad-hoc report ("báo cáo đột xuất"). A unit's report for an
occurrence is one :class:`~storage.models.Submission`; sending again replaces it and keeps the
earlier :class:`~storage.models.SubmissionVersion` rows. Every version has its own receipt
number ``BC-<year>-<nnnn>``. Functions take a session and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from features.permissions import Action, Actor, require

# The periods a report answers (re-exported: callers know them as features.reports.*).
from features.report_periods import (
    ADHOC_TITLE as ADHOC_TITLE,
    OPEN_AHEAD_DAYS as OPEN_AHEAD_DAYS,
    OPEN_LATE_DAYS as OPEN_LATE_DAYS,
    Period as Period,
    adhoc_period as adhoc_period,
    board_periods as board_periods,
    find_period as find_period,
    local_date as local_date,
    open_periods as open_periods,
)
from knowledge.base import KnowledgeBase
from storage import audit
from storage.counters import take_next
from storage.files import StoredFile
from storage.models import ReceiptCounter, Submission, SubmissionVersion

# The longest report text accepted in the chat (longer reports go in a file).
MAX_TEXT_CHARS = 4000

STATUS_ON_TIME = "on_time"
STATUS_LATE = "late"
STATUS_MISSING = "missing"  # not yet due
STATUS_OVERDUE = "overdue"  # due date passed, nothing received


class ReportInvalid(ValueError):  # noqa: N818
    """Report content that is not accepted: ``reason`` is ``empty`` or ``too_long``."""

    def __init__(self, reason: str) -> None:
        """Keep ``reason``."""
        super().__init__(reason)
        self.reason = reason


class UnknownReport(LookupError):  # noqa: N818
    """No report with that receipt number."""


# --- submitting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """What the officer is told after a report is stored."""

    number: str
    plan_id: str
    unit_id: str
    period: Period
    submitted_at: dt.datetime
    version: int
    late: bool

    @property
    def replaced(self) -> bool:
        """True when this version replaced an earlier one."""
        return self.version > 1


def check_text(text: str | None) -> str | None:
    """The report text, stripped; None when there is none.

    Raises:
        ReportInvalid: ``too_long`` above :data:`MAX_TEXT_CHARS` characters.
    """
    if text is None:
        return None
    text = text.strip()
    if len(text) > MAX_TEXT_CHARS:
        raise ReportInvalid("too_long")
    return text or None


def next_receipt_number(session: Session, year: int) -> str:
    """Take the next receipt number of ``year`` (``BC-2026-0042``); safe under concurrency."""
    return f"BC-{year}-{take_next(session, ReceiptCounter, year):04d}"


def _slot(session: Session, plan_id: str, unit_id: str, period: Period,
          now: dt.datetime, number: str) -> Submission:
    """The submission row of the period, locked; created when missing (always, ad hoc)."""
    query = select(Submission).where(
        Submission.plan_id == plan_id, Submission.unit_id == unit_id,
        Submission.occurrence_key == period.key,
    ).with_for_update()
    if not period.adhoc:
        found = session.exec(query).first()
        if found is not None:
            return found
    row = Submission(
        plan_id=plan_id, unit_id=unit_id, occurrence_key=period.key,
        deadline_id=period.deadline_id, due_date=period.due_date, title=period.title[:255],
        first_submitted_at=now, last_submitted_at=now, version_count=0, current_number=number,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # another officer of the unit created it at the same moment
        return session.exec(query).one()
    return row


def submit(
    session: Session,
    actor: Actor,
    *,
    plan_id: str,
    unit_id: str,
    period: Period,
    text: str | None,
    file: StoredFile | None,
    submitter_name: str,
    now: dt.datetime,
) -> Receipt:
    """Store a report and give its receipt; a second report for an occurrence replaces it.

    Args:
        session: the unit of work's session (the report is committed with it).
        actor: the officer (must be an approved officer of ``unit_id``).
        plan_id: the plan.
        unit_id: the unit reporting.
        period: what it answers (:func:`open_periods` or :func:`adhoc_period`).
        text: the report text (at most :data:`MAX_TEXT_CHARS` characters), or None.
        file: the stored attachment, or None.
        submitter_name: the officer's name, as shown on exports.
        now: when (timezone-aware).

    Raises:
        PermissionDenied: the actor is not an officer of the unit.
        ReportInvalid: neither text nor file (``empty``), or a text too long.

    Returns:
        The receipt.
    """
    require(actor, Action.SUBMIT_REPORT, plan_id=plan_id, unit_id=unit_id)
    text = check_text(text)
    if text is None and file is None:
        raise ReportInvalid("empty")
    assert actor.telegram_id is not None
    number = next_receipt_number(session, local_date(now).year)
    row = _slot(session, plan_id, unit_id, period, now, number)
    row.version_count += 1
    row.last_submitted_at = now
    row.current_number = number
    assert row.id is not None
    session.add(SubmissionVersion(
        submission_id=row.id, version=row.version_count, number=number,
        submitted_by=actor.telegram_id, submitter_name=submitter_name[:255], text=text,
        file_sha256=file.sha256 if file else None, file_name=file.name if file else None,
        file_mime=file.mime if file else None, file_size=file.size if file else None,
        submitted_at=now,
    ))
    session.flush()
    audit.record(
        session, actor_id=actor.telegram_id, action=audit.REPORT_SUBMITTED, target=number,
        plan_id=plan_id,
        details={"unit_id": unit_id, "occurrence": period.key, "version": row.version_count},
        now=now,
    )
    late = period.due_date is not None and local_date(row.first_submitted_at) > period.due_date
    return Receipt(number, plan_id, unit_id, period, now, row.version_count, late)


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportView:
    """One version of a report, with its content (for the people allowed to read it)."""

    number: str
    plan_id: str
    unit_id: str
    deadline_id: str | None
    title: str
    due_date: dt.date | None
    version: int
    current: bool
    submitted_by: int
    submitter_name: str
    submitted_at: dt.datetime
    text: str | None
    file_sha256: str | None
    file_name: str | None
    file_mime: str | None
    file_size: int | None


def _report_view(sub: Submission, ver: SubmissionVersion) -> ReportView:
    return ReportView(
        number=ver.number, plan_id=sub.plan_id, unit_id=sub.unit_id,
        deadline_id=sub.deadline_id, title=sub.title,
        due_date=sub.due_date, version=ver.version, current=ver.version == sub.version_count,
        submitted_by=ver.submitted_by, submitter_name=ver.submitter_name,
        submitted_at=ver.submitted_at, text=ver.text, file_sha256=ver.file_sha256,
        file_name=ver.file_name, file_mime=ver.file_mime, file_size=ver.file_size,
    )


def read_report(session: Session, actor: Actor, number: str, *, now: dt.datetime) -> ReportView:
    """The report with receipt ``number``; reading someone else's report is audited.

    Raises:
        UnknownReport: no such receipt number.
        PermissionDenied: not an officer of the unit, a coordinator of the plan, or an admin.
    """
    found = session.exec(
        select(Submission, SubmissionVersion)
        .join(SubmissionVersion, col(SubmissionVersion.submission_id) == col(Submission.id))
        .where(SubmissionVersion.number == number.strip().upper())
    ).first()
    if found is None:
        raise UnknownReport(number)
    sub, ver = found
    require(actor, Action.READ_REPORT, plan_id=sub.plan_id, unit_id=sub.unit_id)
    if actor.telegram_id != ver.submitted_by:
        audit.record(
            session, actor_id=actor.telegram_id, actor=actor.label, action=audit.REPORT_READ,
            target=ver.number, plan_id=sub.plan_id, details={"unit_id": sub.unit_id}, now=now,
        )
    return _report_view(sub, ver)


def history(session: Session, plan_id: str, unit_id: str, period: Period) -> list[ReportView]:
    """Every version of a unit's report for a dated period, oldest first."""
    rows = session.exec(
        select(Submission, SubmissionVersion)
        .join(SubmissionVersion, col(SubmissionVersion.submission_id) == col(Submission.id))
        .where(
            Submission.plan_id == plan_id, Submission.unit_id == unit_id,
            Submission.occurrence_key == period.key,
        )
        .order_by(col(SubmissionVersion.version))
    ).all()
    return [_report_view(sub, ver) for sub, ver in rows]


def list_reports(
    session: Session,
    *,
    plan_id: str,
    deadline_id: str | None = None,
    due_date: dt.date | None = None,
    unit_id: str | None = None,
) -> list[ReportView]:
    """The current version of each report of a plan, newest first, optionally filtered."""
    query = (
        select(Submission, SubmissionVersion)
        .join(SubmissionVersion, col(SubmissionVersion.submission_id) == col(Submission.id))
        .where(
            Submission.plan_id == plan_id,
            col(SubmissionVersion.version) == col(Submission.version_count),
        )
    )
    if deadline_id is not None:
        query = query.where(Submission.deadline_id == deadline_id)
    if due_date is not None:
        query = query.where(Submission.due_date == due_date)
    if unit_id is not None:
        query = query.where(Submission.unit_id == unit_id)
    query = query.order_by(col(Submission.last_submitted_at).desc(), col(Submission.id).desc())
    return [_report_view(sub, ver) for sub, ver in session.exec(query).all()]


# --- status boards ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitStatus:
    """Where one unit stands for one occurrence."""

    unit_id: str
    unit_name: str
    status: str
    first_submitted_at: dt.datetime | None = None
    last_submitted_at: dt.datetime | None = None
    number: str | None = None
    versions: int = 0


@dataclass(frozen=True)
class Board:
    """Who reported for one occurrence, who is late and who is missing."""

    plan_id: str
    period: Period
    rows: list[UnitStatus]

    def count(self, *statuses: str) -> int:
        """How many units have one of ``statuses``."""
        return sum(1 for r in self.rows if r.status in statuses)

    @property
    def missing_unit_ids(self) -> list[str]:
        """Units that have sent nothing yet (for reminders)."""
        return [r.unit_id for r in self.rows if r.status in (STATUS_MISSING, STATUS_OVERDUE)]


def status_board(
    session: Session, kb: KnowledgeBase, period: Period, today: dt.date
) -> Board:
    """The board of a dated period: every submitting unit, in the plan's order.

    Args:
        session: the session.
        kb: the knowledge base (units and submitters).
        period: a dated period of the plan.
        today: the date in Asia/Ho_Chi_Minh (missing after the due date = overdue).

    Returns:
        The board.
    """
    plan = kb.get(period.plan_id)
    if plan is None:
        return Board(period.plan_id, period, [])
    deadline = next((d for d in plan.deadlines if d.id == period.deadline_id), None)
    expected = list(deadline.submitters) if deadline else []
    subs = {
        s.unit_id: s
        for s in session.exec(
            select(Submission).where(
                Submission.plan_id == period.plan_id, Submission.occurrence_key == period.key
            )
        ).all()
    }
    names = {u.id: u.name for u in plan.units}
    rows = []
    for unit_id in expected + sorted(set(subs) - set(expected)):
        sub = subs.get(unit_id)
        name = names.get(unit_id, unit_id)
        if sub is None:
            passed = period.due_date is not None and today > period.due_date
            rows.append(UnitStatus(unit_id, name, STATUS_OVERDUE if passed else STATUS_MISSING))
            continue
        late = period.due_date is not None and local_date(sub.first_submitted_at) > period.due_date
        rows.append(UnitStatus(
            unit_id, name, STATUS_LATE if late else STATUS_ON_TIME, sub.first_submitted_at,
            sub.last_submitted_at, sub.current_number, sub.version_count,
        ))
    return Board(period.plan_id, period, rows)


def missing_units(
    session: Session, kb: KnowledgeBase, period: Period, today: dt.date
) -> list[str]:
    """The unit ids that have not reported for ``period`` (for reminders)."""
    return status_board(session, kb, period, today).missing_unit_ids


def view_status(
    session: Session,
    actor: Actor,
    kb: KnowledgeBase,
    plan_id: str,
    *,
    today: dt.date,
    periods: Sequence[Period] | None = None,
) -> list[Board]:
    """The boards a coordinator asks for (``/tinhhinh``): the plan's current periods.

    Raises:
        PermissionDenied: not a coordinator of the plan nor an admin.
    """
    require(actor, Action.VIEW_STATUS, plan_id=plan_id)
    chosen = board_periods(kb, plan_id, today) if periods is None else periods
    return [status_board(session, kb, p, today) for p in chosen]
