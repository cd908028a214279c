"""What the duty rules see of an event: its type, times, payload and subjects with their ages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, NamedTuple


@dataclass(frozen=True)
class SubjectFacts:
    """A subject of the event: resolved person, role, age at the event, record as sent."""

    person_id: str
    role: str
    age_days: int | None
    record: dict[str, Any]

    @cached_property  # read for every duty about or naming the subject
    def name(self) -> str:
        return " ".join(p for p in (self.record.get("given_name"), self.record.get("family_name")) if p) or "(no name)"

    @property
    def is_child(self) -> bool:
        """Under 18 at the time, or named in a child's role when no date of birth is known."""
        if self.age_days is not None:
            return self.age_days < 18 * 365.25
        return self.role in {"child", "child_present", "pupil", "unborn"}

    @property
    def age_years(self) -> float | None:
        return None if self.age_days is None else self.age_days / 365.25

    @cached_property  # how a duty's content names the subject; shared by the event's duties, never changed
    def described(self) -> dict[str, Any]:
        years = None if self.age_days is None else round(self.age_days / 36.525) / 10  # round(x, 1) is 5x slower
        return {"person_id": self.person_id, "name": self.name, "age_years": years}


@dataclass(frozen=True)
class EventFacts:
    """An event as the duty engine reads it."""

    id: str
    type: str
    source_agency: str
    source_ref: str
    occurred_at: datetime
    summary: str
    location: dict[str, Any] | None
    payload: dict[str, Any]
    subjects: list[SubjectFacts]
    household_children: list[SubjectFacts] = field(default_factory=list)

    def children(self) -> list[SubjectFacts]:
        """The children named (not an unborn baby); the same list each time: read it, never change it."""
        return self._children

    def adults(self) -> list[SubjectFacts]:
        return self._adults

    @cached_property  # read by several conditions, selectors and content builders of each rule
    def _children(self) -> list[SubjectFacts]:
        return [s for s in self.subjects if s.is_child and s.role != "unborn"]

    @cached_property
    def _adults(self) -> list[SubjectFacts]:
        return [s for s in self.subjects if not s.is_child]


class WrittenEvent(NamedTuple):
    """An event as the rules read it from the database, before ages are worked out: its columns (id, type,
    source agency, source ref, occurred at, summary, location, payload) and each subject's (person id,
    role, record as sent)."""

    columns: tuple[Any, ...]
    subjects: list[tuple[str, str, dict[str, Any]]]


def age_in_days(date_of_birth: str | date | None, on: datetime) -> int | None:
    """Whole days between birth and the event, or None when the date of birth is not known."""
    if date_of_birth is None:
        return None
    born = date.fromisoformat(date_of_birth) if isinstance(date_of_birth, str) else date_of_birth
    return (on.date() - born).days
