"""Portable column types and identifiers: UTC timestamps and JSON on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, datetime

from sqlalchemy import JSON, BigInteger, DateTime, Integer
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

JSONType = JSON().with_variant(JSONB(), "postgresql")
# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL gets 64 bits for high-volume tables.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC and hands them back aware, on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


# Identifiers need to be unique, not secret (access is decided by policy, not by guessing):
# a generator seeded from the OS is ~10x faster than uuid4() at ingestion volumes.
_ids = random.Random(os.urandom(32))
_VERSION_7 = (0x7 << 76) | (0b10 << 62)  # version and variant bits
_LOW_62 = (1 << 62) - 1


def new_id() -> str:
    """A time-ordered UUID (version 7: Unix milliseconds, then 74 random bits) as text, for rows
    shown in URLs (people, events). Ids made together sort together, so inserting them touches the
    right-hand end of each index on them instead of a random page each (docs/decisions.md, ADR 19)."""
    bits = _ids.getrandbits(74)
    value = (time.time_ns() // 1_000_000) << 80 | (bits >> 62) << 64 | (bits & _LOW_62) | _VERSION_7
    text = f"{value:032x}"  # formatted as uuid.UUID(int=value) would be, without building one (3x faster)
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


os.register_at_fork(after_in_child=lambda: _ids.seed(os.urandom(32)))
