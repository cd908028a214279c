"""PostgreSQL backups as docs/postgresql.md describes them: `lantern backup` runs pg_dump -Fc against
the throwaway cluster, pg_restore loads it into a new database, and every table has the same rows.
pg_dump missing is a failure, never a skip."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from lantern.adapters import ADAPTERS
from lantern.adapters.flows import adapt_file
from lantern.audit.service import Actor
from lantern.db import backup
from lantern.db.engine import make_engine, make_session_factory
from tests.support.postgres import Cluster

SAMPLES = Path(__file__).parents[2] / "src" / "lantern" / "adapters" / "samples"


def _fresh(cluster: Cluster, name: str, template: str = "lantern_template") -> str:
    engine = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else "")))
    engine.dispose()
    return cluster.url(name)


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        tables = inspect(conn).get_table_names()
        counts = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}
    engine.dispose()
    return counts


def test_pg_dump_and_pg_restore_round_trip_keeps_every_row(pg_cluster: Cluster, tmp_path: Path) -> None:
    assert shutil.which("pg_dump") and shutil.which("pg_restore"), "pg_dump/pg_restore must be installed"
    source = _fresh(pg_cluster, "dump_source")
    engine = make_engine(source)
    for kind, name in [("police", "police_incidents.csv"), ("probation", "probation_cases.json")]:
        adapter = ADAPTERS[kind]
        actor = Actor(id=None, name="test", agency=adapter.agency, role="system")
        factory = make_session_factory(engine)
        adapt_file(
            session_factory=factory,
            adapter=adapter,
            path=SAMPLES / name,
            actor=actor,
            rejects=io.StringIO(),
            max_bytes=65536,
        )
    engine.dispose()
    dump = tmp_path / "lantern.dump"
    env = {**os.environ, "LANTERN_DATABASE_URL": source}
    made = subprocess.run(
        [sys.executable, "-m", "lantern.cli", "backup", str(dump)], env=env, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    assert dump.read_bytes()[:5] == b"PGDMP"  # the custom format pg_restore reads
    target = _fresh(pg_cluster, "dump_target", template="template0")
    dsn = target.replace("postgresql+psycopg://", "postgresql://")
    restored = subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "-d", dsn, str(dump)], capture_output=True, text=True
    )
    assert restored.returncode == 0, restored.stderr
    counts = _counts(source)
    assert counts["event"] == 6 and counts["audit_entry"] > 0
    assert _counts(target) == counts


def test_restore_of_postgresql_explains_pg_restore(pg_cluster: Cluster, tmp_path: Path) -> None:
    with pytest.raises(backup.BackupError, match="pg_restore"):
        backup.restore(backup_file=tmp_path / "x.dump", database_url=pg_cluster.url("postgres"))


def test_backup_of_postgresql_without_pg_dump_says_what_to_install(pg_cluster: Cluster, tmp_path: Path) -> None:
    bare = tmp_path / "bin"
    bare.mkdir()
    env = {**os.environ, "LANTERN_DATABASE_URL": pg_cluster.url("postgres"), "PATH": str(bare)}
    command = [sys.executable, "-m", "lantern.cli", "backup", str(tmp_path / "x.dump")]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert "pg_dump is not installed" in result.stderr and not (tmp_path / "x.dump").exists()
