"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.String(length=100), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "detail",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_object_id"), ["object_id"], unique=False)

    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("source_agency", sa.String(length=40), nullable=False),
        sa.Column("source_ref", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=60), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("received_by", sa.String(length=100), nullable=False),
        sa.Column(
            "location",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=True),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
        sa.UniqueConstraint("source_agency", "source_ref", name=op.f("uq_event_source_agency_source_ref")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_occurred_at"), ["occurred_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_type"), ["type"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=True),
        sa.Column("family_name", sa.String(length=100), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(length=10), nullable=True),
        sa.Column("nhs_number", sa.String(length=10), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_nhs_number"), ["nhs_number"], unique=False)

    op.create_table(
        "event_subject",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "record",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_event_subject_event_id_event")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_event_subject_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_subject")),
    )
    with op.batch_alter_table("event_subject", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_subject_event_id"), ["event_id"], unique=False)
        batch_op.create_index("ix_event_subject_person_event", ["person_id", "event_id"], unique=False)

    op.create_table(
        "person_address",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("line1", sa.String(length=200), nullable=True),
        sa.Column("line1_lower", sa.String(length=200), nullable=False),
        sa.Column("line2", sa.String(length=200), nullable=True),
        sa.Column("town", sa.String(length=100), nullable=True),
        sa.Column("postcode", sa.String(length=10), nullable=False),
        sa.Column("uprn", sa.String(length=12), nullable=True),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_person_address_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_address")),
        sa.UniqueConstraint(
            "person_id",
            "postcode",
            "line1_lower",
            name=op.f("uq_person_address_person_id_postcode_line1_lower"),
        ),
    )
    with op.batch_alter_table("person_address", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_address_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_address_postcode"), ["postcode"], unique=False)

    op.create_table(
        "person_identifier",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("scheme", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=80), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_person_identifier_person_id_person")),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_person_identifier")),
    )
    with op.batch_alter_table("person_identifier", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_identifier_person_id"), ["person_id"], unique=False)

    op.create_table(
        "person_name",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=True),
        sa.Column("family_name", sa.String(length=100), nullable=True),
        sa.Column("other_names", sa.String(length=200), nullable=True),
        sa.Column("given_lower", sa.String(length=100), nullable=False),
        sa.Column("family_lower", sa.String(length=100), nullable=False),
        sa.Column("source_agency", sa.String(length=40), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_person_name_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_name")),
        sa.UniqueConstraint(
            "person_id",
            "given_lower",
            "family_lower",
            "source_agency",
            name=op.f("uq_person_name_person_id_given_lower_family_lower_source_agency"),
        ),
    )
    with op.batch_alter_table("person_name", schema=None) as batch_op:
        batch_op.create_index("ix_person_name_family_given", ["family_lower", "given_lower"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_name_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("person_name", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_name_person_id"))
        batch_op.drop_index("ix_person_name_family_given")

    op.drop_table("person_name")
    with op.batch_alter_table("person_identifier", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_identifier_person_id"))

    op.drop_table("person_identifier")
    with op.batch_alter_table("person_address", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_address_postcode"))
        batch_op.drop_index(batch_op.f("ix_person_address_person_id"))

    op.drop_table("person_address")
    with op.batch_alter_table("event_subject", schema=None) as batch_op:
        batch_op.drop_index("ix_event_subject_person_event")
        batch_op.drop_index(batch_op.f("ix_event_subject_event_id"))

    op.drop_table("event_subject")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_nhs_number"))

    op.drop_table("person")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_type"))
        batch_op.drop_index(batch_op.f("ix_event_occurred_at"))

    op.drop_table("event")
    op.drop_table("audit_head")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_object_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_at"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_actor_id"))

    op.drop_table("audit_entry")
    op.drop_table("app_user")
