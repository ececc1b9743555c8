"""The officer registry: people, registrations (officer of a unit, coordinator of a plan).

Functions take a session and never commit. Decisions and role changes check the actor with
:func:`features.permissions.require` and are written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from features.permissions import Action, Actor, require
from features.unit_match import (
    UNIT_MATCH_SURE as UNIT_MATCH_SURE,
    UNIT_MATCH_THRESHOLD as UNIT_MATCH_THRESHOLD,
    UnitMatch as UnitMatch,  # finding a unit from what is typed
    find_units as find_units,
    sure_match as sure_match,
)
from storage import audit
from storage.models import (
    ROLE_COORDINATOR,
    ROLE_OFFICER,
    STATUS_APPROVED,
    STATUS_PENDING,
    STATUS_REFUSED,
    STATUS_REVOKED,
    STATUS_WITHDRAWN,
    Person,
    Registration,
)


class RegistryError(Exception):
    """A registry request that cannot be done (the message is for logs, not users)."""


class AlreadyRegistered(RegistryError):  # noqa: N818
    """The person is already an approved officer of that unit."""


class NotPending(RegistryError):  # noqa: N818
    """The registration was decided already (a button from an old message)."""

    def __init__(self, registration: Registration) -> None:
        """Keep the status ``registration`` has."""
        super().__init__(f"registration {registration.id} is {registration.status}")
        self.status = registration.status  # plain data: the session is gone when it is caught


class UnknownRegistration(RegistryError):  # noqa: N818
    """No registration with that id."""


# --- people ----------------------------------------------------------------------------------


def touch_person(
    session: Session,
    telegram_id: int,
    *,
    full_name: str | None = None,
    username: str | None = None,
    now: dt.datetime,
) -> Person:
    """Create or update the person with ``telegram_id`` (names given replace the stored ones).

    Returns:
        The person row.
    """
    person = session.get(Person, telegram_id)
    if person is None:
        person = Person(telegram_id=telegram_id, full_name="", created_at=now, updated_at=now)
        session.add(person)
    if full_name:
        person.full_name = full_name.strip()[:255]
    if username:
        person.username = username[:64]
    person.updated_at = now
    session.flush()
    return person


# --- registrations ---------------------------------------------------------------------------


def request_officer(
    session: Session,
    *,
    telegram_id: int,
    plan_id: str,
    unit_id: str,
    now: dt.datetime,
    full_name: str | None = None,
    username: str | None = None,
) -> Registration:
    """Ask to be an officer of ``unit_id`` of ``plan_id``; it waits for a coordinator.

    A pending request of the same person is withdrawn; an approved registration elsewhere
    stays until the new one is approved.

    Raises:
        AlreadyRegistered: the person is already an approved officer of that unit.

    Returns:
        The new pending registration.
    """
    touch_person(session, telegram_id, full_name=full_name, username=username, now=now)
    mine = session.exec(
        select(Registration).where(
            Registration.telegram_id == telegram_id,
            Registration.role == ROLE_OFFICER,
            col(Registration.status).in_([STATUS_PENDING, STATUS_APPROVED]),
        ).with_for_update()
    ).all()
    for row in mine:
        if row.status == STATUS_APPROVED and (row.plan_id, row.unit_id) == (plan_id, unit_id):
            raise AlreadyRegistered(f"{telegram_id} is already in {plan_id}/{unit_id}")
        if row.status == STATUS_PENDING:
            row.status = STATUS_WITHDRAWN
            row.decided_at = now
            row.decided_by = telegram_id
    session.flush()
    reg = Registration(
        telegram_id=telegram_id, plan_id=plan_id, unit_id=unit_id, role=ROLE_OFFICER,
        status=STATUS_PENDING, requested_at=now,
    )
    session.add(reg)
    session.flush()
    audit.record(
        session, actor_id=telegram_id, action=audit.REGISTRATION_REQUESTED,
        target=f"registration:{reg.id}", plan_id=plan_id, details={"unit_id": unit_id}, now=now,
    )
    return reg


def decide(
    session: Session,
    actor: Actor,
    registration_id: int,
    *,
    approve: bool,
    now: dt.datetime,
    reason: str | None = None,
) -> Registration:
    """Approve or refuse a pending registration (a refusal may give ``reason``, audited).

    On approval, the person's earlier approved officer registration (another unit) is
    withdrawn.

    Raises:
        UnknownRegistration: no such registration.
        PermissionDenied: the actor is neither an admin nor a coordinator of its plan.
        NotPending: it was decided already.

    Returns:
        The decided registration.
    """
    reg = session.get(Registration, registration_id, with_for_update=True)
    if reg is None:
        raise UnknownRegistration(str(registration_id))
    require(actor, Action.DECIDE_REGISTRATION, plan_id=reg.plan_id)
    if reg.status != STATUS_PENDING:
        raise NotPending(reg)
    if approve:
        previous = session.exec(
            select(Registration).where(
                Registration.telegram_id == reg.telegram_id,
                Registration.role == reg.role,
                Registration.status == STATUS_APPROVED,
            )
        ).all()
        for old in previous:
            old.status = STATUS_WITHDRAWN
            old.decided_at = now
            old.decided_by = actor.telegram_id
        session.flush()
    reg.status = STATUS_APPROVED if approve else STATUS_REFUSED
    reg.decided_at = now
    reg.decided_by = actor.telegram_id
    session.flush()
    audit.record(
        session, actor_id=actor.telegram_id, actor=actor.label,
        action=audit.REGISTRATION_APPROVED if approve else audit.REGISTRATION_REFUSED,
        target=f"registration:{reg.id}", plan_id=reg.plan_id,
        details={"user_id": reg.telegram_id, "unit_id": reg.unit_id,
                 **({"reason": reason[:500]} if reason else {})}, now=now,
    )
    return reg


def grant_coordinator(
    session: Session,
    actor: Actor,
    telegram_id: int,
    plan_id: str,
    *,
    now: dt.datetime,
    unit_id: str | None = None,
    full_name: str | None = None,
) -> Registration:
    """Make ``telegram_id`` a coordinator of ``plan_id`` (admins only; idempotent).

    Raises:
        PermissionDenied: the actor is not an admin.

    Returns:
        The approved coordinator registration.
    """
    require(actor, Action.GRANT_ROLE)
    touch_person(session, telegram_id, full_name=full_name, now=now)
    existing = session.exec(
        select(Registration).where(
            Registration.telegram_id == telegram_id, Registration.plan_id == plan_id,
            Registration.role == ROLE_COORDINATOR, Registration.status == STATUS_APPROVED,
        )
    ).first()
    if existing is not None:
        return existing
    reg = Registration(
        telegram_id=telegram_id, plan_id=plan_id, unit_id=unit_id, role=ROLE_COORDINATOR,
        status=STATUS_APPROVED, requested_at=now, decided_at=now, decided_by=actor.telegram_id,
    )
    try:
        with session.begin_nested():
            session.add(reg)
            session.flush()
    except IntegrityError:  # granted at the same moment by someone else
        return session.exec(
            select(Registration).where(
                Registration.telegram_id == telegram_id, Registration.plan_id == plan_id,
                Registration.role == ROLE_COORDINATOR, Registration.status == STATUS_APPROVED,
            )
        ).one()
    audit.record(
        session, actor_id=actor.telegram_id, actor=actor.label, action=audit.ROLE_GRANTED,
        target=f"user:{telegram_id}", plan_id=plan_id, details={"role": ROLE_COORDINATOR},
        now=now,
    )
    return reg


def revoke(
    session: Session,
    actor: Actor,
    telegram_id: int,
    plan_id: str,
    *,
    now: dt.datetime,
    role: str | None = None,
) -> list[Registration]:
    """Revoke the approved registrations of ``telegram_id`` in ``plan_id`` (admins only).

    Args:
        session: the session.
        actor: who revokes (must be an admin).
        telegram_id: whose roles.
        plan_id: in which plan.
        now: when.
        role: only this role (``officer`` or ``coordinator``); both when None.

    Returns:
        The registrations revoked (empty when there was none).
    """
    require(actor, Action.GRANT_ROLE)
    query = select(Registration).where(
        Registration.telegram_id == telegram_id, Registration.plan_id == plan_id,
        col(Registration.status).in_([STATUS_APPROVED, STATUS_PENDING]),
    )
    if role:
        query = query.where(Registration.role == role)
    rows = list(session.exec(query).all())
    for row in rows:
        row.status = STATUS_REVOKED
        row.decided_at = now
        row.decided_by = actor.telegram_id
        audit.record(
            session, actor_id=actor.telegram_id, actor=actor.label, action=audit.ROLE_REVOKED,
            target=f"user:{telegram_id}", plan_id=plan_id,
            details={"role": row.role, "unit_id": row.unit_id}, now=now,
        )
    session.flush()
    return rows


@dataclass(frozen=True)
class RegistrationView:
    """A registration with the person's name, for lists and messages."""

    id: int
    telegram_id: int
    full_name: str
    username: str | None
    plan_id: str
    unit_id: str | None
    role: str
    status: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None


def _view(reg: Registration, person: Person) -> RegistrationView:
    assert reg.id is not None
    return RegistrationView(
        id=reg.id, telegram_id=reg.telegram_id, full_name=person.full_name,
        username=person.username, plan_id=reg.plan_id, unit_id=reg.unit_id, role=reg.role,
        status=reg.status, requested_at=reg.requested_at, decided_at=reg.decided_at,
    )


def list_registrations(
    session: Session,
    *,
    plan_id: str | None = None,
    status: str | Sequence[str] | None = None,
    role: str | None = None,
    telegram_id: int | None = None,
) -> list[RegistrationView]:
    """Registrations with their person, newest first, optionally filtered."""
    query = select(Registration, Person).join(
        Person, col(Person.telegram_id) == col(Registration.telegram_id)
    )
    if plan_id is not None:
        query = query.where(Registration.plan_id == plan_id)
    if isinstance(status, str):
        query = query.where(Registration.status == status)
    elif status is not None:
        query = query.where(col(Registration.status).in_(list(status)))
    if role is not None:
        query = query.where(Registration.role == role)
    if telegram_id is not None:
        query = query.where(Registration.telegram_id == telegram_id)
    query = query.order_by(col(Registration.requested_at).desc(), col(Registration.id).desc())
    return [_view(reg, person) for reg, person in session.exec(query).all()]


def registration_view(session: Session, registration_id: int) -> RegistrationView | None:
    """One registration with its person, or None."""
    reg = session.get(Registration, registration_id)
    if reg is None:
        return None
    person = session.get(Person, reg.telegram_id)
    assert person is not None
    return _view(reg, person)


def approvers(session: Session, plan_id: str, admin_ids: Iterable[int]) -> list[int]:
    """Who is asked to decide a registration in ``plan_id``: its coordinators, else the admins."""
    coordinators = session.exec(
        select(Registration.telegram_id).where(
            Registration.plan_id == plan_id, Registration.role == ROLE_COORDINATOR,
            Registration.status == STATUS_APPROVED,
        )
    ).all()
    return sorted(set(coordinators)) or sorted(set(admin_ids))


def officers_of(session: Session, plan_id: str, unit_id: str) -> list[int]:
    """The Telegram ids of the approved officers of a unit."""
    return sorted(
        session.exec(
            select(Registration.telegram_id).where(
                Registration.plan_id == plan_id, Registration.unit_id == unit_id,
                Registration.role == ROLE_OFFICER, Registration.status == STATUS_APPROVED,
            )
        ).all()
    )
