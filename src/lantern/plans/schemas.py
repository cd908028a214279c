"""Plans as the API takes and returns them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from lantern.people.schemas import AddressIn

Kind = Literal["cp", "cin"]
Category = Literal["neglect", "physical", "emotional", "sexual"]
ConditionKind = Literal[
    "report_overnight_stays",
    "no_unsupervised_contact",
    "not_to_live_at_address",
    "attend_health_appointments",
    "report_new_adults",
]
Step = Literal["identify", "register", "police_history", "csc_history"]
_FORBID = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CoreMember(BaseModel):
    """A member of the core group: a professional or family member, their agency and role."""

    model_config = _FORBID
    name: str = Field(min_length=1, max_length=200)
    agency: str | None = Field(default=None, max_length=40)
    role: str | None = Field(default=None, max_length=100)
    person_id: str | None = Field(default=None, max_length=36, description="A family member's person id")


class ConditionIn(BaseModel):
    """A condition as a typed rule; `person_id` is person X or Y for the kinds that name one."""

    model_config = _FORBID
    kind: ConditionKind
    person_id: str | None = Field(default=None, max_length=36)
    wording: str | None = Field(
        default=None, max_length=2000, description="The conference's words; a default if omitted"
    )

    @model_validator(mode="after")
    def _person_where_needed(self) -> ConditionIn:
        needs = self.kind in ("no_unsupervised_contact", "not_to_live_at_address")
        if needs and not self.person_id:
            raise ValueError(f"{self.kind} names a person: give person_id")
        if not needs:
            self.person_id = None
        return self


class ActionIn(BaseModel):
    model_config = _FORBID
    description: str = Field(min_length=1, max_length=2000)
    owner: str = Field(min_length=1, max_length=200)
    due_on: date


class PlanIn(BaseModel):
    """A new plan for a child (children's social care caseworkers)."""

    model_config = _FORBID
    child_id: str = Field(min_length=1, max_length=36)
    kind: Kind
    category: Category | None = None
    lead_professional: str = Field(min_length=1, max_length=100, description="Username of the allocated social worker")
    manager: str = Field(min_length=1, max_length=100, description="Username of their manager")
    home_address: AddressIn
    core_group: list[CoreMember] = Field(default_factory=list, max_length=50)
    outcomes: list[str] = Field(default_factory=list, max_length=50)
    conditions: list[ConditionIn] = Field(default_factory=list, max_length=20)
    actions: list[ActionIn] = Field(default_factory=list, max_length=100)
    start_on: date

    @field_validator("home_address")
    @classmethod
    def _has_postcode(cls, value: AddressIn) -> AddressIn:
        if not value.postcode:
            raise ValueError("the home address needs a postcode")
        return value

    @model_validator(mode="after")
    def _category_for_cp(self) -> PlanIn:
        if self.kind == "cp" and self.category is None:
            raise ValueError("a child protection plan needs its category")
        return self


class BreachIn(BaseModel):
    """A breach recorded by hand: which condition, what was seen, when."""

    model_config = _FORBID
    condition_id: str = Field(min_length=1, max_length=36)
    account: str = Field(min_length=1, max_length=4000)
    occurred_at: datetime | None = Field(default=None, description="When it happened; now if omitted")


class StayNoticeIn(BaseModel):
    """An overnight stay the parents told the social worker of in advance."""

    model_config = _FORBID
    address: AddressIn
    with_whom: str | None = Field(default=None, max_length=200)
    from_on: date
    to_on: date

    @model_validator(mode="after")
    def _in_order(self) -> StayNoticeIn:
        if self.to_on < self.from_on:
            raise ValueError("the stay ends before it starts")
        if not self.address.postcode:
            raise ValueError("the address needs a postcode")
        return self


class CheckIn(BaseModel):
    model_config = _FORBID
    step: Step
    finding: str = Field(min_length=1, max_length=2000)


class TaskResultIn(BaseModel):
    model_config = _FORBID
    result: str = Field(min_length=1, max_length=4000)


class ActionDoneIn(BaseModel):
    model_config = _FORBID
    done_on: date


class PlanEndIn(BaseModel):
    model_config = _FORBID
    end_on: date


class EvidenceRead(BaseModel):
    event_id: str
    source_agency: str
    source_ref: str
    type_label: str
    occurred_at: datetime
    summary: str


class BreachRead(BaseModel):
    id: str
    condition_id: str
    source: str
    explanation: str
    detected_at: datetime
    recorded_by: str
    lead_duty_id: str | None
    manager_duty_id: str | None
    evidence: list[EvidenceRead]


class ConditionRead(BaseModel):
    id: str
    kind: str
    label: str
    person_id: str | None
    person_name: str | None
    wording: str
    status: Literal["kept", "breached"]
    breaches: list[BreachRead]


class ActionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    description: str
    owner: str
    due_on: date
    done_on: date | None
    is_overdue: bool = False


class TaskRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    plan_id: str
    person_id: str
    name: str
    role: str
    event_id: str
    checklist: dict[str, Any]
    result: str | None
    status: str
    raised_at: datetime
    duty_id: str | None
    completed_at: datetime | None
    completed_by: str | None


class StayNoticeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    address: dict[str, Any]
    with_whom: str | None
    from_on: date
    to_on: date
    notified_at: datetime
    recorded_by: str


class PlanRead(BaseModel):
    id: str
    child_id: str
    child_name: str
    kind: str
    category: str | None
    lead_professional: str
    manager: str
    home_address: dict[str, Any]
    core_group: list[dict[str, Any]]
    outcomes: list[str]
    status: str
    start_on: date
    end_on: date | None
    conditions: list[ConditionRead]
    actions: list[ActionRead]
    tasks: list[TaskRead]
    stay_notices: list[StayNoticeRead]
