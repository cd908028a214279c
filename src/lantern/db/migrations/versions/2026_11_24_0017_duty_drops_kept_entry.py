"""a duty raised, changed or removed drops its record's kept chronology entry; kept entries are stamped

A kept entry (`chronology_text`) now holds with whom its record was shared, written when it was kept
(`chronology.entries.keep`); these triggers drop it whenever one of the record's duties is inserted,
updated or deleted, by any code path, so that the next read writes it again. The kept entries are a
cache: both directions empty it, since entries kept before hold no duties and entries kept after hold
them where the older code would add them again. Each kept entry gets a `stamp`, drawn at random each
time it is kept and unique among them, by which a process knows that an entry it read before is still
the one kept (`chronology.cache`).

Note for later migrations: SQLite's batch mode copies a table to alter it and the copy has no
triggers; a migration that alters `duty` in batch mode must create these again.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite: one trigger a row (it has no other kind).
SQLITE = {
    "duty_inserted_drops_entry": "AFTER INSERT ON duty BEGIN "
    "DELETE FROM chronology_text WHERE event_id = NEW.event_id; END",
    "duty_updated_drops_entry": "AFTER UPDATE ON duty BEGIN "
    "DELETE FROM chronology_text WHERE event_id IN (OLD.event_id, NEW.event_id); END",
    "duty_deleted_drops_entry": "AFTER DELETE ON duty BEGIN "
    "DELETE FROM chronology_text WHERE event_id = OLD.event_id; END",
}

# PostgreSQL: one trigger a statement, over its transition tables, so a batch of duties costs one delete.
POSTGRESQL_FUNCTION = """
CREATE FUNCTION duty_drops_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM chronology_text WHERE event_id IN (SELECT event_id FROM old_duty);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        DELETE FROM chronology_text WHERE event_id IN (SELECT event_id FROM new_duty);
    END IF;
    RETURN NULL;
END $$
"""
POSTGRESQL = {
    "duty_inserted_drops_entry": "AFTER INSERT ON duty REFERENCING NEW TABLE AS new_duty",
    "duty_updated_drops_entry": "AFTER UPDATE ON duty REFERENCING OLD TABLE AS old_duty NEW TABLE AS new_duty",
    "duty_deleted_drops_entry": "AFTER DELETE ON duty REFERENCING OLD TABLE AS old_duty",
}


def upgrade() -> None:
    op.execute("DELETE FROM chronology_text")
    op.add_column("chronology_text", sa.Column("stamp", sa.BigInteger(), nullable=False, server_default="0"))
    op.create_index("ix_chronology_text_stamp", "chronology_text", ["stamp"], unique=True)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        for name, when in POSTGRESQL.items():
            op.execute(f"CREATE TRIGGER {name} {when} FOR EACH STATEMENT EXECUTE FUNCTION duty_drops_entry()")
    else:
        for name, body in SQLITE.items():
            op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name in SQLITE:
        op.execute(f"DROP TRIGGER {name} ON duty" if postgresql else f"DROP TRIGGER {name}")
    if postgresql:
        op.execute("DROP FUNCTION duty_drops_entry()")
    op.execute("DELETE FROM chronology_text")
    op.drop_index("ix_chronology_text_stamp", table_name="chronology_text")
    with op.batch_alter_table("chronology_text", schema=None) as batch_op:
        batch_op.drop_column("stamp")
