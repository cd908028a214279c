"""`lantern ingest` and `lantern users add` as a user runs them: real processes, real databases."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
from sqlalchemy import create_engine, func, select, text

from lantern.db.engine import make_engine, make_session_factory
from lantern.demo import population
from lantern.duties import backlog
from lantern.events.models import Event
from tests.factories import event, person
from tests.support.duties import owed, raised

LANTERN = [sys.executable, "-m", "lantern.cli"]


def _run(args: list[str], database_url: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANTERN_DATABASE_URL": database_url}
    return subprocess.run([*LANTERN, *args], env=env, input=stdin, capture_output=True, text=True, timeout=300)


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def _events_stored(database_url: str) -> int:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(Event)).scalar_one()
    engine.dispose()
    return count


def test_ingest_jsonl_reports_and_rejects(database_url: str, tmp_path: Path) -> None:
    bad_nhs = event(subjects=[{"role": "patient", "person": person(nhs_number="9434765918")}])
    path = tmp_path / "gp.jsonl"
    _write_jsonl(path, [event(), bad_nhs, event()])
    with path.open("ab") as handle:
        handle.write(b"{not json\n")
    result = _run(["ingest", str(path), "--agency", "gp"], database_url)
    assert result.returncode == 0, result.stderr
    assert "accepted=2 duplicates=0 rejected=2" in result.stderr
    rejects = [orjson.loads(line) for line in (tmp_path / "gp.jsonl.rejects.jsonl").read_bytes().splitlines()]
    assert [r["line"] for r in rejects] == [2, 4]
    assert rejects[0]["errors"][0]["loc"] == ["subjects", 0, "person", "nhs_number"]
    assert "malformed JSON" in rejects[1]["errors"][0]["msg"]
    again = _run(["ingest", str(path), "--agency", "gp"], database_url)
    assert "accepted=0 duplicates=2 rejected=2" in again.stderr
    assert _events_stored(database_url) == 2


def test_ingest_refuses_records_from_another_agency(database_url: str, tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "x.jsonl", [event(agency="gp")])
    result = _run(["ingest", str(path), "--agency", "police"], database_url)
    assert "rejected=1" in result.stderr
    assert _events_stored(database_url) == 0


def test_ingest_csv_with_dotted_columns(database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "police.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "source_ref",
                "type",
                "occurred_at",
                "summary",
                "subjects.0.role",
                "subjects.0.person.given_name",
                "subjects.0.person.family_name",
                "subjects.0.person.local_id",
                "payload.risk_level",
                "payload.children_present",
            ]
        )
        writer.writerow(
            [
                "P-1",
                "police.domestic_abuse_incident",
                "2024-05-01T23:10:00",
                "DA incident",
                "victim",
                "Kayley",
                "Dunn",
                "POL-1",
                "medium",
                "2",
            ]
        )
        writer.writerow(
            [
                "P-2",
                "police.domestic_abuse_incident",
                "2024-06-01T23:10:00",
                "DA incident",
                "victim",
                "Kayley",
                "Dunn",
                "POL-1",
                "extreme",
                "",
            ]
        )
    result = _run(["ingest", str(path), "--agency", "police"], database_url)
    assert "accepted=1 duplicates=0 rejected=1" in result.stderr, result.stderr
    assert "payload.risk_level" in result.stderr


def test_kill_mid_ingest_then_rerun_leaves_exactly_one_copy(database_url: str, tmp_path: Path) -> None:
    total = 40_000
    path = tmp_path / "big.jsonl"
    with path.open("wb") as handle:
        for record in population.events(total, seed=11, prefix="KILL"):
            handle.write(orjson.dumps(record) + b"\n")
    env = {**os.environ, "LANTERN_DATABASE_URL": database_url, "LANTERN_INGEST_BATCH_SIZE": "1000"}
    process = subprocess.Popen([*LANTERN, "ingest", str(path)], env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _events_stored(database_url) < 3000 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait()
    committed = _events_stored(database_url)
    assert 0 < committed < total, "the kill must land mid-file"
    result = _run(["ingest", str(path)], database_url)
    assert f"accepted={total - committed} duplicates={committed} rejected=0" in result.stderr, result.stderr
    assert "duty rules are up to date" in result.stderr
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT count(*), count(DISTINCT source_ref) FROM event")).one()
        orphans = conn.execute(
            text(
                "SELECT count(*) FROM event e WHERE NOT EXISTS (SELECT 1 FROM event_subject s WHERE s.event_id = e.id)"
            )
        ).scalar_one()
    engine.dispose()
    assert tuple(rows) == (total, total)
    assert orphans == 0
    with make_session_factory(make_engine(database_url))() as db:
        assert raised(db) == owed(db), "every duty the rules owe, once, whatever the kill interrupted"
        assert backlog.pending(db=db) == 0


def test_users_add_reads_password_from_stdin(database_url: str) -> None:
    ok = _run(
        ["users", "add", "sam", "--agency", "csc", "--role", "practitioner", "--password-stdin"],
        database_url,
        stdin="a-good-pass-phrase-7\n",
    )
    assert ok.returncode == 0, ok.stderr
    weak = _run(
        ["users", "add", "kim", "--agency", "csc", "--role", "practitioner", "--password-stdin"],
        database_url,
        stdin="short\n",
    )
    assert weak.returncode == 2
    assert "password" in weak.stderr.lower()
    bad_agency = _run(
        ["users", "add", "lee", "--agency", "nasa", "--role", "practitioner", "--password-stdin"],
        database_url,
        stdin="a-good-pass-phrase-7\n",
    )
    assert "unknown agency" in bad_agency.stderr


def test_audit_verify_exits_non_zero_on_a_broken_chain(database_url: str, tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "gp.jsonl", [event()])
    _run(["ingest", str(path), "--agency", "gp"], database_url)
    assert _run(["audit", "verify"], database_url).returncode == 0
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET actor = 'someone-else'"))
    engine.dispose()
    broken = _run(["audit", "verify"], database_url)
    assert broken.returncode == 1
    assert "changed after it was written" in broken.stderr
