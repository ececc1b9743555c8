"""The coordinating office (issue 15): grace days per deadline and reporting exemptions.

The incident clock needs no table: its reminders are rows of ``reminder_delivery`` (kind
``incident``, key ``incident:<number>``, ``lead_days`` = hours after the incident was logged).

Revision ID: 0005_office
Revises: 0004_questions
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_office"
down_revision = "0004_questions"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "reporting_grace",
        sa.Column("plan_id", sa.String(64), primary_key=True),
        sa.Column("deadline_id", sa.String(64), primary_key=True),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_table(
        "reporting_exemption",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("unit_id", sa.String(64), nullable=False),
        sa.Column("deadline_id", sa.String(64), nullable=True),
        sa.Column("from_date", sa.Date(), nullable=True),
        sa.Column("to_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("note", sa.String(255), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.CheckConstraint(
            "reason IN ('exempt', 'added_later')", name="ck_reporting_exemption_reason"
        ),
    )
    op.create_index(
        "ix_reporting_exemption_plan", "reporting_exemption", ["plan_id", "unit_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_reporting_exemption_plan", table_name="reporting_exemption")
    op.drop_table("reporting_exemption")
    op.drop_table("reporting_grace")
