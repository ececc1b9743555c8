"""Which plan a coordinator command is about: :func:`resolve_plan`, the one preamble.

``/choduyet``, ``/tinhhinh``, ``/tinhhinh xuhuong``, ``/xuat``, ``/tonghop`` (and ``/nhacviec``)
all start the same way: who is asking, which plan the argument names (typed loosely: a plan id,
"quan 3", "q3", "Quận 3", "Hải Phòng", a few words of the plan's title), else the chat's plan,
else the asker's own plan — and whether the asker may act on it. :func:`resolve_plan` answers
that in one unit of work and returns a :class:`PlanResolution`: the plan, or why there is none.

The signature is stable (other helpers call it)::

    resolve_plan(session, kb, actor_or_user_id, arg, chat_id, command,
                 *, admin_ids=(), action=None) -> PlanResolution
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session

from features.permissions import Action, Actor, PermissionDenied, allowed, load_actor
from knowledge.base import KnowledgeBase
from knowledge.place_plans import plans_for_place
from knowledge.schema import Plan
from knowledge.textnorm import fold
from storage import chats


class PlanProblem(enum.StrEnum):
    """Why a command has no plan."""

    UNKNOWN = "unknown"  # the argument names no plan
    AMBIGUOUS = "ambiguous"  # the argument names several plans (see ``candidates``)
    NOT_YOURS = "not_yours"  # a plan, but the actor may not do ``action`` on it
    NONE_CHOSEN = "none_chosen"  # no argument, no chat plan, no plan of the actor's own


@dataclass(frozen=True)
class PlanResolution:
    """The plan a command is about, or why there is none.

    Attributes:
        actor: who asked (loaded once, reusable by the caller in the same unit of work).
        command: the command, for the "which plan?" text (``tinhhinh``, ``nhacviec``…).
        arg: the plan argument as typed (None without one).
        plan_id: the plan; None exactly when ``problem`` is set — except for
            :attr:`PlanProblem.NOT_YOURS`, where it names the plan refused.
        problem: why there is no plan to act on.
        candidates: the plans an ambiguous argument names.
        action: the action checked, if any.
    """

    actor: Actor
    command: str
    arg: str | None = None
    plan_id: str | None = None
    problem: PlanProblem | None = None
    candidates: tuple[str, ...] = ()
    action: Action | None = None

    @property
    def ok(self) -> bool:
        """Whether there is a plan to act on."""
        return self.problem is None and self.plan_id is not None

    def require(self) -> str:
        """The plan id; raises :class:`PermissionDenied` when the plan is not the actor's.

        Raises:
            PermissionDenied: the problem is :attr:`PlanProblem.NOT_YOURS`.
            ValueError: there is no plan (check :attr:`ok` first).
        """
        if self.problem is PlanProblem.NOT_YOURS:
            raise PermissionDenied(self.action or Action.VIEW_STATUS, self.plan_id)
        if self.plan_id is None or self.problem is not None:
            raise ValueError(f"no plan: {self.problem}")
        return self.plan_id


def _words(text: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in fold(text)).split()


def _compact(text: str) -> str:
    return "".join(_words(text))


def _names_of(plan: Plan) -> set[str]:
    """A plan's names, compacted: its id, id without the year, locality and its aliases."""
    names = {plan.id, plan.id.rsplit("-", 1)[0], plan.locality, *plan.locality_aliases}
    return {_compact(n) for n in names if n}


def match_plans(kb: KnowledgeBase, typed: str) -> list[str]:
    """The plans a typed argument names, best reading first (empty when none).

    Tried in order, the first reading that finds something wins: the exact plan id; a plan's
    id, locality or alias typed loosely ("quan 3", "q3", "Quận 3", "QUAN3-2020"); a place the
    engine's gazetteer reads ("Hải Phòng" is the plan of Hải Dương); every word typed found in
    one plan's title, locality or year ("bảo vệ trẻ em 2017").

    Args:
        kb: the knowledge base.
        typed: what the user typed after the command.

    Returns:
        Plan ids, in plan order within a reading.
    """
    text = " ".join(typed.split())
    if not text:
        return []
    if kb.get(text) is not None:
        return [text]
    compact = _compact(text)
    named = [p.id for p in kb if compact and compact in _names_of(p)]
    if named:
        return named
    placed = [m.plan_id for m in plans_for_place(kb, text)]
    if placed:
        return placed
    words = set(_words(text))
    if not words:
        return []
    return [p.id for p in kb
            if words <= set(_words(f"{p.title} {p.locality} {p.year} {p.issuer}"))]


def resolve_plan(
    session: Session,
    kb: KnowledgeBase,
    actor_or_user_id: Actor | int,
    arg: str | None,
    chat_id: int | None,
    command: str,
    *,
    admin_ids: Iterable[int] = (),
    action: Action | None = None,
    chat_only: bool = False,
) -> PlanResolution:
    """The plan a coordinator command is about: the argument, else the chat's, else the actor's.

    Args:
        session: the unit of work's session.
        kb: the knowledge base.
        actor_or_user_id: the actor, or the Telegram id of the user (loaded with ``admin_ids``).
        arg: the plan argument as typed (all the words; None or "" without one).
        chat_id: the chat the command came from (its selected plan), None outside a chat.
        command: the command, without its slash (named in the "which plan?" reply).
        admin_ids: the admins' Telegram ids (``settings.admin_ids``), when a user id is given.
        action: if given, the plan must allow the actor this action (else ``NOT_YOURS``).
        chat_only: without an argument, only the chat's plan (a group's reminders follow the
            plan the group chose, never the asker's own).

    Returns:
        The resolution: the plan, or why there is none (never raises for a refusal).
    """
    actor = (actor_or_user_id if isinstance(actor_or_user_id, Actor)
             else load_actor(session, actor_or_user_id, admin_ids))
    typed = " ".join((arg or "").split()) or None

    def result(plan_id: str | None = None, problem: PlanProblem | None = None,
               candidates: tuple[str, ...] = ()) -> PlanResolution:
        return PlanResolution(actor, command, typed, plan_id, problem, candidates, action)

    if typed:
        found = match_plans(kb, typed)
        if not found:
            return result(problem=PlanProblem.UNKNOWN)
        if len(found) > 1:
            return result(problem=PlanProblem.AMBIGUOUS, candidates=tuple(found))
        plan_id: str | None = found[0]
    else:
        chat_plan = chats.get_chat_plan(session, chat_id) if chat_id is not None else None
        own = [] if chat_only else [p for p in actor.plan_ids if kb.get(p) is not None]
        plan_id = (chat_plan if chat_plan and kb.get(chat_plan) is not None
                   else own[0] if own else None)
        if plan_id is None:
            return result(problem=PlanProblem.NONE_CHOSEN)
    if action is not None and not allowed(actor, action, plan_id=plan_id):
        return result(plan_id, PlanProblem.NOT_YOURS)
    return result(plan_id)


def who(session: Session, user_id: int, chat_id: int, admin_ids: Iterable[int]
        ) -> tuple[Actor, str | None]:
    """The actor and the plan the chat selected, in one unit of work.

    Args:
        session: the unit of work's session.
        user_id: the user's Telegram id.
        chat_id: the chat.
        admin_ids: the admins' Telegram ids.

    Returns:
        (actor, the chat's plan id or None).
    """
    return load_actor(session, user_id, admin_ids), chats.get_chat_plan(session, chat_id)
