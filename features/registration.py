"""The /dangky conversation: typed state, pure transitions, and its units of work.

An officer asks to join a unit: by choosing a plan then a unit (buttons), or by typing the
unit's name ("phong y te q3"), matched fuzzily (:func:`features.registry.find_units`). A sure
match is requested at once; an unsure one offers the matches as buttons; none says so and keeps
waiting. The request goes to the plan's coordinators (else the admins), who decide with
:func:`decide`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from features import conversations as flow, registry
from features.permissions import Actor, load_actor
from features.registry import RegistrationView, UnitMatch
from knowledge.base import KnowledgeBase
from storage import chats, conversations
from storage.models import ROLE_OFFICER, STATUS_APPROVED, ConversationState

NAME = "dangky"
STATE_PLAN = "plan"  # waiting for a plan button (or a typed unit name)
STATE_UNIT = "unit"  # waiting for a unit button or a typed unit name


@dataclass(frozen=True)
class Registering:
    """Where a /dangky conversation stands.

    Attributes:
        token: ties its buttons to it.
        step: :data:`STATE_PLAN` or :data:`STATE_UNIT`.
        plan_id: the plan chosen, if one was (typed names are then matched in it only).
    """

    token: str
    step: str = STATE_PLAN
    plan_id: str | None = None

    def to_data(self) -> dict[str, Any]:
        """The JSON kept in the conversation's row."""
        return {flow.TOKEN: self.token, "plan_id": self.plan_id}

    @classmethod
    def of(cls, row: ConversationState) -> Registering:
        """The state kept in ``row``."""
        return cls(token=str(row.data.get(flow.TOKEN, "")), step=row.state,
                   plan_id=row.data.get("plan_id"))


@dataclass(frozen=True)
class Applicant:
    """Who asks: their Telegram ids and names."""

    user_id: int
    chat_id: int
    full_name: str
    username: str | None = None


# --- pure transitions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Sure:
    """The typed name matches one unit for certain: request it."""

    match: UnitMatch


@dataclass(frozen=True)
class Offer:
    """The typed name matches several units: offer them (the conversation waits in ``state``)."""

    state: Registering
    matches: tuple[UnitMatch, ...]


@dataclass(frozen=True)
class NoMatch:
    """The typed name matches no unit: the conversation waits as before."""

    typed: str


Typed = Sure | Offer | NoMatch


def on_typed(state: Registering, typed: str, matches: Sequence[UnitMatch]) -> Typed:
    """What a typed unit name does to the conversation ``state`` (no I/O)."""
    sure = registry.sure_match(matches)
    if sure is not None:
        return Sure(sure)
    if not matches:
        return NoMatch(typed)
    return Offer(Registering(state.token, STATE_UNIT, state.plan_id), tuple(matches))


def on_plan(state: Registering, plan_id: str) -> Registering:
    """A plan button: the conversation waits for a unit of ``plan_id``."""
    return Registering(state.token, STATE_UNIT, plan_id)


# --- units of work ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Requested:
    """A request recorded (or not: ``registration`` None when already registered there).

    Attributes:
        plan_id: the plan asked for.
        unit_id: the unit asked for.
        registration: the new request; None when the officer is already registered there.
        approvers: who is asked to decide (the plan's coordinators, else the admins).
        to_admins: the plan has no coordinator: the admins decide.
        replaces: the officer's current unit, if another one.
    """

    plan_id: str
    unit_id: str
    registration: RegistrationView | None
    approvers: list[int] = field(default_factory=list)
    to_admins: bool = False
    replaces: RegistrationView | None = None


@dataclass(frozen=True)
class Asked:
    """The answer to a typed unit name: requested, offered, or not found."""

    outcome: Typed
    requested: Requested | None = None


def save(session: Session, chat_id: int, user_id: int, state: Registering,
         now: dt.datetime) -> Registering:
    """Start or move on the user's /dangky conversation to ``state``."""
    conversations.save(session, chat_id, user_id, NAME, state.step, state.to_data(), now=now)
    return state


def request(session: Session, who: Applicant, plan_id: str, unit_id: str,
            admin_ids: Sequence[int], now: dt.datetime) -> Requested:
    """Record the request of ``who`` for ``unit_id`` of ``plan_id``; the conversation ends.

    Returns:
        The request, who decides it and the unit it would replace.
    """
    conversations.clear(session, who.chat_id, who.user_id, NAME)
    current = [r for r in registry.list_registrations(session, telegram_id=who.user_id,
                                                      status=STATUS_APPROVED, role=ROLE_OFFICER)
               if (r.plan_id, r.unit_id) != (plan_id, unit_id)]
    try:
        reg = registry.request_officer(
            session, telegram_id=who.user_id, plan_id=plan_id, unit_id=unit_id, now=now,
            full_name=who.full_name, username=who.username,
        )
    except registry.AlreadyRegistered:
        return Requested(plan_id, unit_id, None)
    assert reg.id is not None
    view = registry.registration_view(session, reg.id)
    asked = registry.approvers(session, plan_id, admin_ids)
    coordinators = registry.approvers(session, plan_id, [])
    return Requested(plan_id, unit_id, view, asked, to_admins=bool(asked) and not coordinators,
                     replaces=current[0] if current else None)


def answer_typed(session: Session, kb: KnowledgeBase, who: Applicant, typed: str,
                 state: Registering, admin_ids: Sequence[int], now: dt.datetime,
                 *, keep_waiting: bool = True) -> Asked:
    """A unit name typed (with /dangky, or while it waits): request, offer or say none.

    Args:
        session: the unit of work.
        kb: the knowledge base (its units).
        who: the officer.
        typed: what they typed.
        state: the conversation as it stands.
        admin_ids: the admins (they decide when the plan has no coordinator).
        now: the time.
        keep_waiting: with no match, keep the conversation waiting (its idle time anew).

    Returns:
        What happened.
    """
    matches = registry.find_units(kb, typed, plan_ids=[state.plan_id] if state.plan_id else None)
    outcome = on_typed(state, typed, matches)
    if isinstance(outcome, Sure):
        return Asked(outcome, request(session, who, outcome.match.plan_id,
                                      outcome.match.unit_id, admin_ids, now))
    if isinstance(outcome, Offer):
        save(session, who.chat_id, who.user_id, outcome.state, now)
    elif keep_waiting:
        save(session, who.chat_id, who.user_id, state, now)
    return Asked(outcome)


def plan_chosen(session: Session, row: ConversationState, plan_id: str,
                now: dt.datetime) -> Registering:
    """A plan button (inside :func:`features.conversations.guarded`)."""
    return save(session, row.chat_id, row.user_id, on_plan(Registering.of(row), plan_id), now)


def unit_chosen(session: Session, row: ConversationState, who: Applicant, plan_id: str,
                unit_id: str, admin_ids: Sequence[int], now: dt.datetime) -> Requested:
    """A unit button (inside :func:`features.conversations.guarded`): the request."""
    return request(session, who, plan_id, unit_id, admin_ids, now)


def decide(session: Session, user_id: int, registration_id: int, approve: bool,
           admin_ids: Sequence[int], now: dt.datetime) -> RegistrationView:
    """Approve or refuse a registration (its plan's coordinators, admins).

    Raises:
        PermissionDenied: the user may not decide it.
        NotPending: it was decided already.
        UnknownRegistration: there is no such registration.
    """
    actor = load_actor(session, user_id, list(admin_ids))
    registry.decide(session, actor, registration_id, approve=approve, now=now)
    view = registry.registration_view(session, registration_id)
    if view is None:
        raise registry.UnknownRegistration(registration_id)
    return view


def actor_and_plan(session: Session, user_id: int, chat_id: int, admin_ids: Sequence[int]
                   ) -> tuple[Actor, str | None]:
    """The actor and the plan the chat selected, in one unit of work."""
    return load_actor(session, user_id, list(admin_ids)), chats.get_chat_plan(session, chat_id)
