"""family network, chronology and alerts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "glossary_term",
        sa.Column("term", sa.String(length=60), nullable=False),
        sa.Column("plain", sa.String(length=300), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_glossary_term")),
    )
    op.create_table(
        "alert",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("rule_code", sa.String(length=60), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("cause_key", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("threshold", sa.String(length=300), nullable=False),
        sa.Column(
            "event_ids", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_alert_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
        sa.UniqueConstraint("rule_code", "person_id", "cause_key", name=op.f("uq_alert_rule_code_person_id_cause_key")),
    )
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_person_id"), ["person_id"], unique=False)

    op.create_table(
        "chronology_significance",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_by", sa.String(length=100), nullable=False),
        sa.Column("set_agency", sa.String(length=40), nullable=True),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_chronology_significance_event_id_event")),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_chronology_significance")),
    )
    op.create_table(
        "chronology_text",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("plain", sa.Text(), nullable=False),
        sa.Column("significance", sa.String(length=12), nullable=False),
        sa.Column("significance_reason", sa.String(length=300), nullable=False),
        sa.Column(
            "unexplained", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_chronology_text_event_id_event")),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_chronology_text")),
    )
    op.create_table(
        "family_relationship",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("related_person_id", sa.String(length=36), nullable=False),
        sa.Column("relation", sa.String(length=30), nullable=False),
        sa.Column("from_on", sa.Date(), nullable=True),
        sa.Column("to_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_agency", sa.String(length=40), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_family_relationship_person_id_person")),
        sa.ForeignKeyConstraint(
            ["related_person_id"], ["person.id"], name=op.f("fk_family_relationship_related_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_relationship")),
    )
    with op.batch_alter_table("family_relationship", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_relationship_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_family_relationship_related_person_id"), ["related_person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("family_relationship", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_relationship_related_person_id"))
        batch_op.drop_index(batch_op.f("ix_family_relationship_person_id"))

    op.drop_table("family_relationship")
    op.drop_table("chronology_text")
    op.drop_table("chronology_significance")
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_person_id"))

    op.drop_table("alert")
    op.drop_table("glossary_term")
