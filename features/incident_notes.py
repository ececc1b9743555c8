""""Bổ sung thông tin": the reporter adds a note to an incident already saved.

A short conversation (:data:`NAME`) of the shared mechanism: the reporter types
``/suvu_bosung [số]`` (the receipt says so), the next text is the note. The note is stored
inside the incident's encrypted content (never in the conversation's row, which holds only the
incident's number), audited, and shown on the coordinators' detail view; it is dropped when
the incident is anonymised.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from features import conversations as flow, pii
from features.incident_fields import IncidentInvalid, check_description
from features.incident_store import NOTED
from features.incidents import recipients
from features.permissions import load_actor
from storage import audit, conversations
from storage.crypto import FieldCipher
from storage.models import ConversationState, Incident

NAME = "suvu_note"
STATE_TEXT = "text"  # waiting for the note
MAX_NOTES = 20  # notes kept per incident


class Refused(enum.Enum):
    """Why a note cannot be added."""

    UNKNOWN = "unknown"  # no such incident
    NOT_REPORTER = "not_reporter"  # only the officer who logged it adds to it
    ANONYMISED = "anonymised"  # past its retention: nothing more is kept
    FULL = "full"  # :data:`MAX_NOTES` already
    BUSY = "busy"  # another conversation is under way (a form being filled in is never dropped)


@dataclass(frozen=True)
class Asked:
    """The conversation waits for the note to incident ``number``."""

    number: str


@dataclass(frozen=True)
class Added:
    """The note was stored; ``recipients`` are told (without its text)."""

    number: str
    recipients: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Invalid:
    """The text is not a note (``empty`` or ``too_long``): the conversation still waits."""

    reason: str


def _refusal(row: Incident | None, user_id: int) -> Refused | None:
    if row is None:
        return Refused.UNKNOWN
    if row.anonymised_at is not None:
        return Refused.ANONYMISED
    if row.reported_by != user_id:
        return Refused.NOT_REPORTER
    return None


def _incident(session: Session, number: str) -> Incident | None:
    return session.exec(select(Incident).where(Incident.number == number)).first()


def _latest(session: Session, user_id: int) -> Incident | None:
    return session.exec(
        select(Incident).where(Incident.reported_by == user_id)
        .order_by(col(Incident.created_at).desc(), col(Incident.id).desc()).limit(1)
    ).first()


def begin(session: Session, chat_id: int, user_id: int, number: str | None,
          now: dt.datetime, timeouts: Mapping[str, dt.timedelta]) -> Asked | Refused:
    """``/suvu_bosung [số]``: wait for the note to incident ``number`` (None: the user's latest).

    Args:
        session: the unit of work.
        chat_id: the private chat.
        user_id: the reporter.
        number: the incident's number as typed, if one was.
        now: the time.
        timeouts: the idle timeout of each conversation kind (one under way is not dropped).

    Returns:
        :class:`Asked`, or why the user cannot add to it.
    """
    if flow.open_other(session, chat_id, user_id, NAME, now, timeouts, timeouts):
        return Refused.BUSY
    row = _incident(session, number.upper()) if number else _latest(session, user_id)
    refused = _refusal(row, user_id)
    if refused is not None or row is None:
        return refused or Refused.UNKNOWN
    conversations.save(session, chat_id, user_id, NAME, STATE_TEXT,
                       {flow.TOKEN: flow.new_token(), "number": row.number}, now=now)
    return Asked(row.number)


def add(session: Session, cipher: FieldCipher, row: ConversationState, text: str | None,
        admin_ids: Sequence[int], now: dt.datetime) -> Added | Refused | Invalid:
    """The note typed while the conversation of ``row`` waits; audited, encrypted.

    Returns:
        :class:`Added` (the conversation ends), :class:`Invalid` (it still waits), or why it
        cannot be added (the conversation ends).
    """
    number = str(row.data.get("number", ""))
    incident = _incident(session, number)
    refused = _refusal(incident, row.user_id)
    if refused is None and incident is not None:
        fields = cipher.open(incident.content)
        notes = list(fields.get("notes") or [])
        if len(notes) >= MAX_NOTES:
            refused = Refused.FULL
    if refused is not None or incident is None:
        conversations.clear(session, row.chat_id, row.user_id, NAME)
        return refused or Refused.UNKNOWN
    try:
        note = pii.normalise(check_description(text or ""))
    except IncidentInvalid as exc:
        flow.touch(session, row, now)
        return Invalid(exc.reason)
    notes.append({"at": now.isoformat(), "text": note})
    incident.content = cipher.seal({**fields, "notes": notes})
    session.add(incident)
    actor = load_actor(session, row.user_id, list(admin_ids))
    audit.record(session, actor_id=actor.telegram_id, actor=actor.label, action=NOTED,
                 target=incident.number, plan_id=incident.plan_id,
                 details={"notes": len(notes)}, now=now)
    conversations.clear(session, row.chat_id, row.user_id, NAME)
    return Added(incident.number, recipients(session, incident.plan_id, admin_ids,
                                             exclude=row.user_id))
