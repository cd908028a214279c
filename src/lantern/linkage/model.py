"""The linkage model: which fields are compared, how, and how the model is trained without labels.

Comparisons are written as SQL levels (most specific first) so that each level reads as a plain
sentence in an explanation. Training follows Splink's unsupervised recipe: u by random sampling,
m by expectation maximisation over two independent blocking rules, the prior from deterministic
rules. Nothing here looks at labels.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from splink import Linker, SettingsCreator, block_on
from splink.internals.splink_dataframe import SplinkDataFrame

# Columns of a prepared record (see prepare.py), in the order the comparisons use them.
FEATURES = (
    "given_name",
    "given_forms",
    "given_key",
    "family_name",
    "family_parts",
    "family_key",
    "dob",
    "sex",
    "postcode",
    "postcode_area",
    "postcodes",
    "address_line1",
    "town",
    "phone",
    "nhs_number",
    "identifier",
)

# Probabilities a practitioner would pick before seeing any data (ADR 14): links at or above
# AUTO_LINK are made; pairs from REVIEW up to AUTO_LINK go to a person for a decision.
AUTO_LINK = 0.99
REVIEW = 0.80


def _level(sql: str, label: str, *, null: bool = False, tf: str | None = None) -> dict[str, Any]:
    level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
    if null:
        level["is_null_level"] = True
    if tf:
        level["tf_adjustment_column"] = tf
        level["tf_adjustment_weight"] = 1.0
    return level


def _null(column: str) -> dict[str, Any]:
    return _level(f'"{column}_l" IS NULL OR "{column}_r" IS NULL', "missing on one side", null=True)


ELSE = _level("ELSE", "different")
# Given and family name recorded the wrong way round (each at most a typo from the other's).
SWAPPED = (
    'jaro_winkler_similarity("given_name_l", "family_name_r") >= 0.88 '
    'AND jaro_winkler_similarity("family_name_l", "given_name_r") >= 0.88'
)


def _comparison(name: str, description: str, levels: list[dict[str, Any]]) -> dict[str, Any]:
    return {"output_column_name": name, "comparison_description": description, "comparison_levels": levels}


def _name_comparison(column: str, key: str, what: str, middle: list[dict[str, Any]]) -> dict[str, Any]:
    return _comparison(
        column,
        what,
        [
            _null(column),
            _level(f'"{column}_l" = "{column}_r"', "the same", tf=column),
            *middle,
            _level(SWAPPED, "swapped with the other name"),
            _level(f'jaro_winkler_similarity("{column}_l", "{column}_r") >= 0.92', "spelled almost the same"),
            _level(f'"{key}_l" = "{key}_r"', "sound the same"),
            _level(f'jaro_winkler_similarity("{column}_l", "{column}_r") >= 0.8', "spelled similarly"),
            ELSE,
        ],
    )


def comparisons() -> list[dict[str, Any]]:
    """Each field compared from the strongest agreement down to disagreement."""
    given_short_form = (
        'len(list_intersect("given_forms_l", "given_forms_r")) > 0 OR (least(length("given_name_l"), '
        'length("given_name_r")) >= 3 AND (starts_with("given_name_l", "given_name_r") '
        'OR starts_with("given_name_r", "given_name_l")))'
    )
    transposed = (
        'substr("dob_l", 1, 4) = substr("dob_r", 1, 4) AND substr("dob_l", 6, 2) = substr("dob_r", 9, 2) '
        'AND substr("dob_l", 9, 2) = substr("dob_r", 6, 2)'
    )
    return [
        _name_comparison("given_name", "given_key", "Given name", [_level(given_short_form, "a nickname or short form")]),
        _name_comparison(
            "family_name",
            "family_key",
            "Family name",
            [_level('len(list_intersect("family_parts_l", "family_parts_r")) > 0', "share a part of a double name")],
        ),
        _comparison(
            "dob",
            "Date of birth",
            [
                _null("dob"),
                _level('"dob_l" = "dob_r"', "the same", tf="dob"),
                _level(transposed, "the same with day and month swapped"),
                _level('damerau_levenshtein("dob_l", "dob_r") <= 1', "one digit different"),
                ELSE,
            ],
        ),
        _comparison(
            "sex",
            "Sex",
            [_null("sex"), _level('"sex_l" = "sex_r"', "the same"), ELSE],
        ),
        _comparison(
            "address",
            "Address",
            [
                _level(
                    '("postcode_l" IS NULL AND "address_line1_l" IS NULL) OR '
                    '("postcode_r" IS NULL AND "address_line1_r" IS NULL)',
                    "missing on one side",
                    null=True,
                ),
                _level('"postcode_l" = "postcode_r" AND "address_line1_l" = "address_line1_r"', "the same address"),
                _level('"postcode_l" = "postcode_r"', "the same postcode", tf="postcode"),
                _level('len(list_intersect("postcodes_l", "postcodes_r")) > 0', "a postcode in common in the past"),
                _level('damerau_levenshtein("postcode_l", "postcode_r") <= 1', "postcodes one character apart"),
                _level(
                    'jaro_winkler_similarity("address_line1_l", "address_line1_r") >= 0.9 '
                    'AND ("town_l" = "town_r" OR "postcode_area_l" = "postcode_area_r")',
                    "a similar street address in the same area",
                ),
                _level('"postcode_area_l" = "postcode_area_r" OR "town_l" = "town_r"', "the same area"),
                ELSE,
            ],
        ),
        _comparison("phone", "Phone", [_null("phone"), _level('"phone_l" = "phone_r"', "the same"), ELSE]),
        _comparison(
            "nhs_number", "NHS number", [_null("nhs_number"), _level('"nhs_number_l" = "nhs_number_r"', "the same"), ELSE]
        ),
        _comparison(
            "identifier",
            "Other identifier (PNC id or the file's own)",
            [
                _null("identifier"),
                _level('"identifier_l" = "identifier_r"', "the same"),
                _level('damerau_levenshtein("identifier_l", "identifier_r") <= 1', "one character different"),
                ELSE,
            ],
        ),
    ]


# Single-field rules that find pairs the combined rules miss (several fields wrong at once); each
# is used only when it keeps the work bounded (see `affordable_broad_rules`).
BROAD_RULES = ("dob", "postcode", "address_line1", "family_name", "given_name")
COMPARISONS_PER_RECORD = 25


def blocking_rules(broad: Sequence[str] = ()) -> list[Any]:
    """Which pairs are scored at all: each rule tolerates a different kind of error."""
    return [*(block_on(column) for column in broad),
        block_on("nhs_number"),
        block_on("identifier"),
        block_on("phone"),
        block_on("dob", "family_key"),
        block_on("dob", "given_key"),
        block_on("family_key", "given_key"),
        "l.given_key = r.family_key AND l.family_key = r.given_key",
        block_on("postcode", "given_key"),
        block_on("postcode", "dob"),
    ]


# The comparison that needs each input field; a comparison is left out when its field is absent.
_NEEDS = {
    "given_name": "given_name",
    "family_name": "family_name",
    "dob": "date_of_birth",
    "sex": "sex",
    "phone": "phone",
    "nhs_number": "nhs_number",
    "identifier": "identifier",
}


def settings(
    link_type: str, fields: Collection[str], retain: Sequence[str] = (), broad: Sequence[str] = ()
) -> SettingsCreator:
    """Splink settings for `dedupe_only` (one file, or Lantern's people) or `link_only` (two files).

    Only fields the data has are compared: a column of blanks would teach the model nothing.
    """
    wanted = [
        comparison
        for comparison in comparisons()
        if _NEEDS.get(comparison["output_column_name"], "address") in fields
        or (comparison["output_column_name"] == "address" and {"postcode", "address_line1"} & set(fields))
    ]
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=wanted,
        blocking_rules_to_generate_predictions=blocking_rules(broad),
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=list(retain),
    )


def train(linker: Linker, *, max_pairs: float = 2e6, seed: int = 7) -> None:
    """Estimate the model from the data alone (no labels): prior, then u, then m by EM."""
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("nhs_number"),
            block_on("given_name", "family_name", "dob"),
        ],
        recall=0.8,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for rule in (block_on("dob"), block_on("family_key", "given_key")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule,
            estimate_without_term_frequencies=True,
            populate_probability_two_random_records_match_from_trained_values=True,
        )


def predictions(linker: Linker, threshold: float) -> SplinkDataFrame:
    """Scored candidate pairs at or above `threshold` match probability."""
    return linker.inference.predict(threshold_match_probability=threshold)
