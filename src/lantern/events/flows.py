"""Ingestion use cases: an API submission and a file, each validated then stored atomically."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any

import orjson
from sqlalchemy.orm import Session, sessionmaker

from lantern.access import policy
from lantern.audit.service import Actor
from lantern.common.errors import Forbidden, InvalidInput
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
    if isinstance(raw, InvalidInput):
        raise raw
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
    return _report(results)


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
) -> FileSummary:
    """Ingest a file batch by batch, each batch one transaction; rejects go to `rejects`.

    A crash loses at most the uncommitted batch; running again stores it once and reports the
    committed ones as duplicates.
    """
    policy.require(actor, "event:write", agency=agency)
    summary = FileSummary()
    for batch in _batches(adapters.read_records(path), batch_size):
        valid, rejected = validate(batch, max_bytes=max_bytes, agency=agency)
        with session_factory.begin() as db:
            results = service.store(db=db, events=valid, actor=actor)
        _write_rejects(rejects, rejected, dict(batch))
        _tally(summary, results + rejected)
        on_progress(len(batch))
    return summary


def _batches(records: Iterator[tuple[int, Any]], size: int) -> Iterator[list[tuple[int, Any]]]:
    while batch := list(islice(records, size)):
        yield batch


def _write_rejects(out: IO[bytes], rejected: list[RecordResult], raw_by_line: dict[int, Any]) -> None:
    for result in rejected:
        raw = raw_by_line[result.index]
        line = {
            "line": result.index,
            "source_ref": result.source_ref,
            "errors": result.errors,
            "record": raw if isinstance(raw, dict) else None,
        }
        out.write(orjson.dumps(line) + b"\n")
    out.flush()


def _tally(summary: FileSummary, results: list[RecordResult]) -> None:
    for result in results:
        if result.status == "accepted":
            summary.accepted += 1
        elif result.status == "duplicate":
            summary.duplicates += 1
        else:
            summary.rejected += 1
            for error in result.errors:
                reason = f"{'.'.join(map(str, error['loc'])) or 'record'}: {error['msg']}"
                summary.reasons[reason] = summary.reasons.get(reason, 0) + 1


def count_records(path: Path) -> int:
    """Records in a file (lines, less the CSV header), for the progress bar."""
    with path.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return max(lines - 1, 0) if path.suffix.lower() == ".csv" else lines
