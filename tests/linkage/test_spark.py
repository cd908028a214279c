"""Batch linkage on Splink's Spark backend (local mode) gives DuckDB's pairs and clusters.

Spark takes seconds to start and its training runs hundreds of small jobs, so the module shares one
session and one run of `lantern link --backend spark`, which scores and clusters with the model
DuckDB trained (`lantern bench spark` also trains on Spark: docs/benchmarks.md). The run is checked
to have been made in the Spark session, so a silent fall-back to DuckDB would fail.
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
from typer.testing import CliRunner, Result

from lantern.cli import app
from lantern.demo import person_records
from lantern.demo.bench_link import MAPPING
from lantern.linkage import backends, batch

pytestmark = pytest.mark.spark
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


def _predictions_in(spark: SparkSession) -> set[str]:
    return {table.name for table in spark.catalog.listTables() if table.name.startswith("__splink__df_predict")}


@pytest.fixture(scope="module")
def on_spark(spark: SparkSession, people: Path, on_duckdb: batch.LinkResult) -> Result:
    """`lantern link --backend spark` with the model DuckDB trained: one Spark run for the module."""
    before = _predictions_in(spark)
    model_file = people.parent / "model.json"
    model_file.write_text(json.dumps(on_duckdb.model), encoding="utf-8")
    mapping = [arg for field in MAPPING for arg in ("--map", f"{field}={field}")]
    args = ["link", "--input", str(people), "--id-column", "record_id", "--out", str(people.parent / "spark")]
    result = CliRunner().invoke(app, [*args, *mapping, "--backend", "spark", "--model", str(model_file)])
    assert result.exit_code == 0, result.output
    assert _predictions_in(spark) - before, "Splink's predictions were not made in the Spark session"
    return result


def test_link_runs_on_spark(on_spark: Result, on_duckdb: batch.LinkResult) -> None:
    assert "backend=spark" in on_spark.output and on_duckdb.dialect == "duckdb"
    assert on_duckdb.pairs > RECORDS // 2 and on_duckdb.clusters < RECORDS  # there is something to agree on


def test_spark_finds_duckdbs_pairs_with_its_probabilities(on_spark: Result, people: Path) -> None:
    ours, theirs = _pairs(people.parent / "duckdb"), _pairs(people.parent / "spark")
    assert ours.keys() == theirs.keys()
    assert all(abs(ours[pair] - theirs[pair]) < 1e-6 for pair in ours)


def test_spark_makes_duckdbs_clusters(on_spark: Result, people: Path) -> None:
    assert _clusters(people.parent / "duckdb") == _clusters(people.parent / "spark")


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
