"""JSON built by the database: an array with one object per row, as text, for reads that pass it
straight through to a response instead of building a Python object per row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, func, literal_column
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import QueryableAttribute, Session

Column = ColumnElement[Any] | QueryableAttribute[Any]


def json_objects(session: Session, fields: Mapping[str, Column], order_by: Column) -> ColumnElement[str]:
    """An aggregate: a JSON array (text) of one `{key: column}` object per row, in `order_by` order.

    SQLite (3.40) has no ORDER BY inside an aggregate: its rows come in the order of the index the
    query reads them by, which callers choose to match."""
    if not all(key.isidentifier() for key in fields):
        raise ValueError("JSON keys are written into the SQL: use plain names")
    pairs = [part for key, column in fields.items() for part in (literal_column(f"'{key}'"), column)]
    if session.get_bind().dialect.name == "postgresql":
        ordered = aggregate_order_by(func.json_build_object(*pairs), order_by)
        return func.coalesce(cast(func.json_agg(ordered), Text), literal_column("'[]'"))
    return func.json_group_array(func.json_object(*pairs))
