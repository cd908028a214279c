"""Disclosures by children at the age boundaries: 13/14 (both children; 14 gets the adolescent
sentence) and 17/18 (referred the day before the 18th birthday, not on it), whole years from the birthday."""

from __future__ import annotations

from datetime import date

import pytest

from lantern.assessments.disclosures import rules

ON = date(2024, 6, 1)


@pytest.mark.parametrize(
    ("born_on", "age"),
    [(date(2010, 6, 2), 13), (date(2010, 6, 1), 14), (date(2006, 6, 2), 17), (date(2006, 6, 1), 18)],
)
def test_whole_years_turn_on_the_birthday(born_on: date, age: int) -> None:
    assert rules.age_years(born_on, ON) == age


def test_a_leap_day_birthday_turns_on_the_first_of_march() -> None:
    assert rules.age_years(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert rules.age_years(date(2008, 2, 29), date(2026, 3, 1)) == 18


@pytest.mark.parametrize(
    ("age", "referred", "adolescent"), [(13, True, False), (14, True, True), (17, True, True), (18, False, False)]
)
def test_referred_under_18_with_the_adolescent_sentence_from_14(age: int, referred: bool, adolescent: bool) -> None:
    why = rules.referral(concerns=["self_harm"], age=age, named_as_child=True, asked_not_to_tell=False)
    assert bool(why) is referred
    assert ("still a child" in why) is adolescent
    if referred:
        assert f"aged {age}" in why and "self-harm" in why


@pytest.mark.parametrize("concern", list(rules.CONCERNS))
def test_each_concern_is_referred(concern: str) -> None:
    assert rules.referral(concerns=[concern], age=15, named_as_child=False, asked_not_to_tell=False)


def test_a_wish_not_to_tell_is_recorded_and_the_referral_stands() -> None:
    why = rules.referral(concerns=["abuse", "exploitation"], age=16, named_as_child=True, asked_not_to_tell=True)
    assert "asked that no one be told" in why and "but refer" in why
    assert "exploitation" in why and "abuse" in why


def test_no_date_of_birth_relies_on_the_role() -> None:
    assert rules.referral(concerns=["abuse"], age=None, named_as_child=True, asked_not_to_tell=False)
    assert rules.referral(concerns=["abuse"], age=None, named_as_child=False, asked_not_to_tell=False) == ""
