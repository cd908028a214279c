"""Pure casework rules: working-day and month deadlines across bank holidays, supervision per worker,
handover confirmations, meeting sittings. No database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lantern.casework import rules


@pytest.mark.parametrize(
    ("strategy_on", "due_on"),
    [
        # Christmas 2026: Fri 25 Dec and Mon 28 Dec (Boxing Day substitute), Fri 1 Jan 2027 not counted.
        (date(2026, 12, 14), date(2027, 1, 7)),
        (date(2026, 12, 3), date(2026, 12, 24)),  # the 15th working day falls just before Christmas
        (date(2026, 12, 4), date(2026, 12, 29)),  # one day later jumps both Christmas bank holidays
        # Easter 2027: Good Friday 26 March and Easter Monday 29 March not counted.
        (date(2027, 3, 15), date(2027, 4, 7)),
        (date(2027, 3, 4), date(2027, 3, 25)),  # the day before Good Friday: no holiday inside
        (date(2027, 3, 5), date(2027, 3, 30)),  # one day later jumps the whole Easter weekend
        # A strategy discussion held on a Saturday counts from the next working day.
        (date(2026, 11, 28), date(2026, 12, 18)),
    ],
)
def test_initial_conference_is_due_on_the_15th_working_day(strategy_on: date, due_on: date) -> None:
    assert rules.initial_conference_due(strategy_on) == due_on


@pytest.mark.parametrize(
    ("held_on", "kind", "due_on"),
    [
        (date(2026, 9, 25), "initial", date(2026, 12, 24)),  # 25 Dec: Christmas Day; Thursday 24th
        (date(2026, 9, 28), "initial", date(2026, 12, 24)),  # 28 Dec (substitute holiday), back past the weekend
        (date(2026, 10, 1), "initial", date(2026, 12, 31)),
        (date(2026, 11, 30), "initial", date(2027, 2, 26)),  # 30 Feb does not exist: 28 Feb, a Sunday
        (date(2026, 10, 1), "review", date(2027, 4, 1)),  # a review: 6 months
        (date(2026, 9, 29), "review", date(2027, 3, 25)),  # 29 Mar 2027 Easter Monday, 26 Good Friday
    ],
)
def test_reviews_fall_on_the_last_working_day_within_the_period(held_on: date, kind: str, due_on: date) -> None:
    assert rules.review_due(held_on, kind) == due_on


def test_a_conference_is_overdue_from_the_day_after_its_due_day_until_held() -> None:
    due = date(2027, 1, 7)
    assert not rules.is_conference_overdue(due, None, date(2027, 1, 7))
    assert rules.is_conference_overdue(due, None, date(2027, 1, 8))
    assert not rules.is_conference_overdue(due, date(2027, 1, 8), date(2027, 1, 9))


def test_an_unallocated_case_is_flagged_after_one_working_day_across_christmas() -> None:
    since = datetime(2026, 12, 24, 15, 0, tzinfo=UTC)  # Thursday afternoon before Christmas
    due = rules.allocation_due(since)
    assert due.astimezone(rules.workdays.LONDON).date() == date(2026, 12, 29)
    assert not rules.is_unallocated_overdue(since, datetime(2026, 12, 29, 12, 0, tzinfo=UTC))
    assert rules.is_unallocated_overdue(since, datetime(2026, 12, 30, 9, 0, tzinfo=UTC))
    assert not rules.is_unallocated_overdue(None, datetime(2027, 6, 1, tzinfo=UTC))


def test_handover_needs_every_section_confirmed() -> None:
    assert rules.missing_confirmations(rules.HANDOVER_SECTIONS) == []
    missing = rules.missing_confirmations(["risks", "open_actions"])
    assert missing == ["plan_conditions", "family_network", "upcoming_dates"]


@pytest.mark.parametrize(
    ("override", "complex_case", "days"), [(None, False, 28), (21, False, 21), (None, True, 14), (7, True, 7)]
)
def test_supervision_interval(override: int | None, complex_case: bool, days: int) -> None:
    assert rules.supervision_frequency_days(override, complex_case) == days


def test_supervision_due_from_last_session_or_start() -> None:
    assert rules.supervision_due(date(2026, 10, 1), date(2026, 1, 1), 28) == date(2026, 10, 29)
    assert rules.supervision_due(None, date(2026, 11, 2), 28) == date(2026, 11, 30)
    assert not rules.is_supervision_overdue(date(2026, 11, 30), date(2026, 11, 30))
    assert rules.is_supervision_overdue(date(2026, 11, 30), date(2026, 12, 1))


def test_frequency_met_needs_every_gap_within_the_interval() -> None:
    start, today = date(2026, 8, 1), date(2026, 10, 20)
    assert rules.frequency_met([date(2026, 8, 25), date(2026, 9, 20), date(2026, 10, 15)], 28, start, today)
    assert not rules.frequency_met([date(2026, 8, 25), date(2026, 10, 15)], 28, start, today)  # 51-day gap
    assert not rules.frequency_met([date(2026, 8, 25), date(2026, 9, 20)], 28, start, today)  # 30 days since


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert rules.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert rules.add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)
    assert rules.add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_sittings_twice_weekly_skip_bank_holidays() -> None:
    after = datetime(2027, 3, 22, 12, 0, tzinfo=UTC)  # Monday before Easter
    sittings = rules.next_sittings([1, 4], "10:00", after, 3)  # Tuesdays and Fridays
    local = [s.astimezone(rules.workdays.LONDON) for s in sittings]
    assert [d.date() for d in local] == [date(2027, 3, 23), date(2027, 3, 30), date(2027, 4, 2)]  # not Good Friday
    assert all(d.hour == 10 for d in local)  # 10:00 local, GMT then BST
