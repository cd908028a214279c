"""Turning records in Lantern's person fields into the features the model compares.

One SQL statement (DuckDB) does the cleaning for a file of a million rows and for one new record
alike; name knowledge (nicknames, phonetic keys) is computed once per distinct name in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import duckdb
import pyarrow as pa

from lantern.linkage import names

# Lantern's person fields that a source column can be mapped onto (`lantern link --map`).
FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "address_line1",
    "town",
    "postcode",
    "phone",
    "nhs_number",
    "identifier",
)

# As names.clean: lower case; letters, apostrophes, hyphens and single spaces only.
_CLEAN_NAME = "nullif(trim(regexp_replace(regexp_replace(lower({0}), '[^a-z'' -]', '', 'g'), ' +', ' ', 'g')), '')"
_DATE = (
    "strftime(coalesce(try_strptime(trim({0}), '%Y-%m-%d'), try_strptime(trim({0}), '%Y%m%d'), "
    "try_strptime(trim({0}), '%d/%m/%Y')), '%Y-%m-%d')"
)
_POSTCODE = "nullif(upper(regexp_replace({0}, '[^A-Za-z0-9]', '', 'g')), '')"
_PHONE = "nullif(regexp_replace(regexp_replace({0}, '[^0-9]', '', 'g'), '^44', '0'), '')"
_TEXT = "nullif(lower(trim({0})), '')"
_SEX = "CASE WHEN lower(trim({0})) IN ('f', 'female') THEN 'f' WHEN lower(trim({0})) IN ('m', 'male') THEN 'm' END"

PREPARE_SQL = f"""
SELECT
    r.unique_id,
    r.given_name,
    g.forms AS given_forms,
    g.key AS given_key,
    r.family_name,
    f.forms AS family_parts,
    f.key AS family_key,
    r.dob,
    r.sex,
    r.postcode,
    CASE WHEN length(r.postcode) >= 5 THEN left(r.postcode, length(r.postcode) - 3)
         ELSE left(r.postcode, 2) END AS postcode_area,
    list_distinct(list_filter(list_concat([r.postcode], r.postcodes), lambda p: p IS NOT NULL)) AS postcodes,
    r.address_line1,
    r.town,
    r.phone,
    r.nhs_number,
    r.identifier{{keep_outer}}
FROM (
    SELECT
        CAST(unique_id AS VARCHAR) AS unique_id,
        {_CLEAN_NAME.format("CAST(given_name AS VARCHAR)")} AS given_name,
        {_CLEAN_NAME.format("CAST(family_name AS VARCHAR)")} AS family_name,
        {_DATE.format("CAST(date_of_birth AS VARCHAR)")} AS dob,
        {_SEX.format("CAST(sex AS VARCHAR)")} AS sex,
        {_POSTCODE.format("CAST(postcode AS VARCHAR)")} AS postcode,
        CAST(postcodes AS VARCHAR[]) AS postcodes,
        {_TEXT.format("CAST(address_line1 AS VARCHAR)")} AS address_line1,
        {_TEXT.format("CAST(town AS VARCHAR)")} AS town,
        {_PHONE.format("CAST(phone AS VARCHAR)")} AS phone,
        nullif(regexp_replace(CAST(nhs_number AS VARCHAR), '[^0-9]', '', 'g'), '') AS nhs_number,
        {_TEXT.format("CAST(identifier AS VARCHAR)")} AS identifier{{keep_inner}}
    FROM raw
) r
LEFT JOIN given_names g ON g.name = r.given_name
LEFT JOIN family_names f ON f.name = r.family_name
"""


def prepare(
    con: duckdb.DuckDBPyConnection,
    raw: duckdb.DuckDBPyRelation,
    keep: Sequence[str] = (),
    names_in: tuple[Sequence[str | None], Sequence[str | None]] | None = None,
) -> duckdb.DuckDBPyRelation:
    """Prepared features for `raw`, which has `unique_id` and any of FIELDS (and `postcodes`).

    Missing fields count as missing values; an unparseable date is a missing date. Columns named
    in `keep` are carried through unchanged. `names_in` (the given and family names, when the
    caller has them in hand) saves two queries, which matters for one record at a time.
    """
    raw = _with_all_fields(raw)
    con.register("raw", raw)
    if names_in is None:
        given, family = _distinct(con, "given_name"), _distinct(con, "family_name")
    else:
        given, family = ([n for n in map(names.clean, values) if n] for values in names_in)
    _register_names(con, "given_names", sorted(set(given)), names.given_name_forms)
    _register_names(con, "family_names", sorted(set(family)), names.family_name_parts)
    kept = "".join(f', "{column}"' for column in keep)
    return con.sql(PREPARE_SQL.format(keep_inner=kept, keep_outer=kept.replace(', "', ', r."')))


def _with_all_fields(raw: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    present = set(raw.columns)
    missing = [f"NULL AS {field}" for field in FIELDS if field not in present]
    if "postcodes" not in present:
        missing.append("CAST([] AS VARCHAR[]) AS postcodes")
    return raw.select(", ".join(["*", *missing])) if missing else raw


def _distinct(con: duckdb.DuckDBPyConnection, field: str) -> list[str]:
    rows = con.sql(f"SELECT DISTINCT {_CLEAN_NAME.format(f'CAST({field} AS VARCHAR)')} FROM raw").fetchall()
    return [row[0] for row in rows if row[0] is not None]


def _register_names(
    con: duckdb.DuckDBPyConnection, table: str, values: list[str], forms_of: Callable[[str], list[str]]
) -> None:
    table_data = pa.table(
        {
            "name": pa.array(values, pa.string()),
            "forms": pa.array([forms_of(value) or None for value in values], pa.list_(pa.string())),
            "key": pa.array([names.phonetic_key(value) for value in values], pa.string()),
        }
    )
    con.register(table, table_data)
