"""Reliability: handled update ids, finished conversation steps, reminders of unknown delivery.

Revision ID: 0006_reliability
Revises: 0005_office
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_reliability"
down_revision = "0005_office"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
_OLD = "status IN ('claimed', 'sent', 'skipped', 'failed')"
_NEW = "status IN ('claimed', 'sent', 'skipped', 'failed', 'unknown')"


def upgrade() -> None:
    op.create_table(
        "handled_update",
        sa.Column("update_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("done", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("handled_at", _TS, nullable=False),
    )
    op.create_index("ix_handled_update_handled_at", "handled_update", ["handled_at"])
    op.create_table(
        "finished_step",
        sa.Column("chat_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("token", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("outcome", _JSON, nullable=False),
        sa.Column("finished_at", _TS, nullable=False),
    )
    op.create_index("ix_finished_step_finished_at", "finished_step", ["finished_at"])
    with op.batch_alter_table("reminder_delivery") as batch:
        batch.drop_constraint("ck_reminder_delivery_status", type_="check")
        batch.create_check_constraint("ck_reminder_delivery_status", _NEW)


def downgrade() -> None:
    op.execute("UPDATE reminder_delivery SET status = 'claimed' WHERE status = 'unknown'")
    with op.batch_alter_table("reminder_delivery") as batch:
        batch.drop_constraint("ck_reminder_delivery_status", type_="check")
        batch.create_check_constraint("ck_reminder_delivery_status", _OLD)
    op.drop_index("ix_finished_step_finished_at", "finished_step")
    op.drop_table("finished_step")
    op.drop_index("ix_handled_update_handled_at", "handled_update")
    op.drop_table("handled_update")
