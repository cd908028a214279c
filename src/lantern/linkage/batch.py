"""Batch linkage of CSV files: dedupe one file or link two (`lantern link`).

The files are read by DuckDB (streamed, typed as text), mapped onto Lantern's person fields,
prepared, and linked with a model trained on the files themselves (no labels).
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from splink import Linker

from lantern.common.errors import LanternError
from lantern.linkage import backends, model, prepare


class LinkInputError(LanternError):
    """A file or a column mapping that cannot be used; the message says which and why."""


@dataclass
class LinkResult:
    """What a batch run produced, for the summary line and for tests."""

    records: int
    pairs: int
    clusters: int
    threshold: float
    seconds: float
    stages: dict[str, float] = field(default_factory=dict)
    model: dict[str, Any] = field(default_factory=dict)  # the trained model, as Splink saves it
    dialect: str = "duckdb"  # the SQL dialect of the Splink DB API that linked (the backend that ran)


Progress = Callable[[str], None]
# DuckDB spills to disk beyond `memory_limit` (LANTERN_LINKAGE_MEMORY): the default keeps a
# million-record run within a 4 GiB machine's share. Insertion order is not needed and holding it
# costs memory.
MEMORY_LIMIT = "2.5GB"
DUCKDB_CONFIG = {"preserve_insertion_order": False}


def parse_mapping(pairs: Sequence[str]) -> dict[str, str]:
    """`ours=theirs` strings to a mapping; `theirs` may join columns with `+` (`street_number+street`)."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        ours, theirs = ours.strip(), theirs.strip()
        if not sep or not ours or not theirs:
            raise LinkInputError(f"--map {pair!r} is not of the form ours=theirs")
        if ours not in prepare.FIELDS:
            raise LinkInputError(f"--map {pair!r}: {ours!r} is not one of {', '.join(prepare.FIELDS)}")
        mapping[ours] = theirs
    return mapping


def link_files(
    *,
    inputs: Sequence[Path],
    id_column: str,
    mapping: Mapping[str, str],
    out: Path,
    threshold: float = model.AUTO_LINK,
    retain: Sequence[str] = (),
    progress: Progress = lambda stage: None,
    backend: backends.Backend = "duckdb",
    trained: Mapping[str, Any] | None = None,
    memory_limit: str = MEMORY_LIMIT,
) -> LinkResult:
    """Dedupe one file or link two; write `pairs.csv` and `clusters.csv` into `out`.

    `backend` is where Splink runs (the files are read and prepared in DuckDB either way);
    `trained`, a model as saved (`LinkResult.model`), is used as it is instead of training one.
    """
    if len(inputs) not in (1, 2):
        raise LinkInputError("give one --input to dedupe or two to link")
    if trained is not None:
        _check_model(trained, mapping)
    started = time.perf_counter()
    stages: dict[str, float] = {}
    con = model.connect(DUCKDB_CONFIG | {"memory_limit": memory_limit})
    tables = [
        _prepare(con, path, f"records_{number}", id_column, mapping, retain, progress)
        for number, path in enumerate(inputs)
    ]
    stages["prepare_seconds"] = time.perf_counter() - started
    records = sum(_count(con, table) for table in tables)
    link_type: model.LinkType = "link_only" if len(tables) == 2 else "dedupe_only"
    broad = affordable_broad_rules(con, tables, records)
    if trained is None and not model.trainable(model.pairs_blocked_on(con, tables, *model.PRIOR_RULE_COMPARISONS)):
        progress("Too few records share a name and date of birth to train a model on: using the shipped model")
        trained = model.shipped()
    with backends.engine(backend, con, tables) as engine:
        settings = model.settings(link_type, mapping, retain, broad, trained)
        linker = Linker(engine.frames if len(engine.frames) == 2 else engine.frames[0], settings)
        if trained is None:
            progress("Training the model (no labels)")
            strong = [column for column in model.STRONG_IDENTIFIERS if column in mapping]
            model.train(linker, silver=model.choose_silver({c: model.pairs_blocked_on(con, tables, c) for c in strong}))
        saved = linker.misc.save_model_to_json()
        stages["train_seconds"] = time.perf_counter() - started - sum(stages.values())
        progress("Scoring candidate pairs")
        scored = model.predictions(linker, threshold)
        guard = model.auto_link_guard(saved, households=_has_households(con, tables))
        predictions = engine.query(f"SELECT * FROM {scored.physical_name} WHERE {guard}")
        progress("Clustering")
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
        stages["predict_seconds"] = time.perf_counter() - started - sum(stages.values())
        out.mkdir(parents=True, exist_ok=True)
        pairs = _write_pairs(engine, predictions.physical_name, out / "pairs.csv")
        cluster_count = _write_clusters(engine, clusters.physical_name, out / "clusters.csv")
    elapsed = time.perf_counter() - started
    return LinkResult(
        records, pairs, cluster_count, threshold, elapsed, stages, saved, engine.db_api.sql_dialect.sql_dialect_str
    )


def _prepare(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    table: str,
    id_column: str,
    mapping: Mapping[str, str],
    retain: Sequence[str],
    progress: Progress,
) -> str:
    """Read `path` and create the prepared `table` from it, in DuckDB."""
    progress(f"Reading {path}")
    raw = _read(con, path, id_column, mapping, retain)
    try:
        prepare.prepare(con, raw, keep=retain).create(table)
    except duckdb.Error as error:  # a bad row past the part DuckDB sniffed
        raise LinkInputError(f"{path}: cannot be read as CSV ({_first_line(error)})") from error
    return table


def read_model(path: Path) -> dict[str, Any]:
    """A trained model saved as JSON (`lantern link-train --out`, or `LinkResult.model`)."""
    try:
        trained = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise LinkInputError(f"{path}: cannot be read as a model ({error})") from error
    if not isinstance(trained, dict) or not isinstance(trained.get("comparisons"), list):
        raise LinkInputError(f"{path}: not a model saved by Splink (no comparisons)")
    return trained


def _check_model(trained: Mapping[str, Any], mapping: Mapping[str, str]) -> None:
    saved = {comparison.get("output_column_name") for comparison in trained["comparisons"]}
    if missing := [name for name in model.compared(mapping) if name not in saved]:
        raise LinkInputError(f"the model has no comparison for {', '.join(missing)}")


def affordable_broad_rules(
    con: duckdb.DuckDBPyConnection, tables: Sequence[str], records: int
) -> list[tuple[str, ...]]:
    """The single-field blocking rules that fit, cheapest first, in the comparison budget on these files.

    The budget is for all of them together: scoring time grows with the pairs scored, and on a
    million records each rule alone would add tens of millions of pairs.
    """
    budget = model.COMPARISONS_PER_RECORD * max(records, 1)
    costs = sorted((model.pairs_blocked_on(con, tables, *columns), columns) for columns in model.BROAD_RULES)
    chosen = []
    for cost, columns in costs:
        if cost > budget:
            break
        budget -= cost
        chosen.append(columns)
    return chosen


def _has_households(con: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> bool:
    pairs, differing = con.sql(model.household_pairs_sql(tables)).fetchall()[0]
    return model.has_households(int(pairs), int(differing))


def _read(
    con: duckdb.DuckDBPyConnection, path: Path, id_column: str, mapping: Mapping[str, str], retain: Sequence[str]
) -> duckdb.DuckDBPyRelation:
    if not path.is_file():
        raise LinkInputError(f"{path}: no such file")
    try:
        relation = con.read_csv(str(path), all_varchar=True, header=True)
        columns = set(relation.columns)
    except (duckdb.Error, UnicodeDecodeError) as error:
        raise LinkInputError(f"{path}: cannot be read as CSV ({_first_line(error)})") from error
    wanted = [id_column, *retain, *(part for theirs in mapping.values() for part in theirs.split("+"))]
    if missing := [column for column in wanted if column not in columns]:
        raise LinkInputError(f"{path}: no column named {', '.join(repr(m) for m in missing)}")
    selected = [f'"{id_column}" AS unique_id', *(f'"{column}"' for column in retain)]
    for ours, theirs in mapping.items():
        joined = " || ' ' || ".join(f"coalesce(trim(\"{part}\"), '')" for part in theirs.split("+"))
        selected.append(f"nullif(trim({joined}), '') AS {ours}")
    return relation.select(", ".join(selected))


def _first_line(error: Exception) -> str:
    """DuckDB's messages run to a page of hints; the first line says what is wrong."""
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def _write_pairs(engine: backends.Engine, table: str, path: Path) -> int:
    rows = engine.rows(
        f"SELECT unique_id_l, unique_id_r, match_probability, match_weight FROM {table} "
        "ORDER BY match_probability DESC, unique_id_l, unique_id_r"
    )
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id_l", "id_r", "match_probability", "match_weight"])
        writer.writerows((left, right, f"{p:.6f}", f"{w:.4f}") for left, right, p, w in rows)
    return len(rows)


def _write_clusters(engine: backends.Engine, table: str, path: Path) -> int:
    rows = engine.rows(f"SELECT unique_id, cluster_id FROM {table} ORDER BY cluster_id, unique_id")
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "cluster_id"])
        writer.writerows(rows)
    return len({cluster for _, cluster in rows})
