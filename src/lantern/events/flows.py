"""Ingestion use cases: an API submission and a file, each validated then stored atomically."""

from __future__ import annotations

import gc
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from subprocess import PIPE
from typing import IO, Any

import orjson
from sqlalchemy.orm import Session, sessionmaker

from lantern.access import policy
from lantern.audit.service import Actor
from lantern.common.errors import Forbidden, InvalidInput
from lantern.config import get_settings
from lantern.db.engine import make_engine
from lantern.db.portable import Bindings, bindings
from lantern.duties import service as duties_service
from lantern.events import adapters, service
from lantern.events.schemas import EventIn, IngestReport, RecordResult, parse_event


def validate(
    raw_records: Iterable[tuple[int, Any]],
    *,
    max_bytes: int,
    agency: str | None = None,
) -> tuple[list[tuple[int, EventIn]], list[RecordResult]]:
    """Split raw records into valid events and rejections naming field and reason."""
    valid, rejected = [], []
    for index, raw in raw_records:
        try:
            valid.append((index, _parse(raw, max_bytes=max_bytes, agency=agency)))
        except InvalidInput as exc:
            ref = raw.get("source_ref") if isinstance(raw, dict) else None
            rejected.append(
                RecordResult(
                    index=index, source_ref=ref if isinstance(ref, str) else None, status="rejected", errors=exc.errors
                )
            )
    return valid, rejected


def _parse(raw: Any, *, max_bytes: int, agency: str | None) -> EventIn:
    if isinstance(raw, InvalidInput):  # a line that was not JSON; raise a copy, so no traceback cycles back to it
        raise InvalidInput(raw.errors)
    if not isinstance(raw, dict):
        raise InvalidInput([{"loc": [], "msg": "each record must be a JSON object"}])
    size = len(orjson.dumps(raw))
    if size > max_bytes:
        raise InvalidInput([{"loc": [], "msg": f"record is {size} bytes; the limit is {max_bytes}"}])
    if agency is not None:
        sent = raw.setdefault("source_agency", agency)
        if sent != agency:
            raise InvalidInput([{"loc": ["source_agency"], "msg": f"record is from {sent!r}, file is from {agency!r}"}])
    return parse_event(raw)


def submit(*, db: Session, raw_records: list[Any], actor: Actor, partial: bool, max_bytes: int) -> IngestReport:
    """An API submission: all-or-nothing, or with `partial` each record stands alone."""
    valid, rejected = validate(enumerate(raw_records), max_bytes=max_bytes)
    allowed = []
    for index, event in valid:
        if policy.can(actor, "event:write", agency=event.source_agency):
            allowed.append((index, event))
        elif not partial:
            raise Forbidden(f"{actor.name} may not submit records for {event.source_agency}")
        else:
            rejected.append(
                RecordResult(
                    index=index,
                    source_ref=event.source_ref,
                    status="rejected",
                    errors=[{"loc": ["source_agency"], "msg": f"you may not submit records for {event.source_agency}"}],
                )
            )
    if rejected and not partial:
        raise InvalidInput([{**error, "loc": [r.index, *error["loc"]]} for r in rejected for error in r.errors])
    results = sorted(service.store(db=db, events=allowed, actor=actor) + rejected, key=lambda r: r.index)
    duties_service.create_for_events(
        db=db, event_ids=[r.event_id for r in results if r.event_id and r.status == "accepted"]
    )
    return _report(results)


def record_known(*, db: Session, raw: dict[str, Any], person_ids: list[str], actor: Actor) -> str:
    """One record made in Lantern (an assessment form) about people it already knows: validated
    like any submission, stored without resolving its subjects again, then the duty rules run."""
    event = parse_event(raw)
    policy.require(actor, "event:write", agency=event.source_agency)
    event_id = service.store_known(db=db, event=event, person_ids=person_ids, actor=actor)
    duties_service.create_for_events(db=db, event_ids=[event_id])
    return event_id


def _report(results: list[RecordResult]) -> IngestReport:
    return IngestReport(
        accepted=sum(r.status == "accepted" for r in results),
        duplicates=sum(r.status == "duplicate" for r in results),
        rejected=sum(r.status == "rejected" for r in results),
        results=results,
    )


@dataclass
class FileSummary:
    """What a file ingestion did; rejection reasons are counted by message."""

    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    duties: int = 0  # raised by the duty rules for the stored events


@dataclass
class PreparedBatch:
    """One batch of a file, parsed and validated: events ready to store, rejections ready to write."""

    size: int
    events: list[service.PreparedEvent]
    rejected: list[RecordResult]
    reject_lines: bytes


@dataclass(frozen=True)
class _Reading:
    """How to read a file into prepared batches (picklable, for the parsing process)."""

    path: Path
    database_url: str
    batch_size: int
    max_bytes: int
    agency: str | None
    matching: str  # the writer's LANTERN_MATCHING: what it resolves people by decides what is prepared


# Below this size a parsing process costs more to start (~1 s of imports) than it saves.
PIPELINE_FROM_BYTES = 4 << 20
_COLLECT_EVERY = 200_000


def ingest_file(
    *,
    session_factory: sessionmaker[Session],
    path: Path,
    actor: Actor,
    rejects: IO[bytes],
    batch_size: int,
    max_bytes: int,
    agency: str | None = None,
    on_progress: Callable[[int], None] = lambda _: None,
    on_duties: Callable[[], None] = lambda: None,
) -> FileSummary:
    """Ingest a file batch by batch, each batch one transaction; rejects go to `rejects`.

    A crash loses at most the uncommitted batch; running again stores it once and reports the
    committed ones as duplicates. Large files are parsed and validated in a second process while
    this one writes the batch before. The duty rules run for each batch as it is stored (on SQLite in
    its transaction; on PostgreSQL queued with it, then on a thread beside the writer); `on_duties` is
    called once the file is stored, and the summary is given with every duty raised, including any
    that an earlier, stopped run left queued.
    """
    policy.require(actor, "event:write", agency=agency)
    engine = session_factory.kw["bind"]
    url, matching = engine.url.render_as_string(hide_password=False), get_settings().matching
    reading = _Reading(path, url, batch_size, max_bytes, agency, matching)
    pipelined = path.stat().st_size >= PIPELINE_FROM_BYTES
    batches = _from_worker(reading) if pipelined else _prepared_batches(reading, bindings(engine.dialect))
    summary = FileSummary()
    queued = duties_service.queued_types()
    with duties_service.Follower(session_factory) as follower, closing(batches), _collecting_every() as handled:
        for batch in batches:
            with session_factory.begin() as db:
                stored = service.store_prepared(db=db, events=batch.events, actor=actor)
                written = service.written_for_duties(stored.new, queued)
                follower.stored(db, written)
            follower.committed(written)
            rejects.write(batch.reject_lines)
            rejects.flush()
            _tally(summary, stored.ids, batch.rejected)
            on_progress(batch.size)
            handled(batch.size)
        on_duties()
    summary.duties = follower.raised() + duties_service.catch_up(session_factory=session_factory)
    return summary


@contextmanager
def _collecting_every(events: int = _COLLECT_EVERY) -> Iterator[Callable[[int], None]]:
    """Garbage collection after every `events` handled (report them to the callable), not automatically.

    A batch holds ~10^5 objects that automatic collections scan again and again (a fifth of the
    time). Ingestion makes no reference cycles; the occasional collection is a safety net.
    """
    automatic = gc.isenabled()
    gc.disable()
    pending = 0

    def handled(count: int) -> None:
        nonlocal pending
        pending += count
        if pending >= events:
            gc.collect(1)  # what the last batches left, not the long-lived objects
            pending = 0

    try:
        yield handled
    finally:
        if automatic:
            gc.enable()


def _prepared_batches(reading: _Reading, bind: Bindings) -> Generator[PreparedBatch]:
    records = adapters.read_records(reading.path)
    while batch := list(islice(records, reading.batch_size)):
        valid, rejected = validate(batch, max_bytes=reading.max_bytes, agency=reading.agency)
        yield PreparedBatch(
            size=len(batch),
            events=[service.prepare(index, event, bind) for index, event in valid],
            rejected=rejected,
            reject_lines=_reject_lines(rejected, dict(batch)) if rejected else b"",
        )


def _from_worker(reading: _Reading) -> Generator[PreparedBatch]:
    """`_prepared_batches` run in a child process (`python -c`, so no caller's __main__ is re-run)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([_SOURCE_ROOT, os.environ.get("PYTHONPATH", "")])}
    worker = subprocess.Popen([sys.executable, "-c", _WORKER_MAIN], stdin=PIPE, stdout=PIPE, env=env)
    assert worker.stdin is not None and worker.stdout is not None
    try:
        with worker.stdin:
            pickle.dump(reading, worker.stdin)
        while (batch := _receive(worker, worker.stdout)) is not None:
            yield batch
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.wait()
        worker.stdout.close()


def _receive(worker: subprocess.Popen[bytes], stream: IO[bytes]) -> PreparedBatch | None:
    try:
        item = pickle.load(stream)
    except (EOFError, pickle.UnpicklingError):  # it stopped before or while sending
        raise RuntimeError(f"the parsing process stopped (exit code {worker.wait()})") from None
    if isinstance(item, BaseException):
        raise item
    return item  # type: ignore[no-any-return]


_SOURCE_ROOT = str(Path(__file__).resolve().parents[2])
_WORKER_MAIN = "from lantern.events.flows import run_parsing_process; run_parsing_process()"


def run_parsing_process() -> None:
    """The parsing process: reads a `_Reading` on stdin; writes prepared batches, then None or
    the exception that stopped it, pickled on stdout (the pipe holds the writer back)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the writing process handles Ctrl-C and ends this one
    reading = pickle.load(sys.stdin.buffer)
    os.environ["LANTERN_MATCHING"] = reading.matching
    get_settings.cache_clear()
    sender = _Sender(sys.stdout.buffer)
    try:
        bind = bindings(make_engine(reading.database_url).dialect)
        with _collecting_every() as handled:
            for batch in _prepared_batches(reading, bind):
                sender.send(batch)
                handled(batch.size)
        item: BaseException | None = None
    except Exception as exc:  # noqa: BLE001 - handed to the writing process, which raises it
        item = exc
    try:
        sender.send(item)
    except (pickle.PicklingError, TypeError, AttributeError):  # an exception that cannot be pickled
        sender.send(RuntimeError(f"the parsing process failed: {item!r}"))
    finally:
        sender.close()


class _Sender:
    """Writes pickled batches to the writing process from a thread of their own, so that the next batch is
    parsed and pickled while this one waits in the pipe, not while the writer waits to read it (ADR 56).
    Besides the batch being written and the one being pickled, at most `ahead` wait: a slow writer still
    holds the parsing back, and the parsing process holds at most `ahead` + 2 pickled batches."""

    def __init__(self, out: IO[bytes], ahead: int = 2) -> None:
        self._out = out
        self._waiting: queue.Queue[bytes | None] = queue.Queue(maxsize=ahead)
        self._thread = threading.Thread(target=self._write_all, name="lantern-sender", daemon=True)
        self._thread.start()

    def send(self, item: Any) -> None:
        self._put(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))

    def close(self) -> None:
        """Wait until every batch is written."""
        self._put(None)
        self._thread.join()

    def _put(self, data: bytes | None) -> None:
        while self._thread.is_alive():  # it stops only when the pipe breaks: the writer has gone
            try:
                self._waiting.put(data, timeout=1)
                return
            except queue.Full:
                continue
        raise BrokenPipeError("the writing process stopped reading")

    def _write_all(self) -> None:
        try:
            while (data := self._waiting.get()) is not None:
                self._out.write(data)
                self._out.flush()
                data = None  # not held while waiting for the next
        except BrokenPipeError:
            return  # the writer has gone (killed, or stopped on an error): the next send says so


def _reject_lines(rejected: list[RecordResult], raw_by_line: dict[int, Any]) -> bytes:
    lines = []
    for result in rejected:
        raw = raw_by_line[result.index]
        line = {
            "line": result.index,
            "source_ref": result.source_ref,
            "errors": result.errors,
            "record": raw if isinstance(raw, dict) else None,
        }
        lines.append(orjson.dumps(line) + b"\n")
    return b"".join(lines)


def _tally(summary: FileSummary, event_ids: list[str | None], rejected: list[RecordResult]) -> None:
    accepted = sum(event_id is not None for event_id in event_ids)
    summary.accepted += accepted
    summary.duplicates += len(event_ids) - accepted
    summary.rejected += len(rejected)
    for result in rejected:
        for error in result.errors:
            reason = f"{'.'.join(map(str, error['loc'])) or 'record'}: {error['msg']}"
            summary.reasons[reason] = summary.reasons.get(reason, 0) + 1


def count_records(path: Path) -> int:
    """Records in a file (lines, less the CSV header), for the progress bar."""
    with path.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return max(lines - 1, 0) if path.suffix.lower() == ".csv" else lines
