"""duty delivery

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "duty_delivery",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("duty_id", sa.String(length=36), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["duty_id"], ["duty.id"], name=op.f("fk_duty_delivery_duty_id_duty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_delivery")),
        sa.UniqueConstraint("duty_id", "channel", "target", name=op.f("uq_duty_delivery_duty_id_channel_target")),
    )
    with op.batch_alter_table("duty_delivery", schema=None) as batch_op:
        batch_op.create_index("ix_duty_delivery_due", ["status", "next_attempt_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("duty_delivery", schema=None) as batch_op:
        batch_op.drop_index("ix_duty_delivery_due")

    op.drop_table("duty_delivery")
