"""child-protection and child-in-need plans: conditions, actions, breaches, household-member tasks

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plan",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("child_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column("lead_professional", sa.String(length=100), nullable=False),
        sa.Column("manager", sa.String(length=100), nullable=False),
        sa.Column(
            "home_address",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "core_group", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "outcomes", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["person.id"], name=op.f("fk_plan_child_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan")),
    )
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.create_index("ix_plan_child_status", ["child_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_lead_professional"), ["lead_professional"], unique=False)

    op.create_table(
        "household_member_task",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column(
            "checklist", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("duty_id", sa.String(length=36), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("completed_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["duty_id"], ["duty.id"], name=op.f("fk_household_member_task_duty_id_duty")),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_household_member_task_event_id_event")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_household_member_task_person_id_person")),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_household_member_task_plan_id_plan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_member_task")),
        sa.UniqueConstraint("plan_id", "person_id", name=op.f("uq_household_member_task_plan_id_person_id")),
    )
    with op.batch_alter_table("household_member_task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_member_task_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_household_member_task_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_action",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_plan_action_plan_id_plan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_action")),
    )
    with op.batch_alter_table("plan_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_action_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_condition",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_plan_condition_person_id_person")),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_plan_condition_plan_id_plan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_condition")),
    )
    with op.batch_alter_table("plan_condition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_condition_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_condition_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_stay_notice",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column(
            "address", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("with_whom", sa.String(length=200), nullable=True),
        sa.Column("from_on", sa.Date(), nullable=False),
        sa.Column("to_on", sa.Date(), nullable=False),
        sa.Column("notified_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_plan_stay_notice_plan_id_plan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_stay_notice")),
    )
    with op.batch_alter_table("plan_stay_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_stay_notice_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_breach",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("condition_id", sa.String(length=36), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column(
            "event_ids", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("lead_duty_id", sa.String(length=36), nullable=True),
        sa.Column("manager_duty_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["condition_id"], ["plan_condition.id"], name=op.f("fk_plan_breach_condition_id_plan_condition")
        ),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_plan_breach_event_id_event")),
        sa.ForeignKeyConstraint(["lead_duty_id"], ["duty.id"], name=op.f("fk_plan_breach_lead_duty_id_duty")),
        sa.ForeignKeyConstraint(["manager_duty_id"], ["duty.id"], name=op.f("fk_plan_breach_manager_duty_id_duty")),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_plan_breach_plan_id_plan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_breach")),
        sa.UniqueConstraint("condition_id", "event_id", name=op.f("uq_plan_breach_condition_id_event_id")),
    )
    with op.batch_alter_table("plan_breach", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_breach_condition_id"), ["condition_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_breach_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_breach", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_breach_plan_id"))
        batch_op.drop_index(batch_op.f("ix_plan_breach_condition_id"))

    op.drop_table("plan_breach")
    with op.batch_alter_table("plan_stay_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_stay_notice_plan_id"))

    op.drop_table("plan_stay_notice")
    with op.batch_alter_table("plan_condition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_condition_plan_id"))
        batch_op.drop_index(batch_op.f("ix_plan_condition_person_id"))

    op.drop_table("plan_condition")
    with op.batch_alter_table("plan_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_action_plan_id"))

    op.drop_table("plan_action")
    with op.batch_alter_table("household_member_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_member_task_plan_id"))
        batch_op.drop_index(batch_op.f("ix_household_member_task_person_id"))

    op.drop_table("household_member_task")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_lead_professional"))
        batch_op.drop_index("ix_plan_child_status")

    op.drop_table("plan")
