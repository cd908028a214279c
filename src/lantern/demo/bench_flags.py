"""`lantern bench flags`: the CP-IS-style flag look-up at national scale.

`size` people are loaded with NHS numbers (person and identifier rows inserted directly, 50,000 a
transaction), one in a hundred (up to 10,000) on an active child protection plan. Then `lookups`
look-ups run one at a time, each its own transaction as an API request is, as an emergency department
nurse: one in fifty of a child on a plan (recorded as an attendance through the ingestion path, with
a duty to the lead professional), one in ten of an NHS number Lantern does not hold, the rest of
children with no flag. One in fifty because about 1% of England's children carry a CP-IS flag (some
50,000 on child protection plans and 83,000 looked after, of 12 million) and flagged children attend
more often than others. Each look-up is timed from the call to the commit; the p95 of each kind is
reported too, so a flagged look-up's cost is never hidden in the mix.
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

from lantern.audit.service import Actor
from lantern.db.engine import make_engine, make_session_factory
from lantern.db.migrate import upgrade
from lantern.db.types import new_id
from lantern.interop import flags
from lantern.people.models import Person, PersonIdentifier
from lantern.people.rules import with_check_digit
from lantern.plans.models import Plan

Metric = tuple[str, object]
_CHUNK = 50_000
MAX_PLANS = 10_000
NURSE = Actor(id=None, name="bench.ed", agency="hospital", role="practitioner")


def bench_flags(*, db_url: str | None, size: int, console: Console, lookups: int = 2000) -> Iterator[Metric]:
    """Load `size` people (1% on a plan); time `lookups` flag look-ups, call to commit."""
    plans = min(MAX_PLANS, max(size // 100, 1))
    with tempfile.TemporaryDirectory(prefix="lantern-bench-flags-") as tmp:
        url = db_url or f"sqlite:///{tmp}/flags.db"
        upgrade(url)
        factory = make_session_factory(make_engine(url))
        with Progress(console=console) as progress:
            task = progress.add_task("Loading people with NHS numbers", total=size)
            numbers = _load(factory, size, plans, lambda n: progress.advance(task, n))
        timings: dict[str, list[float]] = {"plan": [], "none": [], "unknown": []}
        with Progress(console=console) as progress:
            task = progress.add_task("Looking up flags one at a time", total=lookups)
            for turn in range(lookups):
                kind, number = _pick(turn, numbers, plans, size)
                started = time.perf_counter()
                with factory.begin() as db:
                    answer = flags.lookup(db=db, actor=NURSE, nhs_number=number)
                timings[kind].append((time.perf_counter() - started) * 1000)
                assert answer.held == (kind == "plan"), (kind, number)
                progress.advance(task)
    every = [t for found in timings.values() for t in found]
    yield "people", size
    yield "on_plans", plans
    yield "lookups", lookups
    yield "flag_lookup_p95_ms", _p95(every)
    yield "flag_lookup_median_ms", round(statistics.median(every), 3)
    for kind, found in timings.items():
        yield f"flag_lookup_{kind}_p95_ms", _p95(found)


def _p95(timings: list[float]) -> float:
    return round(statistics.quantiles(timings, n=20)[-1], 3) if len(timings) > 1 else round(timings[0], 3)


def _nhs_numbers(count: int) -> list[str]:
    """`count` valid NHS numbers in the 999 (test) range, in order."""
    found: list[str] = []
    n = 0
    while len(found) < count:
        number = with_check_digit(f"9{n:08d}")
        if number is not None:
            found.append(number)
        n += 1
    return found


def _load(factory: Any, size: int, plans: int, advance: Callable[[int], None]) -> list[str]:
    now = datetime.now(UTC)
    numbers = _nhs_numbers(size + size // 10 + 1)
    for start in range(0, size, _CHUNK):
        chunk = range(start, min(start + _CHUNK, size))
        with factory.begin() as db:
            db.execute(insert(Person), [_person(n, numbers[n], now) for n in chunk])
            db.execute(insert(PersonIdentifier), [
                {"key": f"nhs:{numbers[n]}", "scheme": "nhs", "value": numbers[n], "person_id": f"P{n:09d}",
                 "first_seen_at": now} for n in chunk
            ])  # fmt: skip
            on_plan = [n for n in chunk if n < plans]
            if on_plan:
                db.execute(insert(Plan), [_plan(n, now) for n in on_plan])
        advance(len(chunk))
    return numbers


def _person(number: int, nhs: str, now: datetime) -> dict[str, Any]:
    born = date(2010 + number % 15, number % 12 + 1, number % 28 + 1)
    return {"id": f"P{number:09d}", "given_name": "Kit", "family_name": f"Bench{number}", "date_of_birth": born,
            "nhs_number": nhs, "created_at": now}  # fmt: skip


def _plan(number: int, now: datetime) -> dict[str, Any]:
    return {
        "id": new_id(), "child_id": f"P{number:09d}", "kind": "cp", "category": "neglect",
        "lead_professional": f"sw.{number % 500}", "manager": f"tm.{number % 50}",
        "home_address": {"line1": f"{number % 200 + 1} Bench Street", "town": "Didcot", "postcode": "OX11 7AB"},
        "core_group": [], "outcomes": [], "status": "active", "start_on": date(2025, 1, 1), "created_at": now,
        "created_by": "bench",
    }  # fmt: skip


def _pick(turn: int, numbers: list[str], plans: int, size: int) -> tuple[str, str]:
    """One in fifty a child on a plan, one in ten an NHS number Lantern does not hold, else a child with none."""
    spread = (turn * 7919) % size
    if turn % 50 == 0:
        return "plan", numbers[spread % plans]
    if turn % 10 == 1:
        return "unknown", numbers[size + spread % (len(numbers) - size)]
    return "none", numbers[plans + spread % max(size - plans, 1)]
