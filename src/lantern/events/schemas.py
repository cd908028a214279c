"""The canonical event as agencies send it, and as Lantern returns it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from lantern.common import clock
from lantern.common.errors import InvalidInput
from lantern.events.vocabulary import EVENT_TYPES, SubjectRole
from lantern.people.schemas import AddressIn, PersonIn

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")
CLOCK_SKEW = timedelta(minutes=5)
AgencyCode = Literal[
    "police",
    "csc",
    "gp",
    "health_visiting",
    "midwifery",
    "hospital",
    "radiology",
    "ambulance",
    "probation",
    "housing",
    "education",
    "panel",
]


class SubjectIn(BaseModel):
    """A person named in the event, and the role they had in it."""

    model_config = ConfigDict(extra="forbid")

    person: PersonIn
    role: SubjectRole


def _as_utc(value: datetime) -> datetime:
    """Times without an offset are England's local time (GMT/BST), as agency systems record them."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=LONDON)
    return value.astimezone(UTC)


class EventIn(BaseModel):
    """One agency record in canonical form (see docs/events.md)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    source_agency: AgencyCode
    source_ref: str = Field(min_length=1, max_length=200)
    type: str
    occurred_at: datetime
    recorded_at: datetime | None = None
    subjects: list[SubjectIn] = Field(min_length=1, max_length=50)
    location: AddressIn | None = None
    summary: str = Field(min_length=1, max_length=2000)
    narrative: str | None = Field(default=None, max_length=20000)
    payload: dict[str, Any] = Field(default_factory=dict)

    @field_validator("occurred_at", "recorded_at")
    @classmethod
    def not_in_future(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        value = _as_utc(value)
        if value > clock.now() + CLOCK_SKEW:
            raise ValueError("date is in the future")
        return value

    @field_validator("type")
    @classmethod
    def known_type(cls, value: str) -> str:
        if value not in EVENT_TYPES:
            raise ValueError(f"unknown event type {value!r}; see docs/events.md for the vocabulary")
        return value

    @model_validator(mode="after")
    def recorded_defaults_to_occurred(self) -> EventIn:
        if self.recorded_at is None:
            self.recorded_at = self.occurred_at
        return self


def parse_event(raw: object) -> EventIn:
    """Validate one raw record into an EventIn, payload and sender included.

    Raises InvalidInput whose errors carry the field path (e.g. subjects.0.person.nhs_number).
    """
    try:
        event = EventIn.model_validate(raw)
    except ValidationError as exc:
        raise InvalidInput(_errors(exc)) from None
    event_type = EVENT_TYPES[event.type]
    if event.source_agency not in event_type.agencies:
        senders = ", ".join(sorted(event_type.agencies))
        raise InvalidInput(
            [{"loc": ["source_agency"], "msg": f"{event.type} is sent by {senders}, not {event.source_agency}"}]
        )
    try:
        payload = event_type.payload.model_validate(event.payload)
    except ValidationError as exc:
        raise InvalidInput(_errors(exc, prefix=("payload",))) from None
    event.payload = payload.model_dump(mode="json", exclude_none=True)
    return event


def _errors(exc: ValidationError, prefix: tuple[str, ...] = ()) -> list[dict[str, object]]:
    return [
        {"loc": [*prefix, *e["loc"]], "msg": e["msg"].removeprefix("Value error, "), "type": e["type"]}
        for e in exc.errors(include_url=False)
    ]


class SubjectRead(BaseModel):
    """A subject of an event as stored: the resolved person and the record as sent."""

    person_id: str
    role: str
    record: dict[str, Any]


class EventRead(BaseModel):
    """An event as stored."""

    id: str
    source_agency: str
    source_ref: str
    type: str
    type_label: str
    occurred_at: datetime
    recorded_at: datetime
    received_at: datetime
    location: dict[str, Any] | None
    summary: str
    narrative: str | None
    payload: dict[str, Any]
    subjects: list[SubjectRead] = []


class RecordResult(BaseModel):
    """The outcome of one submitted record."""

    index: int
    source_ref: str | None
    status: Literal["accepted", "duplicate", "rejected"]
    event_id: str | None = None
    errors: list[dict[str, Any]] = []


class IngestReport(BaseModel):
    """Counts and per-record outcomes of a submission."""

    accepted: int
    duplicates: int
    rejected: int
    results: list[RecordResult]
