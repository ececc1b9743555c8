"""The records of reminders (table ``reminder_delivery``): claim, sent, failed, unknown.

The claim's insert-or-skip, and the outcome of a send — sent, failed, or unknown after
interrupted attempts.

Shared by deadline reminders (:mod:`features.reminder_delivery`, which re-exports these) and
the incident clock. Functions take a session and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row, select as sa_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, update

from storage.models import REMINDER_FAILED, REMINDER_SENT, REMINDER_UNKNOWN, ReminderDelivery

RecordKey = tuple[int, str, int]  # (chat id, occurrence key, lead days): the reminder key


def records_of(session: Session, occurrence_keys: Iterable[str]) -> dict[RecordKey, Row[Any]]:
    """The records of these occurrences by reminder key: plain rows, no ORM objects.

    Each row has ``id``, ``chat_id``, ``occurrence_key``, ``lead_days``, ``status``,
    ``claimed_at``, ``attempts`` and ``claimed_by`` — what deciding a claim needs.
    """
    rows = session.execute(
        sa_select(col(ReminderDelivery.id), col(ReminderDelivery.chat_id),
                  col(ReminderDelivery.occurrence_key), col(ReminderDelivery.lead_days),
                  col(ReminderDelivery.status), col(ReminderDelivery.claimed_at),
                  col(ReminderDelivery.attempts), col(ReminderDelivery.claimed_by))
        .where(col(ReminderDelivery.occurrence_key).in_(set(occurrence_keys)))
    ).all()
    return {(r.chat_id, r.occurrence_key, r.lead_days): r for r in rows}


def insert_once(session: Session, values: dict[str, Any]) -> int | None:
    """INSERT … ON CONFLICT DO NOTHING on the reminder key; the new id, or None when taken."""
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(ReminderDelivery)
    statement = insert.values(**values).on_conflict_do_nothing(
        index_elements=["chat_id", "occurrence_key", "lead_days"]
    ).returning(col(ReminderDelivery.id))
    return session.exec(statement).scalar_one_or_none()


def mark_sent(session: Session, delivery_id: int, *, now: dt.datetime,
              message_id: int | None = None) -> None:
    """Record that the reminder left (after Telegram accepted it)."""
    session.exec(update(ReminderDelivery).where(
        col(ReminderDelivery.id) == delivery_id
    ).values(status=REMINDER_SENT, sent_at=now, message_id=message_id, error=None))


def mark_unknown(session: Session, delivery_id: int, attempts: int) -> None:
    """Record that nothing is known of the delivery after ``attempts`` interrupted tries."""
    session.exec(update(ReminderDelivery).where(
        col(ReminderDelivery.id) == delivery_id
    ).values(status=REMINDER_UNKNOWN,
             error=f"delivery unknown after {attempts} interrupted attempts"))


def mark_failed(session: Session, delivery_id: int, *, error: str) -> None:
    """Record that the reminder cannot be delivered (bot removed, bad request…): not retried."""
    session.exec(update(ReminderDelivery).where(
        col(ReminderDelivery.id) == delivery_id
    ).values(status=REMINDER_FAILED, error=error[:255]))
