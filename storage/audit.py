"""The audit log: every privileged action, with who, what, on what and when.

Details never carry report content, case details or file contents — only ids, numbers and
names of units and plans.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from storage.models import AuditLog

# The actions recorded (``AuditLog.action``).
REGISTRATION_REQUESTED = "registration.requested"
REGISTRATION_APPROVED = "registration.approved"
REGISTRATION_REFUSED = "registration.refused"
ROLE_GRANTED = "role.granted"
ROLE_REVOKED = "role.revoked"
REPORT_SUBMITTED = "report.submitted"
REPORT_READ = "report.read"
EXPORTED = "reports.exported"


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    target: str = "",
    plan_id: str | None = None,
    details: dict[str, Any] | None = None,
    actor: str = "",
    now: dt.datetime,
) -> AuditLog:
    """Add one entry to the audit log (committed with the unit of work).

    Args:
        session: the unit of work's session.
        actor_id: the Telegram id of who did it (None for the command line or the system).
        action: one of the constants of this module.
        target: what it was done to, e.g. ``registration:12``, ``user:1001``, ``BC-2026-0042``.
        plan_id: the plan concerned, if any.
        details: small, non-sensitive facts (ids, counts, formats).
        actor: a label for who did it, e.g. ``telegram`` or ``cli:root``.
        now: when (timezone-aware).

    Returns:
        The new entry.
    """
    if not actor:
        actor = "telegram" if actor_id is not None else "system"
    entry = AuditLog(
        at=now, actor_id=actor_id, actor=actor, action=action, target=target, plan_id=plan_id,
        details=details or {},
    )
    session.add(entry)
    session.flush()
    return entry


def list_entries(
    session: Session,
    *,
    action: str | None = None,
    actor_id: int | None = None,
    plan_id: str | None = None,
    limit: int = 100,
) -> Sequence[AuditLog]:
    """The latest entries, newest first, optionally filtered.

    Args:
        session: the session.
        action: only this action (a prefix such as ``role.`` matches every role action).
        actor_id: only what this person did.
        plan_id: only entries about this plan.
        limit: at most this many.

    Returns:
        The entries.
    """
    query = select(AuditLog)
    if action:
        query = query.where(
            col(AuditLog.action).startswith(action) if action.endswith(".")
            else AuditLog.action == action
        )
    if actor_id is not None:
        query = query.where(AuditLog.actor_id == actor_id)
    if plan_id is not None:
        query = query.where(AuditLog.plan_id == plan_id)
    return session.exec(
        query.order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc()).limit(limit)
    ).all()
