"""drop the person_id indexes of person_name and person_address

Each table's unique key begins with person_id, so its index already serves every look-up by
person; the separate index was one more B-tree to write for every name and address ingested
(ADR 53).

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {"person_name": "ix_person_name_person_id", "person_address": "ix_person_address_person_id"}


def upgrade() -> None:
    for table, index in INDEXES.items():
        op.drop_index(index, table_name=table)


def downgrade() -> None:
    for table, index in INDEXES.items():
        op.create_index(index, table, ["person_id"])
