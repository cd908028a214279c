"""Dialect-specific statements behind portable helpers (insert-or-ignore, upsert)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def _insert(session: Session, table: Table) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def insert_ignoring_conflicts(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], index_elements: Sequence[str]
) -> None:
    """Insert rows, silently skipping those that would break the given unique key."""
    if rows:
        stmt = _insert(session, table).on_conflict_do_nothing(index_elements=list(index_elements))
        session.execute(stmt, list(rows))


def insert_returning_new_keys(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], index_elements: Sequence[str],
    returning: str,
) -> set[Any]:
    """Insert rows skipping conflicts; return the `returning` column of rows actually inserted."""
    if not rows:
        return set()
    stmt = (
        _insert(session, table)
        .on_conflict_do_nothing(index_elements=list(index_elements))
        .returning(table.c[returning])
    )
    result = session.execute(stmt, list(rows))
    return set(result.scalars().all())


def upsert_seen_range(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], index_elements: Sequence[str]
) -> None:
    """Insert rows; on conflict widen first_seen_at/last_seen_at to cover both sightings."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    stmt = _insert(session, table)
    least, greatest = (func.least, func.greatest) if dialect == "postgresql" else (func.min, func.max)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(index_elements),
        set_={
            "first_seen_at": least(table.c.first_seen_at, stmt.excluded.first_seen_at),
            "last_seen_at": greatest(table.c.last_seen_at, stmt.excluded.last_seen_at),
        },
    )
    session.execute(stmt, list(rows))
