"""Questions the assistant could not answer, kept 90 days for review.

Revision ID: 0004_questions
Revises: 0003_incidents
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_questions"
down_revision = "0003_incidents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unanswered_question",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(16), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("asked_on", sa.Date(), nullable=False),
    )
    op.create_index("ix_unanswered_question_asked_on", "unanswered_question", ["asked_on"])


def downgrade() -> None:
    op.drop_index("ix_unanswered_question_asked_on", table_name="unanswered_question")
    op.drop_table("unanswered_question")
