"""`lantern backup` and `lantern restore`: the embedded SQLite database copied with SQLite's online
backup API while the app keeps writing; PostgreSQL handed to pg_dump (docs/postgresql.md).

A SQLite backup is a snapshot: the copy reads the database inside one read transaction, so it holds
every transaction committed before the backup started and none that commits while it runs, and
WAL mode lets the app go on writing meanwhile. A restore refuses a file that fails
`PRAGMA integrity_check` or whose schema revision this version of Lantern does not know.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import URL, make_url

from lantern.db.migrate import alembic_config


class BackupError(Exception):
    """A backup or restore that was refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class Outcome:
    """What a backup or restore did, for the command to print."""

    path: Path
    revision: str | None
    message: str


def backup(
    *, database_url: str, out: Path, force: bool = False, on_snapshot: Callable[[], None] | None = None
) -> Outcome:
    """Back up the database at `database_url` to `out` (SQLite: online backup; PostgreSQL: pg_dump -Fc).

    `on_snapshot` is called once the snapshot is fixed and before any page is copied (tests use it
    to prove that writes committed from then on are not in the copy).
    """
    if out.exists() and not force:
        raise BackupError(f"{out} already exists; choose another name or pass --force to replace it")
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return _pg_dump(url, out)
    source = _sqlite_path(url)
    if not source.exists():
        raise BackupError(f"there is no database at {source}")
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with _connect(source) as src, _connect(partial) as dst:
            src.execute("BEGIN")  # the snapshot: every commit before this, none after
            src.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if on_snapshot is not None:
                on_snapshot()
            src.backup(dst)
            src.execute("COMMIT")
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        revision = check(partial)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return Outcome(out, revision, f"Backed up {source} to {out} (schema revision {revision}); integrity ok.")


def restore(*, backup_file: Path, database_url: str, force: bool = False) -> Outcome:
    """Check a backup, then copy it over the database at `database_url` (stop the app first)."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        raise BackupError(
            "this database is PostgreSQL: restore a pg_dump file with pg_restore "
            "(docs/postgresql.md, Backups): pg_restore --clean --if-exists --no-owner -d DATABASE FILE"
        )
    target = _sqlite_path(url)
    if target.exists() and target.stat().st_size > 0 and not force:
        raise BackupError(f"{target} already holds a database; pass --force to replace it with {backup_file}")
    revision = check(backup_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _connect(backup_file) as src, _connect(target) as dst:
        src.backup(dst)  # through SQLite, so the target's own -wal file is superseded, not left stale
    if (problem := _integrity(target)) is not None:
        raise BackupError(f"the restored database at {target} failed its integrity check: {problem}")
    return Outcome(target, revision, f"Restored {backup_file} to {target} (schema revision {revision}).")


def check(path: Path) -> str:
    """The Alembic revision of a SQLite backup that passes its integrity check; else BackupError."""
    if not path.is_file():
        raise BackupError(f"there is no backup file at {path}")
    if (problem := _integrity(path)) is not None:
        raise BackupError(f"{path} is not a sound SQLite database: {problem}")
    try:
        with _connect(path) as conn:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a Lantern database (no schema revision: {exc})") from None
    if revision is None:
        raise BackupError(f"{path} has no schema revision; it was never migrated")
    try:
        known = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(revision[0])
    except CommandError:
        known = None
    if known is None:
        raise BackupError(f"{path} is at schema revision {revision[0]}, which this version of Lantern does not know")
    return str(revision[0])


def _integrity(path: Path) -> str | None:
    try:
        with _connect(path) as conn:
            rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else "; ".join(rows[:5])


class _connect:
    """A sqlite3 connection in autocommit mode, closed on exit (sqlite3's own `with` only commits)."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, timeout=30)

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *_: object) -> None:
        self.conn.close()


def _sqlite_path(url: URL) -> Path:
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(f"cannot back up {url.render_as_string()}: only a SQLite file or PostgreSQL")
    return Path(url.database)


def _pg_dump(url: URL, out: Path) -> Outcome:
    """`pg_dump -Fc` (custom format, for pg_restore); the password goes in the environment, not argv."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError(
            "this database is PostgreSQL and pg_dump is not installed: install the PostgreSQL client "
            "(apt-get install postgresql-client) or back up with your provider's tools (docs/postgresql.md)"
        )
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    result = subprocess.run([pg_dump, "-Fc", "--file", str(out), dsn], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        out.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return Outcome(out, None, f"pg_dump -Fc wrote {out}; restore with pg_restore (docs/postgresql.md).")
