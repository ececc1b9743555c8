"""When reminders are due, and the protocol that sends each one exactly once (or at least once).

Exactly once — or, after a crash, at least once.

A reminder is identified by a key — (chat, deadline occurrence, lead days) — and the database
is the source of truth for it. The scheduler of every bot process runs the same protocol::

    for due in plan_due(session, kb, now, schedule):        # catch-up included
        reminder = claim(session, kb, due, now, ...)        # unique-key insert, COMMITTED
        if reminder is not None:
            send(reminder)                                  # Telegram
            mark_sent(session, reminder.delivery_id, ...)   # committed

Whoever inserts the row sends; two processes on one PostgreSQL database never both send it.
**Delivery guarantee: at-least-once, bounded.** Telegram has no idempotency key, so a process
that dies after the message left but before ``mark_sent`` committed cannot know whether it was
delivered. A claim still not ``sent`` belongs to a dead process when its lease
(:data:`features.reminders.CLAIM_LEASE`) is over — or at once when the process is provably dead
(``is_dead``: same host and its pid gone, see :mod:`bot.reminders`). It is taken over by a
compare-and-set on (claimant, attempts) and sent again; its error records that the interrupted
attempt's delivery is **unknown** (each such re-send may be a duplicate: they are counted as
``resent``). Up to :data:`MAX_ATTEMPTS` attempts, so a reminder is not lost to two or three
crashes in a row; a claim interrupted that often is recorded ``unknown`` (never ``failed``:
it may well have been delivered) and logged as a warning. (At-most-once would turn the same
crash into a silent loss, worse for a deadline reminder.)

Timing: a reminder ``lead`` days before a due date fires at ``schedule.hour`` local time on
that day; :data:`~features.reminders.OVERDUE` (-1) is the overdue notice, the day after. A
reminder whose time passed while no bot ran is sent at the next tick if its deadline has not
passed and no later reminder of the same occurrence is due; otherwise it is recorded
``skipped`` and logged. Functions take a session and never commit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select, update

from features import chats
from features.reminder_preview import Planned, find_record, preview
from features.reminder_records import (
    insert_once,
    mark_failed,
    mark_sent,
    mark_unknown,
    records_of,
)
from features.reminders import (
    KIND_GROUP,
    KIND_OVERDUE,
    KIND_PRIVATE,
    OVERDUE,
    MissingUnit,
    Reminder,
    Schedule,
    list_subscriptions,
    make_reminder,
    missing_units,
    topic_of,
    watched_deadlines,
)
from knowledge.base import KnowledgeBase
from knowledge.deadlines import Occurrence, dates_between
from knowledge.schema import Plan
from storage.models import (
    REMINDER_CLAIMED,
    REMINDER_SKIPPED,
    ReminderDelivery,
    ReminderSubscription,
)

logger = logging.getLogger(__name__)

# re-exported: see features.reminder_preview and features.reminder_records
__all__ = ["Planned", "find_record", "insert_once", "mark_failed", "mark_sent", "preview"]

# A reminder is tried at most this many times: interrupted attempts (a crash between claim
# and mark) are retried; after this many the delivery stays "unknown".
MAX_ATTEMPTS = 5
# The overdue notice is still sent this many days after the due date, not later.
OVERDUE_CATCH_UP_DAYS = 7


# --- the plan: what is due now ---------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A reminder whose time has come: to a group, or privately to one officer."""

    kind: str
    chat_id: int
    plan_id: str
    deadline_id: str
    date: dt.date
    lead_days: int
    due_at: dt.datetime
    unit_ids: tuple[str, ...] = ()  # group: the subscription's filter; private: the unit
    retry: bool = False  # a claim of a dead process, sent again
    prev_claimed_by: str = ""  # the retried claim's claimant and attempts (compare-and-set)
    prev_attempts: int = 0

    @property
    def occurrence_key(self) -> str:
        """``plan:deadline:date`` (:attr:`knowledge.deadlines.Occurrence.key`)."""
        return f"{self.plan_id}:{self.deadline_id}:{self.date.isoformat()}"

    @property
    def key(self) -> tuple[int, str, int]:
        """The reminder's unique key: (chat, occurrence, lead days)."""
        return (self.chat_id, self.occurrence_key, self.lead_days)


def _candidates(sub: ReminderSubscription, plan: Plan, now: dt.datetime,
                schedule: Schedule) -> list[Due]:
    """Every reminder of ``sub`` whose time is past (since the subscription began)."""
    today = now.astimezone(schedule.tz).date()
    leads = schedule.leads_of(sub)
    start = today - dt.timedelta(days=OVERDUE_CATCH_UP_DAYS + 1)
    end = today + dt.timedelta(days=max(leads) + schedule.shift_days)
    found = []
    for d in watched_deadlines(plan, sub):
        for day in dates_between(d.rule, start, end):
            for lead in (*leads, OVERDUE):
                fire = schedule.fire_at(day, lead)
                if fire <= now and fire >= sub.active_since:
                    kind = KIND_OVERDUE if lead == OVERDUE else KIND_GROUP
                    found.append(Due(kind, sub.chat_id, plan.id, d.id, day, lead, fire,
                                     tuple(sub.unit_ids)))
    return found


def _private_candidates(session: Session, kb: KnowledgeBase, group: list[Due],
                        today: dt.date) -> list[Due]:
    """The private reminders that go with the group ones: one per officer of a missing unit."""
    missing: dict[str, tuple[MissingUnit, ...]] = {}
    found: dict[tuple[int, str, int], Due] = {}
    for due in group:
        if due.occurrence_key not in missing:
            occ = _occurrence(kb, due)
            missing[due.occurrence_key] = missing_units(session, kb, occ, today) if occ else ()
        for unit in missing[due.occurrence_key]:
            if due.unit_ids and unit.unit_id not in due.unit_ids:
                continue
            for officer in unit.officers:
                item = Due(KIND_PRIVATE, officer.telegram_id, due.plan_id, due.deadline_id,
                           due.date, due.lead_days, due.due_at, (unit.unit_id,))
                found.setdefault(item.key, item)
    return list(found.values())


def _occurrence(kb: KnowledgeBase, due: Due) -> Occurrence | None:
    plan = kb.get(due.plan_id)
    deadline = next((d for d in plan.deadlines if d.id == due.deadline_id), None) if plan else None
    return Occurrence(plan, deadline, due.date) if plan and deadline else None


def _record_skip(session: Session, due: Due, now: dt.datetime, reason: str) -> None:
    inserted = insert_once(session, {
        "chat_id": due.chat_id, "occurrence_key": due.occurrence_key,
        "lead_days": due.lead_days, "kind": due.kind, "plan_id": due.plan_id,
        "status": REMINDER_SKIPPED, "due_at": due.due_at, "claimed_at": now, "claimed_by": "",
        "attempts": 0, "error": reason,
    })
    if inserted is not None:
        logger.info("reminder %s to %s (%s days) skipped: %s", due.occurrence_key, due.chat_id,
                    due.lead_days, reason)


def plan_due(session: Session, kb: KnowledgeBase, now: dt.datetime, schedule: Schedule,
             *, private: bool = True, is_dead: Callable[[str], bool] | None = None
             ) -> list[Due]:
    """What should be sent now: one reminder per (chat, occurrence) at most, catch-up included.

    Per chat and occurrence only the latest reminder whose time has passed may be sent; older
    unsent ones, reminders of a passed deadline, and overdue notices later than
    :data:`OVERDUE_CATCH_UP_DAYS` are recorded ``skipped`` (and logged). A claim older than the
    lease, or of a process ``is_dead`` says is dead, is due again (``retry``) until
    :data:`MAX_ATTEMPTS`, then recorded ``unknown``.

    Args:
        session: the session (skips are written with it).
        kb: the knowledge base.
        now: the current time (timezone-aware).
        schedule: hour, default lead days, lease.
        private: also plan the private reminders to officers of missing units.
        is_dead: whether the claimant named (``host:pid:…``) is provably dead.

    Returns:
        The reminders to claim and send, ordered by due time.
    """
    today = now.astimezone(schedule.tz).date()
    group: list[Due] = []
    for sub in list_subscriptions(session, active=True):
        plan = kb.get(sub.plan_id)
        if plan is not None:
            group.extend(_candidates(sub, plan, now, schedule))
    candidates = group + (_private_candidates(session, kb, group, today) if private else [])
    if not candidates:
        return []
    records = records_of(session, (c.occurrence_key for c in candidates))
    by_target: dict[tuple[int, str], list[Due]] = {}
    for c in candidates:
        by_target.setdefault((c.chat_id, c.occurrence_key), []).append(c)
    due: list[Due] = []
    for items in by_target.values():
        items.sort(key=lambda c: c.due_at)
        *older, latest = items
        for item in older:
            if item.key not in records:
                _record_skip(session, item, now, "superseded")
        if latest.lead_days != OVERDUE and latest.date < today:
            if latest.key not in records:
                _record_skip(session, latest, now, "deadline_passed")
            continue
        if latest.lead_days == OVERDUE and (today - latest.date).days > OVERDUE_CATCH_UP_DAYS:
            if latest.key not in records:
                _record_skip(session, latest, now, "too_late")
            continue
        record = records.get(latest.key)
        if record is None:
            due.append(latest)
        elif record.status == REMINDER_CLAIMED and (
            record.claimed_at < now - schedule.lease
            or (is_dead is not None and is_dead(record.claimed_by))
        ):
            if record.attempts < MAX_ATTEMPTS:
                due.append(dataclasses.replace(latest, retry=True,
                                               prev_claimed_by=record.claimed_by,
                                               prev_attempts=record.attempts))
            else:
                assert record.id is not None
                mark_unknown(session, record.id, record.attempts)
                logger.warning("reminder %s to %s: delivery unknown after %d interrupted "
                               "attempts, not sent again", latest.occurrence_key,
                               latest.chat_id, record.attempts)
    due.sort(key=lambda d: (d.due_at, d.kind == KIND_PRIVATE, d.chat_id))
    return due


# --- claiming, sending, marking --------------------------------------------------------------


def _still_wanted(session: Session, due: Due, schedule: Schedule) -> bool:
    """Whether a subscription still asks for ``due`` (it may have changed since the plan)."""
    query = select(ReminderSubscription).where(
        ReminderSubscription.plan_id == due.plan_id, ReminderSubscription.active == True,  # noqa: E712
    )
    if due.kind != KIND_PRIVATE:
        query = query.where(ReminderSubscription.chat_id == due.chat_id)
    for sub in session.exec(query).all():
        if sub.deadline_ids and due.deadline_id not in sub.deadline_ids:
            continue
        if due.lead_days != OVERDUE and due.lead_days not in schedule.leads_of(sub):
            continue
        if due.kind == KIND_PRIVATE and sub.unit_ids and due.unit_ids[0] not in sub.unit_ids:
            continue
        return True
    return False


def claim(session: Session, kb: KnowledgeBase, due: Due, now: dt.datetime, *,
          worker: str, schedule: Schedule) -> Reminder | None:
    """Claim ``due`` for this worker and say what to send, or None when nothing is to be sent.

    Nothing is sent when the subscription no longer asks for it, when every unit concerned
    has reported (recorded ``skipped``), or when another worker holds the claim. The claim is
    the unique-key insert (or, for a stale claim, a compare-and-set on its lease); it must be
    committed before sending.

    Args:
        session: a unit of work of its own (commit it before sending).
        kb: the knowledge base.
        due: from :func:`plan_due`.
        now: the current time.
        worker: who claims (host, process, start), for the record.
        schedule: the lease.

    Returns:
        The reminder with its ``delivery_id``, or None.
    """
    occ = _occurrence(kb, due)
    if occ is None or not _still_wanted(session, due, schedule):
        return None
    today = now.astimezone(schedule.tz).date()
    missing = missing_units(session, kb, occ, today, due.unit_ids)
    if due.kind == KIND_PRIVATE and missing and due.chat_id not in {
        o.telegram_id for o in missing[0].officers
    }:
        return None  # no longer an approved officer of the unit
    if due.kind == KIND_OVERDUE and not occ.deadline.submitters:
        reason = "no_units"  # no unit to name as late
    elif occ.deadline.submitters and not missing:
        reason = "complete"  # every unit concerned has reported
    else:
        reason = None
    stale = (  # the claim as plan_due saw it: only one worker takes it over
        col(ReminderDelivery.chat_id) == due.chat_id,
        col(ReminderDelivery.occurrence_key) == due.occurrence_key,
        col(ReminderDelivery.lead_days) == due.lead_days,
        col(ReminderDelivery.status) == REMINDER_CLAIMED,
        col(ReminderDelivery.claimed_by) == due.prev_claimed_by,
        col(ReminderDelivery.attempts) == due.prev_attempts,
        col(ReminderDelivery.attempts) < MAX_ATTEMPTS,
    )
    if reason is not None:
        if due.retry:
            session.exec(update(ReminderDelivery).where(*stale)
                         .values(status=REMINDER_SKIPPED, error=reason))
        else:
            _record_skip(session, due, now, reason)
        return None
    if due.retry:  # compare-and-set: only one worker takes over a dead process's claim
        delivery_id = session.exec(update(ReminderDelivery).where(
            *stale
        ).values(claimed_at=now, claimed_by=worker[:128],
                 attempts=col(ReminderDelivery.attempts) + 1,
                 error=f"unknown: attempt {due.prev_attempts} interrupted")
          .returning(col(ReminderDelivery.id))).scalar_one_or_none()
    else:
        delivery_id = insert_once(session, {
            "chat_id": due.chat_id, "occurrence_key": due.occurrence_key,
            "lead_days": due.lead_days, "kind": due.kind, "plan_id": due.plan_id,
            "status": REMINDER_CLAIMED, "due_at": due.due_at, "claimed_at": now,
            "claimed_by": worker[:128], "attempts": 1,
        })
    if delivery_id is None:
        return None
    unit_name = missing[0].name if due.kind == KIND_PRIVATE else None
    reminder = make_reminder(occ, due.kind, due.chat_id, due.lead_days, today, missing, unit_name,
                             schedule.date_note(due.date))
    topic = None if due.kind == KIND_PRIVATE else topic_of(session, due.chat_id, due.plan_id)
    return dataclasses.replace(reminder, delivery_id=delivery_id, message_thread_id=topic)


# --- a chat's life, seen while sending ---------------------------------------------------------


def on_forbidden(session: Session, kb: KnowledgeBase, delivery_id: int, chat_id: int, *,
                 now: dt.datetime, admin_ids: Iterable[int] = ()) -> chats.Deactivated:
    """Telegram refused a group reminder: the reminder failed, the chat is deactivated.

    Args:
        session: the unit of work's session.
        kb: the knowledge base.
        delivery_id: the claimed reminder.
        chat_id: the group.
        now: when (timezone-aware).
        admin_ids: told when a plan has no coordinator.

    Returns:
        What was switched off and whom to tell (:func:`features.chats.deactivate`).
    """
    mark_failed(session, delivery_id, error=chats.FORBIDDEN)
    return chats.deactivate(session, kb, chat_id, now=now, reason=chats.FORBIDDEN,
                            admin_ids=admin_ids)


def on_migrated(session: Session, delivery_id: int, old_id: int, new_id: int, *,
                now: dt.datetime) -> bool:
    """The group became a supergroup: move the chat (:func:`features.chats.migrate`).

    Returns:
        Whether the claimed reminder now belongs to the new chat (then it is sent there).
    """
    chats.migrate(session, old_id, new_id, now=now)
    row = session.get(ReminderDelivery, delivery_id)
    return row is not None and row.chat_id == new_id
