"""`lantern bench plans`: what checking plan conditions adds to each ingested event.

`size` people are loaded; half of them (up to 50,000) are children on open child-protection plans,
each with an overnight-stay condition and a no-unsupervised-contact condition naming an adult.
Sample events are then stored one at a time through the ingestion path: one in ten is a
night-time ambulance call away from home naming a child on a plan (a breach), one in ten a health
visitor's contact naming a child with the adult they must not see unsupervised (a breach), the
rest name nobody on a plan. The time spent in the watch (`plans.watch.on_batch`, called by
ingestion for every stored batch) is measured per event.
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
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from lantern.audit.service import Actor
from lantern.db.engine import make_engine, make_session_factory
from lantern.db.migrate import upgrade
from lantern.db.types import new_id
from lantern.events import service as events_service
from lantern.events.schemas import EventIn
from lantern.people.models import Person, PersonIdentifier
from lantern.plans import watch
from lantern.plans.models import Plan, PlanAction, PlanBreach, PlanCondition

Metric = tuple[str, object]
_CHUNK = 25_000
_ACTOR = Actor(id=None, name="bench", agency=None, role="system")
MAX_PLANS = 50_000
HOME = {"line1": "1 Plan Street", "town": "Didcot", "postcode": "OX11 7AB"}
AWAY = {"line1": "9 Away Street", "town": "Didcot", "postcode": "OX11 8CD"}


def bench_plans(*, db_url: str | None, size: int, console: Console, events: int = 500) -> Iterator[Metric]:
    """Load `size` people with up to 50,000 children on open plans; time the watch over `events` events."""
    plans = min(MAX_PLANS, max(size // 2, 1))
    with tempfile.TemporaryDirectory(prefix="lantern-bench-plans-") as tmp:
        url = db_url or f"sqlite:///{tmp}/plans.db"
        upgrade(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        with Progress(console=console) as progress:
            task = progress.add_task("Loading people and plans", total=size + plans)
            _load(factory, size, plans, lambda n: progress.advance(task, n))
        timings: dict[str, list[float]] = {"watched": [], "unwatched": []}
        original = watch.on_batch
        kind = ["unwatched"]

        def timed(*, db: Session, events: Any) -> int:
            started = time.perf_counter()
            try:
                return original(db=db, events=events)
            finally:
                timings[kind[0]].append((time.perf_counter() - started) * 1000)

        watch.on_batch = timed
        try:
            with Progress(console=console) as progress:
                task = progress.add_task("Storing events one at a time", total=events)
                for number in range(events):
                    kind[0] = "watched" if number % 10 in (0, 5) else "unwatched"
                    with factory.begin() as db:
                        events_service.store(db=db, events=[(0, _event(number, plans))], actor=_ACTOR)
                    progress.advance(task)
        finally:
            watch.on_batch = original
        with factory() as db:
            breaches = db.execute(select(func.count()).select_from(PlanBreach)).scalar_one()
        engine.dispose()
    every = timings["watched"] + timings["unwatched"]
    yield "backend", url.split(":", 1)[0]
    yield "people", size
    yield "open_plans", plans
    yield "conditions", plans * 2
    yield "events", events
    yield "events_naming_a_child_on_a_plan", len(timings["watched"])
    yield "breaches", breaches
    yield "condition_ms_per_event_p95", round(statistics.quantiles(every, n=20)[-1], 3)
    yield "condition_ms_per_event_median", round(statistics.median(every), 3)
    yield "condition_ms_per_unwatched_event_median", round(statistics.median(timings["unwatched"]), 3)
    yield "condition_ms_per_watched_event_median", round(statistics.median(timings["watched"]), 3)


def _pnc(number: int) -> str:
    return f"{number % 100:02d}/{number:06d}{'ABCDEFGHJK'[number % 10]}"


def _load(factory: Any, size: int, plans: int, advance: Callable[[int], None]) -> None:
    """Everyone first, then the plans: people 0..plans-1 are children on plans; the adult each may
    not see alone is the person `plans` further on (one of the children, in a small population)."""
    now = datetime.now(UTC)
    for start in range(0, size, _CHUNK):
        numbers = range(start, min(start + _CHUNK, size))
        with factory.begin() as db:
            db.execute(
                insert(Person), [{"id": f"P{n:09d}", "family_name": f"Bench{n}", "created_at": now} for n in numbers]
            )
            db.execute(insert(PersonIdentifier), [_identifier(n, now) for n in numbers])
        advance(len(numbers))
    for start in range(0, plans, _CHUNK):
        children = range(start, min(start + _CHUNK, plans))
        rows = [_plan(n, now) for n in children]
        conditions = [c for n, p in zip(children, rows, strict=True) for c in _conditions(n, p["id"], plans, size)]
        with factory.begin() as db:
            db.execute(insert(Plan), rows)
            db.execute(insert(PlanCondition), conditions)
            db.execute(insert(PlanAction), [_action(p["id"]) for p in rows])
        advance(len(children))


def _identifier(number: int, now: datetime) -> dict[str, Any]:
    pnc = _pnc(number)
    return {"key": f"pnc:{pnc}", "scheme": "pnc", "value": pnc, "person_id": f"P{number:09d}", "first_seen_at": now}


def _plan(number: int, now: datetime) -> dict[str, Any]:
    return {
        "id": new_id(),
        "child_id": f"P{number:09d}",
        "kind": "cp",
        "category": "neglect",
        "lead_professional": f"sw{number % 500}",
        "manager": f"tm{number % 50}",
        "home_address": HOME,
        "core_group": [],
        "outcomes": ["Safe at home"],
        "status": "active",
        "start_on": date(2024, 1, 1),
        "created_at": now,
        "created_by": "bench",
    }


def _conditions(number: int, plan_id: str, plans: int, size: int) -> list[dict[str, Any]]:
    adult = _adult(number, plans, size)
    return [
        {
            "id": new_id(),
            "plan_id": plan_id,
            "kind": "report_overnight_stays",
            "person_id": None,
            "wording": "Tell the SW",
        }
        | {"is_open": True},
        {"id": new_id(), "plan_id": plan_id, "kind": "no_unsupervised_contact", "person_id": f"P{adult:09d}"}
        | {"wording": "No unsupervised contact", "is_open": True},
    ]


def _adult(number: int, plans: int, size: int) -> int:
    return number + plans if number + plans < size else (number + 1) % plans


def _action(plan_id: str) -> dict[str, Any]:
    return {"id": new_id(), "plan_id": plan_id, "description": "Core group", "owner": "sw", "due_on": date(2025, 1, 1)}


def _event(number: int, plans: int) -> EventIn:
    """A night call or a contact naming a child on a plan (one in ten each), else a housing application."""
    child = (number * 7919) % plans
    kid = {"given_name": "Kit", "family_name": f"Bench{child}", "pnc_id": _pnc(child)}
    if number % 10 == 0:
        record = {
            "source_agency": "ambulance",
            "type": "ambulance.call",
            "occurred_at": "2025-03-04T02:30:00+00:00",
            "location": AWAY,
            "subjects": [{"role": "patient", "person": {**kid, "address": AWAY}}],
        }
    elif number % 10 == 5:
        adult = _adult(child, plans, plans * 2)
        record = {
            "source_agency": "health_visiting",
            "type": "health_visitor.contact",
            "occurred_at": "2025-03-04T11:00:00+00:00",
            "location": HOME,
            "subjects": [
                {"role": "child", "person": {**kid, "address": HOME}},
                {"role": "father", "person": {"given_name": "Sam", "family_name": "Adult", "pnc_id": _pnc(adult)}},
            ],
        }
    else:
        record = {
            "source_agency": "housing",
            "type": "housing.application",
            "occurred_at": "2025-03-04T10:00:00+00:00",
            "subjects": [
                {
                    "role": "applicant",
                    "person": {"given_name": "Sam", "family_name": f"Applicant{number}", "local_id": f"H{number}"},
                },
            ],
        }
    return EventIn.model_validate(
        {**record, "source_ref": f"BENCH-PLAN-{number:07d}", "summary": "Bench record.", "payload": {}}
    )
