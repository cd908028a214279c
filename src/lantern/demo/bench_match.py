"""`lantern bench link` (incremental part): one new record matched against N known people.

N generated person records are loaded into `person_record` as ingestion would have prepared
them; then records of the same people, spelled as another agency would, are matched one at a
time through the ingestion code path (features, indexed candidate look-up, scoring, decision).
"""

from __future__ import annotations

import hashlib
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import insert

from lantern.db.engine import make_engine, make_session_factory
from lantern.db.migrate import upgrade
from lantern.demo import person_records
from lantern.demo.bench_link import bench_link
from lantern.identity import matching
from lantern.identity.models import PersonRecord
from lantern.identity.service import SubjectRecord, match_decision
from lantern.linkage.prepare import FIELDS
from lantern.people.models import Person
from lantern.people.service import Sighting

Metric = tuple[str, object]
_LOAD_CHUNK = 20_000


def bench_link_and_match(*, db_url: str | None, size: int, console: Console) -> Iterator[Metric]:
    """`lantern bench link`: the batch dedupe of `size` records, then one record at a time against them."""
    yield from bench_link(db_url=db_url, size=size, console=console)
    yield from bench_match(db_url=db_url, size=size, console=console)


def bench_match(*, db_url: str | None, size: int, console: Console, probes: int = 200) -> Iterator[Metric]:
    """Load `size` person records, then time `probes` held-out records matched one at a time."""
    with tempfile.TemporaryDirectory(prefix="lantern-bench-match-") as tmp:
        url = db_url or f"sqlite:///{tmp}/match.db"
        upgrade(url)
        factory = make_session_factory(make_engine(url))
        with factory() as db:
            scorer = matching.scorer(db)
        with Progress(console=console) as progress:
            task = progress.add_task("Loading known people", total=size)
            held_out = _load(factory, scorer, size, probes, lambda n: progress.advance(task, n))
        timings, linked, wrong = [], 0, 0
        with factory() as db, Progress(console=console) as progress:
            task = progress.add_task("Matching one record at a time", total=len(held_out))
            for row in held_out:
                started = time.perf_counter()
                decision = match_decision(db=db, record=_subject(row))
                timings.append((time.perf_counter() - started) * 1000)
                if decision is not None and decision.action == "link":
                    linked += decision.person_id == row["truth"]
                    wrong += decision.person_id != row["truth"]
                progress.advance(task)
    yield "known_records", size
    yield "probes", len(held_out)
    yield "linked_to_the_right_person", linked
    yield "linked_to_another_person", wrong
    yield "match_ms_p95", round(statistics.quantiles(timings, n=20)[-1], 2)
    yield "match_ms_median", round(statistics.median(timings), 2)


def _load(factory: Any, scorer: Any, size: int, probes: int, advance: Any) -> list[dict[str, Any]]:
    """Store `size` records; return `probes` others of the same population, held out to match."""
    now = datetime.now(UTC)
    step = max(size // probes, 2)
    batch: list[dict[str, Any]] = []
    held_out: list[dict[str, Any]] = []
    stored: set[str] = set()
    for index, row in enumerate(person_records.records(size + probes, seed=4242)):
        if index % step == 1 and len(held_out) < probes:
            held_out.append(row)
            continue
        batch.append(row)
        if len(batch) == _LOAD_CHUNK:
            _store(factory, scorer, batch, now, stored)
            advance(len(batch))
            batch = []
    _store(factory, scorer, batch, now, stored)
    advance(len(batch))
    return held_out


def _store(factory: Any, scorer: Any, rows: list[dict[str, Any]], now: datetime, stored: set[str]) -> None:
    if not rows:
        return
    features = scorer.prepare(rows)
    people = {row["truth"] for row in rows} - stored
    stored |= people
    with factory.begin() as db:
        db.execute(insert(Person), [{"id": truth, "created_at": now} for truth in people])
        db.execute(
            insert(PersonRecord),
            [
                {
                    "person_id": row["truth"],
                    "fingerprint": hashlib.md5(row["record_id"].encode()).hexdigest(),
                    "source_agency": "bench",
                    **dict(zip(matching.STORED, matching.stored_values(feature), strict=True)),
                    "linked_by": "new",
                    "first_seen_at": now,
                }
                for row, feature in zip(rows, features, strict=True)
            ],
        )


def _subject(row: dict[str, Any]) -> SubjectRecord:
    fields = {field: row.get(field) for field in FIELDS}
    return SubjectRecord((), row.get("nhs_number"), Sighting((), None, None), datetime.now(UTC), "probe", fields)
