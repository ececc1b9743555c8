"""The /suvu form as a state machine: its steps, what each answer does, and saving it.

No Telegram here. Each function is one unit of work: it loads the user's encrypted draft
(:mod:`features.incident_drafts`), applies one answer, stores the draft and returns an
:class:`Outcome` for the chat to render. Problems with what was typed come back as codes
(``bad_date``, ``place_pii``…), never as text that repeats the input.

The steps, in order: type, setting, commune/ward, date, the child's sex, age group,
perpetrator, description, actions taken, urgency; then the confirmation. A description with
personal data waits in :data:`DESCRIPTION_CHECK` for the officer's choice (retype, redact,
keep); an answer changed from the confirmation returns to it (``Form.back``).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session

from core.clock import VN_TZ
from features import (
    incident_drafts as drafts,
    incident_fields as fields,
    incident_places as places,
    incidents as inc,
    pii,
    registry,
)
from features.incident_drafts import Expired, Form
from features.incident_fields import IncidentDenied, IncidentDraft, IncidentInvalid
from features.permissions import load_actor
from knowledge.base import KnowledgeBase
from storage import handled
from storage.crypto import FieldCipher
from storage.models import ROLE_OFFICER, STATUS_PENDING

KIND = "kind"
SETTING = "setting"
PLACE = "place"
DATE = "date"
SEX = "sex"
AGE = "age"
PERPETRATOR = "perp"
DESCRIPTION = "desc"
ACTIONS = "actions"
URGENCY = "urgency"
DESCRIPTION_CHECK = "desc_check"
CONFIRM = "confirm"
EDIT = "edit"
STEPS = [KIND, SETTING, PLACE, DATE, SEX, AGE, PERPETRATOR, DESCRIPTION, ACTIONS, URGENCY]
TEXT_STEPS = {PLACE, DATE, DESCRIPTION}
# The draft field each step fills.
FIELD = {
    KIND: "kind", SETTING: "setting", PLACE: "place", DATE: "occurred_on", SEX: "child_sex",
    AGE: "age_group", PERPETRATOR: "perpetrator", DESCRIPTION: "description",
    ACTIONS: "actions", URGENCY: "urgency",
}
# The steps answered by choosing one of a vocabulary.
CHOICES = {
    KIND: fields.KINDS, SETTING: fields.SETTINGS, SEX: fields.SEXES, AGE: fields.AGE_GROUPS,
    PERPETRATOR: fields.PERPETRATORS, URGENCY: fields.URGENCIES,
}
DATE_CHOICES = {"today": 0, "yesterday": 1}
NOTHING_YET = "none"  # the actions step: nothing done or referred yet
DATE_CONFIRM = "confirm"  # the typed date, more than CONFIRM_OLDER_THAN_DAYS back, is right
CONFIRM_OLDER_THAN_DAYS = 30
DONE = "done"

# What happened (``Outcome.event``).
ANSWERED = "answered"
TOGGLED = "toggled"
WARNED = "warned"
RETYPE = "retype"
REDACTED = "redacted"
KEPT = "kept"
EDIT_MENU = "edit_menu"
EDITING = "editing"
BACK_TO_CONFIRM = "back_to_confirm"


class Start(enum.StrEnum):
    """How /suvu starts (:func:`begin`)."""

    OK = "ok"  # the form, at its first step
    REPEATED = "repeated"  # the same /suvu update again: nothing to say
    READER = "reader"  # a coordinator or admin who is not an officer
    PENDING = "pending"  # an officer whose registration waits for approval
    DENIED = "denied"  # not an officer
    RESUME = "resume"  # a form with answers is kept: continue it or start again


@dataclass(frozen=True)
class Outcome:
    """What one answer did.

    Attributes:
        form: the form after it (None when there is none any more).
        event: what happened (:data:`ANSWERED`, :data:`TOGGLED`, :data:`WARNED`…), "" if nothing.
        step: the step answered, or being edited.
        problem: why the answer was not taken (a code), if it was not.
        findings: personal data found in a description (event :data:`WARNED`).
        ignored: a repeated update, or a button of a step already passed.
        expired: the form had been dropped (idle too long, or its key is gone).
    """

    form: Form | None
    event: str = ""
    step: str | None = None
    problem: str | None = None
    findings: tuple[pii.Finding, ...] = ()
    ignored: bool = False
    expired: bool = False


def _advance(form: Form, draft: IncidentDraft, after: str) -> Form:
    """The form with ``draft``, moved on from ``after`` (or back to the confirmation)."""
    if form.back or after == STEPS[-1]:
        return form.moved(draft=draft, state=CONFIRM, back=False, pending=None)
    return form.moved(draft=draft, state=STEPS[STEPS.index(after) + 1], pending=None)


def _load(session: Session, cipher: FieldCipher, chat_id: int, user_id: int,
          now: dt.datetime, timeout: dt.timedelta) -> Form | Outcome:
    try:
        form = drafts.load(session, cipher, chat_id, user_id, now, timeout)
    except Expired:
        return Outcome(None, expired=True)
    return form if form is not None else Outcome(None, ignored=True)


def begin(session: Session, cipher: FieldCipher, chat_id: int, user_id: int, message_id: int,
          admin_ids: Sequence[int], *, now: dt.datetime,
          timeout: dt.timedelta, restart: bool = False) -> tuple[Start, Form | None]:
    """Start the form for an approved officer.

    Returns:
        How it starts (:class:`Start`) and the form (with :data:`Start.OK`, and with
        :data:`Start.RESUME` when a form with answers is kept, unless ``restart``).
    """
    actor = load_actor(session, user_id, admin_ids)
    if not inc.may_log(actor):
        reader = actor.is_admin or bool(actor.coordinator_of)
        if not reader and registry.list_registrations(
                session, telegram_id=user_id, status=STATUS_PENDING, role=ROLE_OFFICER):
            return Start.PENDING, None
        return (Start.READER if reader else Start.DENIED), None
    try:
        current = drafts.load(session, cipher, chat_id, user_id, now, timeout)
    except Expired:
        current = None
    if current is not None and current.last_message_id >= message_id:
        return Start.REPEATED, None
    if current is not None and current.state != KIND and not restart:
        return Start.RESUME, current  # answers kept: continue them, or start again
    assert actor.officer_of is not None
    plan_id, unit_id = actor.officer_of
    form = Form(state=KIND, plan_id=plan_id, unit_id=unit_id, last_message_id=message_id)
    drafts.save(session, cipher, chat_id, user_id, form, now)
    return Start.OK, form


_PROBLEMS = {  # (step, reason of IncidentInvalid) → problem code
    (PLACE, "too_long"): "place_too_long", (PLACE, "empty"): "place_empty",
    (DESCRIPTION, "too_long"): "description_too_long", (DESCRIPTION, "empty"): "description_empty",
}


def resume(session: Session, cipher: FieldCipher, chat_id: int, user_id: int, message_id: int,
           *, now: dt.datetime, timeout: dt.timedelta) -> Form | None:
    """The kept form, continued from the message ``message_id`` (None when it is gone)."""
    loaded = _load(session, cipher, chat_id, user_id, now, timeout)
    if isinstance(loaded, Outcome):
        return None
    form = loaded.moved(last_message_id=max(loaded.last_message_id, message_id))
    drafts.save(session, cipher, chat_id, user_id, form, now)
    return form


def answer_text(session: Session, cipher: FieldCipher, chat_id: int, user_id: int,
                message_id: int, text: str | None, *, now: dt.datetime,
                timeout: dt.timedelta, kb: KnowledgeBase | None = None) -> Outcome | None:
    """A message while the form is open (``text`` None: a file or photo, not an answer).

    With ``kb``, a commune typed loosely becomes the name the plan's area knows it by.

    Returns:
        The outcome, or None when the user's open conversation is not this form.
    """
    loaded = _load(session, cipher, chat_id, user_id, now, timeout)
    if isinstance(loaded, Outcome):
        return loaded if loaded.expired else None
    form = loaded
    if message_id <= form.last_message_id:
        return Outcome(form, ignored=True)
    form = form.moved(last_message_id=message_id)
    step = DESCRIPTION if form.state == DESCRIPTION_CHECK else form.state
    draft = form.draft
    outcome = Outcome(form, problem="buttons_please")
    try:
        if text is None:
            outcome = Outcome(form, problem="text_please" if step in TEXT_STEPS
                              else "buttons_please")
        elif step == PLACE:
            place = (places.known_place(kb, form.plan_id, text) if kb is not None
                     else fields.normalise_place(text))
            if any(f.kind != pii.NAME for f in pii.screen(place)):
                outcome = Outcome(form, problem="place_pii")
            else:
                outcome = Outcome(_advance(form, draft.with_(place=place), PLACE), ANSWERED,
                                  PLACE)
        elif step == DATE:
            today = now.astimezone(VN_TZ).date()
            date = fields.parse_date(text, today)
            if (today - date).days > CONFIRM_OLDER_THAN_DAYS:  # "25/12" typed on 01/12?
                outcome = Outcome(form.moved(pending=date.isoformat()), problem="date_check")
            else:
                outcome = Outcome(_advance(form, draft.with_(occurred_on=date), DATE),
                                  ANSWERED, DATE)
        elif step == DESCRIPTION:
            description = pii.normalise(fields.check_description(text))
            findings = tuple(pii.screen(description))
            if findings:
                outcome = Outcome(form.moved(state=DESCRIPTION_CHECK, pending=description),
                                  WARNED, DESCRIPTION, findings=findings)
            else:
                outcome = Outcome(
                    _advance(form, draft.with_(description=description), DESCRIPTION),
                    ANSWERED, DESCRIPTION,
                )
    except IncidentInvalid as exc:
        outcome = Outcome(form, problem=_PROBLEMS.get((step, exc.reason), exc.reason))
    assert outcome.form is not None
    drafts.save(session, cipher, chat_id, user_id, outcome.form, now)
    return outcome


def answer_choice(session: Session, cipher: FieldCipher, chat_id: int, user_id: int,
                  step: str, value: str, *, now: dt.datetime,
                  timeout: dt.timedelta, kb: KnowledgeBase | None = None) -> Outcome:
    """A button answering ``step`` with ``value``.

    For actions: toggle one, or ``done``; for the place, the index of one of
    :func:`features.incident_places.communes` (with ``kb``).
    """
    loaded = _load(session, cipher, chat_id, user_id, now, timeout)
    if isinstance(loaded, Outcome):
        return loaded
    form, draft = loaded, loaded.draft
    outcome = Outcome(form, ignored=True)
    if step != form.state:
        return outcome
    if step in CHOICES and value in CHOICES[step]:
        outcome = Outcome(_advance(form, draft.with_(**{FIELD[step]: value}), step), ANSWERED,
                          step)
    elif step == PLACE and kb is not None and value.isdigit():
        offered = places.communes(kb, form.plan_id)
        if int(value) < len(offered):
            outcome = Outcome(_advance(form, draft.with_(place=offered[int(value)]), PLACE),
                              ANSWERED, PLACE)
    elif step == DATE and value == DATE_CONFIRM and form.pending:
        date = dt.date.fromisoformat(form.pending)
        outcome = Outcome(_advance(form, draft.with_(occurred_on=date), DATE), ANSWERED, DATE)
    elif step == DATE and value in DATE_CHOICES:
        date = now.astimezone(VN_TZ).date() - dt.timedelta(days=DATE_CHOICES[value])
        outcome = Outcome(_advance(form, draft.with_(occurred_on=date), DATE), ANSWERED, DATE)
    elif step == ACTIONS and value == NOTHING_YET:
        outcome = Outcome(_advance(form, draft.with_(actions=()), ACTIONS), ANSWERED, ACTIONS)
    elif step == ACTIONS and value == DONE:
        outcome = Outcome(_advance(form, draft.with_(actions=draft.actions or ()), ACTIONS),
                          ANSWERED, ACTIONS)
    elif step == ACTIONS and value in fields.ACTIONS:
        if handled.current_was_handled(session):  # redone after a kill: toggled already
            return Outcome(form, TOGGLED, ACTIONS)
        chosen = set(draft.actions or ()) ^ {value}
        ordered = tuple(a for a in fields.ACTIONS if a in chosen)
        outcome = Outcome(form.moved(draft=draft.with_(actions=ordered)), TOGGLED, ACTIONS)
    if not outcome.ignored:
        assert outcome.form is not None
        drafts.save(session, cipher, chat_id, user_id, outcome.form, now)
    return outcome


def decide_findings(session: Session, cipher: FieldCipher, chat_id: int, user_id: int,
                    choice: str, *, now: dt.datetime, timeout: dt.timedelta) -> Outcome:
    """The officer's choice on a description with personal data: retype, redact or keep."""
    loaded = _load(session, cipher, chat_id, user_id, now, timeout)
    if isinstance(loaded, Outcome):
        return loaded
    form = loaded
    if form.state != DESCRIPTION_CHECK or not form.pending:
        return Outcome(form, ignored=True)
    if choice == "retype":
        outcome = Outcome(form.moved(state=DESCRIPTION, pending=None), RETYPE, DESCRIPTION)
    elif choice in ("redact", "keep"):
        text = pii.redact(form.pending) if choice == "redact" else form.pending
        outcome = Outcome(_advance(form, form.draft.with_(description=text), DESCRIPTION),
                          REDACTED if choice == "redact" else KEPT, DESCRIPTION)
    else:
        return Outcome(form, ignored=True)
    assert outcome.form is not None
    drafts.save(session, cipher, chat_id, user_id, outcome.form, now)
    return outcome


def edit(session: Session, cipher: FieldCipher, chat_id: int, user_id: int,
         target: str | None, *, now: dt.datetime, timeout: dt.timedelta) -> Outcome:
    """From the confirmation: the list of answers, one answer to change, or back.

    ``target`` None opens the list of answers; a step changes that answer;
    :data:`CONFIRM` goes back to the confirmation.
    """
    loaded = _load(session, cipher, chat_id, user_id, now, timeout)
    if isinstance(loaded, Outcome):
        return loaded
    form = loaded
    if target is None and form.state == CONFIRM:
        outcome = Outcome(form.moved(state=EDIT), EDIT_MENU)
    elif form.state == EDIT and target == CONFIRM:
        outcome = Outcome(form.moved(state=CONFIRM), BACK_TO_CONFIRM)
    elif form.state == EDIT and target in STEPS:
        outcome = Outcome(form.moved(state=target, back=True), EDITING, target)
    else:
        return Outcome(form, ignored=True)
    assert outcome.form is not None
    drafts.save(session, cipher, chat_id, user_id, outcome.form, now)
    return outcome


@dataclass(frozen=True)
class Saved:
    """The outcome of "Save".

    Attributes:
        logged: the receipt (``logged.new`` False when this message had saved it already).
        recipients: who to tell (coordinators of the plan, else the admins).
        notified: ``coordinators``, ``admins`` or ``nobody``; ``self_admins`` or
            ``self_nobody`` when the reporter is the plan's only coordinator.
        missing: the field missing from the draft, if it could not be saved.
        problem: ``stale``, ``expired`` or ``denied``.
    """

    logged: inc.Logged | None = None
    recipients: list[int] = field(default_factory=list)
    notified: str = ""
    missing: str | None = None
    problem: str | None = None


def save(session: Session, cipher: FieldCipher, chat_id: int, user_id: int, message_id: int,
         admin_ids: Sequence[int], *, now: dt.datetime, timeout: dt.timedelta) -> Saved:
    """Store the confirmed form as an incident, once per confirmation message; end the form."""
    existing = inc.find_by_source(session, chat_id, message_id)
    if existing is not None:
        logged = inc.logged_of(existing, cipher, new=False)
        return _with_recipients(session, logged, user_id, admin_ids)
    loaded = _load(session, cipher, chat_id, user_id, now, timeout)
    if isinstance(loaded, Outcome):
        return Saved(problem="expired" if loaded.expired else "stale")
    if loaded.state != CONFIRM:
        return Saved(problem="stale")
    actor = load_actor(session, user_id, admin_ids)
    try:
        logged = inc.create(session, actor, cipher, loaded.draft, source_chat_id=chat_id,
                            source_message_id=message_id, now=now)
    except IncidentDenied:
        drafts.clear(session, chat_id, user_id)
        return Saved(problem="denied")
    except IncidentInvalid as exc:
        return Saved(missing=exc.reason.partition(":")[2] or "description")
    drafts.clear(session, chat_id, user_id)
    return _with_recipients(session, logged, user_id, admin_ids)


def _with_recipients(session: Session, logged: inc.Logged, user_id: int,
                     admin_ids: Sequence[int]) -> Saved:
    """The saved incident with who is told of it: its plan's coordinators, else the admins."""
    every = inc.recipients(session, logged.plan_id, [])
    coordinators = [c for c in every if c != user_id]
    admins = [a for a in sorted(set(admin_ids)) if a != user_id]
    if coordinators:
        return Saved(logged=logged, recipients=coordinators, notified="coordinators")
    alone = "self_" if user_id in every else ""  # the reporter is the plan's only coordinator
    return Saved(logged=logged, recipients=admins,
                 notified=alone + ("admins" if admins else "nobody"))
