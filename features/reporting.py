"""The /baocao conversation: typed state, pure transitions, and its units of work.

An officer chooses the period (an open occurrence of their unit's deadlines, or ad hoc), sends
text and/or a file, sees a preview and confirms: the report is stored and the conversation
ended in one unit of work, before the receipt is sent.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlmodel import Session

from core.clock import VN_TZ
from features import conversations as flow, reports
from features.permissions import PermissionDenied, load_actor
from features.reports import Period, Receipt
from knowledge.base import KnowledgeBase
from storage import conversations, files
from storage.models import ConversationState

NAME = "baocao"
STATE_CHOOSE = "choose"  # waiting for a period button
STATE_CONTENT = "content"  # waiting for text or a file
STATE_PREVIEW = "preview"  # content received: more content, or the confirm button


@dataclass(frozen=True)
class Offered:
    """A period offered by /baocao, with the number of the report already sent for it."""

    period: Period
    number: str | None = None


@dataclass(frozen=True)
class Reporting:
    """Where a /baocao conversation stands.

    Attributes:
        token: ties its buttons to it.
        step: :data:`STATE_CHOOSE`, :data:`STATE_CONTENT` or :data:`STATE_PREVIEW`.
        plan_id: the officer's plan.
        unit_id: the officer's unit.
        offered: the periods offered.
        period: the period chosen.
        number: the number of the report already sent for it (a new version replaces it).
        text: the report's text so far.
        file: the report's stored file so far (its :class:`storage.files.StoredFile` fields).
    """

    token: str
    step: str
    plan_id: str
    unit_id: str
    offered: tuple[Offered, ...] = ()
    period: Period | None = None
    number: str | None = None
    text: str | None = None
    file: dict[str, Any] | None = None

    def to_data(self) -> dict[str, Any]:
        """The JSON kept in the conversation's row."""
        return {
            flow.TOKEN: self.token, "plan_id": self.plan_id, "unit_id": self.unit_id,
            "periods": [o.period.to_json() for o in self.offered],
            "sent": [o.number for o in self.offered],
            "period": self.period.to_json() if self.period else None, "number": self.number,
            "text": self.text, "file": self.file,
        }

    @classmethod
    def of(cls, row: ConversationState) -> Reporting:
        """The state kept in ``row``."""
        data = row.data
        offered = tuple(Offered(Period.from_json(p), n)
                        for p, n in zip(data.get("periods", []), data.get("sent", []),
                                        strict=True))
        period = data.get("period")
        return cls(token=str(data.get(flow.TOKEN, "")), step=row.state,
                   plan_id=data["plan_id"], unit_id=data["unit_id"], offered=offered,
                   period=Period.from_json(period) if period else None,
                   number=data.get("number"), text=data.get("text"), file=data.get("file"))


class Problem(enum.Enum):
    """Why a message was not taken as the report's content."""

    CHOOSE_FIRST = "choose_first"  # no period chosen yet
    EMPTY_TEXT = "empty_text"  # a blank message
    TOO_LONG = "too_long"  # longer than :data:`features.reports.MAX_TEXT_CHARS`
    NOT_CONTENT = "not_content"  # neither text nor a file


# --- pure transitions ------------------------------------------------------------------------


def choose(state: Reporting, index: int) -> Reporting | None:
    """A period button: the conversation waits for the content (None: not offered now)."""
    if state.step != STATE_CHOOSE or not 0 <= index < len(state.offered):
        return None
    chosen = state.offered[index]
    return replace(state, step=STATE_CONTENT, period=chosen.period, number=chosen.number,
                   text=None, file=None)


def take_text(state: Reporting, text: str | None, caption: str | None) -> Reporting | Problem:
    """The text of a message (or a file's caption) during the content step."""
    if state.step == STATE_CHOOSE:
        return Problem.CHOOSE_FIRST
    if text is not None and not text.strip():
        return Problem.EMPTY_TEXT
    raw = text if text is not None else caption
    if raw is None or not raw.strip():
        return state
    try:
        return replace(state, text=reports.check_text(raw))
    except reports.ReportInvalid:
        return Problem.TOO_LONG


def take_file(state: Reporting, stored: files.StoredFile | None) -> Reporting | Problem:
    """The message's stored file (if any): then the preview, or :data:`Problem.NOT_CONTENT`."""
    if stored is not None:
        state = replace(state, file={"sha256": stored.sha256, "name": stored.name,
                                     "mime": stored.mime, "size": stored.size})
    if not state.text and not state.file:
        return Problem.NOT_CONTENT
    return replace(state, step=STATE_PREVIEW)


# --- units of work ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NotOfficer:
    """/baocao by someone who is not an approved officer."""


@dataclass(frozen=True)
class Denied:
    """The officer lost the role since the preview: nothing stored, the conversation ends."""


@dataclass(frozen=True)
class NotAtPreview:
    """The confirm button before the preview (or after it moved on): the question of now."""

    state: Reporting | None


def start(session: Session, kb: KnowledgeBase, user_id: int, chat_id: int,
          admin_ids: Sequence[int], token: str, now: dt.datetime) -> Reporting | NotOfficer:
    """/baocao: offer the open periods of the officer's unit, and ad hoc.

    Returns:
        The conversation, waiting for a period; :class:`NotOfficer`.
    """
    actor = load_actor(session, user_id, list(admin_ids))
    if actor.officer_of is None:
        return NotOfficer()
    plan_id, unit_id = actor.officer_of
    today = now.astimezone(VN_TZ).date()
    sent: dict[tuple[str | None, dt.date | None], str | None] = {
        (r.deadline_id, r.due_date): r.number
        for r in reports.list_reports(session, plan_id=plan_id, unit_id=unit_id)
        if r.due_date is not None}
    offered = [Offered(p, sent.get((p.deadline_id, p.due_date)))
               for p in reports.open_periods(kb, plan_id, unit_id, today)]
    offered.append(Offered(reports.adhoc_period(kb, plan_id, unit_id)))
    state = Reporting(token, STATE_CHOOSE, plan_id, unit_id, tuple(offered))
    return save(session, chat_id, user_id, state, now)


def save(session: Session, chat_id: int, user_id: int, state: Reporting,
         now: dt.datetime) -> Reporting:
    """Keep ``state`` as the user's /baocao conversation (its idle time from ``now``)."""
    conversations.save(session, chat_id, user_id, NAME, state.step, state.to_data(), now=now)
    return state


def current(session: Session, chat_id: int, user_id: int) -> Reporting | None:
    """The user's /baocao conversation, if one is under way."""
    row = flow.current(session, chat_id, user_id, NAME)
    return Reporting.of(row) if row is not None else None


def period_chosen(session: Session, row: ConversationState, index: int,
                  now: dt.datetime) -> Reporting | NotAtPreview:
    """A period button (inside :func:`features.conversations.guarded`)."""
    state = Reporting.of(row)
    moved = choose(state, index)
    if moved is None:
        return NotAtPreview(state)
    return save(session, row.chat_id, row.user_id, moved, now)


def confirm(session: Session, row: ConversationState, name: str, admin_ids: Sequence[int],
            now: dt.datetime) -> Receipt | Denied | NotAtPreview:
    """Submit the previewed report and end the conversation, in one unit of work.

    Returns:
        The receipt; :class:`Denied` when the officer's role was revoked since the preview;
        :class:`NotAtPreview` when the conversation is not at the preview.
    """
    state = Reporting.of(row)
    if state.step != STATE_PREVIEW or state.period is None:
        return NotAtPreview(state)
    try:
        receipt = reports.submit(
            session, load_actor(session, row.user_id, list(admin_ids)), plan_id=state.plan_id,
            unit_id=state.unit_id, period=state.period, text=state.text,
            file=files.StoredFile(**state.file) if state.file else None,
            submitter_name=name, now=now,
        )
    except PermissionDenied:
        conversations.clear(session, row.chat_id, row.user_id, NAME)
        return Denied()
    flow.finish(session, row, receipt_json(receipt), now=now)
    return receipt


def cancel(session: Session, row: ConversationState) -> None:
    """The cancel button (inside :func:`features.conversations.guarded`)."""
    conversations.clear(session, row.chat_id, row.user_id, NAME)


def receipt_json(receipt: Receipt) -> dict[str, Any]:
    """A receipt as JSON (kept with the finished conversation, sent again on a repeated tap)."""
    return {"number": receipt.number, "plan_id": receipt.plan_id, "unit_id": receipt.unit_id,
            "period": receipt.period.to_json(), "submitted_at": receipt.submitted_at.isoformat(),
            "version": receipt.version, "late": receipt.late}


def receipt_from_json(data: dict[str, Any]) -> Receipt:
    """The receipt of :func:`receipt_json`."""
    return Receipt(number=data["number"], plan_id=data["plan_id"], unit_id=data["unit_id"],
                   period=Period.from_json(data["period"]),
                   submitted_at=dt.datetime.fromisoformat(data["submitted_at"]),
                   version=int(data["version"]), late=bool(data["late"]))
