"""casework: cases and allocation, handovers, supervision, conferences, standing meetings and actions

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "casework_meeting_series",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "weekdays", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("at_time", sa.String(length=5), nullable=False),
        sa.Column(
            "agencies", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casework_meeting_series")),
    )
    op.create_table(
        "casework_supervision",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("worker", sa.String(length=100), nullable=False),
        sa.Column("supervisor", sa.String(length=100), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column(
            "decisions", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casework_supervision")),
    )
    with op.batch_alter_table("casework_supervision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_casework_supervision_worker"), ["worker"], unique=False)

    op.create_table(
        "casework_worker",
        sa.Column("worker", sa.String(length=100), nullable=False),
        sa.Column("supervisor", sa.String(length=100), nullable=False),
        sa.Column("frequency_days", sa.Integer(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("worker", name=op.f("pk_casework_worker")),
    )
    with op.batch_alter_table("casework_worker", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_casework_worker_supervisor"), ["supervisor"], unique=False)

    op.create_table(
        "casework_conference",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("strategy_event_id", sa.String(length=36), nullable=True),
        sa.Column("held_event_id", sa.String(length=36), nullable=True),
        sa.Column("previous_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        sa.Column("decisions", sa.Text(), nullable=True),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.Column(
            "invitations", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_casework_conference_person_id_person")),
        sa.ForeignKeyConstraint(
            ["strategy_event_id"], ["event.id"], name=op.f("fk_casework_conference_strategy_event_id_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casework_conference")),
        sa.ForeignKeyConstraint(
            ["held_event_id"], ["event.id"], name=op.f("fk_casework_conference_held_event_id_event")
        ),
        sa.UniqueConstraint(
            "strategy_event_id", "person_id", name=op.f("uq_casework_conference_strategy_event_id_person_id")
        ),
    )
    with op.batch_alter_table("casework_conference", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_casework_conference_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_casework_conference_person_id"), ["person_id"], unique=False)

    op.create_table(
        "casework_meeting",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("series_id", sa.String(length=36), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.Column(
            "agenda", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "attendance", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["casework_meeting_series.id"],
            name=op.f("fk_casework_meeting_series_id_casework_meeting_series"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casework_meeting")),
    )
    with op.batch_alter_table("casework_meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_casework_meeting_series_id"), ["series_id"], unique=False)

    op.create_table(
        "casework_case",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("team", sa.String(length=100), nullable=False),
        sa.Column("worker", sa.String(length=100), nullable=True),
        sa.Column("manager", sa.String(length=100), nullable=False),
        sa.Column("is_complex", sa.Boolean(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("opened_by", sa.String(length=100), nullable=False),
        sa.Column("allocated_at", sa.DateTime(), nullable=True),
        sa.Column("unallocated_since", sa.DateTime(), nullable=True),
        sa.Column("allocation_duty_id", sa.String(length=36), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["allocation_duty_id"], ["duty.id"], name=op.f("fk_casework_case_allocation_duty_id_duty")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_casework_case_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casework_case")),
    )
    with op.batch_alter_table("casework_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_casework_case_manager"), ["manager"], unique=False)
        batch_op.create_index(batch_op.f("ix_casework_case_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_casework_case_worker"), ["worker"], unique=False)

    op.create_table(
        "casework_action",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["casework_case.id"], name=op.f("fk_casework_action_case_id_casework_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casework_action")),
    )
    with op.batch_alter_table("casework_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_casework_action_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_casework_action_source"), ["source"], unique=False)
        batch_op.create_index(batch_op.f("ix_casework_action_source_id"), ["source_id"], unique=False)

    op.create_table(
        "casework_handover",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("from_worker", sa.String(length=100), nullable=True),
        sa.Column("to_worker", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "checklist", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("sent_by", sa.String(length=100), nullable=False),
        sa.Column(
            "confirmed", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("acknowledgement_note", sa.Text(), nullable=True),
        sa.Column("event_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["casework_case.id"], name=op.f("fk_casework_handover_case_id_casework_case")
        ),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_casework_handover_event_id_event")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casework_handover")),
    )
    with op.batch_alter_table("casework_handover", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_casework_handover_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_casework_handover_to_worker"), ["to_worker"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("casework_handover", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_casework_handover_to_worker"))
        batch_op.drop_index(batch_op.f("ix_casework_handover_case_id"))

    op.drop_table("casework_handover")
    with op.batch_alter_table("casework_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_casework_action_source_id"))
        batch_op.drop_index(batch_op.f("ix_casework_action_source"))
        batch_op.drop_index(batch_op.f("ix_casework_action_case_id"))

    op.drop_table("casework_action")
    with op.batch_alter_table("casework_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_casework_case_worker"))
        batch_op.drop_index(batch_op.f("ix_casework_case_person_id"))
        batch_op.drop_index(batch_op.f("ix_casework_case_manager"))

    op.drop_table("casework_case")
    with op.batch_alter_table("casework_meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_casework_meeting_series_id"))

    op.drop_table("casework_meeting")
    with op.batch_alter_table("casework_conference", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_casework_conference_person_id"))
        batch_op.drop_index(batch_op.f("ix_casework_conference_due_on"))

    op.drop_table("casework_conference")
    with op.batch_alter_table("casework_worker", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_casework_worker_supervisor"))

    op.drop_table("casework_worker")
    with op.batch_alter_table("casework_supervision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_casework_supervision_worker"))

    op.drop_table("casework_supervision")
    op.drop_table("casework_meeting_series")
