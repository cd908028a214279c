"""`lantern bench AREA`: measured throughput on a generated population (metric=value lines)."""

from __future__ import annotations

import platform
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
from rich.console import Console
from rich.progress import Progress

from lantern.audit.service import Actor
from lantern.config import get_settings
from lantern.db.engine import make_engine, make_session_factory
from lantern.db.migrate import upgrade
from lantern.demo import population
from lantern.demo.bench_chronology import bench_chronology
from lantern.demo.bench_duties import bench_duties
from lantern.demo.bench_flags import bench_flags
from lantern.demo.bench_load import bench_load
from lantern.demo.bench_match import bench_link_and_match
from lantern.demo.bench_plans import bench_plans
from lantern.demo.bench_register import bench_register
from lantern.demo.bench_spark import bench_spark
from lantern.events import flows

Metric = tuple[str, object]


def bench_ingest(*, db_url: str | None, size: int, console: Console) -> Iterator[Metric]:
    """Generate `size` events to a JSONL file, then ingest it as `lantern ingest` does."""
    with tempfile.TemporaryDirectory(prefix="lantern-bench-") as tmp:
        url = db_url or f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        path = Path(tmp) / "events.jsonl"
        run_prefix = f"BENCH{int(time.time())}"
        with path.open("wb") as out, Progress(console=console) as progress:
            task = progress.add_task("Generating events", total=size)
            for i, record in enumerate(population.events(size, prefix=run_prefix), start=1):
                out.write(orjson.dumps(record) + b"\n")
                if i % 10_000 == 0:
                    progress.update(task, completed=i)
        generating = _cpu_seconds()
        settings = get_settings()  # the batch size and record limit `lantern ingest` reads
        factory = make_session_factory(make_engine(url))
        actor = Actor(id=None, name="bench", agency=None, role="system")
        started = time.perf_counter()
        stored_at: list[float] = []  # wall clock and writer CPU when the last batch is stored
        with Progress(console=console) as progress, (Path(tmp) / "rejects.jsonl").open("wb") as rejects:
            task = progress.add_task("Ingesting", total=size)
            summary = flows.ingest_file(
                session_factory=factory,
                path=path,
                actor=actor,
                rejects=rejects,
                batch_size=settings.ingest_batch_size,
                max_bytes=settings.max_event_bytes,
                on_progress=lambda n: progress.advance(task, n),
                on_duties=lambda: stored_at.extend((time.perf_counter(), _cpu_seconds())),
            )
        elapsed = time.perf_counter() - started
        stored = stored_at[0] - started
    yield "backend", url.split(":", 1)[0]
    yield "machine", f"{platform.machine()}-{_cpus()}cpu"
    yield "events", size
    yield "accepted", summary.accepted
    yield "rejected", summary.rejected
    yield "batch_size", settings.ingest_batch_size
    yield "matching", settings.matching
    yield "duties", summary.duties
    yield "stored_seconds", round(stored, 2)  # every event stored, people resolved, audited
    yield "stored_events_per_second", round(summary.accepted / stored, 1)
    yield "duties_seconds", round(elapsed - stored, 2)  # then the duty rules over the backlog
    yield "seconds", round(elapsed, 2)
    writer, parser = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds do not depend on what else the machine runs; on SQLite the writer's include the database's.
    yield "writer_cpu_seconds", round(writer.ru_utime + writer.ru_stime - generating, 1)
    yield "writer_cpu_seconds_storing", round(stored_at[1] - generating, 1)
    yield "parser_cpu_seconds", round(parser.ru_utime + parser.ru_stime, 1)
    yield "peak_rss_mb", round(writer.ru_maxrss / 1024, 1)
    yield "parser_peak_rss_mb", round(parser.ru_maxrss / 1024, 1)
    yield "events_per_second", round(summary.accepted / elapsed, 1)  # to the last duty raised


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


AREAS: dict[str, Callable[..., Iterator[Metric]]] = {
    "ingest": bench_ingest,
    "duties": bench_duties,
    "chronology": bench_chronology,
    "link": bench_link_and_match,
    "register": bench_register,
    "plans": bench_plans,
    "load": bench_load,
    "flags": bench_flags,
    "spark": bench_spark,
}
