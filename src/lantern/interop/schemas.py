"""The flag look-up's answer, and the FHIR import's per-resource results."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

FlagKind = Literal["cp_plan", "cin_plan", "looked_after", "unborn_cp_plan", "unborn_cin_plan"]
Setting = Literal["emergency_department", "maternity", "ambulance", "out_of_hours_gp", "urgent_care"]


class Contact(BaseModel):
    """A team to call, with its daytime and out-of-hours lines."""

    team: str
    phone: str
    out_of_hours: str
    email: str


class FlagRead(BaseModel):
    """One flag held: what it is, about whom, since when, and whom to call."""

    kind: FlagKind
    label: str
    person_id: str = Field(description="The child, or the unborn child of the woman looked up")
    since: date | None = None
    category: str | None = None
    lead_professional: str | None = None
    manager: str | None = None
    contact: Contact


class AccessRead(BaseModel):
    """One earlier look-up of the same person's flag."""

    at: datetime
    who: str
    agency: str | None
    setting: str | None
    held: bool


class FlagAnswer(BaseModel):
    """Whether a child (or a pregnant woman's unborn child) is on a plan or looked after."""

    nhs_number: str
    held: bool
    message: str
    person_id: str | None = None
    name: str | None = None
    date_of_birth: date | None = None
    flags: list[FlagRead] = []
    duty_ids: list[str] = []
    accesses: list[AccessRead] = Field(default=[], description="The last 25 look-ups before this one, newest first")


class ResourceResult(BaseModel):
    """What became of one entry of an imported Bundle."""

    index: int
    resource_type: str | None
    status: Literal["accepted", "duplicate", "rejected", "used", "ignored"]
    event_id: str | None = None
    errors: list[dict[str, object]] = []


class ImportReport(BaseModel):
    """A Bundle import: entries taken (accepted, or used as people of a record), duplicates and
    rejections; each entry's result."""

    accepted: int
    duplicates: int
    rejected: int
    results: list[ResourceResult]
