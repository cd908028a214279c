"""duty backlog: events stored by file ingestion whose duty rules have not run yet

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "duty_backlog",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_duty_backlog_event_id_event")),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_duty_backlog")),
    )


def downgrade() -> None:
    op.drop_table("duty_backlog")
