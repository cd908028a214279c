"""The bruising rule at its boundaries: injury type, mobility, 4.99 months, 4 years, TEN-4-FACES regions."""

from __future__ import annotations

import pytest

from lantern.assessments.injuries import rules
from lantern.assessments.injuries.vocabulary import REGIONS, TERMS

FOUR_YEARS = int(4 * 365.25)


def _fires(term: str = "bruise", region: str = "leg_left", age_days: int | None = 400, **kw: object) -> list[str]:
    return rules.bruising(
        term=term, region=region, age_days=age_days, mobility=kw.get("mobility"), patterned=bool(kw.get("patterned"))
    )


def test_a_mark_and_petechiae_count_as_bruises_and_a_graze_does_not() -> None:
    assert TERMS["mark"].injury_type == TERMS["petechiae"].injury_type == "bruise"
    assert _fires("mark", age_days=21) and _fires("petechiae", age_days=21)
    assert _fires("abrasion", age_days=21) == []


@pytest.mark.parametrize(("age_days", "fires"), [(152, True), (153, False)])
def test_any_bruise_under_five_months(age_days: int, fires: bool) -> None:
    assert bool(_fires(region="leg_left", age_days=age_days, mobility="walking")) is fires


@pytest.mark.parametrize(("mobility", "fires"), [("non_mobile", True), ("rolling", True), ("crawling", False)])
def test_any_bruise_on_a_child_not_independently_mobile(mobility: str, fires: bool) -> None:
    assert bool(_fires(age_days=300, mobility=mobility)) is fires


@pytest.mark.parametrize("region", [r.code for r in REGIONS.values() if r.group])
def test_ten_four_faces_regions_under_four_years(region: str) -> None:
    assert _fires(region=region, age_days=FOUR_YEARS - 1, mobility="walking")
    assert _fires(region=region, age_days=FOUR_YEARS + 1, mobility="walking") == []


def test_other_regions_need_a_pattern_under_four_years() -> None:
    assert _fires(region="leg_left", age_days=700, mobility="walking") == []
    assert _fires(region="leg_left", age_days=700, mobility="walking", patterned=True)
    assert _fires(region="leg_left", age_days=FOUR_YEARS + 1, mobility="walking", patterned=True) == []


def test_explanation_names_every_reason() -> None:
    text = rules.explain(_fires("mark", region="cheek_left", age_days=21, mobility="non_mobile"))
    assert "not independently mobile" in text and "a cheek" in text and "0.7 months" in text
    assert "counted as a bruise" in text
