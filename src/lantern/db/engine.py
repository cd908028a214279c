"""Engine and session factory; the only place that knows which database dialect is in use."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

BUSY_SECONDS = 30  # how long a SQLite writer waits for its turn before the request answers 503
# An execution option: the transaction only reads (SQLite begins it DEFERRED, taking no write lock).
READS_ONLY = "lantern_reads_only"


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and serialised write transactions."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(
            url, json_serializer=_json_dumps, json_deserializer=orjson.loads, pool_pre_ping=True, **kwargs
        )
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        json_serializer=_json_dumps,
        json_deserializer=orjson.loads,
        connect_args={"timeout": BUSY_SECONDS, "check_same_thread": False},
        **kwargs,
    )
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    """WAL for concurrent readers; BEGIN IMMEDIATE so that a transaction that will write holds the one write
    lock from its first read (a deferred one whose snapshot went stale could not write at all), and plain BEGIN
    for a transaction marked READS_ONLY."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: bulk writes would otherwise spill pages to the WAL
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(READS_ONLY):
            conn.exec_driver_sql("BEGIN")
            return
        _take_write_turn(writers, conn.info)
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _end_write_turn(writers, conn.info)
            raise

    writers = threading.Lock()  # this process's writers queue here, not in SQLite's busy handler
    for name in ("commit", "rollback"):
        event.listen(engine, name, lambda conn: _end_write_turn(writers, conn.info))

    @event.listens_for(engine.pool, "checkin")  # a connection given back mid-transaction
    def _given_back(_dbapi: Any, record: Any) -> None:
        _end_write_turn(writers, record.info)

    @event.listens_for(engine.pool, "invalidate")  # or lost
    def _lost(_dbapi: Any, record: Any, _error: Any) -> None:
        _end_write_turn(writers, record.info)


_WRITE_TURN = "lantern_write_turn"


def _take_write_turn(writers: threading.Lock, info: dict[str, Any]) -> None:
    """Wait for this process's turn to write: SQLite's busy handler polls the lock with sleeps of up to 100 ms,
    and under load a poller can wait for ever while newcomers take the lock; a queue in the process is prompt.
    Other processes still meet at SQLite's lock, one writer from each."""
    if not writers.acquire(timeout=BUSY_SECONDS):
        raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))
    info[_WRITE_TURN] = True


def _end_write_turn(writers: threading.Lock, info: dict[str, Any]) -> None:
    if info.pop(_WRITE_TURN, False):
        writers.release()


def is_sqlite(engine_or_session: Engine | Session) -> bool:
    """True when the bound database is SQLite."""
    bind = engine_or_session.get_bind() if isinstance(engine_or_session, Session) else engine_or_session
    return bind.dialect.name == "sqlite"


def reads_only(db: Session) -> bool:
    """Whether the session's transaction was begun to read only (a GET on SQLite: no write lock held)."""
    return bool(db.connection().get_execution_options().get(READS_ONLY))


@contextmanager
def writing(db: Session) -> Iterator[None]:
    """Let a request that only reads write something it found missing (a chronology entry not yet kept):
    on SQLite its read transaction ends, the write runs in a short transaction holding the write lock (with
    the audit entries queued so far), and reading goes on in a new transaction. Elsewhere, nothing changes."""
    if not reads_only(db):
        yield
        return
    db.commit()
    db.connection(execution_options={READS_ONLY: False})
    try:
        yield
        db.commit()
    except BaseException:
        db.rollback()
        raise


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)
