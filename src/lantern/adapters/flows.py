"""Running an adapter over a file: rows mapped to canonical events, stored through the normal
ingestion path (`events.flows.submit`), every row that cannot be stored written to a reject CSV."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session, sessionmaker

from lantern.adapters.base import Adapter, Mapped, Reject, Row
from lantern.adapters.reading import check_readable, header, read_rows
from lantern.audit.service import Actor
from lantern.events import flows as events_flows

REJECT_COLUMNS = ("row", "column", "reason", "value", "reference")


@dataclass
class AdaptSummary:
    """What one run did: rows read, events stored or already there, rows rejected."""

    rows: int = 0
    without_events: int = 0  # valid rows that record nothing (a census pupil with no concern)
    accepted: int = 0
    duplicates: int = 0
    rejected_rows: int = 0
    rejects: int = 0  # lines in the reject report (a row may have several)
    ignored_columns: list[str] = field(default_factory=list)
    reasons: dict[str, int] = field(default_factory=dict)


class RejectWriter:
    """The reject report: one CSV line per problem: row, column, reason, the cell's value and the
    row's own reference (incident number, case reference, UPN, spell)."""

    def __init__(self, out: IO[str]) -> None:
        self._writer = csv.writer(out)
        self._writer.writerow(REJECT_COLUMNS)
        self._out = out

    def write(self, rejects: Iterable[Reject], summary: AdaptSummary) -> None:
        for reject in rejects:
            self._writer.writerow([reject.row, reject.column, reject.reason, reject.value, reject.reference])
            summary.rejects += 1
            key = f"{reject.column or 'row'}: {reject.reason}"
            summary.reasons[key] = summary.reasons.get(key, 0) + 1
        self._out.flush()


def adapt_file(
    *,
    session_factory: sessionmaker[Session],
    adapter: Adapter,
    path: Path,
    actor: Actor,
    rejects: IO[str],
    max_bytes: int,
    batch_size: int = 500,
    dry_run: bool = False,
    on_progress: Callable[[int], None] = lambda _: None,
) -> AdaptSummary:
    """Map and store a file batch by batch, each batch one transaction (rolled back on a dry run).

    Events take their source reference from the row's own reference, so a second run of the same
    file stores nothing new and reports every event as a duplicate. A file that cannot be read as
    rows at all raises `reading.UnreadableFile` before anything is stored.
    """
    check_readable(path)
    summary = AdaptSummary(ignored_columns=[c for c in header(path) if c not in adapter.columns])
    writer = RejectWriter(rejects)
    for batch in _batches(read_rows(path), batch_size):
        mapped = [(row, _map(adapter, row)) for row in batch]
        bad = [row for row, _ in mapped if row.problems]
        good = [(row, events) for row, events in mapped if not row.problems]
        summary.rows += len(batch)
        summary.without_events += sum(not events for _, events in good)
        with session_factory() as db:
            refused = _store(db=db, rows=good, actor=actor, max_bytes=max_bytes, summary=summary)
            if dry_run:
                db.rollback()
            else:
                db.commit()
        summary.rejected_rows += len(bad) + len({reject.row for reject in refused})
        own = [
            replace(problem, reference=row.cells.get(adapter.reference, "")) for row in bad for problem in row.problems
        ]
        writer.write(own + refused, summary)
        on_progress(len(batch))
    return summary


def _map(adapter: Adapter, row: Row) -> list[Mapped]:
    if row.problems:  # not a record at all (malformed JSON)
        return []
    try:
        events = adapter.map_row(row)
    except Exception as exc:  # noqa: BLE001 - a row the adapter cannot read is a reject, never a crash
        row.reject("", f"could not be read: {exc}")
        return []
    return [] if row.problems else events


def _store(
    *, db: Session, rows: list[tuple[Row, list[Mapped]]], actor: Actor, max_bytes: int, summary: AdaptSummary
) -> list[Reject]:
    """Validate every event of the rows; store the events of rows whose events are all valid."""
    flat = [(row, item) for row, events in rows for item in events]
    raws = [item.event for _, item in flat]
    _, invalid = events_flows.validate(enumerate(raws), max_bytes=max_bytes)
    refused = [reject for result in invalid for reject in _rejects(flat[result.index], result.errors)]
    refused_rows = {reject.row for reject in refused}
    keep = [index for index, (row, _) in enumerate(flat) if row.number not in refused_rows]
    if keep:
        report = events_flows.submit(
            db=db, raw_records=[raws[i] for i in keep], actor=actor, partial=True, max_bytes=max_bytes
        )
        for result in report.results:
            if result.status == "rejected":  # refused by the access policy
                refused += _rejects(flat[keep[result.index]], result.errors)
        summary.accepted += report.accepted
        summary.duplicates += report.duplicates
    return refused


def _rejects(item: tuple[Row, Mapped], errors: list[dict[str, Any]]) -> list[Reject]:
    row, mapped = item
    rejects = []
    for error in errors:
        column = mapped.column_for(list(error.get("loc", [])))
        rejects.append(Reject(row.number, column, str(error["msg"]), row.cells.get(column, ""), mapped.reference))
    return rejects


def _batches(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    while batch := list(islice(rows, size)):
        yield batch
