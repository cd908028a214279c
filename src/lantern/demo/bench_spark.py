"""`lantern bench spark`: the batch dedupe of `bench link` on DuckDB and on Spark, and how far they agree.

Three runs of one generated file: DuckDB (trained there), Spark trained on Spark, and Spark with
DuckDB's trained model. The last separates the backends' scoring and clustering (which should
agree exactly) from their training (where Splink's random sampling for u differs by backend).
"""

from __future__ import annotations

import math
import platform
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console

from lantern.demo import person_records
from lantern.demo.bench_link import MAPPING, Metric, _cpus, score
from lantern.linkage import backends, batch

RUNS: tuple[tuple[str, backends.Backend, bool], ...] = (
    ("duckdb", "duckdb", False),
    ("spark", "spark", False),
    ("spark_same_model", "spark", True),  # scored and clustered on Spark with DuckDB's trained model
)


def bench_spark(*, db_url: str | None, size: int, console: Console) -> Iterator[Metric]:
    """Generate `size` records and dedupe them on each backend; `db_url` is unused (files, not the database)."""
    with tempfile.TemporaryDirectory(prefix="lantern-bench-spark-") as tmp:
        path = Path(tmp) / "people.csv"
        with console.status("Generating person records"):
            person_records.write_csv(path, size)
        runs: dict[str, tuple[float, batch.LinkResult]] = {}
        duckdb_model: Mapping[str, Any] | None = None
        for name, backend, use_duckdb_model in RUNS:
            with console.status(f"Deduplicating ({name})") as status:
                runs[name] = _timed(path, Path(tmp) / name, backend, duckdb_model if use_duckdb_model else None, status)
            duckdb_model = duckdb_model or runs[name][1].model
        yield "machine", f"{platform.machine()}-{_cpus()}cpu"
        yield "records", runs["duckdb"][1].records
        for name, (seconds, result) in runs.items():
            pairwise, _ = score(path, Path(tmp) / name)
            yield f"{name}_seconds", round(seconds, 1)
            yield f"{name}_pairs", result.pairs
            yield f"{name}_clusters", result.clusters
            yield f"{name}_precision", pairwise.precision  # against the generator's truth, as bench link
            yield f"{name}_recall", pairwise.recall
        for name in ("spark", "spark_same_model"):
            yield from ((f"{name}_{key}", value) for key, value in agreement(Path(tmp) / "duckdb", Path(tmp) / name))
        yield from (
            (f"spark_model_{key}", value)
            for key, value in model_difference(runs["duckdb"][1].model, runs["spark"][1].model)
        )


def _timed(
    path: Path, out: Path, backend: backends.Backend, trained: Mapping[str, Any] | None, status: Any
) -> tuple[float, batch.LinkResult]:
    started = time.perf_counter()
    result = batch.link_files(
        inputs=[path],
        id_column="record_id",
        mapping=MAPPING,
        out=out,
        backend=backend,
        trained=trained,
        progress=lambda stage: status.update(f"{backend}: {stage}"),
    )
    return time.perf_counter() - started, result


def model_difference(ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> Iterator[Metric]:
    """How far two trained models differ: the prior's ratio, the largest difference in an m value,
    and the largest difference in a u value as log2 of their ratio (bits of weight)."""
    m_gaps, u_bits = [0.0], [0.0]
    for a, b in zip(_levels(ours), _levels(theirs), strict=True):
        if isinstance(a.get("m_probability"), float) and isinstance(b.get("m_probability"), float):
            m_gaps.append(abs(a["m_probability"] - b["m_probability"]))
        if isinstance(a.get("u_probability"), float) and isinstance(b.get("u_probability"), float):
            u_bits.append(abs(math.log2(a["u_probability"] / b["u_probability"])))
    prior = "probability_two_random_records_match"
    yield "prior_ratio", round(theirs[prior] / ours[prior], 4)
    yield "max_m_difference", round(max(m_gaps), 4)
    yield "max_u_difference_bits", round(max(u_bits), 3)


def _levels(trained: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [level for comparison in trained["comparisons"] for level in comparison["comparison_levels"]]


def agreement(ours: Path, theirs: Path) -> Iterator[Metric]:
    """Pairs in both outputs and in one only, the largest probability difference on shared pairs, and
    the records whose cluster (its set of members) differs between the two."""
    con = duckdb.connect()
    for side, out in (("a", ours), ("b", theirs)):
        con.execute(f"CREATE TABLE pairs_{side} AS SELECT * FROM read_csv('{out / 'pairs.csv'}', all_varchar=true)")
        con.execute(
            f"""CREATE TABLE members_{side} AS SELECT id, string_agg(id, ',' ORDER BY id) OVER (PARTITION BY cluster_id)
                AS members FROM read_csv('{out / "clusters.csv"}', all_varchar=true)"""
        )
    both, only_a, only_b, largest = con.sql(
        """SELECT count(*) FILTER (a.id_l IS NOT NULL AND b.id_l IS NOT NULL), count(*) FILTER (b.id_l IS NULL),
                  count(*) FILTER (a.id_l IS NULL),
                  max(abs(CAST(a.match_probability AS DOUBLE) - CAST(b.match_probability AS DOUBLE)))
           FROM pairs_a a FULL JOIN pairs_b b USING (id_l, id_r)"""
    ).fetchall()[0]
    moved = con.sql("SELECT count(*) FROM members_a a JOIN members_b b USING (id) WHERE a.members <> b.members")
    yield "pairs_in_both", both
    yield "pairs_only_duckdb", only_a
    yield "pairs_only_spark", only_b
    yield "max_probability_difference", float(largest or 0.0)
    yield "records_in_a_different_cluster", int(moved.fetchall()[0][0])
