"""Deadline reminders: the schedule, what a group asks for, and what a reminder says.

What a reminder says: the deadline, and who has not reported yet, with their registered
officers. Subscriptions are in :mod:`features.reminder_subscriptions` (re-exported here).

When reminders are due and how each one is claimed, sent exactly once and recorded is in
:mod:`features.reminder_delivery`. Functions take a session and never commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz
from sqlmodel import Session

from core.clock import VN_TZ
from core.texts.reminders import DAY_OFF_NOTE
from features import registry, reports
from features.reminder_subscriptions import (
    DEACTIVATED,
    MAX_LEAD_DAYS,
    MIGRATED,
    SUBSCRIBED,
    TOPIC_STALE,
    UNSUBSCRIBED,
    ReminderError,
    check_lead_days,
    deactivate_chat,
    list_subscriptions,
    mark_topic_stale,
    migrate_chat,
    subscribe,
    subscriptions_of,
    topic_of,
    unsubscribe,
)
from knowledge.base import KnowledgeBase
from knowledge.deadlines import Occurrence, dates_between
from knowledge.schema import Deadline, Plan
from knowledge.textnorm import fold
from knowledge.workdays import WorkingCalendar, load_working_calendar
from storage import chats
from storage.models import ROLE_OFFICER, STATUS_APPROVED, ReminderSubscription

logger = logging.getLogger(__name__)

# Re-exported: the subscriptions live in features.reminder_subscriptions.
__all__ = [
    "DEACTIVATED", "MAX_LEAD_DAYS", "MIGRATED", "SUBSCRIBED", "TOPIC_STALE",
    "UNSUBSCRIBED", "ReminderError", "check_lead_days", "deactivate_chat", "list_subscriptions",
    "mark_topic_stale", "migrate_chat", "subscribe", "subscriptions_of",
    "topic_of", "unsubscribe",
]

OVERDUE = -1  # lead days of the overdue notice: the day after the due date
KIND_GROUP = "group"  # a reminder before the due date, in a group
KIND_OVERDUE = "overdue"  # the overdue notice, in a group
KIND_PRIVATE = "private"  # to an officer of a unit that has not reported
# A claim not marked sent after this long belongs to a dead process: it is sent again.
CLAIM_LEASE = dt.timedelta(minutes=5)
MAX_SHIFT_DAYS = 20  # knowledge.workdays.MAX_SHIFT_DAYS



_CALENDARS: dict[bool, WorkingCalendar] = {}


def working_calendar(skip_weekends: bool = True) -> WorkingCalendar:
    """The working calendar (the reviewed list is read once per process)."""
    if skip_weekends not in _CALENDARS:
        _CALENDARS[skip_weekends] = load_working_calendar(skip_weekends=skip_weekends)
    return _CALENDARS[skip_weekends]


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
        """The schedule of ``settings``' reminder lead days, hour and time zone.

        With the working calendar (weekends off unless ``reminder_skip_weekends`` is false).
        """
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
        """The note of a due date that is a day off ("10/12 là Chủ nhật"), else ""."""
        reason = self.calendar.day_off_reason(day) if self.calendar is not None else None
        return DAY_OFF_NOTE.format(day=day, reason=reason) if reason else ""

    def leads_of(self, sub: ReminderSubscription) -> tuple[int, ...]:
        """The lead days of a subscription (its own, else the default)."""
        return tuple(sub.lead_days) if sub.lead_days else self.lead_days


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
    """Whether reminders follow a deadline: it has dates, and is not a daily report.

    Reminding days ahead of every day is noise; ``none`` and ``relative`` rules have no date.
    """
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

