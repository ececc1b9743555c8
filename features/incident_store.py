"""Stored incidents read back: their view (decrypted), the rows of some plans, the audit names.

The bottom of the incident feature: :mod:`features.incidents` (logging, reading, statuses) and
:mod:`features.incident_retention` (keys, anonymising) both build on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from storage.crypto import FieldCipher
from storage.models import Incident, Person

# The audit log's actions of this feature.
LOGGED = "incident.logged"
LISTED = "incident.listed"
READ = "incident.read"
STATUS_CHANGED = "incident.status"
EXPORTED = "incident.exported"
COUNTED = "incident.stats"
ANONYMISED = "incident.anonymised"
DELETED = "incident.deleted"
KEY_ROTATED = "incident.key_rotated"
NOTED = "incident.noted"  # the reporter added a note ("bổ sung thông tin")


@dataclass(frozen=True)
class IncidentView:
    """An incident as its readers see it (decrypted)."""

    number: str
    plan_id: str
    unit_id: str | None
    created_at: dt.datetime
    urgency: str
    status: str
    kind: str
    place: str
    occurred_on: dt.date | None
    occurred_month: str | None
    setting: str | None = None
    child_sex: str | None = None
    age_group: str | None = None
    perpetrator: str | None = None
    description: str | None = None
    actions: tuple[str, ...] = field(default_factory=tuple)
    anonymised: bool = False
    reporter_name: str | None = None  # the reporter's registered name (the detail view only)
    notes: tuple[Note, ...] = ()  # the reporter's notes added after saving, oldest first


@dataclass(frozen=True)
class Note:
    """A note the reporter added to a saved incident."""

    at: dt.datetime
    text: str


def reporter_name(session: Session, row: Incident) -> str | None:
    """The registered name of the officer who logged ``row``, if known."""
    person = session.get(Person, row.reported_by) if row.reported_by is not None else None
    return person.full_name if person is not None and person.full_name else None


def view_of(row: Incident, cipher: FieldCipher, session: Session | None = None
            ) -> IncidentView:
    """The incident of ``row``, decrypted (with its reporter's name when ``session`` given)."""
    fields = cipher.open(row.content)
    occurred = fields.get("occurred_on")
    occurred_on = dt.date.fromisoformat(occurred) if occurred else None
    month = fields.get("occurred_month") or (occurred_on.strftime("%Y-%m") if occurred_on
                                             else None)
    return IncidentView(
        number=row.number, plan_id=row.plan_id, unit_id=row.unit_id, created_at=row.created_at,
        urgency=row.urgency, status=row.status, kind=fields.get("kind") or "other",
        place=fields.get("place") or "", occurred_on=occurred_on, occurred_month=month,
        setting=fields.get("setting"), child_sex=fields.get("child_sex"),
        age_group=fields.get("age_group"), perpetrator=fields.get("perpetrator"),
        description=fields.get("description"), actions=tuple(fields.get("actions") or ()),
        notes=tuple(Note(dt.datetime.fromisoformat(n["at"]), str(n["text"]))
                    for n in fields.get("notes") or ()),
        anonymised=row.anonymised_at is not None,
        reporter_name=reporter_name(session, row) if session is not None else None,
    )


def rows_of(session: Session, plan_ids: Sequence[str] | None, *, limit: int | None = None,
            status: str | None = None, since: dt.datetime | None = None) -> list[Incident]:
    """The incidents of ``plan_ids`` (all when None), newest first."""
    query = select(Incident)
    if plan_ids is not None:
        query = query.where(col(Incident.plan_id).in_(list(plan_ids)))
    if status is not None:
        query = query.where(Incident.status == status)
    if since is not None:
        query = query.where(col(Incident.created_at) >= since)
    query = query.order_by(col(Incident.created_at).desc(), col(Incident.id).desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query).all())


def all_views(session: Session, cipher: FieldCipher, plan_ids: Sequence[str] | None, *,
              since: dt.datetime | None = None) -> list[IncidentView]:
    """Every incident of ``plan_ids`` (all when None), newest first, decrypted.

    Not audited: for :mod:`features.incident_exports`, which audits.
    """
    return [view_of(r, cipher) for r in rows_of(session, plan_ids, since=since)]
