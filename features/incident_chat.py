"""The incident use cases of the chat surface, one unit of work each.

The list, one incident (read or marked), a button of the form, the daily retention.

The permission checks are those of :mod:`features.incidents`; their refusals come back here as
typed values for the chat to word.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from features import incident_drafts as drafts, incident_form as forms, incidents as inc
from features.incident_fields import IncidentDenied, IncidentInvalid, UnknownIncident
from features.permissions import Actor, load_actor
from knowledge.base import KnowledgeBase
from storage.crypto import FieldCipher


class Refused(enum.Enum):
    """Why an incident is not shown."""

    DENIED = "denied"  # not a coordinator of its plan nor an admin
    UNKNOWN = "unknown"  # no such incident (or no such status)


@dataclass(frozen=True)
class Listing:
    """The latest incidents the user may read, and the plans they cover (None: all)."""

    views: list[inc.IncidentView]
    plans: list[str] | None


def listing(session: Session, cipher: FieldCipher, user_id: int, admin_ids: Sequence[int],
            now: dt.datetime, limit: int) -> Listing | Refused:
    """/suvu_ds: the latest incidents of the plans the user coordinates (all, for an admin)."""
    actor = load_actor(session, user_id, list(admin_ids))
    try:
        views = inc.list_recent(session, actor, cipher, now=now, limit=limit)
    except IncidentDenied:
        return Refused.DENIED
    return Listing(views, inc.readable_plans(actor))


def open_incident(session: Session, cipher: FieldCipher, user_id: int,
                  admin_ids: Sequence[int], number: str, status: str | None,
                  now: dt.datetime) -> inc.IncidentView | Refused:
    """One incident, read (``status`` None) or marked with ``status``; audited."""
    actor = load_actor(session, user_id, list(admin_ids))
    try:
        if status is None:
            return inc.read(session, actor, cipher, number, now=now)
        return inc.set_status(session, actor, cipher, number, status, now=now)
    except IncidentDenied:
        return Refused.DENIED
    except (UnknownIncident, IncidentInvalid):
        return Refused.UNKNOWN


class Tap(enum.Enum):
    """The kinds of the form's buttons that move it (see :func:`form_tap`)."""

    ANSWER = "answer"  # a step's choice: ``arg`` the step, ``value`` the choice
    FINDINGS = "findings"  # the choice on personal data found: ``arg`` retype/redact/keep
    EDIT = "edit"  # from the confirmation: ``arg`` a step, the confirmation, or "" (the menu)


def form_tap(session: Session, cipher: FieldCipher, chat_id: int, user_id: int, tap: Tap,
             arg: str, value: str, *, now: dt.datetime, timeout: dt.timedelta,
             kb: KnowledgeBase | None = None) -> forms.Outcome:
    """A button of the /suvu form: its outcome (:mod:`features.incident_form`)."""
    where = (session, cipher, chat_id, user_id)
    if tap is Tap.ANSWER:
        return forms.answer_choice(*where, arg, value, now=now, timeout=timeout, kb=kb)
    if tap is Tap.FINDINGS:
        return forms.decide_findings(*where, arg, now=now, timeout=timeout)
    return forms.edit(*where, arg or None, now=now, timeout=timeout)


@dataclass(frozen=True)
class Retained:
    """What the daily retention did."""

    anonymised: int
    drafts_dropped: int


def retention(session: Session, cipher: FieldCipher, months: int, now: dt.datetime,
              timeout: dt.timedelta) -> Retained:
    """Anonymise the incidents older than ``months``; drop drafts idle longer than ``timeout``."""
    result = inc.purge(session, Actor.command_line("retention"), cipher, months=months, now=now)
    return Retained(len(result.anonymised), drafts.drop_stale(session, now, timeout))
