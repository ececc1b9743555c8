"""The coordinator's view of a plan's reports: /tinhhinh, /xuat, /xembaocao.

One function per update; each resolves the plan (:func:`features.plans.resolve_plan`), checks
the permission (raising :class:`~features.permissions.PermissionDenied`) and returns a typed
result for the renderer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from features import exports, rates, registry, reports
from features.permissions import Action, load_actor, require
from features.plans import PlanResolution, resolve_plan
from features.rates import OccurrenceRate
from features.reports import Board, Period, local_date
from knowledge.base import KnowledgeBase
from storage import audit
from storage.models import MissingReminderRun

REMIND_EVERY = dt.timedelta(hours=1)  # the remind button: once per occurrence an hour
MISSING_REMINDED = "reports.missing_reminded"  # audit action


class UnknownPeriod(LookupError):  # noqa: N818 - reads better at the call sites
    """A button names a period the plan no longer has (a stale button)."""


def find_period(kb: KnowledgeBase, plan_id: str, deadline_id: str, day: str) -> Period:
    """The period a button names (``deadline id`` and ``yyyymmdd``).

    Raises:
        UnknownPeriod: no such plan, deadline or date.
    """
    try:
        due = dt.datetime.strptime(day, "%Y%m%d").date()  # noqa: DTZ007 - a date only
    except ValueError as exc:
        raise UnknownPeriod(day) from exc
    period = reports.find_period(kb, plan_id, deadline_id, due)
    if period is None:
        raise UnknownPeriod(f"{plan_id}:{deadline_id}:{day}")
    return period


@dataclass(frozen=True)
class StatusBoards:
    """/tinhhinh: the plan's current boards and their figures (by period key)."""

    resolution: PlanResolution
    boards: tuple[Board, ...] = ()
    figures: dict[str, OccurrenceRate] = field(default_factory=dict)


def status_boards(session: Session, kb: KnowledgeBase, user_id: int, chat_id: int,
                  admin_ids: Iterable[int], arg: str | None, today: dt.date) -> StatusBoards:
    """/tinhhinh [kế hoạch]: who reported, who is late, who is missing.

    Args:
        session: the unit of work's session.
        kb: the knowledge base.
        user_id: who asks.
        chat_id: where (its plan, when no plan is typed).
        admin_ids: the admins' Telegram ids.
        arg: the plan typed (loosely), or None.
        today: the date in Asia/Ho_Chi_Minh.

    Returns:
        The boards (none when the plan has no current period), or the plan problem.

    Raises:
        PermissionDenied: not a coordinator of the plan nor an admin.
    """
    found = resolve_plan(session, kb, user_id, arg, chat_id, "tinhhinh", admin_ids=admin_ids,
                         action=Action.VIEW_STATUS)
    if found.plan_id is None:
        return StatusBoards(found)
    boards = reports.view_status(session, found.actor, kb, found.require(), today=today)
    figures = rates.occurrence_rates(session, kb, [b.period for b in boards], today)
    return StatusBoards(found, tuple(boards), {r.key: r for r in figures})


@dataclass(frozen=True)
class PeriodChoices:
    """/xuat, /tonghop: the periods to choose from, or the plan problem."""

    resolution: PlanResolution
    periods: tuple[Period, ...] = ()


def export_choices(session: Session, kb: KnowledgeBase, user_id: int, chat_id: int,
                   admin_ids: Iterable[int], arg: str | None, today: dt.date) -> PeriodChoices:
    """/xuat [kế hoạch]: the periods whose reports can be exported.

    Raises:
        PermissionDenied: not a coordinator of the plan nor an admin.
    """
    return plan_periods(session, kb, user_id, chat_id, admin_ids, arg, "xuat",
                        lambda plan_id: reports.board_periods(kb, plan_id, today))


def plan_periods(session: Session, kb: KnowledgeBase, user_id: int, chat_id: int,
                 admin_ids: Iterable[int], arg: str | None, command: str,
                 periods: Callable[[str], list[Period]]) -> PeriodChoices:
    """The plan of an export command (``Action.EXPORT``) and its ``periods(plan_id)``.

    Raises:
        PermissionDenied: not a coordinator of the plan nor an admin.
    """
    found = resolve_plan(session, kb, user_id, arg, chat_id, command, admin_ids=admin_ids,
                         action=Action.EXPORT)
    if found.plan_id is None:
        return PeriodChoices(found)
    return PeriodChoices(found, tuple(periods(found.require())))


@dataclass(frozen=True)
class ExportFile:
    """An .xlsx of a period (or of every report) and how many rows it has."""

    data: bytes
    rows: int
    period: Period | None


def export_file(session: Session, kb: KnowledgeBase, user_id: int, admin_ids: Iterable[int],
                plan_id: str, deadline_id: str | None, day: str | None, now: dt.datetime
                ) -> ExportFile:
    """The .xlsx a /xuat button asks for (``deadline_id`` None: every report of the plan).

    Raises:
        UnknownPeriod: the button is stale.
        PermissionDenied: not a coordinator of the plan nor an admin.
    """
    if kb.get(plan_id) is None:
        raise UnknownPeriod(plan_id)
    period = find_period(kb, plan_id, deadline_id, day or "") if deadline_id else None
    actor = load_actor(session, user_id, admin_ids)
    data = exports.export(session, actor, kb, plan_id, period, fmt="xlsx", now=now)
    rows = len(exports.build_table(session, kb, plan_id, period, local_date(now)).rows)
    return ExportFile(data, rows, period)


def read_report(session: Session, user_id: int, admin_ids: Iterable[int], number: str,
                now: dt.datetime) -> reports.ReportView:
    """/xembaocao <số>: one report (its unit, the plan's coordinators, admins).

    Raises:
        reports.UnknownReport: no report has this receipt number.
        PermissionDenied: the user may not read it.
    """
    actor = load_actor(session, user_id, admin_ids)
    return reports.read_report(session, actor, number, now=now)


@dataclass(frozen=True)
class MissingReminder:
    """What "Nhắc các đơn vị chưa nộp" does for one occurrence.

    Attributes:
        period: the occurrence.
        officers: (Telegram id, unit id) of each registered officer of a missing unit.
        units: how many units are missing.
        limited: True when the occurrence was reminded less than an hour ago (nothing sent).
        next_at: with ``limited``, when it may be reminded again.
    """

    period: Period
    officers: tuple[tuple[int, str], ...] = ()
    units: int = 0
    limited: bool = False
    next_at: dt.datetime | None = None


def _take_turn(session: Session, key: str, user_id: int, now: dt.datetime
               ) -> dt.datetime | None:
    """Compare-and-set the hourly turn of an occurrence: None if taken, else when it frees."""
    row = session.get(MissingReminderRun, key)
    if row is None:
        try:
            with session.begin_nested():
                session.add(MissingReminderRun(occurrence_key=key, last_at=now, last_by=user_id))
                session.flush()
            return None
        except IntegrityError:  # reminded by someone else at the same moment
            session.expire_all()
            row = session.get(MissingReminderRun, key)
            assert row is not None
    done = session.exec(update(MissingReminderRun).where(
        col(MissingReminderRun.occurrence_key) == key,
        col(MissingReminderRun.last_at) <= now - REMIND_EVERY,
    ).values(last_at=now, last_by=user_id))
    if done.rowcount:
        return None
    session.refresh(row)
    return row.last_at + REMIND_EVERY


def remind_missing(session: Session, kb: KnowledgeBase, user_id: int, admin_ids: Iterable[int],
                   plan_id: str, deadline_id: str, day: str, now: dt.datetime
                   ) -> MissingReminder:
    """The officers to remind now of an occurrence their unit has not reported; audited.

    At most once per occurrence an hour (whoever asks): a second press within the hour sends
    nothing and says when it can be done again.

    Raises:
        UnknownPeriod: the button is stale.
        PermissionDenied: not a coordinator of the plan nor an admin.
    """
    period = find_period(kb, plan_id, deadline_id, day)
    actor = load_actor(session, user_id, admin_ids)
    require(actor, Action.VIEW_STATUS, plan_id=plan_id)
    missing = reports.missing_units(session, kb, period, local_date(now))
    assert period.key is not None
    next_at = _take_turn(session, period.key, user_id, now)
    if next_at is not None:
        return MissingReminder(period, units=len(missing), limited=True, next_at=next_at)
    officers = tuple((officer, unit_id) for unit_id in missing
                     for officer in registry.officers_of(session, plan_id, unit_id))
    audit.record(session, actor_id=actor.telegram_id, actor=actor.label,
                 action=MISSING_REMINDED, target=period.key, plan_id=plan_id,
                 details={"units": len(missing), "officers": len(officers)}, now=now)
    return MissingReminder(period, officers, len(missing))
