"""Incidents (/suvu): encrypted incident records and their yearly number counter.

Revision ID: 0003_incidents
Revises: 0002_reminders
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_incidents"
down_revision = "0002_reminders"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(16), nullable=False, unique=True),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("unit_id", sa.String(64), nullable=True),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("reported_by", sa.BigInteger(), nullable=True),
        sa.Column("source_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("source_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("status_changed_at", _TS, nullable=True),
        sa.Column("status_changed_by", sa.BigInteger(), nullable=True),
        sa.Column("anonymised_at", _TS, nullable=True),
        sa.UniqueConstraint("source_chat_id", "source_message_id", name="uq_incident_source"),
        sa.CheckConstraint(
            "status IN ('new', 'handled', 'referred', 'duplicate')", name="ck_incident_status"
        ),
        sa.CheckConstraint(
            "urgency IN ('urgent', 'high', 'normal')", name="ck_incident_urgency"
        ),
    )
    op.create_index("ix_incident_created_at", "incident", ["created_at"])
    op.create_index("ix_incident_plan_created", "incident", ["plan_id", "created_at"])
    op.create_table(
        "incident_counter",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("incident_counter")
    op.drop_index("ix_incident_plan_created", table_name="incident")
    op.drop_index("ix_incident_created_at", table_name="incident")
    op.drop_table("incident")
