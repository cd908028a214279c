"""`lantern bench register`: what the register watch adds to each ingested event.

`size` people are loaded (a tenth of them, up to 100,000, on the register with a PNC id), then
sample events are stored one at a time through the ingestion path; one in ten is a housing
application by a registered offender with a child in the household. The time spent in the
watch (`register.watch.on_batch`, called by ingestion for every stored batch) is measured per
event.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import insert
from sqlalchemy.orm import Session

from lantern.audit.service import Actor
from lantern.db.engine import make_engine, make_session_factory
from lantern.db.migrate import upgrade
from lantern.db.types import new_id
from lantern.events import service as events_service
from lantern.events.schemas import EventIn
from lantern.people.models import Person, PersonIdentifier
from lantern.register import watch
from lantern.register.models import RegisterEntry

Metric = tuple[str, object]
_CHUNK = 50_000
_ACTOR = Actor(id=None, name="bench", agency=None, role="system")
MAX_ENTRIES = 100_000


def bench_register(*, db_url: str | None, size: int, console: Console, events: int = 500) -> Iterator[Metric]:
    """Load `size` people with up to 100,000 on the register; time the watch over `events` events."""
    entries = min(MAX_ENTRIES, max(size // 10, 1))
    with tempfile.TemporaryDirectory(prefix="lantern-bench-register-") as tmp:
        url = db_url or f"sqlite:///{tmp}/register.db"
        upgrade(url)
        factory = make_session_factory(make_engine(url))
        with Progress(console=console) as progress:
            task = progress.add_task("Loading people and register entries", total=size)
            _load(factory, size, entries, lambda n: progress.advance(task, n))
        timings: list[float] = []
        original = watch.on_batch

        def timed(*, db: Session, events: Any) -> int:
            started = time.perf_counter()
            try:
                return original(db=db, events=events)
            finally:
                timings.append((time.perf_counter() - started) * 1000)

        watch.on_batch = timed
        try:
            with Progress(console=console) as progress:
                task = progress.add_task("Storing events one at a time", total=events)
                for number in range(events):
                    with factory.begin() as db:
                        events_service.store(db=db, events=[(0, _event(number, entries))], actor=_ACTOR)
                    progress.advance(task)
        finally:
            watch.on_batch = original
    yield "people", size
    yield "register_entries", entries
    yield "events", events
    yield "watch_ms_per_event_p95", round(statistics.quantiles(timings, n=20)[-1], 3)
    yield "watch_ms_per_event_median", round(statistics.median(timings), 3)


def _pnc(number: int) -> str:
    return f"{number % 100:02d}/{number:06d}{'ABCDEFGHJK'[number % 10]}"


def _load(factory: Any, size: int, entries: int, advance: Callable[[int], None]) -> None:
    now = datetime.now(UTC)
    for start in range(0, size, _CHUNK):
        numbers = range(start, min(start + _CHUNK, size))
        people = [{"id": f"P{n:09d}", "family_name": f"Bench{n}", "created_at": now} for n in numbers]
        registered = [n for n in numbers if n < entries]
        with factory.begin() as db:
            db.execute(insert(Person), people)
            if registered:
                db.execute(
                    insert(PersonIdentifier),
                    [
                        {"key": f"pnc:{_pnc(n)}", "scheme": "pnc", "value": _pnc(n), "person_id": f"P{n:09d}"}
                        | {"first_seen_at": now}
                        for n in registered
                    ],
                )
                db.execute(insert(RegisterEntry), [_entry(n, now) for n in registered])
        advance(len(numbers))


def _entry(number: int, now: datetime) -> dict[str, Any]:
    return {
        "id": new_id(),
        "person_id": f"P{number:09d}",
        "status": "active",
        "conviction_on": date(2020, 1, 1),
        "monitoring_years": None,
        "monitoring_ends_on": None,
        "managing_agency": "police",
        "registered_at": now,
        "registered_by": "bench",
    }


def _event(number: int, entries: int) -> EventIn:
    """A housing application; every tenth names a registered offender with a child."""
    applicant: dict[str, Any] = {"given_name": "Sam", "family_name": f"Applicant{number}", "local_id": f"H{number}"}
    if number % 10 == 0:
        applicant = {"given_name": "Sam", "family_name": "Offender", "pnc_id": _pnc((number * 7919) % entries)}
    child = {
        "given_name": "Kit",
        "family_name": f"Child{number}",
        "date_of_birth": "2024-01-02",
        "local_id": f"C{number}",
    }
    return EventIn.model_validate(
        {
            "source_agency": "housing",
            "source_ref": f"BENCH-REG-{number:07d}",
            "type": "housing.application",
            "occurred_at": "2025-03-04T10:00:00+00:00",
            "summary": "Application for social housing.",
            "subjects": [
                {"role": "applicant", "person": {**applicant, "address": _address(number)}},
                {"role": "household_member", "person": {**child, "address": _address(number)}},
            ],
            "payload": {},
        }
    )


def _address(number: int) -> dict[str, str]:
    return {"line1": f"{number % 200 + 1} Bench Street", "town": "Didcot", "postcode": "OX11 7AB"}
