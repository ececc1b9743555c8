"""All table models, named together (SQLModel). The schema is described in ``docs/storage.md``.

The coordinating office's tables (incidents, unanswered questions, reporting grace and
exemptions) are defined in :mod:`storage.office_models` and named here too; the column types
in :mod:`storage.columns`. Telegram ids are 64-bit (``BigInteger``). Times are stored in UTC
and read back timezone-aware (:class:`~storage.columns.UTCDateTime`), the same on SQLite and
PostgreSQL. Every change to
these models needs a migration in ``storage/migrations/versions/`` written by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from storage.columns import JSONType, UTCDateTime, in_values as _in

# The coordinating office's tables (storage/office_models.py), named here with the others.
from storage.office_models import (
    EXEMPTION_REASONS as EXEMPTION_REASONS,
    INCIDENT_DUPLICATE as INCIDENT_DUPLICATE,
    INCIDENT_HANDLED as INCIDENT_HANDLED,
    INCIDENT_NEW as INCIDENT_NEW,
    INCIDENT_REFERRED as INCIDENT_REFERRED,
    INCIDENT_STATUSES as INCIDENT_STATUSES,
    INCIDENT_URGENCIES as INCIDENT_URGENCIES,
    Incident as Incident,
    IncidentCounter as IncidentCounter,
    ReportingExemption as ReportingExemption,
    ReportingGrace as ReportingGrace,
    UnansweredQuestion as UnansweredQuestion,
)

# Values of the string enumerations (kept as strings with CHECK constraints).
ROLE_OFFICER = "officer"
ROLE_COORDINATOR = "coordinator"
ROLES = (ROLE_OFFICER, ROLE_COORDINATOR)
STATUS_PENDING = "pending"
STATUS_APPROVED = "approved"
STATUS_REFUSED = "refused"
STATUS_REVOKED = "revoked"
STATUS_WITHDRAWN = "withdrawn"
STATUSES = (STATUS_PENDING, STATUS_APPROVED, STATUS_REFUSED, STATUS_REVOKED, STATUS_WITHDRAWN)


class ChatSettings(SQLModel, table=True):
    """What the assistant remembers of a chat: above all, the plan it selected."""

    __tablename__ = "chat_settings"

    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    plan_id: str | None = Field(default=None, max_length=64)
    title: str | None = Field(default=None, max_length=255)
    chat_type: str | None = Field(default=None, max_length=32)
    active: bool = True
    updated_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class Person(SQLModel, table=True):
    """Someone known to the assistant by Telegram id."""

    __tablename__ = "person"

    telegram_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    full_name: str = Field(default="", max_length=255)
    username: str | None = Field(default=None, max_length=64)
    created_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class Registration(SQLModel, table=True):
    """A person's role in a plan: officer of a unit, or coordinator of the plan.

    An officer has at most one pending and one approved officer registration (a pending one
    asks to move to another unit); a coordinator has at most one approved coordinator
    registration per plan (partial unique indexes).
    """

    __tablename__ = "registration"
    __table_args__ = (
        CheckConstraint(_in("role", ROLES), name="ck_registration_role"),
        CheckConstraint(_in("status", STATUSES), name="ck_registration_status"),
        Index(
            "ux_registration_officer_active", "telegram_id", "status", unique=True,
            sqlite_where=text("role = 'officer' AND status IN ('pending', 'approved')"),
            postgresql_where=text("role = 'officer' AND status IN ('pending', 'approved')"),
        ),
        Index(
            "ux_registration_coordinator_active", "telegram_id", "plan_id", unique=True,
            sqlite_where=text("role = 'coordinator' AND status = 'approved'"),
            postgresql_where=text("role = 'coordinator' AND status = 'approved'"),
        ),
        Index("ix_registration_plan_status", "plan_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("person.telegram_id"), nullable=False, index=True)
    )
    plan_id: str = Field(max_length=64)
    unit_id: str | None = Field(default=None, max_length=64)
    role: str = Field(default=ROLE_OFFICER, max_length=16)
    status: str = Field(default=STATUS_PENDING, max_length=16)
    requested_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    decided_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    decided_by: int | None = Field(default=None, sa_column=Column(BigInteger))


class AuditLog(SQLModel, table=True):
    """One privileged action: who, what, on what, when. Never report or case content."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    actor_id: int | None = Field(default=None, sa_column=Column(BigInteger, index=True))
    actor: str = Field(default="", max_length=128)
    action: str = Field(max_length=64, index=True)
    target: str = Field(default="", max_length=255)
    plan_id: str | None = Field(default=None, max_length=64)
    details: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONType, nullable=False)
    )


class Submission(SQLModel, table=True):
    """A unit's report for one deadline occurrence (or one ad-hoc report), latest version first.

    ``occurrence_key`` is :attr:`knowledge.deadlines.Occurrence.key` (``plan:deadline:date``);
    it is NULL for an ad-hoc report
    ("báo cáo đột xuất"), which never replaces another.
    """

    __tablename__ = "submission"
    __table_args__ = (
        UniqueConstraint("plan_id", "unit_id", "occurrence_key", name="uq_submission_occurrence"),
        Index("ix_submission_plan_deadline", "plan_id", "deadline_id", "due_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: str = Field(max_length=64)
    unit_id: str = Field(max_length=64)
    occurrence_key: str | None = Field(default=None, max_length=128)
    deadline_id: str | None = Field(default=None, max_length=64)
    due_date: dt.date | None = None
    title: str = Field(max_length=255)
    first_submitted_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    last_submitted_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    version_count: int = 1
    current_number: str = Field(max_length=32)


class SubmissionVersion(SQLModel, table=True):
    """Every version of a submission, the replaced ones kept; each has its receipt number."""

    __tablename__ = "submission_version"
    __table_args__ = (
        UniqueConstraint("submission_id", "version", name="uq_submission_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submission.id", ondelete="CASCADE"), nullable=False)
    )
    version: int
    number: str = Field(sa_column=Column(String(32), nullable=False, unique=True))
    submitted_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    submitter_name: str = Field(default="", max_length=255)
    text: str | None = Field(default=None, sa_column=Column(Text))
    file_sha256: str | None = Field(default=None, max_length=64)
    file_name: str | None = Field(default=None, max_length=255)
    file_mime: str | None = Field(default=None, max_length=128)
    file_size: int | None = None
    submitted_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class ReceiptCounter(SQLModel, table=True):
    """The last receipt number given in a year (BC-<year>-<n>)."""

    __tablename__ = "receipt_counter"

    year: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    last: int = 0


class ConversationState(SQLModel, table=True):
    """Where a multi-step conversation (/baocao, /dangky) stands, so it survives a restart."""

    __tablename__ = "conversation_state"

    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    user_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    name: str = Field(sa_column=Column(String(32), primary_key=True))
    state: str = Field(max_length=32)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    updated_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))


# --- reminders (owned by features/reminders.py; migration 0002_reminders) ---------------------

REMINDER_CLAIMED = "claimed"
REMINDER_SENT = "sent"
REMINDER_SKIPPED = "skipped"
REMINDER_FAILED = "failed"
# A claim whose process died: nothing is known of its delivery; it is sent again (0004).
REMINDER_UNKNOWN = "unknown"
REMINDER_STATUSES = (REMINDER_CLAIMED, REMINDER_SENT, REMINDER_SKIPPED, REMINDER_FAILED,
                     REMINDER_UNKNOWN)


class ReminderSubscription(SQLModel, table=True):
    """A group chat subscribed to a plan's deadline reminders (optionally some deadlines/units).

    Empty ``deadline_ids`` / ``unit_ids`` mean every one; ``lead_days`` None means the
    settings' default. Reminders due before ``active_since`` are never sent.
    """

    __tablename__ = "reminder_subscription"
    __table_args__ = (UniqueConstraint("chat_id", "plan_id", name="uq_reminder_subscription"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    plan_id: str = Field(max_length=64)
    title: str | None = Field(default=None, max_length=255)
    deadline_ids: list[str] = Field(
        default_factory=list, sa_column=Column(JSONType, nullable=False)
    )
    unit_ids: list[str] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    lead_days: list[int] | None = Field(default=None, sa_column=Column(JSONType, nullable=True))
    active: bool = True
    active_since: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    deactivated_reason: str | None = Field(default=None, max_length=32)
    # the forum topic /nhacviec was typed in (None: the group itself, or its General topic);
    # ``topic_stale_at`` set: Telegram no longer knows the topic, reminders go to the group
    message_thread_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    topic_stale_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    created_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    created_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class ReminderDelivery(SQLModel, table=True):
    """One reminder (chat, deadline occurrence, lead days): claimed before sending, then sent.

    The unique key makes the claim: whoever inserts the row sends it. ``lead_days`` is the days
    before the due date (``-1``: the overdue notice the day after).
    """

    __tablename__ = "reminder_delivery"
    __table_args__ = (
        UniqueConstraint("chat_id", "occurrence_key", "lead_days", name="uq_reminder_delivery"),
        CheckConstraint(_in("status", REMINDER_STATUSES), name="ck_reminder_delivery_status"),
        Index("ix_reminder_delivery_occurrence", "occurrence_key", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    occurrence_key: str = Field(max_length=128)
    lead_days: int
    kind: str = Field(max_length=16)
    plan_id: str = Field(max_length=64)
    status: str = Field(default=REMINDER_CLAIMED, max_length=16)
    due_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    claimed_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    claimed_by: str = Field(default="", max_length=128)
    attempts: int = 1
    sent_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    error: str | None = Field(default=None, max_length=255)


# --- end of reminders ------------------------------------------------------------------------


# --- handled updates and finished steps (storage/handled.py; migration 0006_reliability) ----


class HandledUpdate(SQLModel, table=True):
    """A Telegram update whose effect is committed (written in the same unit of work).

    ``done`` once it was processed to the end (its replies sent).
    """

    __tablename__ = "handled_update"

    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    done: bool = False
    handled_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))


class FinishedStep(SQLModel, table=True):
    """How a conversation ended, by its buttons' token: a repeated tap is told and re-sent it."""

    __tablename__ = "finished_step"

    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    user_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    token: str = Field(sa_column=Column(String(32), primary_key=True))
    name: str = Field(max_length=32)
    outcome: dict[str, Any] = Field(default_factory=dict,
                                    sa_column=Column(JSONType, nullable=False))
    finished_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))


# --- the coordinator's report notices (issue 13 item 15) -------------------------------------

NOTICE_EACH = "each"  # one private message per report received
NOTICE_DIGEST = "digest"  # one message a day at the hour chosen
NOTICE_OFF = "off"
NOTICE_MODES = (NOTICE_EACH, NOTICE_DIGEST, NOTICE_OFF)
NOTICE_PENDING = "pending"
NOTICE_SENT = "sent"
NOTICE_SKIPPED = "skipped"  # the coordinator turned notices off before it was sent
NOTICE_FAILED = "failed"
NOTICE_STATUSES = (NOTICE_PENDING, NOTICE_SENT, NOTICE_SKIPPED, NOTICE_FAILED)


class NoticePreference(SQLModel, table=True):
    """How a coordinator is told of the reports received (``/thongbao``); default: each."""

    __tablename__ = "notice_preference"
    __table_args__ = (
        CheckConstraint(_in("mode", NOTICE_MODES), name="ck_notice_preference_mode"),
    )

    telegram_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    mode: str = Field(default=NOTICE_EACH, max_length=8)
    digest_hour: int = 17
    digest_minute: int = 0
    updated_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class NoticeCursor(SQLModel, table=True):
    """The last report version turned into notices (one row): the outbox's intake mark."""

    __tablename__ = "notice_cursor"

    id: int = Field(default=1, sa_column=Column(Integer, primary_key=True, autoincrement=False))
    last_version_id: int = 0
    updated_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class ReportNotice(SQLModel, table=True):
    """One report version to tell one coordinator of: the outbox (claim → send → mark).

    Only what the notice says is kept: unit, period, time and receipt number — never content.
    """

    __tablename__ = "report_notice"
    __table_args__ = (
        UniqueConstraint("version_id", "telegram_id", name="uq_report_notice"),
        CheckConstraint(_in("status", NOTICE_STATUSES), name="ck_report_notice_status"),
        Index("ix_report_notice_due", "status", "telegram_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(sa_column=Column(
        Integer, ForeignKey("submission_version.id", ondelete="CASCADE"), nullable=False))
    telegram_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    plan_id: str = Field(max_length=64)
    unit_id: str = Field(max_length=64)
    title: str = Field(max_length=255)
    due_date: dt.date | None = None
    number: str = Field(max_length=32)
    submitted_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    created_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    status: str = Field(default=NOTICE_PENDING, max_length=8)
    claimed_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    claimed_by: str | None = Field(default=None, max_length=64)
    sent_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    error: str | None = Field(default=None, max_length=255)


class MissingReminderRun(SQLModel, table=True):
    """When the units missing for an occurrence were last reminded from /tinhhinh (1 per hour)."""

    __tablename__ = "missing_reminder_run"

    occurrence_key: str = Field(sa_column=Column(String(128), primary_key=True))
    last_at: dt.datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    last_by: int | None = Field(default=None, sa_column=Column(BigInteger))
