"""Working-day arithmetic across weekends and bank holidays (England and Wales)."""

from datetime import UTC, date, datetime

from lantern.common import workdays


def test_bank_holiday_is_not_a_working_day() -> None:
    assert not workdays.is_working_day(date(2025, 8, 25))  # Late Summer Bank Holiday
    assert workdays.is_working_day(date(2025, 8, 26))


def test_one_working_day_over_a_bank_holiday_weekend() -> None:
    # Friday 22 Aug 2025 evening -> Sat, Sun, bank holiday Monday skipped -> end of Tuesday 26th (BST)
    due = workdays.end_of_working_days(datetime(2025, 8, 22, 21, 0, tzinfo=UTC), 1)
    assert due == datetime(2025, 8, 26, 22, 59, 59, tzinfo=UTC)


def test_working_days_over_easter() -> None:
    # Thursday 17 Apr 2025; Good Friday 18th and Easter Monday 21st are holidays
    assert workdays.add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 22)
    assert workdays.add_working_days(date(2025, 4, 17), 3) == date(2025, 4, 24)


def test_fifteen_working_days_over_christmas() -> None:
    # Mon 15 Dec 2025: 25, 26 Dec and 1 Jan are bank holidays
    assert workdays.add_working_days(date(2025, 12, 15), 15) == date(2026, 1, 8)


def test_next_school_day_after_an_evening_incident() -> None:
    # Tuesday 21:00 BST -> Wednesday 08:30 BST
    due = workdays.start_of_next_school_day(datetime(2025, 6, 3, 20, 0, tzinfo=UTC))
    assert due == datetime(2025, 6, 4, 7, 30, tzinfo=UTC)


def test_next_school_day_after_an_early_morning_incident_is_the_same_day() -> None:
    due = workdays.start_of_next_school_day(datetime(2025, 6, 4, 1, 0, tzinfo=UTC))
    assert due == datetime(2025, 6, 4, 7, 30, tzinfo=UTC)


def test_next_school_day_skips_weekend_and_bank_holiday() -> None:
    # Saturday 3 May 2025 -> Monday 5th is May Day -> Tuesday 6 May 08:30 BST
    due = workdays.start_of_next_school_day(datetime(2025, 5, 3, 12, 0, tzinfo=UTC))
    assert due == datetime(2025, 5, 6, 7, 30, tzinfo=UTC)


def test_winter_deadline_is_in_gmt() -> None:
    due = workdays.end_of_working_days(datetime(2025, 1, 6, 10, 0, tzinfo=UTC), 1)
    assert due == datetime(2025, 1, 7, 23, 59, 59, tzinfo=UTC)
