"""Incidents (``/suvu``): logging, reading, statuses, retention — the service layer.

An officer logs an incident in a private chat; it gets a short number ``SV-<year>-<nnnn>``.
What it says about the child and the case is stored encrypted (:mod:`storage.crypto`): only
the number, plan, unit, urgency, status and times are plain, so lists and retention work
without the key. Who may do what:

- **log**: an approved officer (the incident belongs to the officer's plan and unit);
- **list, read, mark a status, export, count**: the coordinators of that plan and the admins.

Every list, read, status change, export, count, anonymisation and deletion is written to the
audit log — with numbers and counts only, never content. Nothing here deletes an incident
except :func:`purge` (retention, the command line only). Functions take a session and never
commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core.clock import VN_TZ
from features.incident_fields import (
    IncidentDenied,
    IncidentDraft,
    IncidentInvalid,
    UnknownIncident,
    validate,
)
from features.incident_retention import (
    Purged as Purged,
    months_before as months_before,
    purge as purge,
    rotate_key as rotate_key,
)
from features.incident_store import (
    ANONYMISED as ANONYMISED,
    COUNTED as COUNTED,
    DELETED as DELETED,
    EXPORTED as EXPORTED,
    KEY_ROTATED as KEY_ROTATED,
    LISTED,
    LOGGED,
    READ,
    STATUS_CHANGED,
    IncidentView as IncidentView,
    all_views as all_views,
    rows_of,
    view_of,
)
from features.permissions import Actor
from storage import audit
from storage.counters import take_next
from storage.crypto import FieldCipher
from storage.models import (
    INCIDENT_NEW,
    INCIDENT_STATUSES,
    ROLE_COORDINATOR,
    STATUS_APPROVED,
    Incident,
    IncidentCounter,
    Registration,
)

# --- who may do what -------------------------------------------------------------------------


def may_log(actor: Actor) -> bool:
    """Whether ``actor`` may log incidents: an approved officer of a unit."""
    return actor.officer_of is not None


def may_read(actor: Actor, plan_id: str) -> bool:
    """Whether ``actor`` may list, read, mark or export the incidents of ``plan_id``."""
    return actor.is_admin or plan_id in actor.coordinator_of


def readable_plans(actor: Actor) -> list[str] | None:
    """The plans whose incidents ``actor`` may read (None: every plan, for an admin)."""
    return None if actor.is_admin else sorted(actor.coordinator_of)


def _require_read(actor: Actor, plan_id: str) -> None:
    if not may_read(actor, plan_id):
        raise IncidentDenied("read")


# --- logging an incident ---------------------------------------------------------------------


def local_date(moment: dt.datetime) -> dt.date:
    """The date of ``moment`` in Asia/Ho_Chi_Minh."""
    return moment.astimezone(VN_TZ).date()


def next_number(session: Session, year: int) -> str:
    """Take the next incident number of ``year`` (``SV-2026-0007``); safe under concurrency."""
    return f"SV-{year}-{take_next(session, IncidentCounter, year):04d}"


@dataclass(frozen=True)
class Logged:
    """The receipt of a logged incident, and what the coordinators are told (no description).

    Attributes:
        number: ``SV-2026-0007``.
        plan_id: its plan.
        kind: its type (a key of :data:`KINDS`).
        place: the commune or ward.
        urgency: a key of :data:`URGENCIES`.
        created_at: when it was stored.
        new: False when this message had already logged it (a repeated update or tap).
    """

    number: str
    plan_id: str
    kind: str
    place: str
    urgency: str
    created_at: dt.datetime
    new: bool = True


def find_by_source(session: Session, chat_id: int, message_id: int) -> Incident | None:
    """The incident a Telegram message confirmed, if any."""
    return session.exec(
        select(Incident).where(
            Incident.source_chat_id == chat_id, Incident.source_message_id == message_id
        )
    ).first()


def logged_of(row: Incident, cipher: FieldCipher, *, new: bool) -> Logged:
    """The receipt of a stored incident."""
    fields = cipher.open(row.content)
    return Logged(row.number, row.plan_id, fields.get("kind") or "other",
                  fields.get("place") or "", row.urgency, row.created_at, new)


def create(
    session: Session,
    actor: Actor,
    cipher: FieldCipher,
    draft: IncidentDraft,
    *,
    source_chat_id: int,
    source_message_id: int,
    now: dt.datetime,
) -> Logged:
    """Store a confirmed incident (encrypted) and give its number; audited.

    The same Telegram message (``source_chat_id``, ``source_message_id``) never creates two
    incidents: a repeated call returns the first one with ``new=False``.

    Args:
        session: the unit of work's session.
        actor: the officer (must be an approved officer).
        cipher: the incident cipher.
        draft: the complete form.
        source_chat_id: the chat of the message that confirmed it.
        source_message_id: that message.
        now: when (timezone-aware).

    Raises:
        IncidentDenied: the actor is not an approved officer.
        IncidentInvalid: the draft is incomplete or wrong.

    Returns:
        The receipt.
    """
    if not may_log(actor):
        raise IncidentDenied("log")
    existing = find_by_source(session, source_chat_id, source_message_id)
    if existing is not None:
        return logged_of(existing, cipher, new=False)
    validate(draft)
    assert actor.officer_of is not None
    plan_id, unit_id = actor.officer_of
    assert draft.urgency is not None  # validated
    fields = draft.to_fields()
    del fields["urgency"]
    row = Incident(
        number=next_number(session, local_date(now).year), plan_id=plan_id, unit_id=unit_id,
        urgency=draft.urgency, status=INCIDENT_NEW, content=cipher.seal(fields),
        reported_by=actor.telegram_id, source_chat_id=source_chat_id,
        source_message_id=source_message_id, created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # the same message, processed at the same moment?
        existing = find_by_source(session, source_chat_id, source_message_id)
        if existing is None:
            raise
        return logged_of(existing, cipher, new=False)
    audit.record(
        session, actor_id=actor.telegram_id, actor=actor.label, action=LOGGED,
        target=row.number, plan_id=plan_id, details={"unit_id": unit_id}, now=now,
    )
    return logged_of(row, cipher, new=True)


def recipients(session: Session, plan_id: str, admin_ids: Iterable[int],
               *, exclude: int | None = None) -> list[int]:
    """Who is told of a new incident of ``plan_id``: its coordinators, else the admins."""
    coordinators = set(session.exec(
        select(Registration.telegram_id).where(
            Registration.plan_id == plan_id, Registration.role == ROLE_COORDINATOR,
            Registration.status == STATUS_APPROVED,
        )
    ).all())
    people = coordinators or set(admin_ids)
    if exclude is not None:
        people.discard(exclude)
    return sorted(people)


# --- reading ---------------------------------------------------------------------------------


def scope(actor: Actor, plan_id: str | None) -> list[str] | None:
    """The plans a request of ``actor`` covers (``plan_id``, or all the actor may read).

    Raises:
        IncidentDenied: the actor may read no incident, or not those of ``plan_id``.
    """
    if plan_id is not None:
        _require_read(actor, plan_id)
        return [plan_id]
    plans = readable_plans(actor)
    if plans is not None and not plans:
        raise IncidentDenied("read")
    return plans


def list_recent(
    session: Session,
    actor: Actor,
    cipher: FieldCipher,
    *,
    now: dt.datetime,
    plan_id: str | None = None,
    status: str | None = None,
    limit: int = 10,
) -> list[IncidentView]:
    """The latest incidents the actor may read, newest first; audited.

    Args:
        session: the session.
        actor: a coordinator (their plans) or an admin (every plan).
        cipher: the incident cipher.
        now: when.
        plan_id: only this plan.
        status: only this status.
        limit: at most this many.

    Raises:
        IncidentDenied: the actor coordinates no plan and is not an admin.

    Returns:
        The incidents (lists show number, date, type, place, urgency and status only).
    """
    plans = scope(actor, plan_id)
    rows = rows_of(session, plans, limit=limit, status=status)
    audit.record(
        session, actor_id=actor.telegram_id, actor=actor.label, action=LISTED,
        target=",".join(plans) if plans else "*", plan_id=plan_id,
        details={"count": len(rows), "numbers": [r.number for r in rows]}, now=now,
    )
    return [view_of(r, cipher) for r in rows]


def _get(session: Session, number: str) -> Incident:
    row = session.exec(
        select(Incident).where(Incident.number == number.strip().upper())
    ).first()
    if row is None:
        raise UnknownIncident("unknown")
    return row


def read(session: Session, actor: Actor, cipher: FieldCipher, number: str, *,
         now: dt.datetime) -> IncidentView:
    """One incident, all of it; audited.

    Raises:
        UnknownIncident: no such number.
        IncidentDenied: not a coordinator of its plan nor an admin.
    """
    row = _get(session, number)
    _require_read(actor, row.plan_id)
    audit.record(
        session, actor_id=actor.telegram_id, actor=actor.label, action=READ, target=row.number,
        plan_id=row.plan_id, now=now,
    )
    return view_of(row, cipher, session)


def set_status(session: Session, actor: Actor, cipher: FieldCipher, number: str, status: str,
               *, now: dt.datetime) -> IncidentView:
    """Mark an incident handled, referred, duplicate (or new again); audited.

    Raises:
        UnknownIncident: no such number.
        IncidentDenied: not a coordinator of its plan nor an admin.
        IncidentInvalid: ``unknown:status``.

    Returns:
        The incident after the change.
    """
    if status not in INCIDENT_STATUSES:
        raise IncidentInvalid("unknown:status")
    row = _get(session, number)
    _require_read(actor, row.plan_id)
    old = row.status
    if old != status:
        row.status = status
        row.status_changed_at = now
        row.status_changed_by = actor.telegram_id
        session.flush()
        audit.record(
            session, actor_id=actor.telegram_id, actor=actor.label, action=STATUS_CHANGED,
            target=row.number, plan_id=row.plan_id, details={"from": old, "to": status},
            now=now,
        )
    return view_of(row, cipher, session)


