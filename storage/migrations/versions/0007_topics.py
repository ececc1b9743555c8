"""Forum topics: the topic a group's reminders go to, and when Telegram stopped knowing it.

Revision ID: 0007_topics
Revises: 0006_reliability
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_topics"
down_revision = "0006_reliability"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("reminder_subscription",
                  sa.Column("message_thread_id", sa.BigInteger(), nullable=True))
    op.add_column("reminder_subscription",
                  sa.Column("topic_stale_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reminder_subscription") as batch:
        batch.drop_column("topic_stale_at")
        batch.drop_column("message_thread_id")
