"""Bulk writes that bypass per-row ORM work, and the dialect-specific parts of them.

Ingestion writes tens of thousands of rows a second. Values are converted once, where rows are
built, by `Bindings` (SQLAlchemy's own type processors, so the stored format is exactly what the
ORM reads back); rows then travel as tuples in a stated column order. SQLite gets the driver's
executemany; PostgreSQL gets COPY, through a temporary staging table where a conflict is possible.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import (
    JSON,
    ColumnElement,
    Date,
    FromClause,
    LargeBinary,
    String,
    Table,
    Text,
    bindparam,
    column,
    func,
    literal_column,
    select,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from lantern.db.types import UTCDateTime

Row = Sequence[Any]
Column = ColumnElement[Any] | InstrumentedAttribute[Any]  # a column as written in a statement


@dataclass(frozen=True)
class Bindings:
    """What the driver is sent for a Python value, per portable column type.

    Times and dates go through SQLAlchemy's own type processors. JSON is sent as text, as the
    engine serialises it: SQLAlchemy stores exactly that on SQLite, and COPY parses it into jsonb.
    """

    time: Callable[[Any], Any]
    date: Callable[[Any], Any]
    json: Callable[[Any], str]


def bindings(dialect: Dialect) -> Bindings:
    """The bindings of a dialect (an engine's, so that JSON goes through the engine's serialiser)."""
    return Bindings(
        time=_processor(UTCDateTime(), dialect),
        date=_processor(Date(), dialect),
        json=getattr(dialect, "_json_serializer", None) or json.dumps,  # as SQLAlchemy's JSON type does
    )


def session_bindings(session: Session) -> Bindings:
    """The bindings of the database the session is bound to."""
    return bindings(session.get_bind().dialect)


def as_utf8(session: Session, column: ColumnElement[str] | InstrumentedAttribute[str]) -> ColumnElement[bytes]:
    """A text column as its UTF-8 bytes, for text passed straight into a response (neither decoded nor
    copied again). Read it with `driver_rows`: PostgreSQL sends bytea as bytes only in binary format."""
    if _is_postgresql(session):
        return func.convert_to(column, literal_column("'UTF8'"), type_=LargeBinary)
    return sql_cast(column, LargeBinary)


def among(session: Session, expression: Column, values: Sequence[str]) -> ColumnElement[bool]:
    """`expression IN values`, the values sent as one JSON parameter: thousands of them cost one
    parameter (PostgreSQL parses an array of 10,000 in ~17 ms, their JSON text in ~1 ms) and stay
    under SQLite's limit on parameters."""
    ids = bindparam(None, json.dumps(list(values)), type_=String, unique=True)
    if _is_postgresql(session):
        return expression.in_(select(func.json_array_elements_text(sql_cast(ids, JSON))).scalar_subquery())
    return expression.in_(select(column("value")).select_from(func.json_each(ids)).scalar_subquery())


def json_object(session: Session, fields: dict[str, Column]) -> ColumnElement[bytes]:
    """A row's `fields` as one JSON object, UTF-8 bytes (read with `driver_rows`), built by the database
    instead of a Python dict per row."""
    pairs = [part for name, value in fields.items() for part in (literal_column(_quoted(name)), value)]
    if _is_postgresql(session):
        return as_utf8(session, sql_cast(func.json_build_object(*pairs), Text))
    return as_utf8(session, func.json_object(*pairs))


def json_time(session: Session, stored: Column) -> ColumnElement[str]:
    """A stored UTC time as JSON text the way the API writes times (orjson's ISO 8601:
    `2026-01-02T03:04:05+00:00`, microseconds only when there are some), or NULL."""
    if _is_postgresql(session):
        text = func.to_char(stored, literal_column("'YYYY-MM-DD\"T\"HH24:MI:SS.US'"))
    else:  # stored as SQLAlchemy writes it on SQLite: `2026-01-02 03:04:05.000000`
        text = func.replace(stored, literal_column("' '"), literal_column("'T'"))
    return func.replace(text, literal_column("'.000000'"), literal_column("''")).op("||")(literal_column("'+00:00'"))


def _quoted(text: str) -> str:
    """A SQL string literal of a name written in the code (never of data)."""
    return "'" + text.replace("'", "''") + "'"


def driver_rows(session: Session, stmt: ClauseElement) -> list[tuple[Any, ...]]:
    """A statement's rows as the driver gives them: plain tuples, no conversion of values by SQLAlchemy
    (times come as stored), and on PostgreSQL in binary format. For reads of thousands of rows whose
    parameters need no conversion either (text and numbers)."""
    dialect = session.get_bind().dialect
    compiled = cast(SQLCompiler, stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True}))
    postgresql = _is_postgresql(session)
    params = compiled.params if postgresql else [compiled.params[name] for name in compiled.positiontup or ()]
    with _cursor(session, binary=postgresql) as cursor:
        cursor.execute(str(compiled), params)
        return cast(list[tuple[Any, ...]], cursor.fetchall())


def _processor(column_type: Any, dialect: Dialect) -> Callable[[Any], Any]:
    processor = column_type.dialect_impl(dialect).bind_processor(dialect)
    return processor if processor is not None else _unchanged


def _unchanged(value: Any) -> Any:
    return value


def insert_rows(session: Session, table: FromClause, columns: Sequence[str], rows: Sequence[Row]) -> None:
    """Insert new rows (no conflicts expected: a conflict is an error)."""
    if not rows:
        return
    with _cursor(session) as cursor:
        if _is_postgresql(session):
            _copy(cursor, _name(table), columns, rows)
        else:
            cursor.executemany(_insert_sql(_name(table), columns), rows)


def insert_ignoring_conflicts(
    session: Session, table: FromClause, columns: Sequence[str], rows: Sequence[Row], key: Sequence[str]
) -> None:
    """Insert rows, silently skipping those that would break the unique `key`."""
    if rows:
        _insert_on_conflict(session, _name(table), columns, rows, f"ON CONFLICT ({_list(key)}) DO NOTHING")


def insert_new(
    session: Session, table: FromClause, columns: Sequence[str], rows: Sequence[Row], key: Sequence[str], returning: str
) -> set[Any]:
    """Insert the rows whose unique `key` is not yet stored; return their `returning` values.

    PostgreSQL reports what it inserted (safe under concurrent writers); SQLite transactions
    here begin IMMEDIATE, so no other writer can slip in between the check and the insert.
    """
    if not rows:
        return set()
    if _is_postgresql(session):
        conflict = f"ON CONFLICT ({_list(key)}) DO NOTHING RETURNING {returning}"
        return {found[0] for found in _insert_on_conflict(session, _name(table), columns, rows, conflict)}
    at = [columns.index(k) for k in key]
    stored = _stored_keys(session, table, [tuple(row[i] for i in at) for row in rows], key)
    fresh = [row for row in rows if tuple(row[i] for i in at) not in stored]
    insert_rows(session, table, columns, fresh)
    returned = columns.index(returning)
    return {row[returned] for row in fresh}


def upsert_seen_range(
    session: Session, table: FromClause, columns: Sequence[str], rows: Sequence[Row], key: Sequence[str]
) -> None:
    """Insert rows (distinct keys); on conflict widen first_seen_at/last_seen_at to cover both sightings."""
    if not rows:
        return
    name = _name(table)
    least, greatest = ("LEAST", "GREATEST") if _is_postgresql(session) else ("MIN", "MAX")
    conflict = (
        f"ON CONFLICT ({_list(key)}) DO UPDATE SET "
        f"first_seen_at = {least}({name}.first_seen_at, excluded.first_seen_at), "
        f"last_seen_at = {greatest}({name}.last_seen_at, excluded.last_seen_at)"
    )
    _insert_on_conflict(session, name, columns, rows, conflict)


def _insert_on_conflict(
    session: Session, name: str, columns: Sequence[str], rows: Sequence[Row], conflict: str
) -> list[Any]:
    """INSERT ... ON CONFLICT: executemany on SQLite; on PostgreSQL, COPY into a temporary
    staging table, then one INSERT ... SELECT that empties it. Returns any RETURNING rows."""
    with _cursor(session) as cursor:
        if not _is_postgresql(session):
            cursor.executemany(f"{_insert_sql(name, columns)} {conflict}", rows)
            return []
        stage = f"lantern_stage_{name}"
        listed = _list(columns)
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {stage} AS SELECT {listed} FROM {name} WITH NO DATA")
        _copy(cursor, stage, columns, rows)
        cursor.execute(
            f"WITH moved AS (DELETE FROM {stage} RETURNING {listed}) "
            f"INSERT INTO {name} ({listed}) SELECT {listed} FROM moved {conflict}"
        )
        return cursor.fetchall() if cursor.description else []


def _stored_keys(session: Session, table: FromClause, keys: list[tuple[Any, ...]], key: Sequence[str]) -> set[Any]:
    """Keys already stored, looked up by the last key column within each value of the others
    (a plain IN on an indexed column; SQLite does not use indexes for row-value IN lists)."""
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for *outer, inner in keys:
        groups.setdefault(tuple(outer), []).append(inner)
    *outer_columns, inner_column = key
    stored: set[Any] = set()
    for prefix, values in groups.items():
        where = dict(zip(outer_columns, prefix, strict=True))
        stored.update(
            (*prefix, value) for (value,) in select_in(session, table, [inner_column], inner_column, values, where)
        )
    return stored


def select_in(
    session: Session,
    table: FromClause,
    columns: Sequence[str],
    column: str,
    values: Sequence[Any],
    where: dict[str, Any] | None = None,
) -> list[tuple[Any, ...]]:
    """`columns` of the rows whose text `column` is one of `values` (and whose `where` columns equal theirs).
    PostgreSQL gets the values as one JSON parameter (`among`); SQLite gets plain IN lists, in chunks."""
    where = where or {}
    if _is_postgresql(session):
        equal = [table.c[name] == value for name, value in where.items()]
        stmt = select(*(table.c[name] for name in columns)).where(among(session, table.c[column], values), *equal)
        return driver_rows(session, stmt)
    select_sql = f"SELECT {_list(columns)} FROM {_name(table)} WHERE {column}"
    conditions = "".join(f" AND {name} = ?" for name in where)
    found = []
    with _cursor(session) as cursor:
        for chunk in chunks(values):
            cursor.execute(f"{select_sql} IN ({', '.join('?' * len(chunk))}){conditions}", [*chunk, *where.values()])
            found += cursor.fetchall()
    return found


_IN_LIST = 5000  # values per IN list: well under SQLite's limit of 32766 parameters
_Value = TypeVar("_Value")


def chunks(values: Sequence[_Value]) -> Iterator[list[_Value]]:
    """The values in lists short enough for one IN list."""
    for start in range(0, len(values), _IN_LIST):
        yield list(values[start : start + _IN_LIST])


def _copy(cursor: Any, name: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
    with cursor.copy(f"COPY {name} ({_list(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _insert_sql(name: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {name} ({_list(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _list(names: Sequence[str]) -> str:
    return ", ".join(names)


def _name(table: FromClause) -> str:
    """The ORM types `Model.__table__` as a FromClause; every table written here is a Table."""
    return cast(Table, table).name


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _cursor(session: Session, *, binary: bool = False) -> Any:
    """A driver cursor on the session's own connection (same transaction), closed after use; `binary`:
    PostgreSQL's binary format (psycopg's `cursor(binary=True)`)."""
    connection = session.connection().connection
    return closing(connection.cursor(binary=True) if binary else connection.cursor())
