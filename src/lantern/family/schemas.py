"""The family network as the API and pages show it, and a relationship recorded by hand."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator


class RelationshipIn(BaseModel):
    """A relationship a practitioner records: `person_id` is the `relation` of the page's person."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    person_id: str = Field(min_length=1, max_length=36)
    relation: str = Field(min_length=1, max_length=30)
    from_on: date | None = None
    to_on: date | None = None
    note: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _dates_in_order(self) -> RelationshipIn:
        if self.from_on and self.to_on and self.to_on < self.from_on:
            raise ValueError("the end date is before the start date")
        return self


class MemberRead(BaseModel):
    """Someone in a child's network: how they are related, on what evidence, from when to when."""

    person_id: str
    name: str
    date_of_birth: date | None
    age: int | None
    relation: str
    relation_label: str
    via_person_id: str | None = None
    via_name: str | None = None
    first_seen_at: datetime
    last_seen_at: datetime
    is_current: bool
    lives_with: bool
    cares_for: bool
    sources: list[str]
    status: str | None = None


class AdultHistoryItem(BaseModel):
    """One record in an adult's agency history: an offence, or domestic abuse with a named partner."""

    event_id: str
    occurred_at: datetime
    type: str
    type_label: str
    role: str
    source_agency: str
    source_ref: str
    other_person_id: str | None
    other_name: str | None


class NetworkRead(BaseModel):
    """The network around a person on a date (or everyone ever, `on` is None)."""

    person_id: str
    name: str
    on: datetime | None
    members: list[MemberRead]
    histories: dict[str, list[AdultHistoryItem]]


class NetworkChange(BaseModel):
    """Who joined and who left the network between two dates."""

    person_id: str
    since: datetime
    until: datetime
    joined: list[MemberRead]
    left: list[MemberRead]
    changed: list[MemberRead]
