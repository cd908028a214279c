"""identity resolution

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "linkage_model",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("trained_at", sa.DateTime(), nullable=False),
        sa.Column("trained_by", sa.String(length=100), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column(
            "settings", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_linkage_model")),
    )
    op.create_table(
        "match_review",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("candidate_id", sa.String(length=36), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=False),
        sa.Column("match_weight", sa.Float(), nullable=False),
        sa.Column(
            "explanation", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["candidate_id"], ["person.id"], name=op.f("fk_match_review_candidate_id_person")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_match_review_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_review")),
        sa.UniqueConstraint("person_id", "candidate_id", name=op.f("uq_match_review_person_id_candidate_id")),
    )
    with op.batch_alter_table("match_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_review_candidate_id"), ["candidate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_review_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_review_status"), ["status"], unique=False)

    op.create_table(
        "person_merge",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("kept_id", sa.String(length=36), nullable=False),
        sa.Column("merged_id", sa.String(length=36), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=True),
        sa.Column(
            "moved", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("undone_by", sa.String(length=100), nullable=True),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("undo_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["kept_id"], ["person.id"], name=op.f("fk_person_merge_kept_id_person")),
        sa.ForeignKeyConstraint(["merged_id"], ["person.id"], name=op.f("fk_person_merge_merged_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_merge")),
    )
    with op.batch_alter_table("person_merge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_merge_kept_id"), ["kept_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_merge_merged_id"), ["merged_id"], unique=False)

    op.create_table(
        "person_record",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("fingerprint", sa.String(length=32), nullable=False),
        sa.Column("source_agency", sa.String(length=40), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=True),
        sa.Column("given_forms", sa.String(length=400), nullable=True),
        sa.Column("given_key", sa.String(length=40), nullable=True),
        sa.Column("family_name", sa.String(length=100), nullable=True),
        sa.Column("family_parts", sa.String(length=200), nullable=True),
        sa.Column("family_key", sa.String(length=40), nullable=True),
        sa.Column("dob", sa.String(length=10), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("postcode", sa.String(length=10), nullable=True),
        sa.Column("address_line1", sa.String(length=200), nullable=True),
        sa.Column("town", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("nhs_number", sa.String(length=10), nullable=True),
        sa.Column("identifier", sa.String(length=80), nullable=True),
        sa.Column("linked_by", sa.String(length=40), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=True),
        sa.Column(
            "evidence", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True
        ),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_person_record_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_record")),
        sa.UniqueConstraint("person_id", "fingerprint", name=op.f("uq_person_record_person_id_fingerprint")),
    )
    with op.batch_alter_table("person_record", schema=None) as batch_op:
        batch_op.create_index("ix_person_record_dob_family", ["dob", "family_key"], unique=False)
        batch_op.create_index("ix_person_record_dob_given", ["dob", "given_key"], unique=False)
        batch_op.create_index("ix_person_record_identifier", ["identifier"], unique=False)
        batch_op.create_index("ix_person_record_names", ["family_key", "given_key"], unique=False)
        batch_op.create_index("ix_person_record_nhs", ["nhs_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_record_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_person_record_phone", ["phone"], unique=False)
        batch_op.create_index("ix_person_record_postcode_dob", ["postcode", "dob"], unique=False)
        batch_op.create_index("ix_person_record_postcode_given", ["postcode", "given_key"], unique=False)

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into", sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f("ix_person_merged_into"), ["merged_into"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_merged_into"))
        batch_op.drop_column("merged_into")

    with op.batch_alter_table("person_record", schema=None) as batch_op:
        batch_op.drop_index("ix_person_record_postcode_given")
        batch_op.drop_index("ix_person_record_postcode_dob")
        batch_op.drop_index("ix_person_record_phone")
        batch_op.drop_index(batch_op.f("ix_person_record_person_id"))
        batch_op.drop_index("ix_person_record_nhs")
        batch_op.drop_index("ix_person_record_names")
        batch_op.drop_index("ix_person_record_identifier")
        batch_op.drop_index("ix_person_record_dob_given")
        batch_op.drop_index("ix_person_record_dob_family")

    op.drop_table("person_record")
    with op.batch_alter_table("person_merge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_merge_merged_id"))
        batch_op.drop_index(batch_op.f("ix_person_merge_kept_id"))

    op.drop_table("person_merge")
    with op.batch_alter_table("match_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_review_status"))
        batch_op.drop_index(batch_op.f("ix_match_review_person_id"))
        batch_op.drop_index(batch_op.f("ix_match_review_candidate_id"))

    op.drop_table("match_review")
    op.drop_table("linkage_model")
