"""`lantern backup` / `lantern restore` on the embedded SQLite database: a backup taken while
another thread keeps committing events restores every event committed before it started."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

from lantern.adapters import ADAPTERS
from lantern.adapters.flows import adapt_file
from lantern.audit.service import Actor
from lantern.db import backup
from lantern.db.engine import make_engine, make_session_factory
from lantern.events import flows
from tests.factories import event, person

SAMPLES = Path(__file__).parents[2] / "src" / "lantern" / "adapters" / "samples"
WRITER = Actor(id=None, name="test:writer", agency="gp", role="system")


@pytest.fixture
def live(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "live" / "lantern.db"
    path.parent.mkdir()
    shutil.copy(sqlite_template, path)
    return path


def _lantern(args: list[str], db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANTERN_DATABASE_URL": f"sqlite:///{db}", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "lantern.cli", *args], env=env, capture_output=True, text=True)


def _refs(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {ref for (ref,) in conn.execute("SELECT source_ref FROM event")}


def _counts(path: Path) -> dict[str, int]:
    engine = make_engine(f"sqlite:///{path}")
    tables = inspect(engine).get_table_names()
    engine.dispose()
    with sqlite3.connect(path) as conn:
        return {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


class Writer(threading.Thread):
    """Commits one event a transaction through the ingestion path until stopped; records each
    reference when its transaction begins and again once its commit has returned."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.engine = make_engine(f"sqlite:///{path}")
        self.begun: list[str] = []
        self.committed: list[str] = []
        self.progress = threading.Condition()
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        factory = make_session_factory(self.engine)
        try:
            for n in range(1_000_000):
                if self.stop.is_set():
                    break
                ref = f"LOAD-{n:06d}"
                record = event(ref=ref, subjects=[{"role": "patient", "person": person(family=f"Load{n % 50}")}])
                with factory.begin() as db:
                    self.begun.append(ref)
                    flows.submit(db=db, raw_records=[record], actor=WRITER, partial=False, max_bytes=65536)
                with self.progress:
                    self.committed.append(ref)
                    self.progress.notify_all()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc
        finally:
            self.engine.dispose()

    def wait_for(self, count: int) -> None:
        with self.progress:
            assert self.progress.wait_for(lambda: len(self.committed) >= count or self.error, timeout=120)
        assert self.error is None, self.error


def test_backup_under_write_load_restores_every_committed_event(live: Path, tmp_path: Path) -> None:
    writer = Writer(live)
    writer.start()
    seen: dict[str, list[str]] = {}

    def during_backup() -> None:
        seen["begun_before_snapshot"] = list(writer.begun)
        writer.wait_for(len(writer.committed) + 25)  # the app keeps committing while the backup is open

    try:
        writer.wait_for(100)
        committed_before_backup = list(writer.committed)
        backup.backup(database_url=f"sqlite:///{live}", out=tmp_path / "b.db", on_snapshot=during_backup)
        writer.wait_for(len(writer.committed) + 10)
    finally:
        writer.stop.set()
        writer.join(timeout=120)
    assert writer.error is None, writer.error
    restored = tmp_path / "restored" / "lantern.db"
    backup.restore(backup_file=tmp_path / "b.db", database_url=f"sqlite:///{restored}")
    refs = _refs(restored)
    assert set(committed_before_backup) <= refs
    assert refs <= set(writer.committed)
    began_after = set(writer.begun) - set(seen["begun_before_snapshot"])
    assert len(began_after) >= 25 and not refs & began_after  # a snapshot: nothing that began after it
    with sqlite3.connect(restored) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    verified = _lantern(["audit", "verify"], restored)
    assert verified.returncode == 0 and "Audit chain intact." in verified.stderr, verified.stderr


def _load_samples(path: Path, files: tuple[tuple[str, str], ...] = ()) -> None:
    factory = make_session_factory(engine := make_engine(f"sqlite:///{path}"))
    for kind, name in files or (("police", "police_incidents.csv"), ("hospital", "hospital_discharges.csv")):
        adapter = ADAPTERS[kind]
        actor = Actor(id=None, name="test", agency=adapter.agency, role="system")
        rejects = io.StringIO()
        adapt_file(
            session_factory=factory, adapter=adapter, path=SAMPLES / name, actor=actor, rejects=rejects, max_bytes=65536
        )
    engine.dispose()


def test_round_trip_of_a_small_database_keeps_every_row(live: Path, tmp_path: Path) -> None:
    _load_samples(live)
    assert _counts(live)["event"] == 7
    made = _lantern(["backup", str(tmp_path / "b.db")], live)
    assert made.returncode == 0, made.stderr
    restored = tmp_path / "elsewhere" / "lantern.db"
    done = _lantern(["restore", str(tmp_path / "b.db")], restored)
    assert done.returncode == 0, done.stderr
    assert _counts(restored) == _counts(live)
    with sqlite3.connect(live) as original, sqlite3.connect(restored) as copy:
        assert list(copy.iterdump()) == list(original.iterdump())  # every row and schema object, as SQL
    assert _lantern(["audit", "verify"], restored).returncode == 0


def test_restore_refuses_to_overwrite_a_database_without_force(live: Path, tmp_path: Path) -> None:
    _load_samples(live)
    assert _lantern(["backup", str(tmp_path / "b.db")], live).returncode == 0
    at_backup = _counts(live)
    again = _lantern(["backup", str(tmp_path / "b.db")], live)
    assert again.returncode == 2 and "already exists" in again.stderr
    _load_samples(live, (("school", "school_census.csv"),))  # written after the backup
    held = sqlite3.connect(live, isolation_level=None)  # leaves frames in the -wal file, never checkpointed
    held.execute("PRAGMA wal_autocheckpoint=0")
    held.execute("CREATE TABLE scratch (x)")
    later = _counts(live)
    assert later["event"] == at_backup["event"] + 2 and Path(f"{live}-wal").stat().st_size > 0
    refused = _lantern(["restore", str(tmp_path / "b.db")], live)
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert _counts(live) == later
    forced = _lantern(["restore", str(tmp_path / "b.db"), "--force"], live)
    assert forced.returncode == 0, forced.stderr
    assert held.execute("SELECT count(*) FROM sqlite_master WHERE name = 'scratch'").fetchone() == (0,)
    held.close()
    assert _counts(live) == at_backup
    with sqlite3.connect(live) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert _lantern(["audit", "verify"], live).returncode == 0


@pytest.fixture
def good_backup(live: Path, tmp_path: Path) -> Iterator[Path]:
    _load_samples(live)
    yield backup.backup(database_url=f"sqlite:///{live}", out=tmp_path / "good.db").path


def test_restore_refuses_a_corrupt_file(good_backup: Path, tmp_path: Path) -> None:
    torn = tmp_path / "torn.db"
    torn.write_bytes(good_backup.read_bytes()[: good_backup.stat().st_size // 2])
    scribbled = tmp_path / "scribbled.db"
    body = bytearray(good_backup.read_bytes())
    body[4096 * 3 : 4096 * 3 + 512] = os.urandom(512)
    scribbled.write_bytes(bytes(body))
    text = tmp_path / "notes.db"
    text.write_text("not a database at all\n" * 100)
    for bad in (torn, scribbled, text):
        target = tmp_path / f"target-{bad.stem}.db"
        with pytest.raises(backup.BackupError, match="not a sound SQLite database"):
            backup.restore(backup_file=bad, database_url=f"sqlite:///{target}")
        assert not target.exists()
    result = _lantern(["restore", str(text)], tmp_path / "cli-target.db")
    assert result.returncode == 2 and "not a sound SQLite database" in result.stderr


def test_restore_refuses_an_unknown_schema_revision(good_backup: Path, tmp_path: Path) -> None:
    with sqlite3.connect(good_backup) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'from_the_future'")
    with pytest.raises(backup.BackupError, match="does not know"):
        backup.restore(backup_file=good_backup, database_url=f"sqlite:///{tmp_path / 'target.db'}")
    plain = tmp_path / "plain.db"
    with sqlite3.connect(plain) as conn:
        conn.execute("CREATE TABLE event (id)")
    with pytest.raises(backup.BackupError, match="not a Lantern database"):
        backup.check(plain)
