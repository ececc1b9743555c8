"""The ``/suvu`` form while it is being filled in: kept in ``conversation_state``, encrypted.

A draft says as much about a child as a stored incident, so it gets the same protection: the
answers are one Fernet token in the conversation's JSON; only the step, the plan and unit, and
the id of the last message taken are plain (the last one so a repeated update is not taken
twice). The form is one of the persisted conversations of :mod:`bot.handlers.conversation`,
which ends idle ones (its ``IDLE_TIMEOUT``); ``kehoach incidents purge`` drops any left over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from sqlmodel import Session, col, delete, select

from features.incident_fields import IncidentDraft
from storage import conversations
from storage.crypto import FieldCipher, Undecryptable
from storage.models import ConversationState

NAME = "suvu"


@dataclass(frozen=True)
class Form:
    """A form in progress.

    Attributes:
        state: the step waiting for an answer (see :mod:`bot.handlers.incidents`).
        draft: the answers so far.
        plan_id: the officer's plan when the form started.
        unit_id: the officer's unit.
        back: return to the confirmation after this step (an answer being corrected).
        last_message_id: the last message of the chat taken as an answer.
        pending: a description waiting for the officer's decision on the warnings.
    """

    state: str
    draft: IncidentDraft = field(default_factory=IncidentDraft)
    plan_id: str = ""
    unit_id: str = ""
    back: bool = False
    last_message_id: int = 0
    pending: str | None = None

    def moved(self, **changes: Any) -> Form:
        """A copy with ``changes``."""
        return replace(self, **changes)


class Expired(Exception):  # noqa: N818
    """The form was idle too long (or its key is gone) and has been dropped."""


def load(session: Session, cipher: FieldCipher, chat_id: int, user_id: int,
         now: dt.datetime, timeout: dt.timedelta) -> Form | None:
    """The user's ``/suvu`` form in this chat (its row locked until the commit), or None.

    Raises:
        Expired: there was a form, idle longer than ``timeout`` or no longer decryptable; it
            is deleted.
    """
    row = conversations.get(session, chat_id, user_id, NAME, lock=True)
    if row is None:
        return None
    if conversations.is_expired(row, now, timeout):
        conversations.clear(session, chat_id, user_id, NAME)
        raise Expired("idle")
    data = row.data
    try:
        sealed = cipher.open(data["sealed"]) if data.get("sealed") else {}
    except Undecryptable:
        conversations.clear(session, chat_id, user_id, NAME)
        raise Expired("key") from None
    return Form(
        state=row.state, draft=IncidentDraft.from_fields(sealed.get("draft") or {}),
        plan_id=data.get("plan_id", ""), unit_id=data.get("unit_id", ""),
        back=bool(data.get("back")), last_message_id=int(data.get("last", 0)),
        pending=sealed.get("pending"),
    )


def save(session: Session, cipher: FieldCipher, chat_id: int, user_id: int, form: Form,
         now: dt.datetime) -> Form:
    """Store ``form`` (encrypted); any other conversation of the user ends."""
    sealed = cipher.seal({"draft": form.draft.to_fields(), "pending": form.pending})
    conversations.save(
        session, chat_id, user_id, NAME, form.state,
        {"sealed": sealed, "plan_id": form.plan_id, "unit_id": form.unit_id,
         "back": form.back, "last": form.last_message_id},
        now=now,
    )
    return form


def clear(session: Session, chat_id: int, user_id: int) -> bool:
    """End the user's form in this chat. Returns whether there was one."""
    return conversations.clear(session, chat_id, user_id, NAME)


def drop_stale(session: Session, now: dt.datetime, timeout: dt.timedelta) -> int:
    """Delete every form idle longer than ``timeout``. Returns how many."""
    stale = session.exec(
        select(ConversationState.chat_id).where(
            ConversationState.name == NAME, ConversationState.updated_at < now - timeout
        )
    ).all()
    if stale:
        session.exec(delete(ConversationState).where(
            col(ConversationState.name) == NAME,
            col(ConversationState.updated_at) < now - timeout,
        ))
    return len(stale)
