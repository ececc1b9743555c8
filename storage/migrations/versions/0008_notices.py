"""The coordinator's report notices (issue 13 item 15).

Preferences, the outbox, its intake mark, and the hourly limit of "Nhắc các đơn vị chưa nộp".

Revision ID: 0008_notices
Revises: 0007_topics
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_notices"
down_revision = "0007_topics"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notice_preference",
        sa.Column("telegram_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("mode", sa.String(8), nullable=False),
        sa.Column("digest_hour", sa.Integer(), nullable=False),
        sa.Column("digest_minute", sa.Integer(), nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.CheckConstraint("mode IN ('each', 'digest', 'off')",
                           name="ck_notice_preference_mode"),
    )
    op.create_table(
        "notice_cursor",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_version_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_table(
        "report_notice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version_id", sa.Integer(),
                  sa.ForeignKey("submission_version.id", ondelete="CASCADE"), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("unit_id", sa.String(64), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("submitted_at", _TS, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("claimed_at", _TS, nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("sent_at", _TS, nullable=True),
        sa.Column("error", sa.String(255), nullable=True),
        sa.UniqueConstraint("version_id", "telegram_id", name="uq_report_notice"),
        sa.CheckConstraint("status IN ('pending', 'sent', 'skipped', 'failed')",
                           name="ck_report_notice_status"),
    )
    op.create_index("ix_report_notice_due", "report_notice", ["status", "telegram_id"])
    op.create_table(
        "missing_reminder_run",
        sa.Column("occurrence_key", sa.String(128), primary_key=True),
        sa.Column("last_at", _TS, nullable=False),
        sa.Column("last_by", sa.BigInteger(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("missing_reminder_run")
    op.drop_index("ix_report_notice_due", table_name="report_notice")
    op.drop_table("report_notice")
    op.drop_table("notice_cursor")
    op.drop_table("notice_preference")
