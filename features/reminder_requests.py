"""What a group asks of its reminders: ``/nhacviec`` and ``/tatnhac``, with a typed outcome.

``/nhacviec`` subscribes (filters, lead days) or previews, ``/tatnhac`` stops: one unit of
work each.

A refusal raises :class:`features.permissions.PermissionDenied` (only a plan's coordinators
and the admins manage a group's reminders). Functions take a session and never commit.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session

from features import reminders as rem
from features.permissions import Action, load_actor
from features.plans import resolve_plan
from features.reminder_preview import Planned, preview
from knowledge.base import KnowledgeBase
from knowledge.deadlines import Occurrence
from storage.models import ReminderSubscription

UPCOMING_DAYS = 30  # /nhacviec xem: what the group will be sent in the next 30 days


class Status(enum.StrEnum):
    """How a /nhacviec or /tatnhac ended."""

    OK = "ok"
    NO_PLAN = "no_plan"  # the group has chosen no (loaded) plan
    NONE = "none"  # /tatnhac: nothing to stop
    UNKNOWN = "unknown"  # items that name no deadline or unit
    DATELESS = "dateless"  # deadlines with no date: never reminded
    BAD_LEADS = "bad_leads"  # lead days out of range
    UNKNOWN_TARGET = "unknown_target"  # ids the plan does not have
    UNKNOWN_PLAN = "unknown_plan"


@dataclass(frozen=True)
class Outcome:
    """What a /nhacviec or /tatnhac did: :attr:`Status.OK` or why not, with what to show.

    Attributes:
        status: how it ended.
        subscription: the active subscription (/nhacviec, ok).
        items: the user's items a refusal is about.
        next: the next deadline the subscription follows (/nhacviec, ok).
        choices: the plan's reminded deadlines (to choose from after a refusal).
    """

    status: Status
    subscription: ReminderSubscription | None = None
    items: tuple[str, ...] = ()
    next: Occurrence | None = None
    choices: tuple[str, ...] = ()


def subscribe(session: Session, kb: KnowledgeBase, admin_ids: Iterable[int], chat_id: int,
              title: str | None, user_id: int, text: str, now: dt.datetime,
              topic: int | None = None) -> Outcome:
    """``/nhacviec <text>`` in ``chat_id``: subscribe the group to its plan's reminders.

    Args:
        session: the unit of work's session.
        kb: the knowledge base.
        admin_ids: the admins' Telegram ids.
        chat_id: the group.
        title: the group's title.
        user_id: who asked.
        text: the command's arguments (deadlines; units, or lead days).
        now: when (timezone-aware).
        topic: the forum topic it was typed in, if any.

    Raises:
        PermissionDenied: the asker is neither a coordinator of the group's plan nor an admin.

    Returns:
        The outcome.
    """
    resolution = resolve_plan(session, kb, user_id, None, chat_id, "nhacviec",
                              admin_ids=admin_ids, action=Action.MANAGE_REMINDERS,
                              chat_only=True)
    if resolution.plan_id is None:
        return Outcome(Status.NO_PLAN)
    plan = kb.get(resolution.require())
    assert plan is not None  # resolve_plan returns plans of the knowledge base only
    actor = resolution.actor
    request = rem.parse_request(plan, text)
    if request.unknown or request.dateless:
        choices = tuple(d.title for d in plan.deadlines if rem.is_reminded(d))
        return Outcome(Status.UNKNOWN if request.unknown else Status.DATELESS,
                       items=tuple(request.unknown or request.dateless), choices=choices)
    try:
        if request.lead_days is not None:
            sub = rem.subscribe(session, kb, actor, chat_id, plan.id, now=now, title=title,
                                lead_days=request.lead_days, topic=topic)
        else:
            deadline_ids, unit_ids = request.filters
            sub = rem.subscribe(session, kb, actor, chat_id, plan.id, now=now, title=title,
                                deadline_ids=deadline_ids, unit_ids=unit_ids, topic=topic)
    except rem.ReminderError as exc:
        return Outcome(Status(exc.reason), items=tuple(exc.items))
    return Outcome(Status.OK, sub, next=rem.next_occurrence(plan, sub, now.date()))


def unsubscribe(session: Session, admin_ids: Iterable[int], chat_id: int, user_id: int,
                now: dt.datetime) -> Outcome:
    """``/tatnhac`` in ``chat_id``: stop the group's reminders (of every plan).

    Raises:
        PermissionDenied: the asker may not manage one of the plans concerned.

    Returns:
        :attr:`Status.OK`, or :attr:`Status.NONE` when nothing was on.
    """
    if not rem.subscriptions_of(session, chat_id):
        return Outcome(Status.NONE)
    actor = load_actor(session, user_id, admin_ids)
    rem.unsubscribe(session, actor, chat_id, now=now)
    return Outcome(Status.OK)


def upcoming(session: Session, kb: KnowledgeBase, chat_id: int, today: dt.date,
             schedule: rem.Schedule) -> list[Planned]:
    """What ``chat_id`` will be sent in the next :data:`UPCOMING_DAYS` days (shifted times).

    Returns:
        The group's reminders by firing time (private ones left out).
    """
    return [p for p in preview(session, kb, today, UPCOMING_DAYS, schedule)
            if p.reminder.chat_id == chat_id and p.reminder.kind != rem.KIND_PRIVATE]
