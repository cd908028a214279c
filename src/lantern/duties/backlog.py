"""Duty rules for file ingestion, run after the events are stored, from a durable backlog.

A file batch stores its events and, in the same transaction, one `duty_backlog` row per event
of a type some rule reads. `catch_up` then runs the rules over the backlog in batches, each
batch one transaction that creates the duties and deletes its backlog rows, so a crash at any
point leaves every event either with its duties or still in the backlog, never both or neither.
`lantern ingest` catches up before it reports (on PostgreSQL a worker also follows the file as it
is stored: `alongside`); the scheduler pass catches up on what a killed ingestion left behind.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from lantern.db.engine import is_sqlite
from lantern.db.portable import insert_rows
from lantern.duties import creation
from lantern.duties import rules as duty_rules
from lantern.duties.models import DutyBacklog

BATCH = 10_000
PARALLEL_WORKERS = 2  # on PostgreSQL; measured in docs/benchmarks.md
FOLLOW_SECONDS = 0.2  # how long a worker following a file waits for its next batch


def defer(*, db: Session, events: Sequence[tuple[str, str]]) -> int:
    """Queue new (event id, type) pairs for the duty rules, in the caller's transaction; only
    types that a rule triggers on or that can discharge a duty are queued."""
    rules_by_type = duty_rules.default_rules()
    relevant = creation.relevant_types(rules_by_type, creation.all_rules(rules_by_type))
    rows = [(event_id,) for event_id, event_type in events if event_type in relevant]
    insert_rows(db, DutyBacklog.__table__, ("event_id",), rows)
    return len(rows)


def run_some(*, db: Session, limit: int = BATCH) -> tuple[int, int]:
    """Run the rules for up to `limit` queued events, oldest first, in the caller's transaction;
    return (events handled, duties created). Concurrent callers take different events."""
    stmt = select(DutyBacklog.event_id).order_by(DutyBacklog.event_id).limit(limit)
    event_ids = list(db.execute(stmt.with_for_update(skip_locked=True)).scalars())
    if not event_ids:
        return 0, 0
    created = creation.create_for_events(db=db, event_ids=event_ids)
    for start in range(0, len(event_ids), 5000):
        db.execute(delete(DutyBacklog).where(DutyBacklog.event_id.in_(event_ids[start : start + 5000])))
    return len(event_ids), created


def catch_up(*, session_factory: sessionmaker[Session], on_progress: Callable[[int], None] = lambda _: None) -> int:
    """Run the rules for every queued event, one transaction per batch; return the duties created.

    On PostgreSQL two workers (threads, a connection each) take different batches: while one waits
    for the server to store its duties, the other works out the next (ADR 53). SQLite has one writer
    at a time, so one worker does it all.
    """
    workers = 1 if is_sqlite(session_factory.kw["bind"]) else PARALLEL_WORKERS
    if workers == 1:
        return _catch_up_alone(session_factory, on_progress)
    with ThreadPoolExecutor(workers, thread_name_prefix="lantern-duty-rules") as pool:
        running = [pool.submit(_catch_up_alone, session_factory, on_progress) for _ in range(workers)]
        return sum(worker.result() for worker in running)


def _catch_up_alone(
    session_factory: sessionmaker[Session],
    on_progress: Callable[[int], None],
    until: threading.Event | None = None,
) -> int:
    """Batches until none is left that another worker has not taken; given `until`, batches as they
    come until it is set (the caller then catches up on what is left)."""
    created = 0
    while until is None or not until.is_set():
        with session_factory.begin() as db:
            handled, made = run_some(db=db, limit=BATCH)
        created += made
        if handled:
            on_progress(handled)
        elif until is None:
            break
        else:
            until.wait(FOLLOW_SECONDS)
    return created


@contextmanager
def alongside(session_factory: sessionmaker[Session]) -> Iterator[Callable[[], int]]:
    """While the caller stores a file, run the duty rules over each batch it commits (ADR 53): on
    PostgreSQL one worker thread, on the core the parsing, writing and server processes leave idle;
    on SQLite, which has one writer at a time, nothing. Yields how many duties it has raised, to be
    read after the block; the caller then catches up on the rest (the worker stops after the batch
    it has in hand when the block ends)."""
    if is_sqlite(session_factory.kw["bind"]):
        yield lambda: 0
        return
    stored = threading.Event()
    with ThreadPoolExecutor(1, thread_name_prefix="lantern-duty-rules") as pool:
        worker = pool.submit(_catch_up_alone, session_factory, lambda _: None, stored)
        try:
            yield worker.result
        finally:
            stored.set()
            worker.exception()  # waits; an error is raised where the caller reads the count


def pending(*, db: Session) -> int:
    """How many stored events still wait for the duty rules."""
    return db.execute(select(func.count()).select_from(DutyBacklog)).scalar_one()
