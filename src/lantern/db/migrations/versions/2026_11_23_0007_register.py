"""register of violent offenders against children: entries, offences, addresses, alerts, disclosure requests

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "register_entry",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("conviction_on", sa.Date(), nullable=False),
        sa.Column("sentence", sa.String(length=200), nullable=True),
        sa.Column("sentence_months", sa.Integer(), nullable=True),
        sa.Column("court", sa.String(length=200), nullable=True),
        sa.Column("monitoring_years", sa.Integer(), nullable=True),
        sa.Column("monitoring_ends_on", sa.Date(), nullable=True),
        sa.Column("managing_agency", sa.String(length=40), nullable=False),
        sa.Column("managing_officer", sa.String(length=100), nullable=True),
        sa.Column("source_event_id", sa.String(length=36), nullable=True),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("registered_by", sa.String(length=100), nullable=False),
        sa.Column("status_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_register_entry_person_id_person")),
        sa.ForeignKeyConstraint(
            ["source_event_id"], ["event.id"], name=op.f("fk_register_entry_source_event_id_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_entry")),
        sa.UniqueConstraint("source_event_id", name=op.f("uq_register_entry_source_event_id")),
    )
    with op.batch_alter_table("register_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_register_entry_managing_officer"), ["managing_officer"], unique=False)
        batch_op.create_index(batch_op.f("ix_register_entry_person_id"), ["person_id"], unique=False)

    op.create_table(
        "disclosure_request",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("scheme", sa.String(length=10), nullable=False),
        sa.Column("route", sa.String(length=20), nullable=False),
        sa.Column("subject_person_id", sa.String(length=36), nullable=True),
        sa.Column("subject_name", sa.String(length=200), nullable=False),
        sa.Column("requester_name", sa.String(length=200), nullable=False),
        sa.Column("requester_relation", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("received_by", sa.String(length=100), nullable=False),
        sa.Column("checks_due_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column(
            "checks", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("entry_id", sa.String(length=36), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("disclosed_to", sa.String(length=200), nullable=True),
        sa.Column("disclosed_what", sa.Text(), nullable=True),
        sa.Column("disclosed_at", sa.DateTime(), nullable=True),
        sa.Column("disclosed_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["register_entry.id"], name=op.f("fk_disclosure_request_entry_id_register_entry")
        ),
        sa.ForeignKeyConstraint(
            ["subject_person_id"], ["person.id"], name=op.f("fk_disclosure_request_subject_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_request")),
    )
    with op.batch_alter_table("disclosure_request", schema=None) as batch_op:
        batch_op.create_index("ix_disclosure_request_status_due", ["status", "due_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_disclosure_request_subject_person_id"), ["subject_person_id"], unique=False
        )

    op.create_table(
        "register_address",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("line1", sa.String(length=200), nullable=True),
        sa.Column("line1_lower", sa.String(length=200), nullable=False),
        sa.Column("line2", sa.String(length=200), nullable=True),
        sa.Column("town", sa.String(length=100), nullable=True),
        sa.Column("postcode", sa.String(length=10), nullable=False),
        sa.Column("moved_in_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("source_event_id", sa.String(length=36), nullable=True),
        sa.Column("notified_at", sa.DateTime(), nullable=True),
        sa.Column("notified_by", sa.String(length=100), nullable=True),
        sa.Column("duty_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["duty_id"], ["duty.id"], name=op.f("fk_register_address_duty_id_duty")),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["register_entry.id"], name=op.f("fk_register_address_entry_id_register_entry")
        ),
        sa.ForeignKeyConstraint(
            ["source_event_id"], ["event.id"], name=op.f("fk_register_address_source_event_id_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_address")),
        sa.UniqueConstraint(
            "entry_id", "postcode", "line1_lower", name=op.f("uq_register_address_entry_id_postcode_line1_lower")
        ),
    )
    with op.batch_alter_table("register_address", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_register_address_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "register_alert",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("household_key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("trigger_event_id", sa.String(length=36), nullable=False),
        sa.Column(
            "members", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "event_ids", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column(
            "evidence", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("replaces_id", sa.String(length=36), nullable=True),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("csc_duty_id", sa.String(length=36), nullable=True),
        sa.Column("officer_duty_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["csc_duty_id"], ["duty.id"], name=op.f("fk_register_alert_csc_duty_id_duty")),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["register_entry.id"], name=op.f("fk_register_alert_entry_id_register_entry")
        ),
        sa.ForeignKeyConstraint(["officer_duty_id"], ["duty.id"], name=op.f("fk_register_alert_officer_duty_id_duty")),
        sa.ForeignKeyConstraint(
            ["trigger_event_id"], ["event.id"], name=op.f("fk_register_alert_trigger_event_id_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_alert")),
        sa.UniqueConstraint("entry_id", "household_key", name=op.f("uq_register_alert_entry_id_household_key")),
    )
    with op.batch_alter_table("register_alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_register_alert_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "register_offence",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("statute", sa.String(length=200), nullable=True),
        sa.Column("victim_age_years", sa.Integer(), nullable=True),
        sa.Column("victim_relationship", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["register_entry.id"], name=op.f("fk_register_offence_entry_id_register_entry")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_offence")),
    )
    with op.batch_alter_table("register_offence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_register_offence_entry_id"), ["entry_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("register_offence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_offence_entry_id"))

    op.drop_table("register_offence")
    with op.batch_alter_table("register_alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_alert_entry_id"))

    op.drop_table("register_alert")
    with op.batch_alter_table("register_address", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_address_entry_id"))

    op.drop_table("register_address")
    with op.batch_alter_table("disclosure_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disclosure_request_subject_person_id"))
        batch_op.drop_index("ix_disclosure_request_status_due")

    op.drop_table("disclosure_request")
    with op.batch_alter_table("register_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_entry_person_id"))
        batch_op.drop_index(batch_op.f("ix_register_entry_managing_officer"))

    op.drop_table("register_entry")
