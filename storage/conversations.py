"""Persisted conversation state: where a /baocao or /dangky conversation stands.

One row per (chat, user, conversation name). A handler loads it, moves it on and saves it in
the same unit of work as the rest of the update, so a restart continues where it stopped.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from storage.models import ConversationState

# Per database engine, a superset of the (chat, user) pairs that may have a conversation under
# way in this process: every save() adds its pair before the commit, so a pair missing from it
# certainly has none and a private message skips the database read. Filled from the table on
# first use (conversations started before a restart); a pair leaves it only when a read finds
# nothing. None (no entry) means "not primed yet: ask the database".
_HINTS: weakref.WeakKeyDictionary[Engine, set[tuple[int, int]]] = weakref.WeakKeyDictionary()
_HINTS_LOCK = threading.Lock()
# Engines shared by several bot processes (webhook workers behind a load balancer): another
# process may start a conversation this one's hint never hears of, so every read goes through.
_SHARED: weakref.WeakSet[Engine] = weakref.WeakSet()


def share(engine: Engine) -> None:
    """Other processes write conversations on ``engine`` too: no hint, always read."""
    with _HINTS_LOCK:
        _SHARED.add(engine)
        _HINTS.pop(engine, None)


def might_be_open(engine: Engine, chat_id: int, user_id: int) -> bool:
    """False only when ``user_id`` certainly has no conversation in ``chat_id``."""
    with _HINTS_LOCK:
        hint = _HINTS.get(engine)
        return hint is None or (chat_id, user_id) in hint


def _note(session: Session, chat_id: int, user_id: int, open_: bool) -> None:
    engine = session.get_bind()
    with _HINTS_LOCK:
        hint = _HINTS.get(engine)  # type: ignore[arg-type]
        if hint is None:
            return
        if open_:
            hint.add((chat_id, user_id))
        else:
            hint.discard((chat_id, user_id))


def load_for_message(session: Session, chat_id: int, user_id: int) -> ConversationState | None:
    """:func:`load`, priming the hint on first use and dropping the pair when there is none."""
    engine = session.get_bind()
    with _HINTS_LOCK:
        primed = engine in _HINTS or engine in _SHARED
    if not primed:
        pairs = session.exec(select(ConversationState.chat_id, ConversationState.user_id)).all()
        with _HINTS_LOCK:
            _HINTS.setdefault(engine, set()).update((int(c), int(u)) for c, u in pairs)  # type: ignore[arg-type]
    row = load(session, chat_id, user_id)
    if row is None:
        _note(session, chat_id, user_id, open_=False)
    return row


def load(session: Session, chat_id: int, user_id: int) -> ConversationState | None:
    """The latest conversation of ``user_id`` in ``chat_id``, or None."""
    return session.exec(
        select(ConversationState)
        .where(ConversationState.chat_id == chat_id, ConversationState.user_id == user_id)
        .order_by(col(ConversationState.updated_at).desc())
        .limit(1)
    ).first()


def get(
    session: Session, chat_id: int, user_id: int, name: str, *, lock: bool = False
) -> ConversationState | None:
    """The conversation ``name`` of ``user_id`` in ``chat_id``.

    ``lock`` holds its row until the commit, so two taps on the same button cannot both act.
    """
    return session.get(ConversationState, (chat_id, user_id, name), with_for_update=lock)


def save(
    session: Session,
    chat_id: int,
    user_id: int,
    name: str,
    state: str,
    data: dict[str, Any],
    *,
    now: dt.datetime,
) -> ConversationState:
    """Start or move on the conversation ``name``; other conversations of the user end.

    Args:
        session: the session.
        chat_id: the chat.
        user_id: the user.
        name: the conversation (``baocao``, ``dangky``).
        state: its new state.
        data: what it collected so far (JSON-serialisable).
        now: when (the idle timeout counts from here).

    Returns:
        The state row.
    """
    _note(session, chat_id, user_id, open_=True)
    row = session.get(ConversationState, (chat_id, user_id, name))
    if row is None:  # a new conversation: any other one of the user ends
        session.exec(
            delete(ConversationState).where(
                col(ConversationState.chat_id) == chat_id,
                col(ConversationState.user_id) == user_id,
                col(ConversationState.name) != name,
            )
        )
        row = ConversationState(
            chat_id=chat_id, user_id=user_id, name=name, state=state, data=dict(data),
            updated_at=now,
        )
        session.add(row)
    else:
        row.state = state
        row.data = dict(data)  # a new object, so the JSON column is seen as changed
        row.updated_at = now
    session.flush()
    return row


def clear(session: Session, chat_id: int, user_id: int, name: str | None = None) -> bool:
    """End the conversation ``name`` (every one when None). Returns whether one existed."""
    query = delete(ConversationState).where(
        col(ConversationState.chat_id) == chat_id, col(ConversationState.user_id) == user_id
    )
    if name is not None:
        query = query.where(col(ConversationState.name) == name)
    return bool(session.exec(query).rowcount)


def is_expired(row: ConversationState, now: dt.datetime, timeout: dt.timedelta) -> bool:
    """Whether the conversation has been idle longer than ``timeout``."""
    return now - row.updated_at > timeout


def pop_expired(
    session: Session, now: dt.datetime, timeout: dt.timedelta,
    timeouts: dict[str, dt.timedelta] | None = None,
) -> list[ConversationState]:
    """Remove and return the conversations idle longer than ``timeout`` (for a goodbye).

    ``timeouts`` gives some conversations (by name) a timeout of their own.
    """
    own = timeouts or {}
    shortest = min([timeout, *own.values()])
    rows = [
        row for row in session.exec(
            select(ConversationState).where(ConversationState.updated_at < now - shortest)
        ).all()
        if is_expired(row, now, own.get(row.name, timeout))
    ]
    for row in rows:
        session.delete(row)
    session.flush()
    return rows
