"""The portable SQL that builds JSON in the database: the same text on SQLite and PostgreSQL as the
API's own serialiser (orjson) writes, so a chronology entry reads the same whichever built it."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest
from sqlalchemy import String, literal, select
from sqlalchemy.orm import Session

from lantern.db.portable import among, json_object, json_time
from lantern.db.types import UTCDateTime


@pytest.mark.parametrize(
    "when",
    [
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        datetime(2026, 1, 2, 3, 4, 5, 500000, tzinfo=UTC),  # trailing zeros kept, as orjson keeps them
        datetime(1999, 12, 31, 23, 59, 59, 7, tzinfo=UTC),
    ],
)
def test_json_time_writes_a_time_as_orjson_does(db: Session, when: datetime) -> None:
    written = db.execute(select(json_time(db, literal(when, UTCDateTime())))).scalar_one()
    assert written == orjson.loads(orjson.dumps(when))


def test_json_time_of_no_time_is_null(db: Session) -> None:
    assert db.execute(select(json_time(db, literal(None, UTCDateTime())))).scalar_one() is None


def test_json_object_keeps_the_fields_order_nulls_and_quotes(db: Session) -> None:
    fields = {"name": literal('O\'Brien "Jo"', String), "missing": literal(None, String), "a": literal("1", String)}
    built = db.execute(select(json_object(db, fields))).scalar_one()
    assert isinstance(built, bytes)
    assert list(orjson.loads(built).items()) == [("name", 'O\'Brien "Jo"'), ("missing", None), ("a", "1")]


def test_among_matches_one_of_thousands_of_values(db: Session) -> None:
    values = [f"id-{n}" for n in range(10_000)]
    assert db.execute(select(literal("x")).where(among(db, literal("id-9999", String), values))).scalar() == "x"
    assert db.execute(select(literal("x")).where(among(db, literal("id-10000", String), values))).scalar() is None
