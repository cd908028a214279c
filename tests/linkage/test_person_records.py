"""The synthetic person records: deterministic, and garbled in the ways the model must survive."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from lantern.demo import person_records
from lantern.linkage import names

SIZE = 20_000


def _records(seed: int = 2026) -> list[dict[str, str | None]]:
    return list(person_records.records(SIZE, seed))


def test_the_same_seed_gives_the_same_records_and_another_seed_others() -> None:
    first = list(person_records.records(2000, seed=5))
    assert first == list(person_records.records(2000, seed=5))
    assert first != list(person_records.records(2000, seed=6))


def test_write_csv_writes_the_records_with_a_header(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    assert person_records.write_csv(path, 500, seed=3) == 500
    with path.open(encoding="utf-8") as written:
        rows = list(csv.DictReader(written))
    expected = [{k: v or "" for k, v in record.items()} for record in person_records.records(500, seed=3)]
    assert rows == expected


def test_people_have_one_to_five_records_two_and_a_half_on_average() -> None:
    per_person = Counter(record["truth"] for record in _records())
    assert set(per_person.values()) <= {1, 2, 3, 4, 5}
    assert 2.2 < SIZE / len(per_person) < 2.8


def _share(records: list[dict[str, str | None]], test: Callable[[dict[str, str | None]], bool]) -> float:
    return sum(1 for record in records if test(record)) / len(records)


def test_fields_are_missing_as_often_as_in_agency_records() -> None:
    records = _records()
    assert 0.02 < _share(records, lambda r: r["date_of_birth"] is None) < 0.07
    assert 0.08 < _share(records, lambda r: r["postcode"] is None) < 0.18
    assert 0.25 < _share(records, lambda r: r["nhs_number"] is not None) < 0.45
    assert 0.005 < _share(records, lambda r: r["identifier"] is not None) < 0.05
    assert 0.1 < _share(records, lambda r: r["phone"] is not None) < 0.5


def _pairs_of_one_person(records: list[dict[str, str | None]]) -> list[tuple[dict[str, str | None], ...]]:
    by_person: dict[str | None, list[dict[str, str | None]]] = {}
    for record in records:
        by_person.setdefault(record["truth"], []).append(record)
    return [(group[0], other) for group in by_person.values() for other in group[1:]]


def _lower(value: str | None) -> str:
    return (value or "").lower()


def test_records_of_one_person_differ_in_every_way_the_issue_names() -> None:
    pairs = _pairs_of_one_person(_records())
    nickname = typo = swapped_dob = digit_dob = moved = double_barrelled = renamed = 0
    for a, b in pairs:
        given_a, given_b = _lower(a["given_name"]), _lower(b["given_name"])
        if given_a != given_b and set(names.given_name_forms(given_a)) & set(names.given_name_forms(given_b)):
            nickname += 1
        elif given_a != given_b:
            typo += 1
        dob_a, dob_b = a["date_of_birth"], b["date_of_birth"]
        if dob_a and dob_b and dob_a != dob_b:
            if dob_a[:4] == dob_b[:4] and dob_a[5:7] == dob_b[8:] and dob_a[8:] == dob_b[5:7]:
                swapped_dob += 1
            else:
                digit_dob += 1
        if a["postcode"] and b["postcode"] and a["postcode"].replace(" ", "") != b["postcode"].replace(" ", ""):
            moved += 1
        family_a, family_b = _lower(a["family_name"]), _lower(b["family_name"])
        if "-" in family_a + family_b:
            double_barrelled += 1
        elif family_a != family_b:
            renamed += 1
    shares = {
        "nickname": nickname,
        "typo": typo,
        "swapped_dob": swapped_dob,
        "digit_dob": digit_dob,
        "moved": moved,
        "double_barrelled": double_barrelled,
        "renamed or typo": renamed,
    }
    assert all(0.002 < count / len(pairs) < 0.3 for count in shares.values()), shares


def test_households_share_a_family_name_and_address_and_twins_share_a_birthday() -> None:
    people: dict[str | None, dict[str, str | None]] = {}
    for record in _records():
        if record["date_of_birth"] and record["address_line1"]:
            people.setdefault(record["truth"], record)
    homes = Counter((_lower(p["address_line1"]), _lower(p["postcode"])) for p in people.values())
    assert max(homes.values()) >= 3
    born_together = Counter(
        (_lower(p["family_name"]), p["date_of_birth"], _lower(p["address_line1"])) for p in people.values()
    )
    assert any(count >= 2 for count in born_together.values())
