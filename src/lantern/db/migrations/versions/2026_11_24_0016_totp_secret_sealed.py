"""room for a sealed TOTP secret (Fernet token) in app_user.totp_secret

Secrets stored before are plain base32 and are sealed at their user's next sign-in with a code
(`access.service._use_code`); the migration cannot seal them itself, as it does not hold the key.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.alter_column("totp_secret", existing_type=sa.String(length=64), type_=sa.String(length=200))


def downgrade() -> None:
    # A sealed secret does not fit the old column: those users enrol again.
    op.execute("UPDATE app_user SET totp_secret = NULL, totp_last_step = NULL WHERE length(totp_secret) > 64")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.alter_column("totp_secret", existing_type=sa.String(length=200), type_=sa.String(length=64))
