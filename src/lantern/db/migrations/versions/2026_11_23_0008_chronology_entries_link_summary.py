"""chronology entries kept as JSON; family link summary

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Who is named with whom, per pair, roles and type: the summary of every record stored so far.
BACKFILL = """
INSERT INTO family_link (person_id, other_id, role, other_role, event_type, first_at, last_at, records)
SELECT mine.person_id, theirs.person_id, mine.role, theirs.role, event.type,
       min(event.occurred_at), max(event.occurred_at), count(*)
FROM event_subject AS mine
JOIN event_subject AS theirs ON theirs.event_id = mine.event_id AND theirs.person_id != mine.person_id
JOIN event ON event.id = mine.event_id
GROUP BY mine.person_id, theirs.person_id, mine.role, theirs.role, event.type
"""


def upgrade() -> None:
    # chronology_text is a cache written on read: recreated in its new shape, it fills again.
    op.drop_table("chronology_text")
    op.create_table(
        "chronology_text",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("significance", sa.String(length=12), nullable=False),
        sa.Column("unexplained", sa.Text(), nullable=False),
        sa.Column("entry", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_chronology_text_event_id_event")),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_chronology_text")),
    )
    op.create_table(
        "family_link",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("other_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("other_role", sa.String(length=40), nullable=False),
        sa.Column("event_type", sa.String(length=60), nullable=False),
        sa.Column("first_at", sa.DateTime(), nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["other_id"], ["person.id"], name=op.f("fk_family_link_other_id_person")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_family_link_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_link")),
    )
    with op.batch_alter_table("family_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_link_other_id"), ["other_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_family_link_person_id"), ["person_id"], unique=False)
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("family_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_link_person_id"))
        batch_op.drop_index(batch_op.f("ix_family_link_other_id"))
    op.drop_table("family_link")
    op.drop_table("chronology_text")
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
