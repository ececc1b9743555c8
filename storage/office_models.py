"""The coordinating office's tables: incidents, unanswered questions, grace and exemptions.

Re-exported by :mod:`storage.models`, where every table is named; import them from there.
The schema is described in ``docs/storage.md``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from storage.columns import UTCDateTime, in_values as _in

# === incidents (issue 6: /suvu) ===============================================================
# Owned by the incidents feature (features/incidents.py); migration 0003_incidents.

INCIDENT_NEW = "new"
INCIDENT_HANDLED = "handled"
INCIDENT_REFERRED = "referred"
INCIDENT_DUPLICATE = "duplicate"
INCIDENT_STATUSES = (INCIDENT_NEW, INCIDENT_HANDLED, INCIDENT_REFERRED, INCIDENT_DUPLICATE)
INCIDENT_URGENCIES = ("urgent", "high", "normal")


class Incident(SQLModel, table=True):
    """A child-protection incident logged by an officer (``/suvu``), its content encrypted.

    The plain columns are what routing, lists and retention need without the key: number,
    plan, unit, urgency, status and times. Everything else (type, setting, place, date, the
    child's sex and age group, perpetrator, description, actions taken) is one Fernet token in
    ``content`` (:mod:`storage.crypto`). ``(source_chat_id, source_message_id)`` is the
    Telegram message that confirmed it, so the same message never creates two incidents.
    An anonymised incident keeps only what the counts need; its reporter and source are gone.
    """

    __tablename__ = "incident"
    __table_args__ = (
        UniqueConstraint("source_chat_id", "source_message_id", name="uq_incident_source"),
        CheckConstraint(_in("status", INCIDENT_STATUSES), name="ck_incident_status"),
        CheckConstraint(_in("urgency", INCIDENT_URGENCIES), name="ck_incident_urgency"),
        Index("ix_incident_plan_created", "plan_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_column=Column(String(16), nullable=False, unique=True))
    plan_id: str = Field(max_length=64)
    unit_id: str | None = Field(default=None, max_length=64)
    urgency: str = Field(max_length=16)
    status: str = Field(default=INCIDENT_NEW, max_length=16)
    content: str = Field(sa_column=Column(Text, nullable=False))
    reported_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    source_chat_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    source_message_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    created_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    status_changed_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    status_changed_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    anonymised_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class IncidentCounter(SQLModel, table=True):
    """The last incident number given in a year (SV-<year>-<n>)."""

    __tablename__ = "incident_counter"

    year: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    last: int = 0


class UnansweredQuestion(SQLModel, table=True):
    """A question the assistant could not answer, kept for review (``kehoach questions``).

    ``text`` is the folded question after the personal-data screen (names, phone numbers,
    addresses replaced by placeholders); nothing says who asked or in which chat. Rows older
    than 90 days are deleted when a new one is written.
    """

    __tablename__ = "unanswered_question"

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    intent: str = Field(max_length=16)
    score: float = Field(default=0.0)
    asked_on: dt.date = Field(index=True)


# === the coordinating office (issue 15: rates, compile, incident clock) =======================
# Owned by features/rates.py; migration 0005_office. The incident clock needs no table of its own:
# it records its reminders in ``reminder_delivery`` (kind "incident").

EXEMPTION_REASONS = ("exempt", "added_later")


class ReportingGrace(SQLModel, table=True):
    """Grace days of one deadline: a report this many days after the due date is still on time.

    (DHIS2's "days after period to qualify for timely submission".) No row: no grace.
    """

    __tablename__ = "reporting_grace"

    plan_id: str = Field(sa_column=Column(String(64), primary_key=True))
    deadline_id: str = Field(sa_column=Column(String(64), primary_key=True))
    days: int = 0
    updated_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    updated_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class ReportingExemption(SQLModel, table=True):
    """A unit not expected to report some occurrences: exempted, or assigned only later.

    It covers the occurrences of ``deadline_id`` (every deadline of the plan when NULL) due in
    ``[from_date, to_date]`` (open-ended where NULL). ``added_later`` is a unit added to the
    plan on ``to_date + 1``: it is not expected before.
    """

    __tablename__ = "reporting_exemption"
    __table_args__ = (
        CheckConstraint(_in("reason", EXEMPTION_REASONS), name="ck_reporting_exemption_reason"),
        Index("ix_reporting_exemption_plan", "plan_id", "unit_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: str = Field(max_length=64)
    unit_id: str = Field(max_length=64)
    deadline_id: str | None = Field(default=None, max_length=64)
    from_date: dt.date | None = None
    to_date: dt.date | None = None
    reason: str = Field(default="exempt", max_length=16)
    note: str = Field(default="", max_length=255)
    created_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    created_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
