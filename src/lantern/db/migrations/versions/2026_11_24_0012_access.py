"""access: break-glass, sign-in lockout and TOTP

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "break_glass",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=100), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("review_outcome", sa.String(length=20), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_break_glass_person_id_person")),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_break_glass_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_break_glass")),
    )
    with op.batch_alter_table("break_glass", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_break_glass_agency"), ["agency"], unique=False)
        batch_op.create_index(batch_op.f("ix_break_glass_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_break_glass_user_person", ["user_id", "person_id"], unique=False)

    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("totp_secret")
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")

    with op.batch_alter_table("break_glass", schema=None) as batch_op:
        batch_op.drop_index("ix_break_glass_user_person")
        batch_op.drop_index(batch_op.f("ix_break_glass_person_id"))
        batch_op.drop_index(batch_op.f("ix_break_glass_agency"))

    op.drop_table("break_glass")
