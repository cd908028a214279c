"""`lantern bench duties`: the cost of the duty rules per ingested event, and of a scheduler pass."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import orjson
from rich.console import Console
from rich.progress import Progress
from sqlalchemy import insert, select

from lantern.audit.service import Actor
from lantern.common import clock
from lantern.db.engine import make_engine, make_session_factory
from lantern.db.migrate import upgrade
from lantern.db.types import new_id
from lantern.demo import population
from lantern.duties import rules as duty_rules
from lantern.duties import service
from lantern.duties.models import Duty
from lantern.events import flows
from lantern.events.models import Event

Metric = tuple[str, object]
RULES = 300
SAMPLE = 1000
OPEN_DUTIES = 100_000


def many_rules(count: int) -> dict[str, list[duty_rules.Rule]]:
    """The shipped rules plus variants with new codes up to `count`, as a large partnership might have."""
    shipped = duty_rules.load_rules()
    variants = [
        shipped[i % len(shipped)].model_copy(update={"code": f"{shipped[i % len(shipped)].code}-v{i}"})
        for i in range(count - len(shipped))
    ]
    return duty_rules.index_by_type(shipped + variants)


def bench_duties(*, db_url: str | None, size: int, console: Console) -> Iterator[Metric]:
    """Ingest `size` background events, then time the rules on SAMPLE new events one by one."""
    with tempfile.TemporaryDirectory(prefix="lantern-bench-") as tmp:
        url = db_url or f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        factory = make_session_factory(make_engine(url))
        prefix = f"BD{int(time.time())}"
        _ingest(factory, Path(tmp), population.events(size, seed=3, prefix=prefix), size, console)
        sample_path = Path(tmp) / "sample.jsonl"
        _write(sample_path, population.events(SAMPLE, seed=4, prefix=prefix + "S"))
        rules = many_rules(RULES)
        timings = _time_rules_per_event(factory, sample_path, rules)
        pass_ms, catch_up_ms = _time_scheduler_pass(factory)
    yield "backend", url.split(":", 1)[0]
    yield "background_events", size
    yield "rules", len({r.code for per_type in rules.values() for r in per_type})
    yield "sample_events", len(timings)
    yield "rule_ms_per_event_p95", round(statistics.quantiles(timings, n=20)[18], 3)
    yield "open_duties", OPEN_DUTIES
    yield "scheduler_pass_ms", round(pass_ms, 1)
    yield "scheduler_catch_up_ms", round(catch_up_ms, 1)
    yield "rule_ms_per_event_median", round(statistics.median(timings), 3)


def _write(path: Path, records: Iterator[dict[str, object]]) -> None:
    with path.open("wb") as out:
        for record in records:
            out.write(orjson.dumps(record) + b"\n")


def _ingest(factory, tmp: Path, records: Iterator[dict[str, object]], size: int, console: Console) -> None:  # type: ignore[no-untyped-def]
    path = tmp / "background.jsonl"
    _write(path, records)
    actor = Actor(id=None, name="bench", agency=None, role="system")
    with Progress(console=console) as progress, (tmp / "rejects.jsonl").open("wb") as rejects:
        task = progress.add_task("Ingesting background events", total=size)
        flows.ingest_file(
            session_factory=factory,
            path=path,
            actor=actor,
            rejects=rejects,
            batch_size=2000,
            max_bytes=64 * 1024,
            on_progress=lambda n: progress.advance(task, n),
        )


def _time_rules_per_event(factory, path: Path, rules: dict[str, list[duty_rules.Rule]]) -> list[float]:  # type: ignore[no-untyped-def]
    """Store each sample event, then time the duty rules on it alone (the API's single-event path)."""
    from lantern.events import service as events_service
    from lantern.events.schemas import parse_event

    actor = Actor(id=None, name="bench", agency=None, role="system")
    timings = []
    for line in path.read_bytes().splitlines():
        with factory.begin() as db:
            result = events_service.store(db=db, events=[(0, parse_event(orjson.loads(line)))], actor=actor)[0]
            assert result.event_id is not None
            started = time.perf_counter()
            service.create_for_events(db=db, event_ids=[result.event_id], rules_by_type=rules)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def _time_scheduler_pass(factory) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """OPEN_DUTIES open duties: time a routine pass (1% newly due), then a catch-up (all due)."""
    now = clock.now()
    with factory.begin() as db:
        service.scheduler_pass(db=db, now=now)  # the background events' own duties: settle them first
        event_id = db.execute(select(Event.id).limit(1)).scalar_one()
        db.execute(insert(Duty), [_open_duty(i, event_id, now) for i in range(OPEN_DUTIES)])
    with factory.begin() as db:
        started = time.perf_counter()
        service.scheduler_pass(db=db, now=now)
        routine = (time.perf_counter() - started) * 1000
    with factory.begin() as db:
        started = time.perf_counter()
        service.scheduler_pass(db=db, now=now + timedelta(days=30))
        catch_up = (time.perf_counter() - started) * 1000
    return routine, catch_up


def _open_duty(i: int, event_id: str, now: datetime) -> dict[str, object]:
    due = now - timedelta(minutes=i + 1) if i % 100 == 0 else now + timedelta(hours=1 + i % 240)
    return {
        "id": new_id(),
        "rule_code": "bench",
        "title": "bench",
        "event_id": event_id,
        "person_id": None,
        "person_key": str(i),
        "from_agency": "police",
        "recipient_agency": "csc",
        "recipient_team": "MASH",
        "content": {},
        "reason": "bench",
        "status": "delivered",
        "is_open": True,
        "created_at": now,
        "due_at": due,
        "escalate_at": due + timedelta(hours=4),
        "escalate_to": "manager",
        "delivered_at": now,
    }
