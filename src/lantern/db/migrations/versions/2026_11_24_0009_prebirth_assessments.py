"""pre-birth assessments and their versions

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "prebirth_assessment",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("mother_id", sa.String(length=36), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("signed_off_by", sa.String(length=100), nullable=True),
        sa.Column("signed_off_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["mother_id"], ["person.id"], name=op.f("fk_prebirth_assessment_mother_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prebirth_assessment")),
    )
    with op.batch_alter_table("prebirth_assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prebirth_assessment_mother_id"), ["mother_id"], unique=False)

    op.create_table(
        "prebirth_version",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("assessment_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "people", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "answers", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("saved_by", sa.String(length=100), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["prebirth_assessment.id"],
            name=op.f("fk_prebirth_version_assessment_id_prebirth_assessment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prebirth_version")),
        sa.UniqueConstraint("assessment_id", "number", name=op.f("uq_prebirth_version_assessment_id_number")),
    )
    with op.batch_alter_table("prebirth_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prebirth_version_assessment_id"), ["assessment_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("prebirth_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prebirth_version_assessment_id"))

    op.drop_table("prebirth_version")
    with op.batch_alter_table("prebirth_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prebirth_assessment_mother_id"))

    op.drop_table("prebirth_assessment")
