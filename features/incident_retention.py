"""Incident keys and retention: re-encrypting with a new key, anonymising or deleting old ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete as sql_delete
from sqlmodel import Session, col, select

from core.clock import VN_TZ
from features.incident_fields import IncidentDenied, IncidentInvalid
from features.incident_store import ANONYMISED, DELETED, KEY_ROTATED, view_of
from features.permissions import Actor
from storage import audit
from storage.crypto import FieldCipher, Undecryptable
from storage.models import Incident


def rotate_key(session: Session, actor: Actor, cipher: FieldCipher, *, now: dt.datetime) -> int:
    """Re-encrypt every incident with the first key of ``INCIDENT_KEY``; audited.

    Raises:
        IncidentDenied: not an admin.
        Undecryptable: a row no key opens (nothing is changed then).

    Returns:
        How many incidents were re-encrypted.
    """
    if not actor.is_admin:
        raise IncidentDenied("read")
    rows = list(session.exec(select(Incident)).all())
    for row in rows:
        row.content = cipher.rotate(row.content)
    session.flush()
    audit.record(session, actor_id=actor.telegram_id, actor=actor.label, action=KEY_ROTATED,
                 details={"count": len(rows), "keys": cipher.key_count}, now=now)
    return len(rows)


def months_before(now: dt.datetime, months: int) -> dt.datetime:
    """``now`` moved back ``months`` calendar months (the day clamped to the month's end)."""
    local = now.astimezone(VN_TZ)
    index = local.year * 12 + local.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    days = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31,
            30, 31, 31, 30, 31, 30, 31][month - 1]
    return local.replace(year=year, month=month, day=min(local.day, days))


@dataclass(frozen=True)
class Purged:
    """What a retention run did."""

    cutoff: dt.datetime
    anonymised: list[str]
    deleted: list[str]



def purge(session: Session, actor: Actor, cipher: FieldCipher, *, months: int,
          now: dt.datetime, delete: bool = False) -> Purged:
    """Retention: anonymise (or delete) the incidents logged more than ``months`` months ago.

    Anonymising keeps the type, setting, place and month (for the counts) and drops the date,
    the child's sex and age group, the perpetrator, the description, the actions, the
    reporter and the source message. Deleting removes the rows. Either is audited.

    Args:
        session: the session.
        actor: an admin (the command line, or the daily retention job).
        cipher: the incident cipher.
        months: the retention period (``INCIDENT_RETENTION_MONTHS``), at least 1.
        now: when.
        delete: delete instead of anonymising.

    Raises:
        IncidentDenied: not an admin.
        IncidentInvalid: ``bad_months``.

    Returns:
        The numbers anonymised or deleted.
    """
    if not actor.is_admin:
        raise IncidentDenied("read")
    if months < 1:
        raise IncidentInvalid("bad_months")
    cutoff = months_before(now, months)
    old = session.exec(select(Incident).where(col(Incident.created_at) < cutoff)).all()
    if delete:
        numbers = [r.number for r in old]
        if numbers:
            session.exec(sql_delete(Incident).where(col(Incident.number).in_(numbers)))
            audit.record(session, actor_id=actor.telegram_id, actor=actor.label, action=DELETED,
                         details={"count": len(numbers), "numbers": numbers,
                                  "months": months}, now=now)
        return Purged(cutoff, [], numbers)
    numbers = []
    for row in old:
        if row.anonymised_at is not None:
            continue
        try:
            view = view_of(row, cipher)
        except Undecryptable:
            view = None
        kept = {"kind": view.kind, "setting": view.setting, "place": view.place,
                "occurred_month": view.occurred_month} if view else {}
        row.content = cipher.seal(kept)
        row.reported_by = None
        row.source_chat_id = None
        row.source_message_id = None
        row.anonymised_at = now
        numbers.append(row.number)
    session.flush()
    if numbers:
        audit.record(session, actor_id=actor.telegram_id, actor=actor.label, action=ANONYMISED,
                     details={"count": len(numbers), "numbers": numbers, "months": months},
                     now=now)
    return Purged(cutoff, numbers, [])


