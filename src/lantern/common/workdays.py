"""Working days in England and Wales: weekdays that are not bank holidays (`holidays` package).

Deadlines are computed in local time (Europe/London) and returned in UTC.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")
END_OF_DAY = time(23, 59, 59)
SCHOOL_DAY_STARTS = time(8, 30)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    # England and Wales share their bank holidays; "ENG" is the subdivision for both here.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    """A weekday that is not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (day itself not counted)."""
    current, remaining = day, count
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def end_of_working_days(start: datetime, count: int) -> datetime:
    """Deadline "within N working days" of `start`: the end of the N-th working day after it."""
    local_day = start.astimezone(LONDON).date()
    due_day = add_working_days(local_day, count)
    return datetime.combine(due_day, END_OF_DAY, tzinfo=LONDON).astimezone(UTC)


def start_of_next_school_day(start: datetime) -> datetime:
    """Operation Encompass: before the start (08:30) of the next school day after `start`.

    School terms are not modelled: every working day counts as a school day, which can only
    make the deadline earlier than the real one, never later.
    """
    local = start.astimezone(LONDON)
    day = local.date()
    if not (is_working_day(day) and local.time() < SCHOOL_DAY_STARTS):
        day = add_working_days(day, 1)
    return datetime.combine(day, SCHOOL_DAY_STARTS, tzinfo=LONDON).astimezone(UTC)
