"""SQLite writers of one process take turns in the process (db.engine), and a turn is never kept by a lost
connection."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from lantern.db import engine as db_engine


def _engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = db_engine.make_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    return engine


def test_a_second_writer_waits_for_the_first_and_a_reader_does_not(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    first = engine.connect()
    first.begin()
    first.execute(text("INSERT INTO t VALUES (1)"))
    finished: list[str] = []

    def write() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (2)"))
        finished.append("writer")

    writer = threading.Thread(target=write)
    writer.start()
    with engine.connect().execution_options(**{db_engine.READS_ONLY: True}) as reader, reader.begin():
        assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 0  # reads while the write is open
    time.sleep(0.3)
    assert finished == []  # still waiting for its turn
    first.commit()
    writer.join(timeout=10)
    assert finished == ["writer"]
    first.close()


def test_a_connection_given_back_mid_transaction_gives_its_turn_back(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    lost = engine.connect()
    lost.begin()
    lost.close()  # back to the pool without commit or rollback of its own
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (3)"))
    assert engine.connect().execute(text("SELECT n FROM t")).scalars().all() == [3]


def test_a_writer_that_waits_too_long_is_told_the_database_is_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _engine(tmp_path)
    monkeypatch.setattr(db_engine, "BUSY_SECONDS", 0.2)
    holder = engine.connect()
    holder.begin()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO t VALUES (4)"))
        except OperationalError as error:
            errors.append(error)

    writer = threading.Thread(target=write)
    writer.start()
    writer.join(timeout=10)
    assert errors and "database is locked" in str(errors[0])  # answered 503 by the app (main.py)
    holder.rollback()
    holder.close()
