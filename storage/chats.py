"""Chat settings and the rows kept under a chat id. Functions take a session, never commit.

The chat's life (migrated, removed, added back) is decided in :mod:`features.chats`, which
calls these in one unit of work.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from storage.models import ChatSettings, ConversationState, FinishedStep


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


def get_chat(session: Session, chat_id: int) -> ChatSettings | None:
    """The settings row of ``chat_id``, or None."""
    return session.get(ChatSettings, chat_id)


def get_chat_plan(session: Session, chat_id: int) -> str | None:
    """The plan id ``chat_id`` selected, or None (also when the chat was deactivated)."""
    row = session.get(ChatSettings, chat_id)
    return row.plan_id if row is not None and row.active else None


def set_chat_plan(
    session: Session,
    chat_id: int,
    plan_id: str | None,
    *,
    title: str | None = None,
    chat_type: str | None = None,
    now: dt.datetime | None = None,
) -> ChatSettings:
    """Remember ``plan_id`` for ``chat_id`` (None forgets it); the chat becomes active.

    Args:
        session: the unit of work's session.
        chat_id: the Telegram chat id.
        plan_id: the selected plan, or None to clear the selection.
        title: the chat's title, kept when not given.
        chat_type: ``private``, ``group``, ``supergroup`` or ``channel``, kept when not given.
        now: the time of the change (default: the current time).

    Returns:
        The settings row (not yet committed).
    """
    row = session.get(ChatSettings, chat_id)
    if row is None:
        row = ChatSettings(chat_id=chat_id, updated_at=_now(now))
        session.add(row)
    row.plan_id = plan_id
    row.active = True
    if title is not None:
        row.title = title
    if chat_type is not None:
        row.chat_type = chat_type
    row.updated_at = _now(now)
    session.flush()
    return row


def migrate_chat(
    session: Session, old_id: int, new_id: int, *, now: dt.datetime | None = None
) -> ChatSettings | None:
    """Move the settings of ``old_id`` to ``new_id`` (a group upgraded to a supergroup).

    The settings already stored for ``new_id``, if any, win; ``old_id`` is removed.

    Returns:
        The settings of ``new_id``, or None when neither chat had any.
    """
    old = session.get(ChatSettings, old_id)
    new = session.get(ChatSettings, new_id)
    if old is None:
        return new
    if new is None:
        new = ChatSettings(
            chat_id=new_id, plan_id=old.plan_id, title=old.title, active=old.active,
            chat_type="supergroup", updated_at=_now(now),
        )
        session.add(new)
    session.delete(old)
    session.flush()
    return new


def deactivate_chat(session: Session, chat_id: int, *, now: dt.datetime | None = None) -> bool:
    """Mark ``chat_id`` inactive (the bot was removed or blocked); its plan is kept.

    Returns:
        Whether the chat was known.
    """
    row = session.get(ChatSettings, chat_id)
    if row is None:
        return False
    row.active = False
    row.updated_at = _now(now)
    session.flush()
    return True


def move_conversations(session: Session, old_id: int, new_id: int) -> int:
    """Move the conversations and finished steps of ``old_id`` to ``new_id``.

    What ``new_id`` already has wins (the row of ``old_id`` is then removed).

    Args:
        session: the unit of work's session.
        old_id: the chat id before the migration.
        new_id: the chat id after it.

    Returns:
        How many rows moved.
    """
    moved = 0
    rows: list[ConversationState | FinishedStep] = [
        *session.exec(select(ConversationState).where(col(ConversationState.chat_id) == old_id)),
        *session.exec(select(FinishedStep).where(col(FinishedStep.chat_id) == old_id)),
    ]
    for row in rows:
        data = {**row.model_dump(), "chat_id": new_id}
        key = (new_id, row.user_id,
               row.name if isinstance(row, ConversationState) else row.token)
        session.delete(row)
        session.flush()
        if session.get(type(row), key) is None:
            session.add(type(row)(**data))
            moved += 1
    session.flush()
    return moved
