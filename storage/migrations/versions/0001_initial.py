"""Initial schema: chats, people and roles, audit log, report submissions, conversations.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_OFFICER_ACTIVE = sa.text("role = 'officer' AND status IN ('pending', 'approved')")
_COORDINATOR_ACTIVE = sa.text("role = 'coordinator' AND status = 'approved'")


def upgrade() -> None:
    op.create_table(
        "chat_settings",
        sa.Column("chat_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("plan_id", sa.String(64), nullable=True),
        sa.Column("title", sa.String(255), nullable=True),
        sa.Column("chat_type", sa.String(32), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_table(
        "person",
        sa.Column("telegram_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("full_name", sa.String(255), nullable=False),
        sa.Column("username", sa.String(64), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_table(
        "registration",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "telegram_id", sa.BigInteger(), sa.ForeignKey("person.telegram_id"), nullable=False
        ),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("unit_id", sa.String(64), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("requested_at", _TS, nullable=False),
        sa.Column("decided_at", _TS, nullable=True),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("role IN ('officer', 'coordinator')", name="ck_registration_role"),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'refused', 'revoked', 'withdrawn')",
            name="ck_registration_status",
        ),
    )
    op.create_index("ix_registration_telegram_id", "registration", ["telegram_id"])
    op.create_index("ix_registration_plan_status", "registration", ["plan_id", "status"])
    op.create_index(
        "ux_registration_officer_active", "registration", ["telegram_id", "status"],
        unique=True,
        sqlite_where=_OFFICER_ACTIVE, postgresql_where=_OFFICER_ACTIVE,
    )
    op.create_index(
        "ux_registration_coordinator_active", "registration", ["telegram_id", "plan_id"],
        unique=True, sqlite_where=_COORDINATOR_ACTIVE, postgresql_where=_COORDINATOR_ACTIVE,
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", _TS, nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(255), nullable=False),
        sa.Column("plan_id", sa.String(64), nullable=True),
        sa.Column("details", _JSON, nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_actor_id", "audit_log", ["actor_id"])
    op.create_index("ix_audit_log_action", "audit_log", ["action"])
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("unit_id", sa.String(64), nullable=False),
        sa.Column("occurrence_key", sa.String(128), nullable=True),
        sa.Column("deadline_id", sa.String(64), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("first_submitted_at", _TS, nullable=False),
        sa.Column("last_submitted_at", _TS, nullable=False),
        sa.Column("version_count", sa.Integer(), nullable=False),
        sa.Column("current_number", sa.String(32), nullable=False),
        sa.UniqueConstraint(
            "plan_id", "unit_id", "occurrence_key", name="uq_submission_occurrence"
        ),
    )
    op.create_index(
        "ix_submission_plan_deadline", "submission", ["plan_id", "deadline_id", "due_date"]
    )
    op.create_table(
        "submission_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "submission_id", sa.Integer(),
            sa.ForeignKey("submission.id", ondelete="CASCADE"), nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(32), nullable=False, unique=True),
        sa.Column("submitted_by", sa.BigInteger(), nullable=False),
        sa.Column("submitter_name", sa.String(255), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("file_sha256", sa.String(64), nullable=True),
        sa.Column("file_name", sa.String(255), nullable=True),
        sa.Column("file_mime", sa.String(128), nullable=True),
        sa.Column("file_size", sa.Integer(), nullable=True),
        sa.Column("submitted_at", _TS, nullable=False),
        sa.UniqueConstraint("submission_id", "version", name="uq_submission_version"),
    )
    op.create_table(
        "receipt_counter",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last", sa.Integer(), nullable=False),
    )
    op.create_table(
        "conversation_state",
        sa.Column("chat_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("data", _JSON, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_index("ix_conversation_state_updated_at", "conversation_state", ["updated_at"])


def downgrade() -> None:
    for table in (
        "conversation_state", "receipt_counter", "submission_version", "submission",
        "audit_log", "registration", "person", "chat_settings",
    ):
        op.drop_table(table)
