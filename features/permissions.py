"""Who may do what: the one permission check of the assistant.

Three roles: an **admin** (a Telegram id in ``ADMIN_IDS``, or the command line), a
**coordinator** of a plan (collects the plan's reports), an **officer** of one unit of one plan
(submits the unit's reports). Every privileged service function calls :func:`require`; the
handlers and the command line only build the :class:`Actor`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, select

from storage.models import ROLE_COORDINATOR, ROLE_OFFICER, STATUS_APPROVED, Registration


class Action(enum.StrEnum):
    """A privileged action."""

    SUBMIT_REPORT = "submit_report"  # officer of the unit
    READ_REPORT = "read_report"  # officer of the same unit, coordinator of the plan, admin
    DECIDE_REGISTRATION = "decide_registration"  # coordinator of the plan, admin
    LIST_REGISTRATIONS = "list_registrations"  # coordinator of the plan, admin
    VIEW_STATUS = "view_status"  # coordinator of the plan, admin
    EXPORT = "export"  # coordinator of the plan, admin
    MANAGE_REMINDERS = "manage_reminders"  # coordinator of the plan, admin
    GRANT_ROLE = "grant_role"  # admin


_COORDINATOR_ACTIONS = {
    Action.READ_REPORT, Action.DECIDE_REGISTRATION, Action.LIST_REGISTRATIONS,
    Action.VIEW_STATUS, Action.EXPORT, Action.MANAGE_REMINDERS,
}


class PermissionDenied(Exception):  # noqa: N818 - reads better at the call sites
    """The actor may not do this."""

    def __init__(self, action: Action, plan_id: str | None = None, *,
                 subject: str | None = None) -> None:
        """Refuse ``action`` (on ``plan_id``, when there is one).

        ``subject`` names what was refused when the action alone does not say it to the user
        (``"chat_plan"``: a group's plan changed under its reminders; ``"notices"``: the report
        notices of a coordinator) — the surfaces word each refusal from it (one table).
        """
        super().__init__(f"{action} refused" + (f" on plan {plan_id}" if plan_id else ""))
        self.action = action
        self.plan_id = plan_id
        self.subject = subject


@dataclass(frozen=True)
class Actor:
    """Who is acting, with their approved roles.

    Attributes:
        telegram_id: the person's Telegram id (None for the command line).
        is_admin: an admin may do everything.
        officer_of: the (plan id, unit id) of the approved officer registration, if any.
        coordinator_of: the plans this person coordinates.
        label: how the audit log names this actor.
    """

    telegram_id: int | None
    is_admin: bool = False
    officer_of: tuple[str, str] | None = None
    coordinator_of: frozenset[str] = field(default_factory=frozenset)
    label: str = "telegram"

    @classmethod
    def command_line(cls, who: str = "cli") -> Actor:
        """The operator at the command line: an admin."""
        return cls(telegram_id=None, is_admin=True, label=who)

    @property
    def plan_ids(self) -> list[str]:
        """Plans this actor has a role in, coordinated ones first."""
        plans = sorted(self.coordinator_of)
        if self.officer_of and self.officer_of[0] not in plans:
            plans.append(self.officer_of[0])
        return plans


def load_actor(session: Session, telegram_id: int, admin_ids: Iterable[int]) -> Actor:
    """Build the :class:`Actor` of ``telegram_id`` from its approved registrations.

    Args:
        session: the session.
        telegram_id: the person's Telegram id.
        admin_ids: the Telegram ids of the admins (``settings.admin_ids``).

    Returns:
        The actor (with no role when the person is unknown).
    """
    rows = session.exec(
        select(Registration).where(
            Registration.telegram_id == telegram_id, Registration.status == STATUS_APPROVED
        )
    ).all()
    officer = next(
        ((r.plan_id, r.unit_id) for r in rows if r.role == ROLE_OFFICER and r.unit_id), None
    )
    return Actor(
        telegram_id=telegram_id,
        is_admin=telegram_id in set(admin_ids),
        officer_of=officer,
        coordinator_of=frozenset(r.plan_id for r in rows if r.role == ROLE_COORDINATOR),
    )


def allowed(
    actor: Actor, action: Action, *, plan_id: str | None = None, unit_id: str | None = None
) -> bool:
    """Whether ``actor`` may do ``action`` on ``plan_id`` (and ``unit_id`` where it matters).

    Args:
        actor: who.
        action: what.
        plan_id: the plan concerned (required for everything but :attr:`Action.GRANT_ROLE`).
        unit_id: the unit concerned (for submitting and reading reports).

    Returns:
        True when allowed.
    """
    if actor.is_admin:
        return True
    if action is Action.GRANT_ROLE or plan_id is None:
        return False
    if action in _COORDINATOR_ACTIONS and plan_id in actor.coordinator_of:
        return True
    if action in (Action.SUBMIT_REPORT, Action.READ_REPORT):
        return actor.officer_of is not None and actor.officer_of == (plan_id, unit_id)
    return False


def require(
    actor: Actor, action: Action, *, plan_id: str | None = None, unit_id: str | None = None
) -> None:
    """Raise :class:`PermissionDenied` unless :func:`allowed`."""
    if not allowed(actor, action, plan_id=plan_id, unit_id=unit_id):
        raise PermissionDenied(action, plan_id)
