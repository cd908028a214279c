"""docs/postgresql.md's partitioning example, run as written against the test cluster: the DDL
works on Lantern's schema, keeps every row, prunes a month's read to one partition, and, as the
guide says, leaves Lantern's ON CONFLICT (source_agency, source_ref) insert refused."""

from __future__ import annotations

import io
import re
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text

from lantern.adapters import ADAPTERS
from lantern.adapters.flows import adapt_file
from lantern.audit.service import Actor
from lantern.db.engine import make_engine, make_session_factory
from tests.support.postgres import Cluster

ROOT = Path(__file__).parents[2]
GUIDE = ROOT / "docs" / "postgresql.md"


def _sql_blocks() -> list[str]:
    blocks = re.findall(r"```sql\n(.*?)```", GUIDE.read_text(), flags=re.S)
    assert [b.splitlines()[0] for b in blocks] == [
        "-- Step 1: the partitioned table, with the columns and defaults of `event`.",
        "-- Step 2: one partition a month, and a default partition that catches anything outside them",
        "-- Step 3, in a maintenance window with Lantern stopped: the foreign keys that reference",
    ]
    return blocks


@pytest.fixture
def loaded(pg_cluster: Cluster) -> str:
    admin = create_engine(pg_cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE guide TEMPLATE lantern_template"))
    admin.dispose()
    url = pg_cluster.url("guide")
    engine = make_engine(url)
    for kind, name in [("police", "police_incidents.csv"), ("hospital", "hospital_discharges.csv")]:
        adapter = ADAPTERS[kind]
        adapt_file(
            session_factory=make_session_factory(engine),
            adapter=adapter,
            path=ROOT / "src" / "lantern" / "adapters" / "samples" / name,
            actor=Actor(id=None, name="test", agency=adapter.agency, role="system"),
            rejects=io.StringIO(),
            max_bytes=65536,
        )
    engine.dispose()
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_partitioning_example_runs_and_behaves_as_the_guide_says(loaded: str) -> None:
    with psycopg.connect(loaded, autocommit=True) as conn:
        before = conn.execute("SELECT count(*) FROM event").fetchone()
        foreign_keys = conn.execute("SELECT count(*) FROM pg_constraint WHERE confrelid = 'event'::regclass")
        assert foreign_keys.fetchone()[0] >= 15  # the guide counts 15 at schema revision 0013
        for block in _sql_blocks():
            conn.execute(block.encode())
        assert conn.execute("SELECT count(*) FROM event").fetchone() == before == (7,)
        partitions = conn.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = 'event'::regclass").fetchone()
        assert partitions == (157,)
        plan = "\n".join(
            row[0]
            for row in conn.execute(
                "EXPLAIN SELECT id FROM event WHERE occurred_at >= '2025-03-01' AND occurred_at < '2025-04-01'"
            )
        )
        assert "event_2025_03" in plan
        assert set(re.findall(r"on (event_\w+)", plan)) == {"event_2025_03"}, plan
        referencing = conn.execute("SELECT count(*) FROM pg_constraint WHERE confrelid = 'event'::regclass")
        assert referencing.fetchone() == (0,)
        with pytest.raises(psycopg.errors.InvalidColumnReference, match="no unique or exclusion constraint"):
            conn.execute(
                "INSERT INTO event (id, source_agency, source_ref, type, occurred_at, recorded_at, received_at,"
                " received_by, summary, payload) VALUES ('x', 'police', 'P-1', 'police.arrest', '2025-03-01',"
                " '2025-03-01', '2025-03-01', 'test', 'An arrest', '{}')"
                " ON CONFLICT (source_agency, source_ref) DO NOTHING"
            )
