"""drop duty's (is_open, escalate_at) index

The scheduler finds duties past their grace through the (is_open, due_at) index instead: a duty is
overdue only once past its due time, so its due time is before now. One B-tree fewer to write for
every duty raised, in an order of its own (ADR 55).

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_duty_open_escalate", table_name="duty")


def downgrade() -> None:
    op.create_index("ix_duty_open_escalate", "duty", ["is_open", "escalate_at"])
