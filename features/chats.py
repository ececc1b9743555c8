"""The life of a chat, in one owner: migrated, the bot removed or refused, the bot added back.

Every table keyed by a chat id follows the chat in the same unit of work:

- **migrate** (a group upgraded to a supergroup, seen in a service message or as
  ``ChatMigrated`` on a send): the chat's settings, its reminder subscriptions and reminder
  records, its conversations and finished steps move to the new id — what the new id already
  has wins;
- **deactivate** (the bot removed — ``my_chat_member`` left or kicked — or ``Forbidden`` on a
  send): the chat is inactive (its plan kept) and its reminder subscriptions are off at once,
  so no reminder is planned for it; the result names the plans' coordinators to tell.
  Conversations are kept: they are private, a block can be lifted, and the idle expiry ends
  them — an incident draft is never destroyed by a block;
- **reactivate** (the bot added back): the chat is active with the plan it had; its reminders
  stay off until a coordinator types /nhacviec again (as the coordinators were told when they
  were switched off).

The bot keeps a cache of chat plans: whoever calls these forgets the chat ids there.
Functions take a session and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session

from features import registry, reminder_subscriptions as subs
from knowledge.base import KnowledgeBase
from storage import chats

REMOVED = "removed"  # the bot left or was kicked (``my_chat_member``)
FORBIDDEN = "forbidden"  # Telegram refused a send: the bot was removed or blocked


@dataclass(frozen=True)
class EndedReminders:
    """A plan's reminders switched off in a chat the bot left: who to tell.

    Attributes:
        chat_title: the chat's title (its id when it had none).
        plan_label: "<locality> <year>" of the plan (its id when it is not loaded).
        notify: the plan's coordinators, else the admins.
    """

    chat_title: str
    plan_label: str
    notify: tuple[int, ...]


@dataclass(frozen=True)
class Deactivated:
    """What deactivating a chat did.

    Attributes:
        chat_id: the chat.
        known: whether the chat had settings.
        ended: the reminders switched off, one per plan.
    """

    chat_id: int
    known: bool
    ended: tuple[EndedReminders, ...] = ()


@dataclass(frozen=True)
class Migrated:
    """What moving a chat to its new id did.

    Attributes:
        old_id: the group's id.
        new_id: the supergroup's id.
        subscriptions: reminder subscriptions moved.
        conversations: conversation rows and finished steps moved.
    """

    old_id: int
    new_id: int
    subscriptions: int
    conversations: int


@dataclass(frozen=True)
class Reactivated:
    """What the bot's return to a chat did.

    Attributes:
        chat_id: the chat.
        plan_id: the plan the chat had chosen (kept while the bot was away), or None.
    """

    chat_id: int
    plan_id: str | None


def deactivate(session: Session, kb: KnowledgeBase, chat_id: int, *, now: dt.datetime,
               reason: str = REMOVED, admin_ids: Iterable[int] = ()) -> Deactivated:
    """The bot may no longer write to ``chat_id``: the chat and its reminders are off.

    Args:
        session: the unit of work's session.
        kb: the knowledge base (the plans' labels).
        chat_id: the chat.
        now: when (timezone-aware).
        reason: :data:`REMOVED` or :data:`FORBIDDEN` (kept on the subscriptions, audited).
        admin_ids: told when a plan has no coordinator.

    Returns:
        What was switched off and whom to tell.
    """
    admins = list(admin_ids)
    known = chats.deactivate_chat(session, chat_id, now=now)
    ended = []
    for sub in subs.deactivate_chat(session, chat_id, now=now, reason=reason):
        plan = kb.get(sub.plan_id)
        label = f"{plan.locality} {plan.year}" if plan else sub.plan_id
        ended.append(EndedReminders(sub.title or str(chat_id), label,
                                    tuple(registry.approvers(session, sub.plan_id, admins))))
    return Deactivated(chat_id, known, tuple(ended))


def migrate(session: Session, old_id: int, new_id: int, *, now: dt.datetime) -> Migrated:
    """Move everything kept under ``old_id`` to ``new_id`` (idempotent).

    Args:
        session: the unit of work's session.
        old_id: the group's id.
        new_id: the supergroup's id.
        now: when (timezone-aware).

    Returns:
        What moved.
    """
    chats.migrate_chat(session, old_id, new_id, now=now)
    moved = subs.migrate_chat(session, old_id, new_id, now=now)
    conversations = chats.move_conversations(session, old_id, new_id)
    return Migrated(old_id, new_id, moved, conversations)


def reactivate(session: Session, chat_id: int, *, title: str | None, chat_type: str | None,
               now: dt.datetime) -> Reactivated:
    """The bot is back in ``chat_id``: active again, with the plan it had chosen.

    Args:
        session: the unit of work's session.
        chat_id: the chat.
        title: the chat's title.
        chat_type: the chat's type.
        now: when (timezone-aware).

    Returns:
        The chat and its plan.
    """
    row = chats.get_chat(session, chat_id)
    plan_id = row.plan_id if row is not None else None
    chats.set_chat_plan(session, chat_id, plan_id, title=title, chat_type=chat_type, now=now)
    return Reactivated(chat_id, plan_id)
