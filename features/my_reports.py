"""What an officer sees of their own unit's reporting (``/baocaocuatoi``).

Every submission with its receipt, on time or late. Functions take a session and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from features.permissions import Actor, load_actor
from features.reports import STATUS_LATE, STATUS_ON_TIME, local_date
from storage.models import Submission

SHOWN = 20
ADHOC = "adhoc"  # a report with no due date


@dataclass(frozen=True)
class UnitSubmission:
    """One of the unit's reports: its current receipt and whether it came in on time."""

    number: str
    title: str
    due_date: dt.date | None
    first_submitted_at: dt.datetime
    last_submitted_at: dt.datetime
    versions: int
    status: str  # STATUS_ON_TIME, STATUS_LATE or ADHOC


def unit_submissions(session: Session, actor: Actor, *, limit: int = SHOWN
                     ) -> tuple[str, str, list[UnitSubmission]] | None:
    """The latest submissions of the actor's unit, newest first.

    Args:
        session: the session.
        actor: an approved officer.
        limit: at most this many.

    Returns:
        (plan id, unit id, submissions), or None when the actor is no officer.
    """
    if actor.officer_of is None:
        return None
    plan_id, unit_id = actor.officer_of
    rows = session.exec(
        select(Submission)
        .where(Submission.plan_id == plan_id, Submission.unit_id == unit_id)
        .order_by(col(Submission.last_submitted_at).desc(), col(Submission.id).desc())
        .limit(limit)
    ).all()
    found = []
    for sub in rows:
        if sub.due_date is None:
            status = ADHOC
        else:
            late = local_date(sub.first_submitted_at) > sub.due_date
            status = STATUS_LATE if late else STATUS_ON_TIME
        found.append(UnitSubmission(
            sub.current_number, sub.title, sub.due_date, sub.first_submitted_at,
            sub.last_submitted_at, sub.version_count, status,
        ))
    return plan_id, unit_id, found


class NotOfficer(LookupError):  # noqa: N818 - reads better at the call sites
    """The user is no approved officer of a unit."""


@dataclass(frozen=True)
class MySubmissions:
    """/baocaocuatoi: the officer's unit and its latest submissions (newest first)."""

    plan_id: str
    unit_id: str
    submissions: tuple[UnitSubmission, ...]


def my_submissions(session: Session, user_id: int, admin_ids: Iterable[int]) -> MySubmissions:
    """The latest submissions of the user's unit (``/baocaocuatoi``).

    Args:
        session: the unit of work's session.
        user_id: the officer's Telegram id.
        admin_ids: the admins' Telegram ids.

    Returns:
        The unit and its submissions.

    Raises:
        NotOfficer: the user is no approved officer.
    """
    found = unit_submissions(session, load_actor(session, user_id, admin_ids))
    if found is None:
        raise NotOfficer(user_id)
    plan_id, unit_id, subs = found
    return MySubmissions(plan_id, unit_id, tuple(subs))
