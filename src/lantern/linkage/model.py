"""The linkage model: which fields are compared, how, and how the model is trained without labels.

Comparisons are written as SQL levels (most specific first) so that each level reads as a plain
sentence in an explanation. Training follows Splink's unsupervised recipe: u by random sampling,
m by expectation maximisation over two independent blocking rules, the prior from deterministic
rules. Nothing here looks at labels.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from importlib.resources import files
from typing import Any, Literal

import duckdb
from splink import Linker, SettingsCreator, block_on
from splink.internals.comparison_creator import ComparisonCreator
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

# Probabilities a practitioner would pick before seeing any data (ADR 18): links at or above
# AUTO_LINK are made; pairs from REVIEW up to AUTO_LINK go to a person for a decision.
AUTO_LINK = 0.99
REVIEW = 0.80


# The dialect the levels' SQL is written in; Splink transpiles it (sqlglot) for other backends.
SQL_DIALECT = "duckdb"


def _level(sql: str, label: str, *, null: bool = False, tf: str | None = None) -> dict[str, Any]:
    level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
    if sql != "ELSE":  # not an expression: nothing to transpile
        level["base_dialect_str"] = SQL_DIALECT
    if null:
        level["is_null_level"] = True
    if tf:
        level["tf_adjustment_column"] = tf
        level["tf_adjustment_weight"] = 1.0
    return level


def _null(column: str) -> dict[str, Any]:
    return _level(f'"{column}_l" IS NULL OR "{column}_r" IS NULL', "missing on one side", null=True)


ELSE = _level("ELSE", "different")
# Given and family name recorded the wrong way round (each sounding as the other's). On the
# phonetic keys, not by spelling similarity. One fact, so it is weighed once, by the given name
# comparison; the family name comparison sees it and abstains (it would otherwise say "different").
SWAPPED = '"given_key_l" = "family_key_r" AND "family_key_l" = "given_key_r"'
# Swapped, and one or both then mistyped ("nathas morriosn" for "morrison nathan").
SWAPPED_MISTYPED = (
    'jaro_winkler_similarity("given_name_l", "family_name_r") >= 0.92 '
    'AND jaro_winkler_similarity("family_name_l", "given_name_r") >= 0.92'
)


def _comparison(name: str, description: str, levels: list[dict[str, Any]]) -> dict[str, Any]:
    return {"output_column_name": name, "comparison_description": description, "comparison_levels": levels}


# A short form mistyped ("alce" for Alice, called Lisa): one record's given name spelled almost as
# one of the forms of the other's. The test is a function of Lantern's own, defined on each engine
# that scores: a DuckDB macro (`connect`) and a Spark function (backends.py).
FORM_SPELLED_LIKE = "lantern_form_spelled_like"
FORM_SIMILARITY = 0.92
NICKNAME_MISTYPED = (
    f'{FORM_SPELLED_LIKE}("given_forms_l", "given_name_r") OR {FORM_SPELLED_LIKE}("given_forms_r", "given_name_l")'
)


def connect(config: Mapping[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that can score pairs: the model's own functions are defined on it, once."""
    con = duckdb.connect(config=dict(config or {}))
    con.execute(
        f"CREATE MACRO {FORM_SPELLED_LIKE}(forms, name) AS coalesce(len(list_filter(forms, "
        f"lambda form: jaro_winkler_similarity(form, name) >= {FORM_SIMILARITY})) > 0, false)"
    )
    return con


# One record's given name is the other's family name: the two were swapped and one of them then
# replaced or mistyped. Only the given name comparison looks for it, so that one fact counts once.
CROSSED = '"given_name_l" = "family_name_r" OR "family_name_l" = "given_name_r"'


def _swap_levels(*, weighed: bool) -> list[dict[str, Any]]:
    if weighed:
        return [
            _level(SWAPPED, "swapped with the other name"),
            _level(SWAPPED_MISTYPED, "swapped with the other name and mistyped"),
        ]
    return [_level(f"({SWAPPED}) OR ({SWAPPED_MISTYPED})", "swapped with the given name (weighed there)", null=True)]


def _name_comparison(
    column: str,
    key: str,
    what: str,
    middle: list[dict[str, Any]],
    swap: list[dict[str, Any]],
    after_spelling: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    return _comparison(
        column,
        what,
        [
            _null(column),
            _level(f'"{column}_l" = "{column}_r"', "the same", tf=column),
            *middle,
            *swap,
            _level(f'jaro_winkler_similarity("{column}_l", "{column}_r") >= 0.92', "spelled almost the same"),
            *after_spelling,
            _level(f'"{key}_l" = "{key}_r"', "sound the same"),
            _level(f'jaro_winkler_similarity("{column}_l", "{column}_r") >= 0.8', "spelled similarly"),
            ELSE,
        ],
    )


def comparisons() -> list[dict[str, Any]]:
    """Each field compared from the strongest agreement down to disagreement."""
    given_short_form = (
        'array_length(array_intersect("given_forms_l", "given_forms_r")) > 0 OR (least(length("given_name_l"), '
        'length("given_name_r")) >= 3 AND (starts_with("given_name_l", "given_name_r") '
        'OR starts_with("given_name_r", "given_name_l")))'
    )
    transposed = (
        'substr("dob_l", 1, 4) = substr("dob_r", 1, 4) AND substr("dob_l", 6, 2) = substr("dob_r", 9, 2) '
        'AND substr("dob_l", 9, 2) = substr("dob_r", 6, 2)'
    )
    return [
        _name_comparison(
            "given_name",
            "given_key",
            "Given name",
            [_level(given_short_form, "a nickname or short form")],
            [*_swap_levels(weighed=True), _level(CROSSED, "the same as the other's family name")],
            [_level(NICKNAME_MISTYPED, "a nickname or short form, mistyped")],
        ),
        _name_comparison(
            "family_name",
            "family_key",
            "Family name",
            [
                _level(
                    'array_length(array_intersect("family_parts_l", "family_parts_r")) > 0',
                    "share a part of a double name",
                )
            ],
            _swap_levels(weighed=False),
        ),
        _comparison(
            "dob",
            "Date of birth",
            [
                _null("dob"),
                # No term-frequency adjustment: birth dates are near uniform, so a date's frequency in a
                # file mostly counts one person's own duplicates and would count against their pairs.
                _level('"dob_l" = "dob_r"', "the same"),
                _level(transposed, "the same with day and month swapped"),
                _level(
                    # On the digits alone, so that a slip across the day and month (0122, 0212) counts too.
                    "damerau_levenshtein(replace(\"dob_l\", '-', ''), replace(\"dob_r\", '-', '')) <= 1",
                    "one digit different",
                ),
                ELSE,
            ],
        ),
        _comparison(
            "sex",
            "Sex",
            [_null("sex"), _level('"sex_l" = "sex_r"', "the same"), ELSE],
        ),
        _contact_comparison(),
        _comparison(
            "nhs_number",
            "NHS number",
            [_null("nhs_number"), _level('"nhs_number_l" = "nhs_number_r"', "the same"), ELSE],
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


# Postcode and street address the same but for keying slips: one exactly the same and the other a
# slip away, or both a slip away: a postcode with one character wrong, a street address two
# characters off (a letter, a space) with the same house number (the first word), as a
# neighbour's would not be.
ADDRESS_SLIP = (
    '("address_line1_l" = "address_line1_r" AND damerau_levenshtein("postcode_l", "postcode_r") <= 1) '
    'OR (damerau_levenshtein("postcode_l", "postcode_r") <= 1 '
    'AND damerau_levenshtein("address_line1_l", "address_line1_r") <= 2 '
    "AND split_part(\"address_line1_l\", ' ', 1) = split_part(\"address_line1_r\", ' ', 1))"
)


# The same house number and a street spelled almost the same, where town and postcode both differ
# ("1 hopegoodplace" and "1 hopegood place"): a slip in the town and postcode, or a move.
SAME_STREET_ADDRESS_ELSEWHERE = (
    "split_part(\"address_line1_l\", ' ', 1) = split_part(\"address_line1_r\", ' ', 1) "
    "AND jaro_winkler_similarity(replace(\"address_line1_l\", ' ', ''), replace(\"address_line1_r\", ' ', '')) >= 0.95"
)


# The same street and postcode with another house number: a slip in the number, or a neighbour.
# The street address after its first word (the house number); empty if it has one word.
_STREET = 'substr("{0}", length(split_part("{0}", \' \', 1)) + 2)'
SAME_STREET_OTHER_NUMBER = '"postcode_l" = "postcode_r" AND ' + " AND ".join(
    (
        '"address_line1_l" <> "address_line1_r"',  # so the house numbers differ
        f"{_STREET.format('address_line1_l')} = {_STREET.format('address_line1_r')}",
        f"{_STREET.format('address_line1_l')} <> ''",
    )
)


def _contact_comparison() -> dict[str, Any]:
    """Address and phone as one comparison: members of a household share both, so counting them as
    two independent agreements would make a mother and her child look like one person."""
    missing = " OR ".join(
        f'("postcode_{side}" IS NULL AND "address_line1_{side}" IS NULL AND "phone_{side}" IS NULL)' for side in "lr"
    )
    same_address = '"postcode_l" = "postcode_r" AND "address_line1_l" = "address_line1_r"'
    return _comparison(
        "address",
        "Address and phone",
        [
            _level(missing, "missing on one side", null=True),
            _level(f'{same_address} AND "phone_l" = "phone_r"', "the same address and phone"),
            _level(same_address, "the same address"),
            _level('"phone_l" = "phone_r"', "the same phone"),
            _level(ADDRESS_SLIP, "the same address but for a keying slip"),
            _level(SAME_STREET_OTHER_NUMBER, "the same street and postcode, another house number"),
            _level('"postcode_l" = "postcode_r"', "the same postcode", tf="postcode"),
            _level(
                'array_length(array_intersect("postcodes_l", "postcodes_r")) > 0', "a postcode in common in the past"
            ),
            _level('damerau_levenshtein("postcode_l", "postcode_r") <= 1', "postcodes one character apart"),
            _level(
                'jaro_winkler_similarity("address_line1_l", "address_line1_r") >= 0.9 '
                'AND ("town_l" = "town_r" OR "postcode_area_l" = "postcode_area_r")',
                "a similar street address in the same area",
            ),
            _level(SAME_STREET_ADDRESS_ELSEWHERE, "the same street address in another area"),
            _level('"postcode_area_l" = "postcode_area_r" OR "town_l" = "town_r"', "the same area"),
            ELSE,
        ],
    )


# Rules that find pairs the others miss (several fields wrong at once), each used only when it
# keeps the work bounded (see `affordable_broad_rules`): single fields, and the names alone, which
# find people whose birth date and address both differ but pair everyone called John Smith (ten
# million pairs in a million records, for 0.06% more links than the birth year allows).
BROAD_RULES: tuple[tuple[str, ...], ...] = (
    ("dob",),
    ("postcode",),
    ("address_line1",),
    ("family_name",),
    ("given_name",),
    ("family_key", "given_key"),
)
# Room for broad rules: with the fixed rules' seven or so pairs per record, a million records are
# scored within a minute on two cores.
COMPARISONS_PER_RECORD = 8


def blocking_rules(broad: Sequence[Sequence[str]] = ()) -> list[Any]:
    """Which pairs are scored at all: each rule tolerates a different kind of error."""
    return [
        *(block_on(*columns) for columns in broad),
        block_on("nhs_number"),
        block_on("identifier"),
        block_on("phone"),
        block_on("dob", "family_key"),
        block_on("dob", "given_key"),
        block_on("family_key", "given_key", "substr(dob, 1, 4)"),
        "l.given_key = r.family_key AND l.family_key = r.given_key",
        block_on("postcode", "given_key"),
        block_on("postcode", "dob"),
        block_on("family_key", "address_line1"),  # a nickname and no date of birth, at one address
    ]


# The input fields each comparison reads; a comparison is left out when the data has none of them.
_NEEDS = {
    "given_name": {"given_name"},
    "family_name": {"family_name"},
    "dob": {"date_of_birth"},
    "sex": {"sex"},
    "address": {"postcode", "address_line1", "phone"},
    "nhs_number": {"nhs_number"},
    "identifier": {"identifier"},
}
LinkType = Literal["dedupe_only", "link_only"]


def compared(fields: Collection[str]) -> list[str]:
    """The comparisons (by output column name) that data with these input fields allows."""
    return [name for name, needs in _NEEDS.items() if needs & set(fields)]


def settings(
    link_type: LinkType,
    fields: Collection[str],
    retain: Sequence[str] = (),
    broad: Sequence[Sequence[str]] = (),
    trained: Mapping[str, Any] | None = None,
) -> SettingsCreator:
    """Splink settings for `dedupe_only` (one file, or Lantern's people) or `link_only` (two files).

    Only fields the data has are compared: a column of blanks would teach the model nothing.
    `trained` (a model as saved, on any backend) gives the parameters, so that no training is needed.
    """
    names = compared(fields)
    chosen = [c for c in comparisons() if c["output_column_name"] in names]
    prior = SettingsCreator.probability_two_random_records_match  # Splink's starting value
    if trained is not None:
        chosen = _with_parameters(chosen, trained)
        prior = trained["probability_two_random_records_match"]
    wanted: list[ComparisonCreator | dict[str, Any]] = list(chosen)
    return SettingsCreator(
        link_type=link_type,
        probability_two_random_records_match=prior,
        unique_id_column_name="unique_id",
        comparisons=wanted,
        blocking_rules_to_generate_predictions=blocking_rules(broad),
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=list(retain),
    )


def _with_parameters(chosen: Sequence[dict[str, Any]], trained: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The comparisons with each level's m and u from `trained`, matched by position, not by SQL
    (`trained` may have been saved by another backend). Levels are copied: ELSE is shared."""
    saved = {comparison["output_column_name"]: comparison["comparison_levels"] for comparison in trained["comparisons"]}
    parameters = ("m_probability", "u_probability")
    return [
        {
            **comparison,
            "comparison_levels": [
                {**level, **{key: value for key, value in saved_level.items() if key in parameters}}
                for level, saved_level in zip(
                    comparison["comparison_levels"], saved[comparison["output_column_name"]], strict=True
                )
            ],
        }
        for comparison in chosen
    ]


# Identifiers issued to one person: pairs that share one are matches but for rare clerical errors.
STRONG_IDENTIFIERS = ("nhs_number", "identifier")


# A label session needs enough pairs for its m values to mean something.
MIN_SILVER_PAIRS = 200


# The deterministic rule the prior is counted from: the same name and date of birth exactly (the
# comparisons' names, which are also the prepared columns they compare).
PRIOR_RULE_COMPARISONS = ("given_name", "family_name", "dob")


def train(linker: Linker, *, max_pairs: float = 2e6, seed: int = 7, silver: Sequence[str] | None = None) -> None:
    """Estimate the model from the data alone (no labels): u, then m, then the prior.

    `silver` names the strong identifiers whose shared values give the m values (`train_m`);
    `choose_silver` picks it from pair counts. By default, the first strong identifier the model
    compares (the NHS number before the PNC id).
    """
    prior_rule = block_on(*PRIOR_RULE_COMPARISONS)
    linker.training.estimate_probability_two_random_records_match([prior_rule], recall=0.8)  # EM's start
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    if silver is None:
        compared = {c["output_column_name"] for c in linker.misc.save_model_to_json()["comparisons"]}
        silver = [column for column in STRONG_IDENTIFIERS if column in compared][:1]
    train_m(linker, silver)
    if (recall := prior_rule_recall(linker.misc.save_model_to_json())) is not None:
        linker.training.estimate_probability_two_random_records_match([prior_rule], recall=recall)
    remove_matches_from_u(linker)


# Splink's value for a level never seen among randomly sampled pairs.
UNSEEN_U = 1e-6


def remove_matches_from_u(linker: Linker) -> None:
    """u values for non-matches only: random pairs include matches, in proportion to the prior.

    Random sampling measures how often a level occurs among all pairs, u_all = prior * m +
    (1 - prior) * u. Splink takes u_all as u, which is near right when matches are a tiny share
    of pairs (a million records) and not when they are not: in FEBRL4 one random pair in 5,000
    is a match, so nearly every random pair sharing an identifier is one, and "the same
    identifier" was counted as 12 bits of evidence instead of about 20. With m and the prior
    trained, solving for u removes the matches; a level the sample shows only among matches
    gets Splink's own value for a level never seen.

    A strong identifier is issued to one person, so two people share one only by a clerical
    error: among random pairs nearly every pair sharing it is a match, and what is left after
    removing them is sampling noise (on FEBRL4 about one in 100,000, which made "the same
    identifier" 3 bits weaker than it is). Its "the same" level takes the never-seen value.
    """
    prior = linker._settings_obj._probability_two_random_records_match
    for comparison in linker._settings_obj.comparisons:
        strong = comparison.output_column_name in STRONG_IDENTIFIERS
        for level in comparison._comparison_levels_excluding_null:
            m, u = level._m_probability, level._u_probability  # trained values; None or a text if not
            if strong and level.label_for_charts == "the same":
                level.u_probability = UNSEEN_U
            elif isinstance(m, float) and isinstance(u, float):
                level.u_probability = max((u - prior * m) / (1 - prior), UNSEEN_U)


def prior_rule_recall(trained: Mapping[str, Any]) -> float | None:
    """The share of true matches the prior's rule finds, from the trained m values.

    The prior is the number of pairs the rule finds divided by its recall. Splink asks for the
    recall as a guess; a guess of 0.8 is near right for clean data and far off for messy data
    (FEBRL3: 0.3), where it would make the prior, and so every link, too unlikely. The rule's
    recall is the chance that a match agrees exactly on all three fields: the product of their
    m values for "the same", as the model treats fields as independent anyway.
    """
    same = {
        comparison["output_column_name"]: level.get("m_probability")
        for comparison in trained["comparisons"]
        for level in comparison["comparison_levels"]
        if level.get("label_for_charts") == "the same"
    }
    values = [same.get(name) for name in PRIOR_RULE_COMPARISONS]
    if any(value is None for value in values):
        return None
    return float(math.prod(value for value in values if value is not None))


def choose_silver(pair_counts: Mapping[str, int]) -> list[str]:
    """The strong identifier shared by the most pairs, if enough pairs share it.

    One identifier only: Splink takes the median of its estimates, and the median of a large,
    steady sample and a small, noisy one (few PNC ids among many NHS numbers) is their mean.
    """
    best = max(pair_counts, key=lambda column: pair_counts[column], default=None)
    return [best] if best is not None and pair_counts[best] >= MIN_SILVER_PAIRS else []


def train_m(linker: Linker, silver: Sequence[str]) -> None:
    """m values: how often each field agrees, and how, between two records of one person.

    EM over loose blocks (all pairs born on one day) splits pairs into two groups, but its "match"
    group takes in the look-alikes of a household: twins, a father and son of one name. Their
    disagreements (given name, date of birth) are then learned as what matches look like and lose
    the weight that should keep such people apart. Pairs that share an NHS number or PNC id are
    matches but for rare clerical errors (Splink's `estimate_m_from_label_column` is made for
    this), so where the data has such identifiers their pairs give the m values; EM over pairs
    with the same name and date of birth (nearly all matches too) then gives the m values of the
    identifiers themselves. Without identifiers, EM runs over the loose blocks.
    """
    for column in silver:
        linker.training.estimate_m_from_label_column(column)
    if silver:
        rules = [block_on("dob", "given_key", "family_key")]
    else:
        rules = [block_on("dob"), block_on("family_key", "given_key")]
    for rule in rules:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule,
            estimate_without_term_frequencies=True,
            fix_probability_two_random_records_match=bool(silver),
        )


# A conflict on a field vetoes auto-linking only where matches rarely show it: the veto then sends
# at most this share of true matches to review instead of linking them.
GUARD_MAX_RECALL_COST = 0.05


# Levels of a strong identifier that vouch for a pair despite a conflict elsewhere.
VOUCHING = ("the same", "one character different")


# Records of one family name at one address that differ in both given name and birth date: in
# data with households (siblings, partners) about two pairs in three; in data without (FEBRL),
# about one in a hundred, the matches with both fields mistyped. Above this share, the data has
# households and their look-alikes (twins, a father and son of one name) need the guard.
HOUSEHOLD_SHARE = 0.05

# Pairs at one address under one family name: (all, those differing in given name and birth date).
HOUSEHOLD_PAIRS_SQL = """
SELECT count(*),
       count(*) FILTER (WHERE l.given_key <> r.given_key
                        AND damerau_levenshtein(replace(l.dob, '-', ''), replace(r.dob, '-', '')) > 1)
FROM {left} l JOIN {right} r
  ON l.family_name = r.family_name AND l.postcode = r.postcode AND l.address_line1 = r.address_line1{dedupe}
"""


def household_pairs_sql(tables: Sequence[str]) -> str:
    """SQL counting pairs at one address under one family name in prepared `tables` (one or two)."""
    left, right = tables[0], tables[-1]
    return HOUSEHOLD_PAIRS_SQL.format(
        left=left, right=right, dedupe=" AND l.unique_id < r.unique_id" if len(tables) == 1 else ""
    )


def has_households(pairs: int, differing: int) -> bool:
    """Whether records sharing a family name and address are often different people (see
    HOUSEHOLD_SHARE); with no such pairs to judge by, assume households, the safe side."""
    return pairs == 0 or differing / pairs > HOUSEHOLD_SHARE


def auto_link_guard(trained: Mapping[str, Any], households: bool = True) -> str:
    """SQL over a scored pair's gamma columns: true where the pair may be linked without a person.

    `trained` is the model as saved (`linker.misc.save_model_to_json()`). Some evidence must not
    be outweighed by agreement elsewhere: given names that are wholly different, or dates of birth
    further apart than a slip, unless an NHS number or PNC id agrees. Twins, and a father and son
    of one name at one address, agree on everything else, and the model, which adds up independent
    evidence, cannot see that a household's shared surname, address and phone are one fact, not
    three. Where the data shows such conflicts are common among matches (FEBRL replaces one given
    name in six), the field is too unreliable to veto on, and the veto is left out; and where the
    data has no households (`has_households`), there are no look-alikes to guard against.
    """
    if not households:
        return "TRUE"
    by_name = {
        comparison["output_column_name"]: comparison["comparison_levels"] for comparison in trained["comparisons"]
    }
    conflicts = [
        f"gamma_{name} = 0"
        for name in ("given_name", "dob")
        if name in by_name and (by_name[name][-1].get("m_probability") or 1.0) <= GUARD_MAX_RECALL_COST
    ]
    if not conflicts:
        return "TRUE"
    # gamma counts down from the top level ("the same") to 0 ("different"); -1 is the null level.
    # A strong identifier one keying slip away vouches too: no two members of a household hold
    # identifiers that close.
    agreements = [
        f"gamma_{name} = {len(levels) - 1 - index}"
        for name, levels in by_name.items()
        if name in STRONG_IDENTIFIERS
        for index, level in enumerate(levels)
        if level.get("label_for_charts") in VOUCHING
    ]
    return f"NOT ({' OR '.join(conflicts)}) OR {' OR '.join(agreements) or 'FALSE'}"


@cache
def _shipped_json() -> str:
    return files("lantern.linkage").joinpath("data/default_model.json").read_text(encoding="utf-8")


def shipped() -> dict[str, Any]:
    """The model shipped with Lantern (trained on 100,000 generated person records), a fresh copy."""
    return dict(json.loads(_shipped_json()))


# Training needs pairs that are nearly all matches: the prior is counted from the pairs its rule
# finds, and EM's blocks (on name keys and date of birth) hold every one of them. With fewer, there
# is nothing to learn from (a file with no duplicates, or none with a date of birth), and the
# shipped model scores the pairs instead.
MIN_TRAINING_PAIRS = 10


def trainable(training_pairs: int) -> bool:
    """Whether files with this many pairs found by the prior's rule (PRIOR_RULE_COMPARISONS) can train."""
    return training_pairs >= MIN_TRAINING_PAIRS


def pairs_blocked_on(con: duckdb.DuckDBPyConnection, tables: Sequence[str], *columns: str) -> int:
    """How many pairs a rule requiring `columns` all equal would score."""
    key = ", ".join(columns)
    present = " AND ".join(f"{column} IS NOT NULL" for column in columns)
    counts = " UNION ALL ".join(
        f"SELECT {key}, {i} AS side FROM {table} WHERE {present}" for i, table in enumerate(tables)
    )
    if len(tables) == 2:
        sides = "count(*) FILTER (side = 0) a, count(*) FILTER (side = 1) b"
        sql = f"SELECT sum(a * b) FROM (SELECT {sides} FROM ({counts}) GROUP BY {key})"
    else:
        sql = f"SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM ({counts}) GROUP BY {key})"
    row = con.sql(sql).fetchall()[0]
    return int(row[0] or 0)


def predictions(linker: Linker, threshold: float) -> SplinkDataFrame:
    """Scored candidate pairs at or above `threshold` match probability."""
    return linker.inference.predict(threshold_match_probability=threshold)
