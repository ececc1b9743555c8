"""Changing a chat's plan once the chat has reminders: who may, and what the reminders become.

A group with reminders keeps them on the plan it follows; only that plan's coordinators or an
admin change the group's plan, and the change moves the reminders to the new plan (their lead
days kept, the old plan's deadline and unit filters dropped) or ends them, in the same unit of
work as the new selection. Functions take a session and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session

from features import reminders as rem
from features.permissions import Action, PermissionDenied, allowed, load_actor
from knowledge.base import KnowledgeBase
from storage import audit, chats

PLAN_CHANGED = "chat.plan_changed"
ENDED_REASON = "plan_changed"


@dataclass(frozen=True)
class PlanChange:
    """What choosing ``plan_id`` for a chat did.

    Attributes:
        moved: the plans whose reminders now follow the new plan.
        ended: the plans whose reminders were switched off.
    """

    moved: list[str] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)


def change_chat_plan(session: Session, kb: KnowledgeBase, admin_ids: Iterable[int],
                     user_id: int | None, chat_id: int, plan_id: str | None, *,
                     title: str | None, chat_type: str | None, now: dt.datetime) -> PlanChange:
    """Select ``plan_id`` for ``chat_id`` (None: every plan), moving or ending its reminders.

    Args:
        session: the unit of work's session.
        kb: the knowledge base.
        admin_ids: the admins' Telegram ids.
        user_id: who chose.
        chat_id: the chat.
        plan_id: the new plan, or None to clear the selection.
        title: the chat's title.
        chat_type: the chat's type.
        now: when (timezone-aware).

    Raises:
        PermissionDenied: the chat has reminders the user may not manage (nothing changed).

    Returns:
        The change.
    """
    others = [s for s in rem.subscriptions_of(session, chat_id) if s.plan_id != plan_id]
    if not others:
        chats.set_chat_plan(session, chat_id, plan_id, title=title, chat_type=chat_type,
                            now=now)
        return PlanChange()
    actor = load_actor(session, user_id or 0, admin_ids)
    for sub in others:
        if not allowed(actor, Action.MANAGE_REMINDERS, plan_id=sub.plan_id):
            raise PermissionDenied(Action.MANAGE_REMINDERS, sub.plan_id, subject="chat_plan")
    old = chats.get_chat_plan(session, chat_id)
    chats.set_chat_plan(session, chat_id, plan_id, title=title, chat_type=chat_type, now=now)
    may_move = plan_id is not None and kb.get(plan_id) is not None and allowed(
        actor, Action.MANAGE_REMINDERS, plan_id=plan_id)
    change = PlanChange()
    for sub in others:
        sub.active, sub.deactivated_reason, sub.updated_at = False, ENDED_REASON, now
        audit.record(session, actor_id=actor.telegram_id, actor=actor.label,
                     action=rem.UNSUBSCRIBED, target=f"chat:{chat_id}", plan_id=sub.plan_id,
                     details={"reason": ENDED_REASON, "new_plan_id": plan_id}, now=now)
        (change.moved if may_move else change.ended).append(sub.plan_id)
    session.flush()
    if may_move:
        assert plan_id is not None
        leads = max((s.lead_days or [] for s in others), key=len, default=None)
        rem.subscribe(session, kb, actor, chat_id, plan_id, now=now, title=title,
                      deadline_ids=[], unit_ids=[], lead_days=leads or None)
    audit.record(session, actor_id=actor.telegram_id, actor=actor.label, action=PLAN_CHANGED,
                 target=f"chat:{chat_id}", plan_id=plan_id,
                 details={"old_plan_id": old, "moved": change.moved, "ended": change.ended},
                 now=now)
    return change


def plan_of(session: Session, chat_id: int) -> str | None:
    """The plan ``chat_id`` chose, or None (none chosen, or the chat is inactive)."""
    return chats.get_chat_plan(session, chat_id)


def select_plan(session: Session, chat_id: int, plan_id: str, *, title: str | None,
                chat_type: str | None, now: dt.datetime) -> str:
    """Select ``plan_id`` for ``chat_id`` by name or place (``/kehoach <nơi>``).

    Args:
        session: the unit of work's session.
        chat_id: the chat.
        plan_id: the plan (a loaded one).
        title: the chat's title.
        chat_type: the chat's type.
        now: when (timezone-aware).

    Returns:
        The plan id now selected.
    """
    chats.set_chat_plan(session, chat_id, plan_id, title=title, chat_type=chat_type, now=now)
    return plan_id
