"""The units of work every persisted conversation shares (/dangky, /baocao, /suvu).

The chat side (:mod:`bot.handlers.conversation`) routes messages and buttons; what it needs
from the database is here, so no handler opens a unit of work of its own:

- :func:`guarded` runs one step of a conversation for a button, with the state row locked and
  the button's token checked (a stale button raises :class:`Stale`, a button of a conversation
  that has ended raises :class:`Finished`, an idle conversation comes back as :class:`Expired`);
- :func:`finish` ends a conversation with its outcome (a receipt…), so a repeated tap on one of
  its buttons is told what happened;
- :func:`end` (``/huy``), :func:`open_other` and :func:`drop_others` (the switching prompt).

Every conversation's state row keeps the buttons' token under :data:`TOKEN`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from storage import conversations, handled
from storage.models import ConversationState, FinishedStep

T = TypeVar("T")
TOKEN = "token"
IDLE_TIMEOUT = dt.timedelta(minutes=30)


def new_token() -> str:
    """A short random token tying buttons to one conversation (old buttons become stale)."""
    return secrets.token_hex(3)


class Stale(Exception):  # noqa: N818
    """The button belongs to no conversation under way (old, cancelled, or tapped twice)."""


class Finished(Exception):  # noqa: N818
    """The button belongs to a conversation that has ended; :attr:`step` says how."""

    def __init__(self, step: FinishedStep) -> None:
        """Keep ``step`` (a detached copy)."""
        super().__init__(step.name)
        self.step = step


@dataclass(frozen=True)
class Expired:
    """The conversation ``name`` was idle too long; it has just been ended."""

    name: str


def guarded(session: Session, chat_id: int, user_id: int, name: str, token: str,
            now: dt.datetime, timeout: dt.timedelta,
            fn: Callable[..., T], args: tuple[Any, ...]) -> T | Expired:
    """Run ``fn(session, state, *args)`` for a button of conversation ``name``.

    Args:
        session: the unit of work.
        chat_id: the chat of the button.
        user_id: who tapped it.
        name: the conversation the button belongs to.
        token: the button's token.
        now: the time of the tap.
        timeout: how long the conversation is kept while idle.
        fn: the step.
        args: its arguments after the session and the state row.

    Returns:
        What ``fn`` returns, or :class:`Expired` (returned, so the deletion is committed).

    Raises:
        Finished: the conversation of ``token`` has ended.
        Stale: the button belongs to no conversation under way.
    """
    row = conversations.get(session, chat_id, user_id, name, lock=True)
    if row is None or row.data.get(TOKEN) != token:
        step = handled.finished_step(session, chat_id, user_id, token) if token else None
        if step is not None and step.name == name:  # a copy: the rollback expires the row
            raise Finished(FinishedStep(**step.model_dump()))
        raise Stale(name)
    if conversations.is_expired(row, now, timeout):
        session.delete(row)
        return Expired(name)
    return fn(session, row, *args)


def finish(session: Session, state: ConversationState, outcome: dict[str, Any], *,
           now: dt.datetime) -> None:
    """End the conversation of ``state`` with ``outcome`` (a receipt number…).

    Its buttons, tapped again, are told what happened (:class:`Finished`).
    """
    handled.finish_step(session, state.chat_id, state.user_id, str(state.data.get(TOKEN, "")),
                        state.name, outcome, now=now)
    conversations.clear(session, state.chat_id, state.user_id, state.name)


def end(session: Session, chat_id: int, user_id: int) -> str | None:
    """``/huy``: end the user's conversation in ``chat_id``; the name of the one ended."""
    row = conversations.load(session, chat_id, user_id)
    if row is None:
        return None
    conversations.clear(session, chat_id, user_id)
    return row.name


def current(session: Session, chat_id: int, user_id: int, name: str
            ) -> ConversationState | None:
    """The conversation ``name`` of the user, if one is under way."""
    return conversations.get(session, chat_id, user_id, name)


def open_other(session: Session, chat_id: int, user_id: int, name: str, now: dt.datetime,
               timeouts: Mapping[str, dt.timedelta], names: Iterable[str]) -> str | None:
    """Another conversation of ``names`` the user has under way (not idle too long), if any."""
    known = set(names)
    rows = session.exec(select(ConversationState).where(
        ConversationState.chat_id == chat_id, ConversationState.user_id == user_id,
        col(ConversationState.name) != name,
    )).all()
    return next((r.name for r in rows if r.name in known and not conversations.is_expired(
        r, now, timeouts.get(r.name, IDLE_TIMEOUT))), None)


def drop_others(session: Session, chat_id: int, user_id: int, name: str,
                names: Iterable[str]) -> None:
    """End every conversation of ``names`` of the user but ``name``."""
    for other in names:
        if other != name:
            conversations.clear(session, chat_id, user_id, other)


def touch(session: Session, state: ConversationState, now: dt.datetime) -> None:
    """The conversation still waits for the same answer: its idle time counts from ``now``."""
    conversations.save(session, state.chat_id, state.user_id, state.name, state.state,
                       state.data, now=now)


def expire_idle(session: Session, now: dt.datetime,
                timeouts: Mapping[str, dt.timedelta]) -> list[ConversationState]:
    """End the conversations idle too long (and forget old handled updates).

    Returns:
        The ended conversations, for a goodbye.
    """
    ended = conversations.pop_expired(session, now, IDLE_TIMEOUT, dict(timeouts))
    handled.prune(session, now)
    return ended
