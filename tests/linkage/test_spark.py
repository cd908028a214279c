"""Batch linkage on Splink's Spark backend (local mode) gives DuckDB's pairs and clusters.

Spark takes seconds to start and its training runs hundreds of small jobs, so the module shares one
session and Spark scores and clusters with the model DuckDB trained (the benchmark, `lantern bench
spark`, also trains on Spark: docs/benchmarks.md). Each Spark run is checked to have run on Spark.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import sqlglot
from pyspark.sql import SparkSession
from typer.testing import CliRunner

from lantern.cli import app
from lantern.demo import person_records
from lantern.demo.bench_link import MAPPING
from lantern.linkage import backends, batch

RECORDS = 500


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    with backends.spark_session() as session:
        yield session


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("people") / "people.csv"
    person_records.write_csv(path, RECORDS, seed=11)
    return path


@pytest.fixture(scope="module")
def on_duckdb(people: Path) -> batch.LinkResult:
    return batch.link_files(inputs=[people], id_column="record_id", mapping=MAPPING, out=people.parent / "duckdb")


def _pairs(out: Path) -> dict[tuple[str, str], float]:
    with (out / "pairs.csv").open(encoding="utf-8") as pairs:
        return {(row["id_l"], row["id_r"]): float(row["match_probability"]) for row in csv.DictReader(pairs)}


def _clusters(out: Path) -> set[frozenset[str]]:
    """Clusters as sets of records: cluster ids are the backends' own choice."""
    members: dict[str, set[str]] = {}
    with (out / "clusters.csv").open(encoding="utf-8") as clusters:
        for row in csv.DictReader(clusters):
            members.setdefault(row["cluster_id"], set()).add(row["id"])
    return {frozenset(group) for group in members.values()}


def _assert_same_links(duckdb_out: Path, spark_out: Path) -> None:
    ours, theirs = _pairs(duckdb_out), _pairs(spark_out)
    assert ours.keys() == theirs.keys()
    assert all(abs(ours[pair] - theirs[pair]) < 1e-6 for pair in ours)
    assert _clusters(duckdb_out) == _clusters(spark_out)


def _ran_on(spark: SparkSession) -> set[str]:
    return {table.name for table in spark.catalog.listTables() if table.name.startswith("__splink__df_predict")}


def test_spark_scores_and_clusters_as_duckdb_does(
    spark: SparkSession, people: Path, on_duckdb: batch.LinkResult
) -> None:
    before = _ran_on(spark)
    result = batch.link_files(
        inputs=[people],
        id_column="record_id",
        mapping=MAPPING,
        out=people.parent / "spark",
        backend="spark",
        trained=on_duckdb.model,
    )
    assert result.dialect == "spark" and on_duckdb.dialect == "duckdb"
    assert _ran_on(spark) - before, "Splink's predictions were not made in the Spark session"
    assert on_duckdb.pairs > RECORDS // 2 and on_duckdb.clusters < RECORDS  # there is something to agree on
    assert (result.pairs, result.clusters) == (on_duckdb.pairs, on_duckdb.clusters)
    _assert_same_links(people.parent / "duckdb", people.parent / "spark")


def test_link_cli_runs_on_spark_with_a_saved_model(
    spark: SparkSession, people: Path, on_duckdb: batch.LinkResult
) -> None:
    model_file = people.parent / "model.json"
    model_file.write_text(json.dumps(on_duckdb.model), encoding="utf-8")
    mapping = [arg for field in MAPPING for arg in ("--map", f"{field}={field}")]
    out = people.parent / "cli"
    args = ["link", "--input", str(people), "--id-column", "record_id", "--out", str(out), *mapping]
    result = CliRunner().invoke(app, [*args, "--backend", "spark", "--model", str(model_file)])
    assert result.exit_code == 0, result.output
    assert "backend=spark" in result.output
    _assert_same_links(people.parent / "duckdb", out)


def test_spark_jaro_winkler_is_duckdbs(spark: SparkSession) -> None:
    """Splink's own Spark jaro_winkler scores porter/porrter 0.919, DuckDB 0.928: across a level."""
    words = ["porter", "porrter", "martha", "marhta", "dixon", "dicksonx", "12 high street", "21 high st", "a"]
    pairs = [(left, right) for left in words for right in words] + [("smith", None)]
    con = duckdb.connect()
    con.execute("CREATE TABLE p (a VARCHAR, b VARCHAR)")
    con.executemany("INSERT INTO p VALUES (?, ?)", pairs)
    sql = "SELECT a, b, jaro_winkler_similarity(a, b) FROM {} ORDER BY a, b NULLS LAST"
    with backends.engine("spark", con, ["p"]) as engine:
        # As Splink turns the model's SQL into Spark's.
        spark_sql = sqlglot.transpile(sql.format(engine.frames[0].physical_name), read="duckdb", write="spark")[0]
        ours = engine.rows(spark_sql)
    assert "JAROWINKLER_SIMILARITY" in spark_sql
    assert ours == con.sql(sql.format("p")).fetchall()


def test_an_unknown_backend_is_refused() -> None:
    with (
        pytest.raises(ValueError, match="unknown linkage backend 'oracle'"),
        backends.engine("oracle", duckdb.connect(), []),  # type: ignore[arg-type]
    ):
        pass
