"""chronology entries kept with their time, type, agency and people

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK = "fk_chronology_text_event_id_event"


def _create(*extra: sa.Column[object]) -> None:
    op.create_table(
        "chronology_text",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        *extra,
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("significance", sa.String(length=12), nullable=False),
        sa.Column("unexplained", sa.Text(), nullable=False),
        sa.Column("entry", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f(FK)),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_chronology_text")),
    )


def upgrade() -> None:
    # chronology_text is a cache written on read: recreated in its new shape, it fills again.
    op.drop_table("chronology_text")
    _create(
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("type", sa.String(length=60), nullable=False),
        sa.Column("source_agency", sa.String(length=40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("chronology_text")
    _create()
