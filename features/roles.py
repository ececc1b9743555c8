"""Roles as the chat sees them: /toi, /choduyet, /capquyen, /thuhoi.

Each function is one unit of work for one update: it builds the actor, checks the permission
(raising :class:`~features.permissions.PermissionDenied`) and returns a typed result for the
renderer (:mod:`bot.render_roles`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session

from features import registry
from features.permissions import Action, Actor, allowed, load_actor, require
from features.plans import PlanResolution, match_plans, resolve_plan
from knowledge.base import KnowledgeBase
from storage import chats
from storage.models import STATUS_APPROVED, STATUS_PENDING

ME_SHOWN = 20  # registrations shown by /toi
PENDING_SHOWN = 10  # pending requests shown per plan by /choduyet
CURRENT_STATUSES = (STATUS_APPROVED, STATUS_PENDING)


@dataclass(frozen=True)
class MyRoles:
    """What /toi shows: admin or not, the current roles, then the earlier ones in time order."""

    is_admin: bool
    current: tuple[registry.RegistrationView, ...]
    past: tuple[registry.RegistrationView, ...]


def my_roles(session: Session, user_id: int, admin_ids: Iterable[int]) -> MyRoles:
    """The user's roles for /toi (at most :data:`ME_SHOWN` registrations).

    Args:
        session: the unit of work's session.
        user_id: the user's Telegram id.
        admin_ids: the admins' Telegram ids.

    Returns:
        Current roles (approved or pending) first, then the past ones, oldest first.
    """
    actor = load_actor(session, user_id, admin_ids)
    regs = registry.list_registrations(session, telegram_id=user_id)[:ME_SHOWN]
    current = tuple(r for r in regs if r.status in CURRENT_STATUSES)
    past = tuple(sorted((r for r in regs if r.status not in CURRENT_STATUSES),
                        key=lambda r: r.requested_at))
    return MyRoles(actor.is_admin, current, past)


@dataclass(frozen=True)
class Pending:
    """What /choduyet shows.

    Attributes:
        resolution: how the plan was chosen (None when every plan the user decides is listed).
        all_plans: True when the list covers every plan the user decides (no plan named).
        by_plan: plan id → its pending requests (only plans that have some).
    """

    resolution: PlanResolution | None
    all_plans: bool = False
    by_plan: dict[str, tuple[registry.RegistrationView, ...]] = field(default_factory=dict)

    @property
    def plan_id(self) -> str | None:
        """The one plan the list is about (None for all plans or when none was found)."""
        if self.resolution is None:
            return None
        return self.resolution.plan_id


def _pending_of(session: Session, plan_id: str) -> tuple[registry.RegistrationView, ...]:
    regs = registry.list_registrations(session, plan_id=plan_id, status=STATUS_PENDING)
    return tuple(regs[:PENDING_SHOWN])


def pending_requests(session: Session, kb: KnowledgeBase, user_id: int, chat_id: int,
                     admin_ids: Iterable[int], arg: str | None) -> Pending:
    """The pending requests of the plan named (or the chat's), else of every plan decided.

    Args:
        session: the unit of work's session.
        kb: the knowledge base.
        user_id: who asks.
        chat_id: where.
        admin_ids: the admins' Telegram ids.
        arg: the plan typed (loosely), or None.

    Returns:
        The pending requests by plan.

    Raises:
        PermissionDenied: the plan named is not one the user decides.
    """
    actor = load_actor(session, user_id, admin_ids)
    chat_plan = chats.get_chat_plan(session, chat_id)
    if not arg and not (chat_plan and kb.get(chat_plan)):
        mine = [p for p in kb.plans if allowed(actor, Action.LIST_REGISTRATIONS, plan_id=p)]
        if mine:
            busy = {p: regs for p in mine if (regs := _pending_of(session, p))}
            if len(mine) == 1:
                one = resolve_plan(session, kb, actor, mine[0], None, "choduyet")
                return Pending(one, by_plan=busy)
            return Pending(None, all_plans=True, by_plan=busy)
    found = resolve_plan(session, kb, actor, arg, chat_id, "choduyet",
                         action=Action.LIST_REGISTRATIONS)
    if found.plan_id is None:
        return Pending(found)
    plan_id = found.require()  # raises PermissionDenied when the plan is not the user's
    regs = _pending_of(session, plan_id)
    return Pending(found, by_plan={plan_id: regs} if regs else {})


class RoleOutcome(enum.StrEnum):
    """What /capquyen or /thuhoi did."""

    USAGE = "usage"  # no target or no plan typed
    UNKNOWN_PLAN = "unknown_plan"  # the plan typed names no plan (or several)
    DONE = "done"


@dataclass(frozen=True)
class RoleChange:
    """The result of /capquyen or /thuhoi.

    Attributes:
        outcome: what happened.
        target: whose role.
        plan_id: the plan (as resolved; as typed when unknown).
        candidates: the plans an ambiguous plan argument names.
        registration: the coordinator registration granted (/capquyen).
        roles: the roles revoked (/thuhoi; empty when there was none).
    """

    outcome: RoleOutcome
    target: int | None = None
    plan_id: str | None = None
    candidates: tuple[str, ...] = ()
    registration: registry.RegistrationView | None = None
    roles: tuple[str, ...] = ()


def _admin(user_id: int, admin_ids: Iterable[int]) -> Actor:
    """Granting needs no role from the database: admins are settings."""
    actor = Actor(user_id, is_admin=user_id in set(admin_ids))
    require(actor, Action.GRANT_ROLE)
    return actor


def grant(session: Session, kb: KnowledgeBase, user_id: int, admin_ids: Iterable[int],
          target: int | None, name: str | None, plan: str | None, now: dt.datetime
          ) -> RoleChange:
    """/capquyen: make ``target`` a coordinator of the plan typed (admins only).

    Args:
        session: the unit of work's session.
        kb: the knowledge base.
        user_id: who grants.
        admin_ids: the admins' Telegram ids.
        target: whose role (None when the command named nobody).
        name: the target's Telegram name, when known (a reply).
        plan: the plan as typed (loosely), None when missing.
        now: when.

    Returns:
        The change (usage, unknown plan, or done with the registration).

    Raises:
        PermissionDenied: the user is not an admin (checked before anything else).
    """
    _admin(user_id, admin_ids)
    if target is None or not plan:
        return RoleChange(RoleOutcome.USAGE)
    found = match_plans(kb, plan)
    if len(found) != 1:
        return RoleChange(RoleOutcome.UNKNOWN_PLAN, target, plan, tuple(found))
    actor = load_actor(session, user_id, admin_ids)
    reg = registry.grant_coordinator(session, actor, target, found[0], now=now, full_name=name)
    assert reg.id is not None
    view = registry.registration_view(session, reg.id)
    return RoleChange(RoleOutcome.DONE, target, found[0], registration=view)


def revoke(session: Session, kb: KnowledgeBase, user_id: int, admin_ids: Iterable[int],
           target: int | None, plan: str | None, now: dt.datetime, role: str | None = None
           ) -> RoleChange:
    """/thuhoi: revoke ``target``'s roles in the plan typed, or only ``role`` (admins only).

    Args:
        session: the unit of work's session.
        kb: the knowledge base.
        user_id: who revokes.
        admin_ids: the admins' Telegram ids.
        target: whose roles (None when the command named nobody).
        plan: the plan as typed (loosely; an id the knowledge base no longer has is kept).
        now: when.
        role: only this role (``officer`` or ``coordinator``); every role when None.

    Returns:
        The change, with the roles revoked (none when there was nothing to revoke).

    Raises:
        PermissionDenied: the user is not an admin (checked before anything else).
    """
    _admin(user_id, admin_ids)
    if target is None or not plan:
        return RoleChange(RoleOutcome.USAGE)
    found = match_plans(kb, plan)
    plan_id = found[0] if len(found) == 1 else plan
    actor = load_actor(session, user_id, admin_ids)
    revoked = registry.revoke(session, actor, target, plan_id, now=now, role=role)
    return RoleChange(RoleOutcome.DONE, target, plan_id, roles=tuple(r.role for r in revoked))
