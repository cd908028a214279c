"""duties

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "duty",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("rule_code", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("person_key", sa.String(length=36), nullable=False),
        sa.Column("from_agency", sa.String(length=40), nullable=False),
        sa.Column("recipient_agency", sa.String(length=40), nullable=False),
        sa.Column("recipient_team", sa.String(length=100), nullable=False),
        sa.Column(
            "content", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("escalate_at", sa.DateTime(), nullable=False),
        sa.Column("escalate_to", sa.String(length=100), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=100), nullable=True),
        sa.Column("actioned_at", sa.DateTime(), nullable=True),
        sa.Column("action_note", sa.Text(), nullable=True),
        sa.Column("overdue_at", sa.DateTime(), nullable=True),
        sa.Column("escalated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_duty_event_id_event")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_duty_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty")),
        sa.UniqueConstraint("rule_code", "event_id", "person_key", name=op.f("uq_duty_rule_code_event_id_person_key")),
    )
    with op.batch_alter_table("duty", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duty_event_id"), ["event_id"], unique=False)
        batch_op.create_index("ix_duty_open_due", ["is_open", "due_at"], unique=False)
        batch_op.create_index("ix_duty_open_escalate", ["is_open", "escalate_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_duty_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_duty_recipient_due", ["recipient_agency", "due_at"], unique=False)

    op.create_table(
        "duty_quoted_reference",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("referrer_ref", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_duty_quoted_reference_event_id_event")),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_duty_quoted_reference")),
    )
    with op.batch_alter_table("duty_quoted_reference", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duty_quoted_reference_referrer_ref"), ["referrer_ref"], unique=False)

    op.create_table(
        "duty_transition",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("duty_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["duty_id"], ["duty.id"], name=op.f("fk_duty_transition_duty_id_duty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_transition")),
    )
    with op.batch_alter_table("duty_transition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duty_transition_duty_id"), ["duty_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("duty_transition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duty_transition_duty_id"))

    op.drop_table("duty_transition")
    with op.batch_alter_table("duty_quoted_reference", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duty_quoted_reference_referrer_ref"))

    op.drop_table("duty_quoted_reference")
    with op.batch_alter_table("duty", schema=None) as batch_op:
        batch_op.drop_index("ix_duty_recipient_due")
        batch_op.drop_index(batch_op.f("ix_duty_person_id"))
        batch_op.drop_index("ix_duty_open_escalate")
        batch_op.drop_index("ix_duty_open_due")
        batch_op.drop_index(batch_op.f("ix_duty_event_id"))

    op.drop_table("duty")
