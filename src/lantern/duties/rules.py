"""Duty rules: loaded from the TOML files in duties/rules/, validated, and evaluated (pure)."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lantern.common import workdays
from lantern.duties.conditions import CONDITIONS, CONTENT, SELECTORS
from lantern.duties.facts import EventFacts, SubjectFacts
from lantern.events.vocabulary import EVENT_TYPES

RULES_DIR = Path(__file__).parent / "rules"


class Recipient(BaseModel):
    model_config = ConfigDict(extra="forbid")
    agency: str
    team: str


class Deadline(BaseModel):
    """Exactly one of: immediate, hours, working_days, next_school_day."""

    model_config = ConfigDict(extra="forbid")
    immediate: bool = False
    hours: int | None = Field(default=None, ge=0)
    working_days: int | None = Field(default=None, ge=0)
    next_school_day: bool = False

    @model_validator(mode="after")
    def exactly_one(self) -> Deadline:
        chosen = [self.immediate, self.hours is not None, self.working_days is not None, self.next_school_day]
        if sum(chosen) != 1:
            raise ValueError("a deadline needs exactly one of immediate, hours, working_days, next_school_day")
        return self

    def due(self, start: datetime) -> datetime:
        """When a duty triggered at `start` falls due."""
        if self.hours is not None:
            return start + timedelta(hours=self.hours)
        if self.working_days is not None:
            return workdays.end_of_working_days(start, self.working_days)
        if self.next_school_day:
            return workdays.start_of_next_school_day(start)
        return start

    def describe(self) -> str:
        if self.immediate:
            return "immediately"
        if self.hours is not None:
            return f"within {self.hours} hours"
        if self.working_days is not None:
            return f"within {self.working_days} working day{'s' if self.working_days != 1 else ''}"
        return "before the start of the next school day"


class Escalation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: str
    after_hours: int = Field(ge=0)


class Discharge(BaseModel):
    """Events from the recipient about the same person that prove the information arrived."""

    model_config = ConfigDict(extra="forbid")
    types: list[str]
    within_days: int = Field(ge=0)
    payload: dict[str, Any] = {}


class Rule(BaseModel):
    """One declarative duty rule."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    code: str
    title: str
    guidance: str
    on: list[str]
    when: list[str] = []
    about: str
    to: Recipient
    deadline: Deadline
    escalate: Escalation
    content: list[str]
    discharged_by: Discharge | None = None

    @model_validator(mode="after")
    def names_exist(self) -> Rule:
        unknown = (
            [t for t in self.on if t not in EVENT_TYPES]
            + [c for c in self.when if c not in CONDITIONS]
            + [c for c in self.content if c not in CONTENT]
            + ([self.about] if self.about not in SELECTORS else [])
            + [t for t in (self.discharged_by.types if self.discharged_by else []) if t not in EVENT_TYPES]
        )
        if unknown:
            raise ValueError(f"rule {self.code}: unknown names {unknown}")
        return self


@dataclass(frozen=True)
class DutyDraft:
    """A duty the rules say is owed, before it is stored."""

    rule: Rule
    about: SubjectFacts | None
    due_at: datetime
    content: dict[str, Any]
    reason: str


def load_rules(directory: Path = RULES_DIR) -> list[Rule]:
    """Every rule in every TOML file of the directory; codes must be unique."""
    rules = [
        Rule.model_validate(raw)
        for path in sorted(directory.glob("*.toml"))
        for raw in tomllib.loads(path.read_text())["rule"]
    ]
    codes = [r.code for r in rules]
    duplicates = {c for c in codes if codes.count(c) > 1}
    if duplicates:
        raise ValueError(f"duplicate rule codes: {sorted(duplicates)}")
    return rules


@lru_cache(maxsize=1)
def default_rules() -> dict[str, list[Rule]]:
    """The shipped rules, indexed by the event type that triggers them."""
    return index_by_type(load_rules())


def index_by_type(rules: list[Rule]) -> dict[str, list[Rule]]:
    indexed: dict[str, list[Rule]] = defaultdict(list)
    for rule in rules:
        for event_type in rule.on:
            indexed[event_type].append(rule)
    return dict(indexed)


def evaluate(facts: EventFacts, rules_by_type: dict[str, list[Rule]]) -> list[DutyDraft]:
    """The duties this event creates: one per rule that fires and per person it is about."""
    drafts = []
    for rule in rules_by_type.get(facts.type, []):
        if not all(CONDITIONS[name](facts) for name in rule.when):
            continue
        due_at, reason = rule.deadline.due(facts.occurred_at), _reason(rule, facts)
        people: list[SubjectFacts | None] = list(SELECTORS[rule.about](facts)) or [None]
        for person in _unique(people):
            content = {key: CONTENT[key](facts, person) for key in rule.content}
            drafts.append(DutyDraft(rule=rule, about=person, due_at=due_at, content=content, reason=reason))
    return drafts


def _unique(people: list[SubjectFacts | None]) -> list[SubjectFacts | None]:
    seen: set[str | None] = set()
    unique = []
    for person in people:
        key = person.person_id if person else None
        if key not in seen:
            seen.add(key)
            unique.append(person)
    return unique


def _reason(rule: Rule, facts: EventFacts) -> str:
    """Plain English: which event, which rule and conditions, which deadline."""
    conditions = ", ".join(c.replace("_", " ") for c in rule.when) or "always"
    return (
        f"{EVENT_TYPES[facts.type].label} ({facts.source_agency} {facts.source_ref}) triggers "
        f"rule {rule.code} ({conditions}); due {rule.deadline.describe()} ({rule.guidance})."
    )
