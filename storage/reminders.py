"""Deadline reminders: group subscriptions, what is due now, and the claim of every reminder.

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
delivered. A claim still not ``sent`` after :data:`CLAIM_LEASE` belongs to a dead process and
is retried, once (:data:`MAX_ATTEMPTS`): a crash in that window of milliseconds may duplicate
one reminder, but no crash loses one. (At-most-once would turn the same crash into a silent
loss, worse for a deadline reminder.)

Timing: a reminder ``lead`` days before a due date fires at ``schedule.hour`` local time on
that day; :data:`OVERDUE` (-1) is the overdue notice, the day after. A reminder whose time
passed while no bot ran is sent at the next tick if its deadline has not passed and no later
reminder of the same occurrence is due; otherwise it is recorded ``skipped`` and logged.
Functions take a session and never commit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz
from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from knowledge.base import KnowledgeBase
from knowledge.clock import VN_TZ
from knowledge.deadlines import Occurrence, dates_between
from knowledge.schema import Deadline, Plan
from knowledge.textnorm import fold
from storage import audit, registry, reports
from storage.models import (
    REMINDER_CLAIMED,
    REMINDER_FAILED,
    REMINDER_SENT,
    REMINDER_SKIPPED,
    ROLE_OFFICER,
    STATUS_APPROVED,
    ReminderDelivery,
    ReminderSubscription,
)
from storage.permissions import Action, Actor, require

logger = logging.getLogger(__name__)

OVERDUE = -1  # lead days of the overdue notice: the day after the due date
KIND_GROUP = "group"  # a reminder before the due date, in a group
KIND_OVERDUE = "overdue"  # the overdue notice, in a group
KIND_PRIVATE = "private"  # to an officer of a unit that has not reported
# A claim not marked sent after this long belongs to a dead process: it is sent again.
CLAIM_LEASE = dt.timedelta(minutes=5)
# A reminder is tried at most this many times (the first claim and one retry).
MAX_ATTEMPTS = 2
# The overdue notice is still sent this many days after the due date, not later.
OVERDUE_CATCH_UP_DAYS = 7
MAX_LEAD_DAYS = 60

# Audit actions of subscription changes.
SUBSCRIBED = "reminders.subscribed"
UNSUBSCRIBED = "reminders.unsubscribed"
DEACTIVATED = "reminders.deactivated"
MIGRATED = "reminders.migrated"


class ReminderError(ValueError):
    """A subscription request that cannot be done; ``reason`` says why, ``items`` what."""

    def __init__(self, reason: str, items: Sequence[str] = ()) -> None:
        super().__init__(f"{reason}: {', '.join(items)}" if items else reason)
        self.reason = reason
        self.items = list(items)


@dataclass(frozen=True)
class Schedule:
    """When reminders fire: lead days before the due date, at ``hour`` local time."""

    lead_days: tuple[int, ...] = (7, 3, 1, 0)
    hour: int = 8
    tz: dt.tzinfo = VN_TZ
    lease: dt.timedelta = CLAIM_LEASE

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> Schedule:
        """The schedule of ``settings.reminder_lead_days`` / ``reminder_hour`` / ``timezone``."""
        values: dict[str, Any] = {
            "lead_days": tuple(settings.reminder_lead_days), "hour": settings.reminder_hour,
            "tz": ZoneInfo(settings.timezone),
        }
        values.update(overrides)
        return cls(**values)

    def fire_at(self, due: dt.date, lead: int) -> dt.datetime:
        """When the reminder ``lead`` days before ``due`` fires (timezone-aware)."""
        day = due - dt.timedelta(days=lead)
        return dt.datetime.combine(day, dt.time(self.hour), tzinfo=self.tz)

    def leads_of(self, sub: ReminderSubscription) -> tuple[int, ...]:
        """The lead days of a subscription (its own, else the default)."""
        return tuple(sub.lead_days) if sub.lead_days else self.lead_days


# --- subscriptions ---------------------------------------------------------------------------


def check_lead_days(values: Iterable[int]) -> list[int]:
    """Lead days, unique and descending; each in ``[0, MAX_LEAD_DAYS]``.

    Raises:
        ReminderError: ``bad_leads`` when empty or out of range.
    """
    leads = sorted(set(values), reverse=True)
    if not leads or leads[0] > MAX_LEAD_DAYS or leads[-1] < 0:
        raise ReminderError("bad_leads", [str(v) for v in leads])
    return leads


def _check_targets(kb: KnowledgeBase, plan_id: str, deadline_ids: Sequence[str],
                   unit_ids: Sequence[str]) -> Plan:
    plan = kb.get(plan_id)
    if plan is None:
        raise ReminderError("unknown_plan", [plan_id])
    known_deadlines = {d.id for d in plan.deadlines}
    known_units = {u.id for u in plan.units}
    unknown = [d for d in deadline_ids if d not in known_deadlines]
    unknown += [u for u in unit_ids if u not in known_units]
    if unknown:
        raise ReminderError("unknown_target", unknown)
    return plan


def subscribe(
    session: Session,
    kb: KnowledgeBase,
    actor: Actor,
    chat_id: int,
    plan_id: str,
    *,
    now: dt.datetime,
    deadline_ids: Sequence[str] | None = None,
    unit_ids: Sequence[str] | None = None,
    lead_days: Sequence[int] | None = None,
    title: str | None = None,
) -> ReminderSubscription:
    """Subscribe ``chat_id`` to the reminders of ``plan_id`` (or change its subscription).

    Args:
        session: the unit of work's session.
        kb: the knowledge base (the plan, deadline and unit ids are checked).
        actor: a coordinator of the plan or an admin.
        chat_id: the group chat.
        plan_id: the plan.
        now: when (timezone-aware).
        deadline_ids: only these deadlines (empty: all); None keeps the current choice.
        unit_ids: only deadlines of these units, naming only them (empty: all); None keeps.
        lead_days: days before the due date (0 = on the day); None keeps the current ones.
        title: the chat's title, for lists.

    Raises:
        PermissionDenied: the actor is neither a coordinator of the plan nor an admin.
        ReminderError: unknown plan, deadline or unit, or bad lead days.

    Returns:
        The active subscription.
    """
    require(actor, Action.MANAGE_REMINDERS, plan_id=plan_id)
    _check_targets(kb, plan_id, deadline_ids or (), unit_ids or ())
    leads = check_lead_days(lead_days) if lead_days is not None else None
    sub = session.exec(
        select(ReminderSubscription).where(
            ReminderSubscription.chat_id == chat_id, ReminderSubscription.plan_id == plan_id
        )
    ).first()
    if sub is None:
        sub = ReminderSubscription(
            chat_id=chat_id, plan_id=plan_id, active=False, active_since=now,
            created_by=actor.telegram_id, created_at=now, updated_at=now,
        )
        session.add(sub)
    if not sub.active:
        sub.active, sub.active_since, sub.deactivated_reason = True, now, None
    if deadline_ids is not None:
        sub.deadline_ids = list(dict.fromkeys(deadline_ids))
    if unit_ids is not None:
        sub.unit_ids = list(dict.fromkeys(unit_ids))
    if leads is not None:
        sub.lead_days = leads
    if title:
        sub.title = title[:255]
    sub.updated_at = now
    session.flush()
    audit.record(
        session, actor_id=actor.telegram_id, actor=actor.label, action=SUBSCRIBED,
        target=f"chat:{chat_id}", plan_id=plan_id,
        details={"deadline_ids": sub.deadline_ids, "unit_ids": sub.unit_ids,
                 "lead_days": sub.lead_days},
        now=now,
    )
    return sub


def subscriptions_of(session: Session, chat_id: int, *, active: bool | None = True
                     ) -> list[ReminderSubscription]:
    """The subscriptions of a chat (only the active ones by default)."""
    query = select(ReminderSubscription).where(ReminderSubscription.chat_id == chat_id)
    if active is not None:
        query = query.where(ReminderSubscription.active == active)
    return list(session.exec(query.order_by(col(ReminderSubscription.plan_id))).all())


def list_subscriptions(session: Session, *, active: bool | None = None
                       ) -> list[ReminderSubscription]:
    """Every subscription (or only active/inactive ones), by chat and plan."""
    query = select(ReminderSubscription)
    if active is not None:
        query = query.where(ReminderSubscription.active == active)
    return list(session.exec(query.order_by(
        col(ReminderSubscription.chat_id), col(ReminderSubscription.plan_id))).all())


def unsubscribe(session: Session, actor: Actor, chat_id: int, *, now: dt.datetime,
                plan_id: str | None = None) -> list[ReminderSubscription]:
    """Stop the reminders of ``chat_id`` (of every plan, or only ``plan_id``).

    Raises:
        PermissionDenied: the actor may not manage one of the plans concerned.

    Returns:
        The subscriptions switched off (empty when there was none).
    """
    subs = [s for s in subscriptions_of(session, chat_id) if plan_id in (None, s.plan_id)]
    for sub in subs:
        require(actor, Action.MANAGE_REMINDERS, plan_id=sub.plan_id)
    for sub in subs:
        sub.active, sub.deactivated_reason, sub.updated_at = False, "unsubscribed", now
        audit.record(session, actor_id=actor.telegram_id, actor=actor.label,
                     action=UNSUBSCRIBED, target=f"chat:{chat_id}", plan_id=sub.plan_id, now=now)
    session.flush()
    return subs


def deactivate_chat(session: Session, chat_id: int, *, now: dt.datetime,
                    reason: str = "forbidden") -> list[ReminderSubscription]:
    """Switch off every subscription of a chat the bot can no longer write to (audited).

    Returns:
        The subscriptions switched off.
    """
    subs = subscriptions_of(session, chat_id)
    for sub in subs:
        sub.active, sub.deactivated_reason, sub.updated_at = False, reason[:32], now
        audit.record(session, actor_id=None, action=DEACTIVATED, target=f"chat:{chat_id}",
                     plan_id=sub.plan_id, details={"reason": reason}, now=now)
    session.flush()
    return subs


def migrate_chat(session: Session, old_id: int, new_id: int, *, now: dt.datetime) -> int:
    """Move subscriptions and reminder records of a group upgraded to a supergroup.

    What ``new_id`` has already wins; the rest of ``old_id`` moves. Idempotent.

    Returns:
        How many subscriptions moved.
    """
    moved = 0
    taken = {s.plan_id for s in subscriptions_of(session, new_id, active=None)}
    for sub in subscriptions_of(session, old_id, active=None):
        if sub.plan_id in taken:
            session.delete(sub)
            continue
        sub.chat_id, sub.updated_at = new_id, now
        moved += 1
        audit.record(session, actor_id=None, action=MIGRATED, target=f"chat:{old_id}",
                     plan_id=sub.plan_id, details={"new_chat_id": new_id}, now=now)
    rows = session.exec(select(ReminderDelivery).where(ReminderDelivery.chat_id == old_id)).all()
    for row in rows:
        assert row.id is not None
        move_claim(session, row.id, new_id)
    session.flush()
    return moved


# --- what a group asks for: "/nhacviec báo cáo năm; Phòng Y tế", "/nhacviec trước 5 1" ------

# A typed deadline or unit must score at least this (rapidfuzz, 0–100) to be taken.
MATCH_THRESHOLD = 75.0


@dataclass(frozen=True)
class Request:
    """What ``/nhacviec`` asked: filters, or lead days, or nothing (the whole plan)."""

    deadline_ids: list[str] = field(default_factory=list)
    unit_ids: list[str] = field(default_factory=list)
    lead_days: list[int] | None = None
    unknown: list[str] = field(default_factory=list)  # items that matched nothing
    dateless: list[str] = field(default_factory=list)  # deadlines with no date: never reminded


def _score(query: str, names: Sequence[str]) -> float:
    # token_set_ratio forgives missing words ("bao cao nam" in the full title); the plain
    # ratio breaks ties in favour of the name closest to the whole query.
    return max(
        0.8 * fuzz.token_set_ratio(query, fold(n), processor=None)
        + 0.2 * fuzz.ratio(query, fold(n), processor=None)
        for n in names
    )


def parse_request(plan: Plan, text: str) -> Request:
    """Read the arguments of ``/nhacviec`` for ``plan``.

    ``trước 5 1 0`` (or only numbers) sets lead days; otherwise items separated by ``;`` or
    ``,`` name deadlines (by title or id) or units (by name, alias or id). Dateless deadlines
    ("khi có yêu cầu") are not offered.

    Returns:
        The request; ``unknown`` lists the items that matched nothing.
    """
    words = fold(text).split()
    if words and words[0] in ("truoc", "ngay", "nhac"):
        words = words[1:]
    if words and all(w.isdigit() for w in words):
        return Request(lead_days=[int(w) for w in words])
    targets = [("deadline", d.id, d.rule.kind, [d.title, d.id]) for d in plan.deadlines]
    targets += [("unit", u.id, "", [u.name, *u.aliases, u.id]) for u in plan.units]
    request = Request()
    for item in (p.strip() for p in text.replace(";", ",").split(",")):
        query = fold(item)
        if not query:
            continue
        score, what, ident, rule = max(
            (_score(query, names), what, ident, rule) for what, ident, rule, names in targets
        )
        if score < MATCH_THRESHOLD:
            request.unknown.append(item)
        elif what == "unit":
            request.unit_ids.append(ident)
        elif rule == "none":
            request.dateless.append(item)
        else:
            request.deadline_ids.append(ident)
    return request


def watched_deadlines(plan: Plan, sub: ReminderSubscription) -> list[Deadline]:
    """The dated deadlines of ``plan`` a subscription follows (a ``none`` rule never is)."""
    return [
        d for d in plan.deadlines
        if d.rule.kind != "none"
        and (not sub.deadline_ids or d.id in sub.deadline_ids)
        and (not sub.unit_ids or not d.submitters or set(d.submitters) & set(sub.unit_ids))
    ]


# --- content: who has not reported yet ---------------------------------------------------------


@dataclass(frozen=True)
class Officer:
    """A registered, approved officer of a unit (for mentions)."""

    telegram_id: int
    full_name: str
    username: str | None


@dataclass(frozen=True)
class MissingUnit:
    """A unit that has not reported for the occurrence, with its registered officers."""

    unit_id: str
    name: str
    officers: tuple[Officer, ...] = ()


@dataclass(frozen=True)
class Reminder:
    """What one reminder says; computed when it is claimed (or previewed)."""

    kind: str
    chat_id: int
    plan_id: str
    plan_label: str
    deadline_id: str
    title: str
    date: dt.date
    lead_days: int
    days_left: int
    recipient: str
    via: str | None
    missing: tuple[MissingUnit, ...]
    delivery_id: int | None = None
    unit_name: str | None = None  # private: the officer's unit

    @property
    def occurrence_key(self) -> str:
        """``plan:deadline:date``."""
        return f"{self.plan_id}:{self.deadline_id}:{self.date.isoformat()}"


def missing_units(session: Session, kb: KnowledgeBase, occ: Occurrence, today: dt.date,
                  unit_ids: Sequence[str] = ()) -> tuple[MissingUnit, ...]:
    """The units of ``occ`` with no report yet (only ``unit_ids`` if given), in plan order."""
    assert occ.date is not None
    board = reports.status_board(session, kb, reports.Period.from_occurrence(occ), today)
    wanted = set(board.missing_unit_ids)
    if unit_ids:
        wanted &= set(unit_ids)
    if not wanted:
        return ()
    officers: dict[str, list[Officer]] = {}
    for reg in registry.list_registrations(session, plan_id=occ.plan.id, status=STATUS_APPROVED,
                                           role=ROLE_OFFICER):
        if reg.unit_id in wanted:
            officers.setdefault(reg.unit_id, []).append(
                Officer(reg.telegram_id, reg.full_name, reg.username))
    return tuple(
        MissingUnit(r.unit_id, r.unit_name,
                    tuple(sorted(officers.get(r.unit_id, []), key=lambda o: o.telegram_id)))
        for r in board.rows if r.unit_id in wanted
    )


def _reminder(occ: Occurrence, kind: str, chat_id: int, lead: int, today: dt.date,
              missing: tuple[MissingUnit, ...], unit_name: str | None = None) -> Reminder:
    assert occ.date is not None
    d, plan = occ.deadline, occ.plan
    return Reminder(
        kind=kind, chat_id=chat_id, plan_id=plan.id, plan_label=f"{plan.locality} {plan.year}",
        deadline_id=d.id, title=d.title, date=occ.date, lead_days=lead,
        days_left=(occ.date - today).days, recipient=d.recipient, via=d.via, missing=missing,
        unit_name=unit_name,
    )


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
    retry: bool = False  # a stale claim of a dead process, sent again

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
    end = today + dt.timedelta(days=max(leads))
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


def _insert(session: Session, values: dict[str, Any]) -> int | None:
    """INSERT … ON CONFLICT DO NOTHING on the reminder key; the new id, or None when taken."""
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(ReminderDelivery)
    statement = insert.values(**values).on_conflict_do_nothing(
        index_elements=["chat_id", "occurrence_key", "lead_days"]
    ).returning(col(ReminderDelivery.id))
    return session.exec(statement).scalar_one_or_none()  # type: ignore[call-overload]


def _record_skip(session: Session, due: Due, now: dt.datetime, reason: str) -> None:
    inserted = _insert(session, {
        "chat_id": due.chat_id, "occurrence_key": due.occurrence_key,
        "lead_days": due.lead_days, "kind": due.kind, "plan_id": due.plan_id,
        "status": REMINDER_SKIPPED, "due_at": due.due_at, "claimed_at": now, "claimed_by": "",
        "attempts": 0, "error": reason,
    })
    if inserted is not None:
        logger.info("reminder %s to %s (%s days) skipped: %s", due.occurrence_key, due.chat_id,
                    due.lead_days, reason)


def plan_due(session: Session, kb: KnowledgeBase, now: dt.datetime, schedule: Schedule,
             *, private: bool = True) -> list[Due]:
    """What should be sent now: one reminder per (chat, occurrence) at most, catch-up included.

    Per chat and occurrence only the latest reminder whose time has passed may be sent; older
    unsent ones, reminders of a passed deadline, and overdue notices later than
    :data:`OVERDUE_CATCH_UP_DAYS` are recorded ``skipped`` (and logged). A claim older than the
    lease is due again (``retry``) until :data:`MAX_ATTEMPTS`, then recorded ``failed``.

    Args:
        session: the session (skips are written with it).
        kb: the knowledge base.
        now: the current time (timezone-aware).
        schedule: hour, default lead days, lease.
        private: also plan the private reminders to officers of missing units.

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
    keys = {c.occurrence_key for c in candidates}
    records = {
        (r.chat_id, r.occurrence_key, r.lead_days): r
        for r in session.exec(
            select(ReminderDelivery.id, ReminderDelivery.chat_id, ReminderDelivery.occurrence_key,
                   ReminderDelivery.lead_days, ReminderDelivery.status,
                   ReminderDelivery.claimed_at, ReminderDelivery.attempts)
            .where(col(ReminderDelivery.occurrence_key).in_(keys))
        ).all()
    }
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
        elif record.status == REMINDER_CLAIMED and record.claimed_at < now - schedule.lease:
            if record.attempts < MAX_ATTEMPTS:
                due.append(dataclasses.replace(latest, retry=True))
            else:
                mark_failed(session, record.id, error="abandoned")
                logger.error("reminder %s to %s abandoned after %d attempts",
                             latest.occurrence_key, latest.chat_id, record.attempts)
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
    if occ.deadline.submitters and not missing:
        if due.retry:
            session.exec(update(ReminderDelivery).where(  # type: ignore[call-overload]
                ReminderDelivery.chat_id == due.chat_id,
                ReminderDelivery.occurrence_key == due.occurrence_key,
                ReminderDelivery.lead_days == due.lead_days,
                ReminderDelivery.status == REMINDER_CLAIMED,
            ).values(status=REMINDER_SKIPPED, error="complete"))
        else:
            _record_skip(session, due, now, "complete")
        return None
    if due.retry:
        delivery_id = session.exec(update(ReminderDelivery).where(  # type: ignore[call-overload]
            ReminderDelivery.chat_id == due.chat_id,
            ReminderDelivery.occurrence_key == due.occurrence_key,
            ReminderDelivery.lead_days == due.lead_days,
            ReminderDelivery.status == REMINDER_CLAIMED,
            col(ReminderDelivery.claimed_at) < now - schedule.lease,
            col(ReminderDelivery.attempts) < MAX_ATTEMPTS,
        ).values(claimed_at=now, claimed_by=worker[:128],
                 attempts=col(ReminderDelivery.attempts) + 1)
          .returning(col(ReminderDelivery.id))).scalar_one_or_none()
    else:
        delivery_id = _insert(session, {
            "chat_id": due.chat_id, "occurrence_key": due.occurrence_key,
            "lead_days": due.lead_days, "kind": due.kind, "plan_id": due.plan_id,
            "status": REMINDER_CLAIMED, "due_at": due.due_at, "claimed_at": now,
            "claimed_by": worker[:128], "attempts": 1,
        })
    if delivery_id is None:
        return None
    unit_name = missing[0].name if due.kind == KIND_PRIVATE else None
    reminder = _reminder(occ, due.kind, due.chat_id, due.lead_days, today, missing, unit_name)
    return dataclasses.replace(reminder, delivery_id=delivery_id)


def mark_sent(session: Session, delivery_id: int, *, now: dt.datetime,
              message_id: int | None = None) -> None:
    """Record that the reminder left (after Telegram accepted it)."""
    session.exec(update(ReminderDelivery).where(  # type: ignore[call-overload]
        col(ReminderDelivery.id) == delivery_id
    ).values(status=REMINDER_SENT, sent_at=now, message_id=message_id, error=None))


def mark_failed(session: Session, delivery_id: int, *, error: str) -> None:
    """Record that the reminder cannot be delivered (bot removed, bad request…): not retried."""
    session.exec(update(ReminderDelivery).where(  # type: ignore[call-overload]
        col(ReminderDelivery.id) == delivery_id
    ).values(status=REMINDER_FAILED, error=error[:255]))


def move_claim(session: Session, delivery_id: int, new_chat_id: int) -> bool:
    """Move a reminder record to a group's new (supergroup) id.

    Returns:
        False when ``new_chat_id`` has the same reminder already (this record is dropped).
    """
    row = session.get(ReminderDelivery, delivery_id)
    if row is None:
        return False
    taken = session.exec(select(ReminderDelivery.id).where(
        ReminderDelivery.chat_id == new_chat_id,
        ReminderDelivery.occurrence_key == row.occurrence_key,
        ReminderDelivery.lead_days == row.lead_days,
    )).first()
    if taken is not None:
        session.exec(delete(ReminderDelivery).where(  # type: ignore[call-overload]
            col(ReminderDelivery.id) == delivery_id))
        return False
    row.chat_id = new_chat_id
    session.flush()
    return True


def delivery(session: Session, chat_id: int, occurrence_key: str, lead_days: int
             ) -> ReminderDelivery | None:
    """The record of one reminder, or None."""
    return session.exec(select(ReminderDelivery).where(
        ReminderDelivery.chat_id == chat_id, ReminderDelivery.occurrence_key == occurrence_key,
        ReminderDelivery.lead_days == lead_days,
    )).first()


# --- looking ahead ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """A reminder the schedule will fire on ``fire_at`` (for ``kehoach reminders preview``)."""

    fire_at: dt.datetime
    reminder: Reminder
    chat_title: str | None
    status: str | None  # already recorded: claimed, sent, skipped, failed


def preview(session: Session, kb: KnowledgeBase, today: dt.date, days: int,
            schedule: Schedule) -> list[Planned]:
    """What the active subscriptions will send from ``today`` for ``days`` days, and to whom.

    Missing units are as of now; private reminders go to the officers of each missing unit.

    Returns:
        The reminders by firing time (group first, then private).
    """
    end = today + dt.timedelta(days=max(days, 1) - 1)
    out: dict[tuple[int, str, int], Planned] = {}
    missing: dict[tuple[str, tuple[str, ...]], tuple[MissingUnit, ...]] = {}
    for sub in list_subscriptions(session, active=True):
        plan = kb.get(sub.plan_id)
        if plan is None:
            continue
        leads = (*schedule.leads_of(sub), OVERDUE)
        for d in watched_deadlines(plan, sub):
            first = today - dt.timedelta(days=1)
            for day in dates_between(d.rule, first, end + dt.timedelta(days=max(leads))):
                occ = Occurrence(plan, d, day)
                for lead in leads:
                    fire = schedule.fire_at(day, lead)
                    if not today <= fire.date() <= end:
                        continue
                    key = (occ.key, tuple(sub.unit_ids))
                    if key not in missing:
                        missing[key] = missing_units(session, kb, occ, today, sub.unit_ids)
                    kind = KIND_OVERDUE if lead == OVERDUE else KIND_GROUP
                    items = [(kind, sub.chat_id, None, missing[key], sub.title)]
                    items += [(KIND_PRIVATE, o.telegram_id, u.name, (u,), o.full_name)
                              for u in missing[key] for o in u.officers]
                    for kind_, chat_id, unit_name, units, title in items:
                        if (d.submitters and not units) or (chat_id, occ.key, lead) in out:
                            continue
                        record = delivery(session, chat_id, occ.key, lead)
                        reminder = _reminder(occ, kind_, chat_id, lead, fire.date(), units,
                                             unit_name)
                        out[(chat_id, occ.key, lead)] = Planned(
                            fire, reminder, title, record.status if record else None)
    return sorted(out.values(), key=lambda p: (
        p.fire_at, p.reminder.kind == KIND_PRIVATE, p.reminder.chat_id))


# --- for the chat: the next reminder, the calendar -------------------------------------------


def next_occurrence(plan: Plan, sub: ReminderSubscription, today: dt.date) -> Occurrence | None:
    """The first occurrence on or after ``today`` of the deadlines ``sub`` follows."""
    found = [
        Occurrence(plan, d, day)
        for d in watched_deadlines(plan, sub)
        for day in dates_between(d.rule, today, today + dt.timedelta(days=366))[:1]
    ]
    return min(found, key=lambda o: (o.date, o.deadline.title), default=None)


def calendar_occurrences(session: Session, kb: KnowledgeBase, chat_id: int, today: dt.date,
                         days: int = 365) -> tuple[str | None, list[Occurrence]]:
    """The dated deadlines of a chat for the next ``days`` days (for ``/lich``).

    The chat's subscription decides the plan and the deadlines followed; without one, the
    chat's selected plan and all its deadlines.

    Returns:
        (plan id or None when the chat has no plan, occurrences ascending).
    """
    from storage.chats import get_chat_plan

    subs = subscriptions_of(session, chat_id)
    plan_id = subs[0].plan_id if subs else get_chat_plan(session, chat_id)
    plan = kb.get(plan_id) if plan_id else None
    if plan is None:
        return None, []
    deadlines = watched_deadlines(plan, subs[0]) if subs else plan.deadlines
    end = today + dt.timedelta(days=days)
    found = [
        Occurrence(plan, d, day) for d in deadlines for day in dates_between(d.rule, today, end)
    ]
    found.sort(key=lambda o: (o.date, o.deadline.title))
    return plan.id, found
