"""Bulk writes that bypass per-row ORM work, and the dialect-specific parts of them.

Ingestion writes tens of thousands of rows a second: statements are compiled once per shape
and executed with the driver's executemany, values converted by SQLAlchemy's own type
processors, so the stored format is exactly what the ORM reads back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

Row = dict[str, Any]


def _dialect(session: Session) -> Dialect:
    return session.get_bind().dialect


def _insert(session: Session, table: Table) -> Any:
    return (postgresql if _dialect(session).name == "postgresql" else sqlite).insert(table)


def _execute_many(session: Session, stmt: Insert, rows: Sequence[Row], returning: bool = False) -> list[Any]:
    """executemany on the session's own connection (same transaction); returns RETURNING rows."""
    dialect = _dialect(session)
    compiled = stmt.compile(dialect=dialect, column_keys=list(rows[0]))
    names = list(compiled.positiontup or rows[0])
    params = _converted(rows, names, [_converter(stmt.table.c[n].type, dialect) for n in names])  # type: ignore[attr-defined]
    if not compiled.positiontup:
        params = [dict(zip(names, values, strict=True)) for values in params]
    cursor = session.connection().connection.cursor()
    try:
        if not returning:
            cursor.executemany(compiled.string, params)
            return []
        cursor.executemany(compiled.string, params, returning=True)
        found = []
        while True:
            found.extend(cursor.fetchall())
            if not cursor.nextset():
                return found
    finally:
        cursor.close()


def _converted(rows: Sequence[Row], names: list[str], converters: list[Callable[[Any], Any] | None]) -> list[Any]:
    """Rows as tuples in `names` order, passed through the columns' bind processors."""
    get = itemgetter(*names)
    todo = [(i, conv) for i, conv in enumerate(converters) if conv is not None]
    if len(names) == 1:
        return [(row[names[0]],) for row in rows] if not todo else [(todo[0][1](row[names[0]]),) for row in rows]
    if not todo:
        return [get(row) for row in rows]
    out = []
    for row in rows:
        values = list(get(row))
        for i, conv in todo:
            values[i] = conv(values[i])
        out.append(values)
    return out


def _converter(column_type: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    return column_type.dialect_impl(dialect).bind_processor(dialect)  # type: ignore[no-any-return]


def insert_rows(session: Session, table: Table, rows: Sequence[Row]) -> None:
    """Insert new rows (no conflicts expected: a conflict is an error)."""
    if rows:
        _execute_many(session, table.insert(), rows)


def insert_ignoring_conflicts(session: Session, table: Table, rows: Sequence[Row], key: Sequence[str]) -> None:
    """Insert rows, silently skipping those that would break the unique `key`."""
    if rows:
        _execute_many(session, _insert(session, table).on_conflict_do_nothing(index_elements=list(key)), rows)


def insert_new(session: Session, table: Table, rows: Sequence[Row], key: Sequence[str], returning: str) -> set[Any]:
    """Insert the rows whose unique `key` is not yet stored; return their `returning` values.

    PostgreSQL reports what it inserted (safe under concurrent writers); SQLite transactions
    here begin IMMEDIATE, so no other writer can slip in between the check and the insert.
    """
    if not rows:
        return set()
    if _dialect(session).name == "postgresql":
        stmt = _insert(session, table).on_conflict_do_nothing(index_elements=list(key)).returning(table.c[returning])
        return {row[0] for row in _execute_many(session, stmt, rows, returning=True)}
    stored = _stored_keys(session, table, rows, key)
    fresh = [row for row in rows if tuple(row[k] for k in key) not in stored]
    insert_rows(session, table, fresh)
    return {row[returning] for row in fresh}


def _stored_keys(session: Session, table: Table, rows: Sequence[Row], key: Sequence[str]) -> set[tuple[Any, ...]]:
    """Keys already stored, looked up by the last key column within each value of the others
    (a plain IN on an indexed column; SQLite does not use indexes for row-value IN lists)."""
    *outer, inner = key
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in outer), []).append(row[inner])
    stored: set[tuple[Any, ...]] = set()
    for prefix, values in groups.items():
        for start in range(0, len(values), 5000):
            stmt = select(table.c[inner]).where(
                *(table.c[k] == v for k, v in zip(outer, prefix, strict=True)),
                table.c[inner].in_(values[start : start + 5000]),
            )
            stored.update((*prefix, value) for value in session.execute(stmt).scalars())
    return stored


def upsert_seen_range(session: Session, table: Table, rows: Sequence[Row], key: Sequence[str]) -> None:
    """Insert rows; on conflict widen first_seen_at/last_seen_at to cover both sightings."""
    if not rows:
        return
    stmt = _insert(session, table)
    least, greatest = (func.least, func.greatest) if _dialect(session).name == "postgresql" else (func.min, func.max)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(key),
        set_={
            "first_seen_at": least(table.c.first_seen_at, stmt.excluded.first_seen_at),
            "last_seen_at": greatest(table.c.last_seen_at, stmt.excluded.last_seen_at),
        },
    )
    _execute_many(session, stmt, rows)
