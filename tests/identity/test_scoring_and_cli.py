"""Real-time scoring agrees with Splink; `lantern link` works on any CSV and fails clearly."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pyarrow as pa
import pytest
from splink import DuckDBAPI, Linker
from typer.testing import CliRunner

from lantern.cli import app
from lantern.common import clock
from lantern.demo import person_records
from lantern.identity import matching
from lantern.identity.models import LinkageModel
from lantern.linkage import model
from lantern.linkage.scoring import Scorer, TrainedModel
from lantern.linkage.training import train_on_records

LANTERN = [sys.executable, "-m", "lantern.cli"]


def test_scores_equal_splinks_own_for_the_shipped_model() -> None:
    settings = json.loads(files("lantern.linkage").joinpath("data/default_model.json").read_text())
    for comparison in settings["comparisons"]:  # real-time scoring has no term-frequency adjustment
        for level in comparison["comparison_levels"]:
            level.pop("tf_adjustment_column", None)
    scorer = Scorer(TrainedModel.from_splink(settings))
    records = scorer.prepare(list(person_records.records(40, seed=5)))
    con = model.connect()  # the model's own functions, as every connection that scores has them
    linker = Linker(DuckDBAPI(connection=con).register(con.from_arrow(pa.Table.from_pylist(records))), settings)
    splink = linker.inference.score_pairs(records[:1], records[1:]).as_record_list()
    ours = scorer.score([(records[0], other) for other in records[1:]])
    by_id = {row["unique_id_r"]: row["match_weight"] for row in splink}
    for other, score in zip(records[1:], ours, strict=True):
        assert abs(by_id[other["unique_id"]] - score.match_weight) < 1e-6


def test_link_cli_dedupes_a_csv_it_was_not_designed_for(tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    with source.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["ref", "forename", "surname", "born", "post_code"])
        for i, row in enumerate(person_records.records(600, seed=3)):
            born = (row["date_of_birth"] or "").replace("-", "")  # YYYYMMDD
            writer.writerow([f"R{i}", row["given_name"], row["family_name"], born, row["postcode"]])
    result = CliRunner().invoke(
        app,
        [
            "link",
            "--input",
            str(source),
            "--id-column",
            "ref",
            "--out",
            str(tmp_path / "out"),
            "--map",
            "given_name=forename",
            "--map",
            "family_name=surname",
            "--map",
            "date_of_birth=born",
            "--map",
            "postcode=post_code",
        ],
    )
    assert result.exit_code == 0, result.output
    with (tmp_path / "out" / "pairs.csv").open() as pairs:
        rows = list(csv.DictReader(pairs))
    assert rows and set(rows[0]) == {"id_l", "id_r", "match_probability", "match_weight"}
    assert all(float(r["match_probability"]) >= 0.99 for r in rows)
    with (tmp_path / "out" / "clusters.csv").open() as clusters:
        assert len(list(csv.DictReader(clusters))) == 600


def test_link_cli_names_a_missing_column_and_an_unreadable_file(tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text("ref,forename\nR1,Amy\n")
    missing = CliRunner().invoke(
        app,
        ["link", "--input", str(source), "--id-column", "ref", "--out", str(tmp_path), "--map", "family_name=surname"],
    )
    assert missing.exit_code == 2 and "no column named 'surname'" in " ".join(missing.output.split())
    absent = CliRunner().invoke(
        app,
        [
            "link",
            "--input",
            str(tmp_path / "nope.csv"),
            "--id-column",
            "ref",
            "--out",
            str(tmp_path),
            "--map",
            "given_name=forename",
        ],
    )
    assert absent.exit_code == 2 and "no such file" in " ".join(absent.output.split())


def test_a_newly_trained_version_is_used_at_once(db) -> None:  # type: ignore[no-untyped-def]
    shipped = matching.scorer(db)
    assert matching.scorer(db) is shipped  # nothing new: the same scorer, nothing reloaded
    settings = json.loads(files("lantern.linkage").joinpath("data/default_model.json").read_text())
    settings["probability_two_random_records_match"] = 0.5
    db.add(LinkageModel(version=1, trained_at=clock.now(), trained_by="test", records=100, settings=settings))
    db.flush()
    retrained = matching.scorer(db)
    assert retrained is not shipped and retrained.model.prior_weight == 0.0


def test_training_refuses_records_with_nothing_to_learn_from() -> None:
    one_each = {record["truth"]: record for record in person_records.records(400, seed=9)}  # no duplicates
    assert len(one_each) >= 100
    with pytest.raises(ValueError, match="too few records share a name and date of birth"):
        train_on_records(one_each.values())


def test_link_train_on_a_database_with_too_few_records_says_so_and_keeps_the_model(database_url: str) -> None:
    env = {**os.environ, "LANTERN_DATABASE_URL": database_url}
    result = subprocess.run([*LANTERN, "link-train"], env=env, capture_output=True, timeout=300)
    assert result.returncode == 2
    assert b"too few to train" in b" ".join((result.stdout + result.stderr).split())
