"""The register as the API takes and returns it; details and the restricted view are separate shapes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from lantern.people.schemas import AddressIn

Status = Literal["active", "under_appeal", "deceased"]


class OffenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    code: str | None = Field(default=None, max_length=40, description="A code from register/data/offences.toml")
    description: str | None = Field(default=None, max_length=500, description="Required when the code is unknown")
    victim_age_years: int | None = Field(default=None, ge=0, le=17)
    victim_relationship: str | None = Field(default=None, max_length=100)


class EntryIn(BaseModel):
    """A registration by hand (police and probation only)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    person_id: str
    offences: list[OffenceIn] = Field(min_length=1, max_length=20)
    conviction_on: date
    sentence: str | None = Field(default=None, max_length=200)
    sentence_months: int | None = Field(default=None, ge=0)
    court: str | None = Field(default=None, max_length=200)
    managing_agency: Literal["police", "probation"] | None = None
    managing_officer: str | None = Field(default=None, max_length=100)
    address: AddressIn | None = None


class AddressNotice(BaseModel):
    """A registered person's notification of an address (initial or a move)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    address: AddressIn
    moved_in_on: date
    notified_at: datetime | None = Field(default=None, description="When the person notified; now if omitted")


class EntryUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    status: Status | None = None
    managing_officer: str | None = Field(default=None, max_length=100)
    note: str = Field(default="", max_length=2000)


class OffenceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    code: str | None
    statute: str | None
    description: str
    victim_age_years: int | None
    victim_relationship: str | None


class AddressRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    line1: str | None
    line2: str | None
    town: str | None
    postcode: str
    moved_in_at: datetime
    source: str
    notified_at: datetime | None
    notified_by: str | None
    duty_id: str | None
    notification: str = Field(description="notified, notified late, awaited, overdue")


class EntryRead(BaseModel):
    """A registration with its details: police, probation and named CSC roles only."""

    id: str
    person_id: str
    name: str
    aliases: list[str]
    status: str = Field(description="active, expired, under_appeal or deceased")
    conviction_on: date
    sentence: str | None
    sentence_months: int | None
    court: str | None
    monitoring_years: int | None = Field(description="None: indefinite")
    monitoring_ends_on: date | None
    managing_agency: str
    managing_officer: str | None
    registered_at: datetime
    registered_by: str
    offences: list[OffenceRead]
    addresses: list[AddressRead]


class AlertRead(BaseModel):
    """A household alert. `details` (explanation, evidence, entry) only for those who may read the register."""

    id: str
    kind: str
    raised_at: datetime
    status: str
    action: str
    household: list[dict[str, Any]]
    trigger_event_id: str
    replaces_id: str | None
    entry_id: str | None = None
    explanation: str | None = None
    evidence: list[Any] | None = None
    event_ids: list[str] | None = None
