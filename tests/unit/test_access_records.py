"""The access matrix (pure): every event type has a data category; each agency reads its own records,
others' by relationship; schools and health read police incidents as notices; sealed records only
for the allocated social worker; break-glass opens all but sealed."""

from __future__ import annotations

import pytest

from lantern.access.records import CATEGORIES, MATRIX, TYPE_CATEGORY, Viewer, group_of, withheld_sentence
from lantern.events.vocabulary import EVENT_TYPES

DA = "police.domestic_abuse_incident"


def test_every_event_type_has_a_data_category() -> None:
    assert set(EVENT_TYPES) <= set(TYPE_CATEGORY), set(EVENT_TYPES) - set(TYPE_CATEGORY)
    assert set(TYPE_CATEGORY.values()) <= set(CATEGORIES)


def test_every_agency_group_decides_every_category() -> None:
    for group, row in MATRIX.items():
        assert set(row) == set(CATEGORIES), group


def test_own_agency_records_are_always_read() -> None:
    assert Viewer("housing", "none").decide("housing.application", "housing") == "full"
    assert Viewer("housing", "none").decide(DA, "police") == "withheld"


@pytest.mark.parametrize(
    ("agency", "relation", "expected"),
    [
        ("education", "none", "withheld"),
        ("education", "involved", "notice"),  # Operation Encompass: the child's school is told it happened
        ("education", "core_group", "full"),
        ("gp", "involved", "notice"),
        ("gp", "allocated", "full"),
        ("housing", "involved", "withheld"),
        ("probation", "involved", "full"),
        ("csc", "none", "full"),
        ("panel", "none", "full"),
    ],
)
def test_police_narrative_by_agency_and_relationship(agency: str, relation: str, expected: str) -> None:
    assert Viewer(agency, relation).decide(DA, "police") == expected


def test_health_records_need_a_clinical_relationship() -> None:
    assert Viewer("hospital", "none").decide("gp.consultation", "gp") == "withheld"
    assert Viewer("hospital", "involved").decide("gp.consultation", "gp") == "full"
    assert Viewer("police", "involved").decide("gp.consultation", "gp") == "withheld"
    assert Viewer("police", "core_group").decide("gp.consultation", "gp") == "full"


def test_sealed_records_only_for_the_allocated_social_worker_even_in_an_emergency() -> None:
    assert Viewer("csc", "none").decide("csc.adoption", "csc") == "withheld"
    assert Viewer("csc", "allocated").decide("csc.adoption", "csc") == "full"
    assert Viewer("gp", "none", break_glass=True).decide("csc.adoption", "csc") == "withheld"
    assert Viewer("panel", "none").decide("csc.adoption", "csc") == "withheld"


def test_break_glass_opens_every_other_category() -> None:
    viewer = Viewer("education", "none", break_glass=True)
    assert {viewer.decide(t, "police") for t in EVENT_TYPES if TYPE_CATEGORY[t] != "sealed"} == {"full"}


def test_commands_of_no_agency_read_as_reviewers_and_the_sentence_names_only_whom_to_ask() -> None:
    assert group_of(None) == "panel"
    assert group_of("radiology") == "health"
    sentence = withheld_sentence("police", 3)
    assert sentence == "3 records held by Police that you cannot read here: ask the police public protection unit."
