"""API shapes of the assessments."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class MeasurementIn(BaseModel):
    """A measurement taken by the caller's agency; at least one of the three values."""

    model_config = ConfigDict(extra="forbid")

    measured_on: date
    weight_kg: float | None = Field(default=None, gt=0, le=150)
    length_cm: float | None = Field(default=None, gt=0, le=250)
    head_circumference_cm: float | None = Field(default=None, gt=0, le=70)
    birth_gestation_weeks: int | None = Field(default=None, ge=22, le=44)
    birth_gestation_days: int | None = Field(default=None, ge=0, le=6)


class Recorded(BaseModel):
    """The canonical event that now holds what was recorded."""

    event_id: str


class PlottedRead(BaseModel):
    """A measurement placed on UK-WHO: ages, SDS and centile (None, with a note, when outside it)."""

    kind: str
    measured_on: date
    value: float
    unit: str
    age_days: int
    corrected_age_years: float
    sds: float | None
    centile: float | None
    note: str | None
    event_id: str
    source_agency: str
    source_ref: str


class ConcernRead(BaseModel):
    """A NICE NG75 threshold for concern that the weights crossed."""

    code: str
    title: str
    explanation: str
    threshold: str
    event_ids: list[str]


class GrowthRead(BaseModel):
    """A child's growth on UK-WHO (rcpchgrowth), gestation-corrected, with the NG75 concerns."""

    person_id: str
    born_on: date | None
    sex: str | None
    gestation_weeks: int | None
    gestation_days: int
    gestation_source: str
    missing: str | None
    measurements: list[PlottedRead]
    concerns: list[ConcernRead]


class InjuryIn(BaseModel):
    """An injury seen by the caller's agency, in the body map's vocabulary (README, Injuries)."""

    model_config = ConfigDict(extra="forbid")

    seen_on: date
    term: str
    region: str
    size_cm: float | None = None
    colour: str | None = None
    seen_by: str
    explanation_given: str | None = None
    mobility: str | None = None
    patterned: bool = False


class InjuryRead(BaseModel):
    """A recorded injury: the word used, the injury type it counts as, where, and the rule's reasons."""

    event_id: str
    source_agency: str
    source_ref: str
    seen_on: date
    age_days: int | None
    term: str
    injury_type: str
    region: str
    region_label: str
    view: str
    size_cm: float | None
    colour: str | None
    seen_by: str
    explanation_given: str | None
    mobility: str | None
    patterned: bool
    rule_reasons: list[str]


class InjuriesRead(BaseModel):
    """A child's body map."""

    person_id: str
    injuries: list[InjuryRead]


class DisclosureIn(BaseModel):
    """What a child told the caller's agency (README, Disclosures): at least one concern, in their words."""

    model_config = ConfigDict(extra="forbid")

    disclosed_on: date
    concerns: list[str] = Field(min_length=1)
    account: str
    heard_by: str
    asked_not_to_tell: bool = False
    action_taken: str | None = None


class DisclosureRead(BaseModel):
    """A recorded disclosure, the child's age then, and why it is referred ("" when it is not)."""

    event_id: str
    source_agency: str
    source_ref: str
    disclosed_on: date
    age_years: int | None
    concerns: list[str]
    account: str
    heard_by: str
    asked_not_to_tell: bool
    action_taken: str | None
    referral: str


class DisclosuresRead(BaseModel):
    """A young person's disclosures."""

    person_id: str
    age_today: int | None
    disclosures: list[DisclosureRead]


class DashIn(BaseModel):
    """A DASH checklist completed by the caller's agency: all 27 questions answered (README, DASH)."""

    model_config = ConfigDict(extra="forbid")

    assessed_on: date
    assessor: str
    answers: dict[str, str]
    professional_judgement: bool = False
    judgement_reason: str | None = None


class CalloutRead(BaseModel):
    """A police domestic abuse call-out to the victim, cited by its record."""

    event_id: str
    source_ref: str
    occurred_on: date


class ChecklistRead(BaseModel):
    """A completed checklist: the "yes" count, each MARAC criterion met, and the referral sentence."""

    event_id: str
    source_agency: str
    source_ref: str
    assessed_on: date
    assessor: str
    answers: dict[str, str]
    judgement_reason: str | None
    police_callouts_12_months: int | None
    yes_count: int
    high_risk: bool
    escalation: bool
    marac: str


class DashRead(BaseModel):
    """A victim's DASH checklists and the police call-outs in the 12 months to today."""

    person_id: str
    checklists: list[ChecklistRead]
    callouts_12_months: list[CalloutRead]
