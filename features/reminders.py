"""Deadline reminders: group subscriptions (per chat and plan), what a group asks for, and what
a reminder says — who has not reported yet, with their registered officers.

When reminders are due and how each one is claimed, sent exactly once and recorded is in
:mod:`features.reminder_delivery`. Functions take a session and never commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz
from sqlalchemy import delete
from sqlmodel import Session, col, select

from core.clock import VN_TZ
from features import registry, reports
from features.permissions import Action, Actor, require
from knowledge.base import KnowledgeBase
from knowledge.deadlines import Occurrence, dates_between
from knowledge.schema import Deadline, Plan
from knowledge.textnorm import fold
from knowledge.workdays import WorkingCalendar, load_working_calendar
from storage import audit, chats
from storage.models import (
    ROLE_OFFICER,
    STATUS_APPROVED,
    ReminderDelivery,
    ReminderSubscription,
)

logger = logging.getLogger(__name__)

OVERDUE = -1  # lead days of the overdue notice: the day after the due date
KIND_GROUP = "group"  # a reminder before the due date, in a group
KIND_OVERDUE = "overdue"  # the overdue notice, in a group
KIND_PRIVATE = "private"  # to an officer of a unit that has not reported
# A claim not marked sent after this long belongs to a dead process: it is sent again.
CLAIM_LEASE = dt.timedelta(minutes=5)
MAX_LEAD_DAYS = 60
MAX_SHIFT_DAYS = 20  # knowledge.workdays.MAX_SHIFT_DAYS

# Audit actions of subscription changes.
SUBSCRIBED = "reminders.subscribed"
UNSUBSCRIBED = "reminders.unsubscribed"
DEACTIVATED = "reminders.deactivated"
MIGRATED = "reminders.migrated"
TOPIC_STALE = "reminders.topic_stale"


_CALENDARS: dict[bool, WorkingCalendar] = {}


def working_calendar(skip_weekends: bool = True) -> WorkingCalendar:
    """The working calendar (the reviewed list is read once per process)."""
    if skip_weekends not in _CALENDARS:
        _CALENDARS[skip_weekends] = load_working_calendar(skip_weekends=skip_weekends)
    return _CALENDARS[skip_weekends]


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
    # None: every day is a working day; else reminders avoid weekends, holidays and breaks
    calendar: WorkingCalendar | None = None

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> Schedule:
        """The schedule of ``settings.reminder_lead_days`` / ``reminder_hour`` / ``timezone``,
        with the working calendar (weekends off unless ``reminder_skip_weekends`` is false)."""
        values: dict[str, Any] = {
            "lead_days": tuple(settings.reminder_lead_days), "hour": settings.reminder_hour,
            "tz": ZoneInfo(settings.timezone),
            "calendar": working_calendar(
                bool(getattr(settings, "reminder_skip_weekends", True))),
        }
        values.update(overrides)
        return cls(**values)

    def fire_at(self, due: dt.date, lead: int) -> dt.datetime:
        """When the reminder ``lead`` days before ``due`` fires (timezone-aware).

        A day off moves a reminder to the previous working day, at the usual hour; the overdue
        notice, which must come after the due date, moves to the next working day.
        """
        day = due - dt.timedelta(days=lead)
        if self.calendar is not None:
            day = (self.calendar.next_working_day(day) if lead == OVERDUE
                   else self.calendar.previous_working_day(day))
        return dt.datetime.combine(day, dt.time(self.hour), tzinfo=self.tz)

    @property
    def shift_days(self) -> int:
        """How far a reminder may move before its nominal day (for search windows)."""
        return MAX_SHIFT_DAYS if self.calendar is not None else 0

    def date_note(self, day: dt.date) -> str:
        """ "10/12 là Chủ nhật" when the due date is a day off, else ""."""
        reason = self.calendar.day_off_reason(day) if self.calendar is not None else None
        return f"{day:%d/%m} là {reason}" if reason else ""

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
    topic: int | None | bool = False,
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
        topic: the forum topic (``message_thread_id``) /nhacviec was typed in, None for the
            group itself (or its General topic); False keeps the current one.

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
    if topic is not False and not isinstance(topic, bool):
        sub.message_thread_id, sub.topic_stale_at = topic, None
    elif topic is None:
        sub.message_thread_id, sub.topic_stale_at = None, None
    sub.updated_at = now
    session.flush()
    audit.record(
        session, actor_id=actor.telegram_id, actor=actor.label, action=SUBSCRIBED,
        target=f"chat:{chat_id}", plan_id=plan_id,
        details={"deadline_ids": sub.deadline_ids, "unit_ids": sub.unit_ids,
                 "lead_days": sub.lead_days, "topic": sub.message_thread_id},
        now=now,
    )
    return sub


def topic_of(session: Session, chat_id: int, plan_id: str) -> int | None:
    """The forum topic a group's reminders of ``plan_id`` go to (None: no topic, or stale)."""
    sub = session.exec(select(ReminderSubscription).where(
        ReminderSubscription.chat_id == chat_id, ReminderSubscription.plan_id == plan_id)).first()
    if sub is None or sub.topic_stale_at is not None:
        return None
    return sub.message_thread_id


def mark_topic_stale(session: Session, chat_id: int, thread_id: int, *,
                     now: dt.datetime) -> int:
    """Telegram no longer knows topic ``thread_id`` of ``chat_id``: reminders go to the group.

    Logged and audited. Returns how many subscriptions used the topic.
    """
    subs = session.exec(select(ReminderSubscription).where(
        ReminderSubscription.chat_id == chat_id,
        ReminderSubscription.message_thread_id == thread_id,
        col(ReminderSubscription.topic_stale_at).is_(None))).all()
    for sub in subs:
        sub.topic_stale_at, sub.updated_at = now, now
        audit.record(session, actor_id=None, actor="system", action=TOPIC_STALE,
                     target=f"chat:{chat_id}", plan_id=sub.plan_id,
                     details={"topic": thread_id}, now=now)
    if subs:
        logger.warning("chat %s: topic %s not found, reminders now go to the group",
                       chat_id, thread_id)
    return len(subs)


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
    taken_keys = set(session.exec(
        select(ReminderDelivery.occurrence_key, ReminderDelivery.lead_days)
        .where(ReminderDelivery.chat_id == new_id)).all())
    rows = session.exec(select(ReminderDelivery).where(ReminderDelivery.chat_id == old_id)).all()
    for row in rows:
        if (row.occurrence_key, row.lead_days) in taken_keys:
            session.exec(delete(ReminderDelivery).where(  # type: ignore[call-overload]
                col(ReminderDelivery.id) == row.id))
        else:
            row.chat_id = new_id
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
    reset: bool = False  # "tất cả": every deadline of every unit again

    @property
    def filters(self) -> tuple[list[str] | None, list[str] | None]:
        """(deadline ids, unit ids) to set: None keeps the subscription's current choice."""
        if self.reset:
            return [], []
        return self.deadline_ids or None, self.unit_ids or None


def _score(query: str, names: Sequence[str]) -> float:
    # token_set_ratio forgives missing words ("bao cao nam" in the full title); the plain
    # ratio breaks ties in favour of the name closest to the whole query.
    return max(
        0.8 * fuzz.token_set_ratio(query, fold(n), processor=None)
        + 0.2 * fuzz.ratio(query, fold(n), processor=None)
        for n in names
    )


# Words every report title shares: the rest of a typed deadline must be in the title it matches
# ("báo cáo quý" is not "Báo cáo năm" though the fuzzy score is close).
COMMON_WORDS = frozenset({"bao", "cao", "han", "nop", "gui", "ke", "hoach", "ket", "qua"})
RESET_WORDS = frozenset({"tat ca", "ca ke hoach", "bo loc", "tat ca han"})


def _words_found(query: str, names: Sequence[str]) -> bool:
    words = {w for n in names for w in fold(n).replace("-", " ").split()}
    return all(
        any(w == k or (len(w) >= 3 and k.startswith(w)) for k in words)
        for w in query.split() if w not in COMMON_WORDS
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
    targets = [("deadline", d.id, "dated" if is_reminded(d) else "none", [d.title, d.id])
               for d in plan.deadlines]
    targets += [("unit", u.id, "", [u.name, *u.aliases, u.id]) for u in plan.units]
    if fold(text).strip() in RESET_WORDS:
        return Request(reset=True)
    request = Request()
    for item in (p.strip() for p in text.replace(";", ",").split(",")):
        query = fold(item)
        if not query:
            continue
        score, what, ident, rule, names = max(
            (_score(query, names), what, ident, rule, names)
            for what, ident, rule, names in targets
        )
        if score < MATCH_THRESHOLD or (what == "deadline" and not _words_found(query, names)):
            request.unknown.append(item)
        elif what == "unit":
            request.unit_ids.append(ident)
        elif rule == "none":
            request.dateless.append(item)
        else:
            request.deadline_ids.append(ident)
    return request


def is_reminded(deadline: Deadline) -> bool:
    """Whether reminders follow a deadline: it has dates, and is not a daily report (reminding
    days ahead of every day is noise). ``none`` and ``relative`` rules have no date."""
    return deadline.rule.dated and deadline.rule.kind != "daily"


def watched_deadlines(plan: Plan, sub: ReminderSubscription) -> list[Deadline]:
    """The dated deadlines of ``plan`` a subscription follows (see :func:`is_reminded`)."""
    return [
        d for d in plan.deadlines
        if is_reminded(d)
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
    date_note: str = ""  # "10/12 là Chủ nhật": the due date is a day off (it keeps its date)
    message_thread_id: int | None = None  # the group's forum topic, if it has one

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


def make_reminder(occ: Occurrence, kind: str, chat_id: int, lead: int, today: dt.date,
                  missing: tuple[MissingUnit, ...], unit_name: str | None = None,
                  date_note: str = "") -> Reminder:
    """The reminder of ``occ`` to ``chat_id`` as of ``today`` (days left counted from it)."""
    assert occ.date is not None
    d, plan = occ.deadline, occ.plan
    return Reminder(
        kind=kind, chat_id=chat_id, plan_id=plan.id, plan_label=f"{plan.locality} {plan.year}",
        deadline_id=d.id, title=d.title, date=occ.date, lead_days=lead,
        days_left=(occ.date - today).days, recipient=d.recipient, via=d.via, missing=missing,
        unit_name=unit_name, date_note=date_note,
    )


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
                         days: int = 365, fallback_plans: Sequence[str] = (),
                         ) -> tuple[str | None, list[Occurrence]]:
    """The dated deadlines of a chat for the next ``days`` days (for ``/lich``).

    The chat's subscription decides the plan and the deadlines followed; without one, the
    chat's selected plan and all its deadlines; without that, the plans of ``fallback_plans``
    (the asker's own plans).

    Returns:
        (the first plan's id, or None when there is no plan; occurrences ascending).
    """
    subs = subscriptions_of(session, chat_id)
    plan_id = subs[0].plan_id if subs else chats.get_chat_plan(session, chat_id)
    plans = [p for p in [kb.get(plan_id) if plan_id else None] if p is not None] or [
        p for p in (kb.get(x) for x in fallback_plans) if p is not None
    ]
    if not plans:
        return None, []
    end = today + dt.timedelta(days=days)
    found = []
    for plan in plans:
        deadlines = watched_deadlines(plan, subs[0]) if subs else [
            d for d in plan.deadlines if is_reminded(d)
        ]
        found += [Occurrence(plan, d, day) for d in deadlines
                  for day in dates_between(d.rule, today, end)]
    found.sort(key=lambda o: (o.date, o.deadline.title))
    return plans[0].id, found

