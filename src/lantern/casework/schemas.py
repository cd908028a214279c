"""Casework as the API takes and returns it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

_IN = ConfigDict(extra="forbid", str_strip_whitespace=True)
Username = Field(min_length=1, max_length=100)
Section = Literal["risks", "plan_conditions", "open_actions", "family_network", "upcoming_dates"]


class CaseIn(BaseModel):
    """Open a case about a child; without a worker it is unallocated and the manager owes an allocation."""

    model_config = _IN
    person_id: str
    manager: str = Username
    worker: str | None = Field(default=None, max_length=100)
    team: str = Field(default="Safeguarding team", min_length=1, max_length=100)
    is_complex: bool = False


class CaseUpdate(BaseModel):
    """What a manager may change directly; the worker changes only through an acknowledged handover."""

    model_config = _IN
    worker: str | None = Field(default=None, max_length=100)
    unallocate: bool = Field(default=False, description="The worker has left the case; it goes back to the manager")
    manager: str | None = Field(default=None, max_length=100)
    is_complex: bool | None = None
    status: Literal["open", "closed"] | None = None


class NextDates(BaseModel):
    conference_due_on: date | None = None
    conference_kind: str | None = None
    conference_overdue: bool = False
    supervision_due_on: date | None = None


class CaseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    person_id: str
    name: str
    status: str
    team: str
    worker: str | None
    manager: str
    is_complex: bool
    opened_at: datetime
    allocated_at: datetime | None
    unallocated_since: datetime | None
    allocation_due_at: datetime | None
    is_unallocated_overdue: bool
    allocation_duty_id: str | None
    pending_handover_id: str | None
    next: NextDates


class HandoverIn(BaseModel):
    """Send a handover: the receiving worker and the checklist (omitted sections are prefilled)."""

    model_config = _IN
    to_worker: str = Username
    checklist: dict[Section, str] = Field(default_factory=dict)
    note: str | None = Field(default=None, max_length=4000)


class AcknowledgementIn(BaseModel):
    """The receiving worker confirms each section has been read and understood."""

    model_config = _IN
    confirmed: list[Section] = Field(default_factory=list)
    note: str | None = Field(default=None, max_length=4000)


class HandoverRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    case_id: str
    from_worker: str | None
    to_worker: str
    status: str
    checklist: dict[str, Any]
    note: str | None
    sent_at: datetime
    sent_by: str
    confirmed: list[Any]
    acknowledged_at: datetime | None
    acknowledgement_note: str | None
    event_id: str | None


class WorkerSettingIn(BaseModel):
    """A worker's supervisor and, optionally, their own supervision interval in days."""

    model_config = _IN
    supervisor: str = Username
    frequency_days: int | None = Field(default=None, ge=1, le=365)
    started_on: date | None = None


class ActionIn(BaseModel):
    model_config = _IN
    description: str = Field(min_length=1, max_length=2000)
    owner: str = Field(min_length=1, max_length=200)
    due_on: date
    case_id: str | None = None


class DecisionIn(BaseModel):
    model_config = _IN
    case_id: str
    decision: str = Field(min_length=1, max_length=4000)


class SupervisionIn(BaseModel):
    """A supervision session held with a worker: decisions case by case, and actions."""

    model_config = _IN
    worker: str = Username
    held_on: date
    decisions: list[DecisionIn] = Field(default_factory=list, max_length=100)
    actions: list[ActionIn] = Field(default_factory=list, max_length=100)
    notes: str | None = Field(default=None, max_length=10000)


class ActionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    source: str
    source_id: str
    case_id: str | None
    description: str
    owner: str
    due_on: date
    status: str
    done_at: datetime | None
    is_overdue: bool = False


class SupervisionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    worker: str
    supervisor: str
    held_on: date
    decisions: list[Any]
    notes: str | None
    recorded_at: datetime


class WorkerSupervision(BaseModel):
    """One worker's line of the team report."""

    worker: str
    supervisor: str | None
    frequency_days: int
    frequency_source: str
    open_cases: int
    complex_cases: int
    last_held_on: date | None
    due_on: date
    is_overdue: bool
    days_overdue: int
    frequency_met: bool
    open_actions: int


class TeamReport(BaseModel):
    manager: str
    today: date
    workers: list[WorkerSupervision]
    open_actions: list[ActionRead]


class AttendeeIn(BaseModel):
    """Someone from an agency at a conference or a sitting."""

    model_config = _IN
    agency: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)


class Invitation(AttendeeIn):
    """Someone invited to a conference and, once it is held, whether they attended."""

    attended: bool | None = None


class ConferenceUpdate(BaseModel):
    """Set the date, invite, record the conference as held (attendance, decisions, minutes), or cancel."""

    model_config = _IN
    scheduled_for: datetime | None = None
    invitations: list[Invitation] | None = Field(default=None, max_length=100)
    held_on: date | None = None
    outcome: Literal["child_protection_plan", "no_plan"] | None = None
    decisions: str | None = Field(default=None, max_length=10000)
    minutes: str | None = Field(default=None, max_length=50000)
    cancel_reason: str | None = Field(default=None, max_length=2000)


class ConferenceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    person_id: str
    name: str
    kind: str
    due_on: date
    strategy_event_id: str | None
    held_event_id: str | None
    previous_id: str | None
    status: str
    scheduled_for: datetime | None
    held_on: date | None
    outcome: str | None
    decisions: str | None
    minutes: str | None
    invitations: list[Any]
    cancel_reason: str | None
    is_overdue: bool
    is_scheduled_late: bool
    due_rule: str


class SeriesIn(BaseModel):
    """A standing meeting: weekdays (Monday 0) and local time; defaults twice weekly (casework.toml)."""

    model_config = _IN
    title: str = Field(min_length=1, max_length=200)
    weekdays: list[int] | None = Field(default=None, min_length=1, max_length=7)
    at_time: str | None = Field(default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    agencies: list[str] = Field(default_factory=list, max_length=20)


class SeriesRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    title: str
    weekdays: list[Any]
    at_time: str
    agencies: list[Any]
    next_sittings: list[datetime] = []


class SittingUpdate(BaseModel):
    """Attendance by agency, notes and new actions; `close` ends the sitting."""

    model_config = _IN
    attendance: list[AttendeeIn] | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=50000)
    actions: list[ActionIn] = Field(default_factory=list, max_length=100)
    close: bool = False


class SittingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    series_id: str
    starts_at: datetime
    since: datetime
    agenda: list[Any]
    attendance: list[Any]
    notes: str | None
    status: str
    actions: list[ActionRead] = []
