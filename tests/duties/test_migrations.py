"""Duty indexes follow their migrations up and down, on both backends."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from lantern.db.engine import make_engine
from lantern.db.migrate import alembic_config, upgrade


def test_the_escalation_index_goes_with_its_migration(database_url: str) -> None:
    """ADR 55: the scheduler finds duties past their grace through (is_open, due_at); 0018 still had its own."""

    def duty_indexes() -> set[str]:
        engine = make_engine(database_url)
        found = {index["name"] for index in inspect(engine).get_indexes("duty")}
        engine.dispose()
        return {name for name in found if name}

    assert "ix_duty_open_due" in duty_indexes() and "ix_duty_open_escalate" not in duty_indexes()
    command.downgrade(alembic_config(database_url), "0018")
    assert "ix_duty_open_escalate" in duty_indexes()
    upgrade(database_url)
    assert "ix_duty_open_escalate" not in duty_indexes()
