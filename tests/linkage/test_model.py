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


def test_a_strong_identifier_held_in_common_takes_the_unseen_value() -> None:
    """Random pairs sharing an NHS number are nearly all matches: what is left of u is noise."""
    con = duckdb.connect()
    records = pa.table({"unique_id": [str(i) for i in range(100)], "nhs_number": [str(i % 50) for i in range(100)]})
    prepare.prepare(con, con.from_arrow(records)).create("records")
    linker = Linker(
        DuckDBAPI(connection=con).register(con.table("records")), model.settings("dedupe_only", ["nhs_number"])
    )
    linker._settings_obj._probability_two_random_records_match = 0.01
    same = linker._settings_obj.comparisons[0].comparison_levels[1]
    same.m_probability, same.u_probability = 0.95, 0.02

    model.remove_matches_from_u(linker)

    assert same.label_for_charts == "the same" and same.u_probability == model.UNSEEN_U


@pytest.mark.parametrize(
    ("pairs", "differing", "households"),
    [(1315, 15, False), (1057, 12, False), (50249, 32566, True), (0, 0, True)],
)
def test_the_guard_is_kept_only_for_data_with_households(pairs: int, differing: int, households: bool) -> None:
    """FEBRL4, FEBRL3 (no households: about 1% of pairs at one address under one surname differ in
    given name and birth date), the synthetic population (65%), and data with no such pairs."""
    assert model.has_households(pairs, differing) is households


def test_without_households_nothing_is_vetoed() -> None:
    assert model.auto_link_guard(_trained(dob_different_m=0.01), households=False) == "TRUE"


def test_household_pairs_are_counted_once_each_within_a_file_and_across_two() -> None:
    con = duckdb.connect()
    rows = [
        ("1", "Amy", "Khan", "2015-01-02"),  # a mother, her daughter and the daughter's second record
        ("2", "Sara", "Khan", "1985-06-07"),
        ("3", "Amy", "Khan", "2015-01-02"),
    ]
    for table in ("a", "b"):
        raw = pa.table(
            {
                "unique_id": [row[0] for row in rows],
                "given_name": [row[1] for row in rows],
                "family_name": [row[2] for row in rows],
                "date_of_birth": [row[3] for row in rows],
                "address_line1": ["1 High Street"] * 3,
                "postcode": ["AB1 2CD"] * 3,
            }
        )
        prepare.prepare(con, con.from_arrow(raw)).create(table)
    assert con.sql(model.household_pairs_sql(["a"])).fetchall() == [(3, 2)]
    assert con.sql(model.household_pairs_sql(["a", "b"])).fetchall() == [(9, 4)]


def test_swapped_names_are_weighed_once_by_the_given_name() -> None:
    given, family = (
        {level["label_for_charts"]: level for level in comparison["comparison_levels"]}
        for comparison in model.comparisons()[:2]
    )
    assert "swapped with the other name" in given and not given["swapped with the other name"].get("is_null_level")
    assert family["swapped with the given name (weighed there)"]["is_null_level"]


def test_a_mistyped_short_form_is_found_on_both_engines_functions() -> None:
    con = model.connect()
    forms_of_lisa = ["alice", "elizabeth", "lisa"]
    found = con.sql(
        f"SELECT {model.FORM_SPELLED_LIKE}($forms, 'alce'), {model.FORM_SPELLED_LIKE}($forms, 'bob'), "
        f"{model.FORM_SPELLED_LIKE}(NULL, 'alce')",
        params={"forms": forms_of_lisa},
    ).fetchall()
    assert found == [(True, False, False)]
