"""Growth rules: figures against rcpchgrowth and the published WHO 2006 medians, and the NICE NG75
thresholds for concern at their boundaries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from rcpchgrowth.global_functions import measurement_from_sds, sds_for_measurement

from lantern.assessments.growth import rules
from lantern.assessments.growth.rules import Child, Plotted, Reading

BORN = date(2023, 1, 10)
TERM_BOY = Child(BORN, "male", 40, 0)


def _weight(day: int, kg: float, sds: float, centile: float = 50.0) -> Plotted:
    reading = Reading("weight", kg, BORN + timedelta(days=day), f"e{day}", f"R{day}", "health_visiting")
    return Plotted(reading, day, day / 365.25, sds, centile, None)


@pytest.mark.parametrize(
    ("kind", "sex", "median"),
    [("weight", "male", 9.6479), ("weight", "female", 8.9481), ("height", "male", 75.7488), ("ofc", "male", 46.0661)],
)
def test_plot_puts_the_who_2006_median_at_one_year_on_the_50th_centile(kind: str, sex: str, median: float) -> None:
    plotted = rules.plot(Child(BORN, sex, 40, 0), Reading(kind, median, BORN + timedelta(days=365), "e", "R", "gp"))
    assert plotted.sds == pytest.approx(0.0, abs=0.01)
    assert plotted.centile == pytest.approx(50.0, abs=0.4)


def test_plot_equals_rcpchgrowth_sds_for_the_s5_weights() -> None:
    for day, kg in [(25, 4.01), (42, 4.37), (56, 4.63), (77, 4.78)]:
        plotted = rules.plot(TERM_BOY, Reading("weight", kg, BORN + timedelta(days=day), "e", "R", "hv"))
        expected = sds_for_measurement(
            reference="uk-who", age=day / 365.25, measurement_method="weight", observation_value=kg, sex="male"
        )
        assert plotted.sds == pytest.approx(expected, abs=1e-6)


def test_plot_corrects_age_for_a_preterm_birth() -> None:
    preterm = Child(BORN, "female", 32, 0)
    plotted = rules.plot(preterm, Reading("weight", 2.5, BORN + timedelta(days=30), "e", "R", "hv"))
    assert plotted.corrected_age_years < 0  # 8 weeks early, so a month old is still before term
    expected = measurement_from_sds(
        reference="uk-who",
        requested_sds=plotted.sds or 0.0,
        measurement_method="weight",
        sex="female",
        age=plotted.corrected_age_years,
    )
    assert expected == pytest.approx(2.5, abs=0.01)


@pytest.mark.parametrize(("centile", "allowed"), [(8.99, 1), (9.0, 2), (50.0, 2), (91.0, 2), (91.01, 3)])
def test_spaces_allowed_by_birth_weight_centile(centile: float, allowed: int) -> None:
    assert rules.spaces_allowed(centile) == allowed


@pytest.mark.parametrize(("birth_centile", "allowed"), [(5.0, 1), (50.0, 2), (95.0, 3)])
def test_a_fall_of_exactly_the_allowance_is_a_concern_and_just_under_is_not(birth_centile: float, allowed: int) -> None:
    space = rules.CENTILE_SPACE_SDS
    exactly = [_weight(0, 3.5, 0.0, birth_centile), _weight(60, 5.0, -allowed * space, 20.0)]
    under = [_weight(0, 3.5, 0.0, birth_centile), _weight(60, 5.0, -allowed * space + 0.01, 20.0)]
    assert [c.code for c in rules.faltering(exactly)] == ["faltering_growth_centile_fall"]
    assert rules.faltering(under) == []


def test_the_fall_is_measured_from_the_highest_earlier_weight() -> None:
    weights = [
        _weight(0, 3.5, 0.0),
        _weight(30, 4.5, 0.5, 69.0),
        _weight(60, 5.0, 0.5 - 2 * rules.CENTILE_SPACE_SDS, 20.0),
    ]
    (concern,) = rules.faltering(weights)
    assert concern.event_ids == ("e30", "e60")
    assert "2.0 centile spaces" in concern.explanation


def test_falls_before_two_weeks_are_left_to_the_early_weight_loss_rule() -> None:
    assert rules.faltering([_weight(0, 3.5, 0.0), _weight(10, 3.3, -1.5, 6.7)]) == []


def test_weight_below_the_2nd_centile_line_is_a_concern_whatever_the_birth_weight() -> None:
    on_line = [_weight(0, 2.5, -2.0, 2.3), _weight(30, 3.2, -2.0, 2.3)]
    below = [_weight(0, 2.5, -2.0, 2.3), _weight(30, 3.2, -2.01, 2.2)]
    assert rules.faltering(on_line) == []
    assert [c.code for c in rules.faltering(below)] == ["faltering_growth_below_2nd"]


def test_early_weight_loss_of_more_than_10_percent() -> None:
    exactly_ten = [_weight(0, 3.5, 0.0), _weight(4, 3.15, -1.0, 16.0)]
    over_ten = [_weight(0, 3.5, 0.0), _weight(4, 3.14, -1.0, 16.0)]
    after_three_weeks = [_weight(0, 3.5, 0.0), _weight(21, 3.1, -2.2, 1.0)]
    assert rules.faltering(exactly_ten) == []
    assert [c.code for c in rules.faltering(over_ten)] == ["faltering_growth_early_loss"]
    assert "faltering_growth_early_loss" not in [c.code for c in rules.faltering(after_three_weeks)]


def test_s5_series_falls_across_two_spaces_by_eleven_weeks_only() -> None:
    series = [(0, 3.5), (11, 3.7), (25, 4.01), (42, 4.37), (56, 4.63), (77, 4.78)]
    plotted = [
        rules.plot(TERM_BOY, Reading("weight", kg, BORN + timedelta(days=d), f"e{d}", f"R{d}", "hv"))
        for d, kg in series
    ]
    assert rules.faltering(plotted[:5]) == []
    (concern,) = rules.faltering(plotted)
    assert concern.event_ids == ("e0", "e77")
    assert "45th centile" in concern.explanation and "3rd centile" in concern.explanation
