"""The model's label-free corrections: u without the matches in random pairs, and the auto-link guard."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa
import pytest
from splink import DuckDBAPI, Linker

from lantern.linkage import model, prepare


def _trained(dob_different_m: float) -> dict[str, Any]:
    def levels(*labels_and_m: tuple[str, float]) -> list[dict[str, Any]]:
        null = {"label_for_charts": "missing on one side", "is_null_level": True}
        return [null, *({"label_for_charts": label, "m_probability": m} for label, m in labels_and_m)]

    return {
        "comparisons": [
            {"output_column_name": "given_name", "comparison_levels": levels(("the same", 0.8), ("different", 0.2))},
            {
                "output_column_name": "dob",
                "comparison_levels": levels(("the same", 0.99), ("different", dob_different_m)),
            },
            {
                "output_column_name": "identifier",
                "comparison_levels": levels(("the same", 0.9), ("one character different", 0.05), ("different", 0.05)),
            },
        ]
    }


def test_the_guard_vetoes_a_rare_conflict_unless_an_identifier_agrees_or_nearly_does() -> None:
    guard = model.auto_link_guard(_trained(dob_different_m=0.01))
    # given name "different" holds 20% of matches: too common to veto on.
    assert guard == "NOT (gamma_dob = 0) OR gamma_identifier = 2 OR gamma_identifier = 1"


def test_no_guard_where_conflicts_are_common_among_matches() -> None:
    assert model.auto_link_guard(_trained(dob_different_m=0.2)) == "TRUE"


def _linker(rows: int) -> Linker:
    con = duckdb.connect()
    records = pa.table(
        {
            "unique_id": [str(i) for i in range(rows)],
            "given_name": [f"name{i % 7}" for i in range(rows)],
            "family_name": [f"family{i % 11}" for i in range(rows)],
        }
    )
    prepare.prepare(con, con.from_arrow(records)).create("records")
    db_api = DuckDBAPI(connection=con)
    return Linker(db_api.register(con.table("records")), model.settings("dedupe_only", ["given_name", "family_name"]))


def test_u_loses_the_share_of_matches_among_random_pairs() -> None:
    linker = _linker(100)
    linker._settings_obj._probability_two_random_records_match = 0.01
    same = linker._settings_obj.comparisons[0].comparison_levels[1]
    different = linker._settings_obj.comparisons[0].comparison_levels[-1]
    same.m_probability, same.u_probability = 0.9, 0.02
    different.m_probability, different.u_probability = 0.1, 0.98

    model.remove_matches_from_u(linker)

    # u_all = prior * m + (1 - prior) * u
    assert same.u_probability == pytest.approx((0.02 - 0.01 * 0.9) / 0.99)
    assert different.u_probability == pytest.approx((0.98 - 0.01 * 0.1) / 0.99)


def test_a_level_seen_only_among_matches_gets_splinks_unseen_value() -> None:
    linker = _linker(100)
    linker._settings_obj._probability_two_random_records_match = 0.01
    same = linker._settings_obj.comparisons[0].comparison_levels[1]
    same.m_probability, same.u_probability = 0.9, 0.005

    model.remove_matches_from_u(linker)

    assert same.u_probability == model.UNSEEN_U
