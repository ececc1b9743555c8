"""The 12-hour clock of urgent incidents: when each reminder is due, claimed, and recorded.

Nghị định 56/2017/NĐ-CP, Art. 26: when a child's life, health or dignity is at serious risk,
emergency intervention comes **within 12 hours** of the information, and the support plan
**within 5 working days**. An incident logged with urgency "khẩn cấp" (``urgent``) starts a
clock; while its status is still ``new`` (nobody marked it handled, referred or duplicate),
the plan's coordinators — else the admins — are reminded privately:

- after :data:`STEP_EARLY` (6) and :data:`STEP_LAST` (11) hours — number, type, commune and
  time logged, never the description; if both times passed while no bot ran, only the later
  one is sent (the earlier is recorded ``skipped``), and none after :data:`CLOCK_CATCH_UP`;
- after :data:`STEP_SUPPORT` hours (5 days), the support-plan reminder. Plain days: the
  working calendar (holidays) has not landed, and the text says so.

The reminders go through the deadline reminders' machinery (:mod:`features.reminder_delivery`):
each is a ``reminder_delivery`` row of kind :data:`KIND`, keyed (recipient, ``incident:<number>``,
hours) — **claim** (a unique-key insert, committed) → **send** → **mark sent**, so each is sent
once across restarts and processes; a claim left by a dead process is retried once after the
lease (at-least-once, as there). Every reminder sent is in the audit log. Functions take a
session and never commit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select, update

from features import reminder_delivery as rd
from features.incident_fields import KINDS
from features.incidents import recipients
from features.reminder_records import records_of
from features.reminders import CLAIM_LEASE
from storage import audit
from storage.crypto import FieldCipher, Undecryptable
from storage.models import (
    INCIDENT_NEW,
    REMINDER_CLAIMED,
    REMINDER_SKIPPED,
    Incident,
    ReminderDelivery,
)

logger = logging.getLogger(__name__)

KIND = "incident"  # ReminderDelivery.kind
STEP_EARLY = 6  # hours after the incident was logged
STEP_LAST = 11
STEP_SUPPORT = 5 * 24  # 5 days (plain days: no working calendar yet)
CLOCK_STEPS = (STEP_EARLY, STEP_LAST)
STEPS = (*CLOCK_STEPS, STEP_SUPPORT)
# A 6 h / 11 h reminder is still sent this long after the incident was logged, not later.
CLOCK_CATCH_UP = dt.timedelta(hours=24)
# The support reminder is still sent this long after its time, not later.
SUPPORT_CATCH_UP = dt.timedelta(days=2)
URGENT = "urgent"
REMINDED = "incident.clock_reminder"  # audit action


def key_of(number: str) -> str:
    """The occurrence key of an incident's clock: ``incident:SV-2026-0007``."""
    return f"incident:{number}"


@dataclass(frozen=True)
class ClockDue:
    """A clock reminder whose time has come, for one recipient."""

    chat_id: int
    incident_id: int
    number: str
    plan_id: str
    step: int  # hours after logging
    due_at: dt.datetime
    retry: bool = False

    @property
    def occurrence_key(self) -> str:
        """``incident:<number>``."""
        return key_of(self.number)

    @property
    def key(self) -> tuple[int, str, int]:
        """The reminder's unique key: (recipient, incident, hours)."""
        return (self.chat_id, self.occurrence_key, self.step)


@dataclass(frozen=True)
class ClockReminder:
    """What a clock reminder says: no description, no field about the child."""

    delivery_id: int
    chat_id: int
    number: str
    plan_id: str
    step: int
    kind: str  # a label of KINDS
    place: str
    logged_at: dt.datetime

    @property
    def support(self) -> bool:
        """True for the 5-day support-plan reminder."""
        return self.step == STEP_SUPPORT


def _values(due: ClockDue, now: dt.datetime, **extra: Any) -> dict[str, Any]:
    return {"chat_id": due.chat_id, "occurrence_key": due.occurrence_key,
            "lead_days": due.step, "kind": KIND, "plan_id": due.plan_id, "due_at": due.due_at,
            "claimed_at": now, **extra}


def _skip(session: Session, due: ClockDue, now: dt.datetime, reason: str) -> None:
    values = _values(due, now, status=REMINDER_SKIPPED, claimed_by="", attempts=0, error=reason)
    if rd.insert_once(session, values) is not None:
        logger.info("incident clock %s (%d h) to %s skipped: %s", due.number, due.step,
                    due.chat_id, reason)


def _open_urgent(session: Session, since: dt.datetime) -> list[Incident]:
    return list(session.exec(select(Incident).where(
        Incident.urgency == URGENT, Incident.status == INCIDENT_NEW,
        col(Incident.anonymised_at).is_(None), col(Incident.created_at) >= since,
    ).order_by(col(Incident.created_at))).all())


def plan_due(session: Session, now: dt.datetime, admin_ids: Iterable[int], *,
             lease: dt.timedelta = CLAIM_LEASE) -> list[ClockDue]:
    """What the clock should send now, per recipient; catch-up and stale claims included.

    Args:
        session: the session (skips and abandoned claims are written with it).
        now: the current time (timezone-aware).
        admin_ids: told when the plan has no coordinator.
        lease: a claim older than this, not marked sent, is retried once.

    Returns:
        The reminders to claim and send, oldest first.
    """
    admin_ids = list(admin_ids)
    since = now - dt.timedelta(hours=STEP_SUPPORT) - SUPPORT_CATCH_UP
    candidates: list[tuple[ClockDue, bool]] = []  # (due, superseded)
    people: dict[str, list[int]] = {}
    for row in _open_urgent(session, since):
        assert row.id is not None
        if row.plan_id not in people:
            people[row.plan_id] = recipients(session, row.plan_id, admin_ids)
        fired = [s for s in STEPS if row.created_at + dt.timedelta(hours=s) <= now]
        clock = [s for s in fired if s in CLOCK_STEPS]
        for step in fired:
            fire = row.created_at + dt.timedelta(hours=step)
            late = (now - row.created_at > CLOCK_CATCH_UP if step in CLOCK_STEPS
                    else now - fire > SUPPORT_CATCH_UP)
            superseded = step in CLOCK_STEPS and step != clock[-1]
            for chat_id in people[row.plan_id]:
                due = ClockDue(chat_id, row.id, row.number, row.plan_id, step, fire)
                candidates.append((due, superseded or late))
    if not candidates:
        return []
    records = records_of(session, (d.occurrence_key for d, _ in candidates))
    out = []
    for due, stale_time in candidates:
        record = records.get(due.key)
        if record is None:
            if stale_time:
                _skip(session, due, now, "superseded")
            else:
                out.append(due)
        elif record.status == REMINDER_CLAIMED and record.claimed_at < now - lease:
            if stale_time:  # a dead process's claim, overtaken by a later step: not resent
                session.exec(update(ReminderDelivery).where(
                    col(ReminderDelivery.id) == record.id
                ).values(status=REMINDER_SKIPPED, error="superseded"))
            elif record.attempts < rd.MAX_ATTEMPTS:
                out.append(dataclasses.replace(due, retry=True))
            else:
                rd.mark_failed(session, record.id, error="abandoned")
                logger.error("incident clock %s (%d h) to %s abandoned", due.number, due.step,
                             due.chat_id)
    out.sort(key=lambda d: (d.due_at, d.chat_id))
    return out


def claim(session: Session, cipher: FieldCipher, due: ClockDue, now: dt.datetime, *,
          worker: str, admin_ids: Iterable[int], lease: dt.timedelta = CLAIM_LEASE
          ) -> ClockReminder | None:
    """Claim ``due`` for this worker and say what to send, or None when nothing is to be sent.

    Nothing is sent when the incident was marked (handled, referred, duplicate) or anonymised
    since — recorded ``skipped`` —, when the recipient no longer coordinates the plan, or when
    another worker holds the claim. Commit the claim before sending.

    Returns:
        The reminder with its ``delivery_id``, or None.
    """
    row = session.get(Incident, due.incident_id)
    stale = (
        col(ReminderDelivery.chat_id) == due.chat_id,
        col(ReminderDelivery.occurrence_key) == due.occurrence_key,
        col(ReminderDelivery.lead_days) == due.step,
        col(ReminderDelivery.status) == REMINDER_CLAIMED,
        col(ReminderDelivery.claimed_at) < now - lease,
        col(ReminderDelivery.attempts) < rd.MAX_ATTEMPTS,
    )
    if row is None or row.status != INCIDENT_NEW or row.anonymised_at is not None:
        reason = "stopped"  # marked handled / referred / duplicate, or gone
        if due.retry:
            session.exec(update(ReminderDelivery).where(*stale)
                         .values(status=REMINDER_SKIPPED, error=reason))
        else:
            _skip(session, due, now, reason)
        return None
    if due.chat_id not in recipients(session, row.plan_id, admin_ids):
        return None
    if due.retry:  # compare-and-set: only one worker takes over a dead process's claim
        delivery_id = session.exec(update(ReminderDelivery).where(
            *stale
        ).values(claimed_at=now, claimed_by=worker[:128],
                 attempts=col(ReminderDelivery.attempts) + 1)
          .returning(col(ReminderDelivery.id))).scalar_one_or_none()
    else:
        delivery_id = rd.insert_once(session, _values(due, now, status=REMINDER_CLAIMED,
                                               claimed_by=worker[:128], attempts=1))
    if delivery_id is None:
        return None
    try:
        fields = cipher.open(row.content)
    except Undecryptable:
        fields = {}
    kind = fields.get("kind") or "other"
    return ClockReminder(delivery_id, due.chat_id, row.number, row.plan_id, due.step,
                         KINDS.get(kind, KINDS["other"]), fields.get("place") or "",
                         row.created_at)


def mark_sent(session: Session, reminder: ClockReminder, *, now: dt.datetime,
              message_id: int | None = None) -> None:
    """Record that the reminder left (after Telegram accepted it), and audit it."""
    rd.mark_sent(session, reminder.delivery_id, now=now, message_id=message_id)
    audit.record(session, actor_id=None, actor="system", action=REMINDED,
                 target=reminder.number, plan_id=reminder.plan_id,
                 details={"to": reminder.chat_id, "hours": reminder.step}, now=now)


def mark_failed(session: Session, reminder: ClockReminder, *, error: str) -> None:
    """Record that the reminder cannot be delivered (blocked, bad request): not retried."""
    rd.mark_failed(session, reminder.delivery_id, error=error)
