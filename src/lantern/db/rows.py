"""Reading one row by its key, where a missing row is the caller's error (a 404), not a bug."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

from lantern.common.errors import NotFound

Row = TypeVar("Row")


def found(db: Session, model: type[Row], key: Any, what: str) -> Row:
    """The `model` row with this primary key, or NotFound ("no {what} {key}")."""
    row = db.get(model, key)
    if row is None:
        raise NotFound(f"no {what} {key}")
    return row
