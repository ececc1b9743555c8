"""Group subscriptions to deadline reminders, per chat and plan.

Subscribe, unsubscribe, and what a chat's life does to them (the bot removed, the group
migrated: :mod:`features.chats` decides).

Re-exported by :mod:`features.reminders`. Functions take a session and never commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence

from sqlmodel import Session, col, select

from features.permissions import Action, Actor, require
from knowledge.base import KnowledgeBase
from knowledge.schema import Plan
from storage import audit
from storage.models import ReminderDelivery, ReminderSubscription

logger = logging.getLogger(__name__)

MAX_LEAD_DAYS = 60

# Audit actions of subscription changes.
SUBSCRIBED = "reminders.subscribed"
UNSUBSCRIBED = "reminders.unsubscribed"
DEACTIVATED = "reminders.deactivated"
MIGRATED = "reminders.migrated"
TOPIC_STALE = "reminders.topic_stale"


class ReminderError(ValueError):
    """A subscription request that cannot be done; ``reason`` says why, ``items`` what."""

    def __init__(self, reason: str, items: Sequence[str] = ()) -> None:
        """Keep ``reason`` (a code) and the ``items`` concerned."""
        super().__init__(f"{reason}: {', '.join(items)}" if items else reason)
        self.reason = reason
        self.items = list(items)


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
            session.delete(row)
        else:
            row.chat_id = new_id
    session.flush()
    return moved
