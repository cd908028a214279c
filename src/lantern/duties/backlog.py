"""Duty rules for stored events that have not had them yet: a durable backlog, and file ingestion's follower.

Where the rules cannot run in the transaction that stores the events (a file on PostgreSQL, ADR 54),
the transaction that stores a batch writes one `duty_backlog` row per event of a type some rule reads.
The rules then run over backlog rows in batches, each batch one transaction that creates the duties
and deletes its backlog rows, so a crash at any point leaves every event either with its duties or
still in the backlog, never both or neither.
`lantern ingest` runs the rules for each batch as it is stored (`Follower`: on SQLite in the batch's own
transaction, with no backlog rows), then catches up before it reports; the scheduler pass catches up
on what a killed ingestion left behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from lantern.db.engine import is_sqlite
from lantern.db.portable import chunks, insert_rows
from lantern.duties import creation
from lantern.duties import rules as duty_rules
from lantern.duties.facts import WrittenEvent
from lantern.duties.models import DutyBacklog

log = logging.getLogger(__name__)

BATCH = 10_000
PARALLEL_WORKERS = 2  # on PostgreSQL; measured in docs/benchmarks.md


def defer(*, db: Session, events: Sequence[tuple[str, str]]) -> int:
    """Queue new (event id, type) pairs for the duty rules, in the caller's transaction; only
    types that a rule triggers on or that can discharge a duty are queued."""
    relevant = queued_types()
    rows = [(event_id,) for event_id, event_type in events if event_type in relevant]
    insert_rows(db, DutyBacklog.__table__, ("event_id",), rows)
    return len(rows)


def queued_types() -> set[str]:
    """The event types that a rule triggers on or that can discharge a duty: only these are queued."""
    rules_by_type = duty_rules.default_rules()
    return creation.relevant_types(rules_by_type, creation.all_rules(rules_by_type))


def run_some(*, db: Session, limit: int = BATCH) -> tuple[int, int]:
    """Run the rules for up to `limit` queued events, oldest first, in the caller's transaction;
    return (events handled, duties created). Concurrent callers take different events."""
    stmt = select(DutyBacklog.event_id).order_by(DutyBacklog.event_id).limit(limit)
    event_ids = list(db.execute(stmt.with_for_update(skip_locked=True)).scalars())
    if not event_ids:
        return 0, 0
    created = creation.create_for_events(db=db, event_ids=event_ids)
    for chunk in chunks(event_ids):
        db.execute(delete(DutyBacklog).where(DutyBacklog.event_id.in_(chunk)))
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


def _catch_up_alone(session_factory: sessionmaker[Session], on_progress: Callable[[int], None]) -> int:
    """Batches until none is left that another worker has not taken."""
    created = 0
    while True:
        with session_factory.begin() as db:
            handled, made = run_some(db=db, limit=BATCH)
        if not handled:
            return created
        created += made
        on_progress(handled)


def run_written(*, db: Session, written: Sequence[WrittenEvent]) -> int:
    """Run the rules for events stored and committed a moment ago, from the values the writer holds (ADR 54),
    in the caller's transaction; return the duties created. Only events still queued are run: their backlog
    rows are deleted first, so an event that the scheduler's catch-up has taken meanwhile is left to it."""
    claim = delete(DutyBacklog).returning(DutyBacklog.event_id)
    claimed = {
        event_id
        for chunk in chunks([event.columns[0] for event in written])
        for event_id in db.execute(claim.where(DutyBacklog.event_id.in_(chunk))).scalars()
    }
    mine = creation.as_merged_since(db, [event for event in written if event.columns[0] in claimed])
    return creation.create_for_written(db=db, written=mine)


class Follower:
    """Runs the duty rules for each batch of a file as it is stored, from what the writer holds (ADR 54);
    use it as a context manager, then read `raised()`.

    On SQLite, one writer at a time, within the batch's own transaction: its events and their duties
    are committed together. On PostgreSQL the batch queues its events in the backlog and, once committed,
    is handed to a worker thread, on the core the parsing, writing and server processes leave idle. A batch
    handed while two wait, or whose rules fail on the worker, stays in the backlog for the caller's
    catch-up (which raises the error if it happens again), so the writer is never held back.
    """

    WAITING = 2

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._factory = session_factory
        self._pool = None if is_sqlite(session_factory.kw["bind"]) else ThreadPoolExecutor(1, "lantern-duty-rules")
        self._runs: list[Future[int]] = []
        self._created = 0

    def __enter__(self) -> Follower:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        """Wait for the batches handed, or, when the file stopped with an error, for the one running only."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=kind is not None)

    def stored(self, db: Session, written: Sequence[WrittenEvent]) -> None:
        """In a batch's transaction, its new events of the types the rules read (`queued_types`)."""
        if self._pool is None:
            self._created += creation.create_for_written(db=db, written=written)
        else:
            defer(db=db, events=[(event.columns[0], event.columns[1]) for event in written])

    def committed(self, written: Sequence[WrittenEvent]) -> None:
        """After the batch's commit, the same events."""
        if self._pool is not None and sum(not run.done() for run in self._runs) < self.WAITING:
            self._runs.append(self._pool.submit(self._run, written))

    def _run(self, written: Sequence[WrittenEvent]) -> int:
        with self._factory.begin() as db:
            return run_written(db=db, written=written)

    def raised(self) -> int:
        """The duties created for the batches handed (after the block)."""
        created = self._created
        for run in self._runs:
            if (error := run.exception()) is not None:
                log.warning("duty rules failed for a batch; its events stay queued for the catch-up: %r", error)
            else:
                created += run.result()
        return created


def pending(*, db: Session) -> int:
    """How many stored events still wait for the duty rules."""
    return db.execute(select(func.count()).select_from(DutyBacklog)).scalar_one()
