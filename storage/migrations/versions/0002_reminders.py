"""Reminders: group subscriptions to a plan's deadlines, and the claim of every reminder sent.

Revision ID: 0002_reminders
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_reminders"
down_revision = "0001"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "reminder_subscription",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("title", sa.String(255), nullable=True),
        sa.Column("deadline_ids", _JSON, nullable=False),
        sa.Column("unit_ids", _JSON, nullable=False),
        sa.Column("lead_days", _JSON, nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("active_since", _TS, nullable=False),
        sa.Column("deactivated_reason", sa.String(32), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.UniqueConstraint("chat_id", "plan_id", name="uq_reminder_subscription"),
    )
    op.create_index(
        "ix_reminder_subscription_chat_id", "reminder_subscription", ["chat_id"]
    )
    op.create_table(
        "reminder_delivery",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("occurrence_key", sa.String(128), nullable=False),
        sa.Column("lead_days", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("due_at", _TS, nullable=False),
        sa.Column("claimed_at", _TS, nullable=False),
        sa.Column("claimed_by", sa.String(128), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", _TS, nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.String(255), nullable=True),
        sa.UniqueConstraint(
            "chat_id", "occurrence_key", "lead_days", name="uq_reminder_delivery"
        ),
        sa.CheckConstraint(
            "status IN ('claimed', 'sent', 'skipped', 'failed')",
            name="ck_reminder_delivery_status",
        ),
    )
    op.create_index(
        "ix_reminder_delivery_occurrence", "reminder_delivery", ["occurrence_key", "status"]
    )


def downgrade() -> None:
    op.drop_table("reminder_delivery")
    op.drop_table("reminder_subscription")
