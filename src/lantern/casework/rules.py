"""Pure casework rules: allocation, handover, supervision, conference and meeting dates.

Deadlines cite Working Together to Safeguard Children 2023 (chapter 4) and are data
(`data/casework.toml`); nothing here reads the database.
"""

from __future__ import annotations

import calendar
import tomllib
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from lantern.common import workdays

DATA = Path(__file__).parent / "data"
# The checklist a handover carries; the receiving worker confirms each section.
HANDOVER_SECTIONS: dict[str, str] = {
    "risks": "Risks",
    "plan_conditions": "Plan conditions",
    "open_actions": "Open actions",
    "family_network": "Family network",
    "upcoming_dates": "Upcoming dates",
}
CONFERENCE_OUTCOMES: dict[str, str] = {
    "child_protection_plan": "Child protection plan (the child is, or stays, on a plan)",
    "no_plan": "No plan (the child does not need, or no longer needs, a plan)",
}


class Supervision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    default_days: int = Field(ge=1)
    complex_days: int = Field(ge=1)


class Conference(BaseModel):
    model_config = ConfigDict(extra="forbid")
    initial_working_days: int = Field(ge=1)
    first_review_months: int = Field(ge=1)
    review_months: int = Field(ge=1)


class Meeting(BaseModel):
    model_config = ConfigDict(extra="forbid")
    weekdays: list[int] = Field(min_length=1)
    time: str


class Config(BaseModel):
    """`data/casework.toml`."""

    model_config = ConfigDict(extra="forbid")
    unallocated_working_days: int = Field(ge=0)
    escalate_after_hours: int = Field(ge=0)
    supervision: Supervision
    conference: Conference
    meeting: Meeting


@lru_cache(maxsize=1)
def config() -> Config:
    """The shipped casework configuration."""
    return Config.model_validate(tomllib.loads((DATA / "casework.toml").read_text()))


def local_day(at: datetime) -> date:
    """The day in England of a UTC time."""
    return at.astimezone(workdays.LONDON).date()


# Allocation -------------------------------------------------------------------------------------


def allocation_due(unallocated_since: datetime, days: int | None = None) -> datetime:
    """When an unallocated case must have a worker: the end of the N-th working day after."""
    count = config().unallocated_working_days if days is None else days
    return workdays.end_of_working_days(unallocated_since, count)


def is_unallocated_overdue(unallocated_since: datetime | None, now: datetime) -> bool:
    """An open case unallocated past its allocation deadline (flagged to the team manager)."""
    return unallocated_since is not None and now > allocation_due(unallocated_since)


def missing_confirmations(confirmed: Iterable[str]) -> list[str]:
    """The handover sections the receiving worker has not confirmed, in checklist order."""
    done = set(confirmed)
    return [key for key in HANDOVER_SECTIONS if key not in done]


# Supervision ------------------------------------------------------------------------------------


def supervision_frequency_days(override_days: int | None, has_complex_case: bool) -> int:
    """The required interval for one worker: their own setting or the default, and no longer
    than the complex-case interval while they hold a complex case."""
    settings = config().supervision
    days = override_days or settings.default_days
    return min(days, settings.complex_days) if has_complex_case else days


def supervision_due(last_held_on: date | None, started_on: date, frequency_days: int) -> date:
    """The day the next supervision is due: the interval after the last one, or after the worker
    started holding cases when never supervised."""
    return (last_held_on or started_on) + timedelta(days=frequency_days)


def is_supervision_overdue(due_on: date, today: date) -> bool:
    """Overdue from the day after the due day."""
    return today > due_on


def frequency_met(held_on: Sequence[date], frequency_days: int, started_on: date, today: date) -> bool:
    """Whether every gap (from the start, between sessions, and up to today) was within the interval."""
    points = [started_on, *sorted(d for d in held_on if d >= started_on), today]
    return all((later - earlier).days <= frequency_days for earlier, later in zip(points, points[1:], strict=False))


# Conferences ------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has no such day (31 -> 30)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def working_day_on_or_before(day: date) -> date:
    """The day itself if a working day, else the last working day before it ("within" a period)."""
    while not workdays.is_working_day(day):
        day -= timedelta(days=1)
    return day


def initial_conference_due(strategy_on: date) -> date:
    """Initial child protection conference: within 15 working days of the strategy discussion
    (Working Together 2023, 4.2): the 15th working day after it, bank holidays not counted."""
    return workdays.add_working_days(strategy_on, config().conference.initial_working_days)


def review_due(previous_held_on: date, previous_kind: str) -> date:
    """The next review: within 3 months of the initial conference, then within 6 months of the
    last review (Working Together 2023); the last working day on or before that date."""
    settings = config().conference
    months = settings.first_review_months if previous_kind == "initial" else settings.review_months
    return working_day_on_or_before(add_months(previous_held_on, months))


def is_conference_overdue(due_on: date, held_on: date | None, today: date) -> bool:
    """Not held by the end of its due day."""
    return held_on is None and today > due_on


# Meetings ---------------------------------------------------------------------------------------


def next_sittings(weekdays: Sequence[int], at: str, after: datetime, count: int) -> list[datetime]:
    """The next `count` sittings (UTC) after a time, on the given weekdays (Monday 0) at a local
    time; a bank holiday is skipped, not moved."""
    hour, minute = (int(part) for part in at.split(":"))
    day, found = local_day(after), list[datetime]()
    while len(found) < count:
        if day.weekday() in weekdays and workdays.is_working_day(day):
            starts = datetime.combine(day, time(hour, minute), tzinfo=workdays.LONDON).astimezone(workdays.UTC)
            if starts > after:
                found.append(starts)
        day += timedelta(days=1)
    return found
