"""The controlled vocabulary of event types and subject roles (documented in docs/events.md).

Each type names the agencies that may send it and a payload model; unknown payload fields are
refused so that a misspelt field is an error, not silently lost information.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lantern.access.vocabulary import AGENCIES
from lantern.assessments.dash.rules import ANSWERS as DASH_ANSWERS
from lantern.assessments.dash.rules import QUESTIONS as DASH_QUESTIONS
from lantern.assessments.disclosures.rules import CONCERNS as DISCLOSURE_CONCERNS
from lantern.assessments.injuries.vocabulary import MOBILITY, REGIONS, TERMS
from lantern.plans.rules import CONDITIONS as PLAN_CONDITIONS


class Payload(BaseModel):
    """Base of every type-specific payload."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class DomesticAbuseIncident(Payload):
    risk_level: Literal["standard", "medium", "high"] | None = None
    dash_yes_count: int | None = Field(default=None, ge=0, le=27)
    children_present: int | None = Field(default=None, ge=0)
    pregnancy_known: bool | None = None
    crime_number: str | None = None
    outcome: str | None = None


class Arrest(Payload):
    offence: str
    outcome: str | None = None


class Conviction(Payload):
    offence_code: str | None = None
    offence_description: str
    is_violent: bool = False
    victim_is_child: bool = False
    victim_age_years: int | None = Field(default=None, ge=0, le=120)
    victim_relationship: str | None = None
    sentence: str | None = None
    sentence_months: int | None = Field(default=None, ge=0)
    court: str | None = None


class AmbulanceCall(Payload):
    category: Literal["1", "2", "3", "4", "5"] | None = None
    reason: str | None = None
    outcome: Literal["conveyed", "treated_on_scene", "not_conveyed", "deceased"] | None = None


class HospitalAttendance(Payload):
    complaint: str | None = None
    injury: bool | None = None
    outcome: str | None = None
    concerns: str | None = None


class RadiologyFinding(Payload):
    finding: Literal["fracture", "healing_fracture", "no_abnormality", "other"]
    site: str | None = None
    estimated_age_days: int | None = Field(default=None, ge=0)


class GpRegistration(Payload):
    practice_code: str | None = None
    practice_name: str | None = None
    previous_practice_code: str | None = None
    records_transferred: bool | None = None


class Consultation(Payload):
    reason: str | None = None
    concerns: str | None = None
    was_not_brought: bool | None = None


class HealthVisitorContact(Payload):
    contact_type: str | None = None
    weight_grams: int | None = Field(default=None, gt=0, le=30000)
    length_cm: float | None = Field(default=None, gt=0, le=150)
    head_circumference_cm: float | None = Field(default=None, gt=0, le=70)
    was_not_brought: bool | None = None


class GrowthMeasurement(Payload):
    """A measurement taken to plot on a growth chart (weight, length or height, head circumference);
    gestation at birth lets the chart correct for prematurity."""

    weight_grams: int | None = Field(default=None, gt=0, le=150000)
    length_cm: float | None = Field(default=None, gt=0, le=250)
    head_circumference_cm: float | None = Field(default=None, gt=0, le=70)
    birth_gestation_weeks: int | None = Field(default=None, ge=22, le=44)
    birth_gestation_days: int | None = Field(default=None, ge=0, le=6)


class InjuryObservation(Payload):
    """An injury seen on a child, placed on the body map in the controlled vocabulary
    (`assessments/injuries/vocabulary.py`), so that every agency's word maps to one injury type."""

    term: Literal[tuple(TERMS)]  # type: ignore[valid-type]
    region: Literal[tuple(REGIONS)]  # type: ignore[valid-type]
    size_cm: float | None = Field(default=None, gt=0, le=100)
    colour: str | None = Field(default=None, max_length=100)
    seen_by: str = Field(min_length=1, max_length=200)
    explanation_given: str | None = Field(default=None, max_length=2000)
    mobility: Literal[tuple(MOBILITY)] | None = None  # type: ignore[valid-type]
    patterned: bool = False


class ChildDisclosure(Payload):
    """What a child told a professional of suicidal plans, self-harm, exploitation or abuse, in their
    words; under 18 it is referred to children's social care (`assessments/disclosures/rules.py`)."""

    concerns: list[Literal[tuple(DISCLOSURE_CONCERNS)]] = Field(min_length=1)  # type: ignore[valid-type]
    account: str = Field(min_length=1, max_length=4000)
    heard_by: str = Field(min_length=1, max_length=200)
    asked_not_to_tell: bool = False
    action_taken: str | None = Field(default=None, max_length=2000)


class DashAssessment(Payload):
    """A completed DASH risk checklist (`assessments/dash/rules.py`): every one of the 27 questions
    answered yes, no or not known; a professional judgement of high risk needs its reason."""

    answers: dict[Literal[tuple(DASH_QUESTIONS)], Literal[DASH_ANSWERS]] = Field(  # type: ignore[valid-type]
        min_length=len(DASH_QUESTIONS)
    )
    professional_judgement: bool = False
    judgement_reason: str | None = Field(default=None, max_length=2000)
    police_callouts_12_months: int | None = Field(default=None, ge=0)
    assessor: str = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _judgement_has_a_reason(self) -> DashAssessment:
        if self.professional_judgement and not self.judgement_reason:
            raise ValueError("a professional judgement of high risk needs its reason")
        return self


class PrebirthAssessmentRecord(Payload):
    """A pre-birth assessment submitted for sign-off or signed off in Lantern (`assessments/prebirth`):
    the background questions answered "yes" and those "not known", each as a short phrase."""

    assessment_id: str = Field(min_length=1, max_length=36)
    version: int = Field(ge=1)
    status: Literal["submitted", "signed_off"]
    assessor: str = Field(min_length=1, max_length=200)
    signed_off_by: str | None = Field(default=None, max_length=200)
    concerns: list[str] = []
    not_known: list[str] = []


class Pregnancy(Payload):
    expected_delivery_on: date | None = None
    gestation_weeks: int | None = Field(default=None, ge=0, le=45)
    concerns: list[str] = []


class Birth(Payload):
    gestation_weeks: int | None = Field(default=None, ge=20, le=45)
    birth_weight_grams: int | None = Field(default=None, gt=0, le=7000)
    place: str | None = None


class HousingApplication(Payload):
    application_type: str | None = None
    household_size: int | None = Field(default=None, ge=1)


class SchoolConcern(Payload):
    category: str | None = None
    is_disclosure: bool | None = None


class Supervision(Payload):
    order_type: str | None = None
    offence: str | None = None
    end_reason: str | None = None


class CscRecord(Payload):
    referrer_ref: str | None = None  # the referring agency's reference, e.g. the police incident it reports
    reason: str | None = None
    decision: str | None = None
    category: str | None = None
    outcome: str | None = None


class PlanBreachObserved(Payload):
    """A practitioner's account of a child's plan condition broken (`plans/rules.py`): the watch
    records it as a breach of that condition on the child's open plans and alerts the lead
    professional and manager."""

    condition: Literal[tuple(PLAN_CONDITIONS)]  # type: ignore[valid-type]
    account: str = Field(min_length=1, max_length=4000)


class CaseAllocation(Payload):
    """A change of a child's allocated social worker, recorded in Lantern (`casework`): a first
    allocation, a handover the receiving worker acknowledged, or the case left unallocated."""

    change: Literal["allocated", "handover", "unallocated"]
    case_id: str = Field(min_length=1, max_length=36)
    from_worker: str | None = Field(default=None, max_length=100)
    to_worker: str | None = Field(default=None, max_length=100)
    manager: str | None = Field(default=None, max_length=100)
    handover_id: str | None = Field(default=None, max_length=36)
    acknowledged_by: str | None = Field(default=None, max_length=100)


class ChildDeath(Payload):
    place: str | None = None
    circumstances: str | None = None
    cause_known: bool | None = None


class UnscheduledCareAttendance(Payload):
    """A child (or a pregnant woman) seen in unscheduled care whose child-protection flag was checked
    in Lantern (`interop/flags.py`) and found: the responsible team is told the child attended."""

    setting: Literal["emergency_department", "maternity", "ambulance", "out_of_hours_gp", "urgent_care"]
    flags: list[Literal["cp_plan", "cin_plan", "looked_after", "unborn_cp_plan", "unborn_cin_plan"]] = Field(
        min_length=1
    )


class FamilyRecord(Payload):
    """A person and their family as another system holds them (a FHIR Bundle's Patient and its
    RelatedPersons, `interop/fhir`): for each `relative` subject, in order, how they relate to the
    `subject` (a family relation code of `family/rules/relationships.toml`, or its converse)."""

    relations: list[str] = Field(max_length=49)
    source_system: str | None = Field(default=None, max_length=200)


@dataclass(frozen=True)
class EventType:
    """One entry of the vocabulary."""

    code: str
    label: str
    agencies: frozenset[str]
    payload: type[Payload]


_ALL = frozenset(AGENCIES)
_HEALTH = frozenset({"gp", "health_visiting", "midwifery", "hospital", "ambulance", "radiology"})


def _t(code: str, label: str, agencies: set[str] | frozenset[str], payload: type[Payload]) -> EventType:
    return EventType(code, label, frozenset(agencies), payload)


EVENT_TYPES: dict[str, EventType] = {
    t.code: t
    for t in [
        _t("police.domestic_abuse_incident", "Domestic abuse incident", {"police"}, DomesticAbuseIncident),
        _t("police.arrest", "Arrest", {"police"}, Arrest),
        _t("police.conviction", "Conviction", {"police", "probation"}, Conviction),
        _t("ambulance.call", "Ambulance call", {"ambulance"}, AmbulanceCall),
        _t("hospital.ed_attendance", "Emergency department attendance", {"hospital"}, HospitalAttendance),
        _t("hospital.admission", "Hospital admission", {"hospital"}, HospitalAttendance),
        _t("hospital.discharge", "Hospital discharge", {"hospital"}, HospitalAttendance),
        _t("radiology.finding", "Radiology finding", {"radiology", "hospital"}, RadiologyFinding),
        _t("gp.registration", "GP registration", {"gp"}, GpRegistration),
        _t("gp.deregistration", "GP deregistration", {"gp"}, GpRegistration),
        _t("gp.consultation", "GP consultation", {"gp"}, Consultation),
        _t("health_visitor.contact", "Health visitor contact", {"health_visiting"}, HealthVisitorContact),
        _t("growth.measurement", "Growth measurement", _HEALTH, GrowthMeasurement),
        _t("injury.observation", "Injury observed", _HEALTH | {"csc", "police", "education"}, InjuryObservation),
        _t("child.disclosure", "Disclosure by a child", _ALL - {"panel"}, ChildDisclosure),
        _t("dash.assessment", "DASH risk assessment", _ALL - {"panel"}, DashAssessment),
        _t("midwife.booking", "Midwife booking", {"midwifery"}, Pregnancy),
        _t("birth.notification", "Birth notification", {"midwifery", "hospital"}, Birth),
        _t("pregnancy.notification", "Pregnancy notification", _HEALTH, Pregnancy),
        _t("housing.application", "Housing application", {"housing"}, HousingApplication),
        _t("school.concern", "School concern", {"education"}, SchoolConcern),
        _t("probation.supervision_start", "Probation supervision start", {"probation"}, Supervision),
        _t("probation.supervision_end", "Probation supervision end", {"probation"}, Supervision),
        _t("csc.referral", "Referral to children's social care", {"csc"}, CscRecord),
        _t("csc.assessment", "Children's social care assessment", {"csc"}, CscRecord),
        _t("csc.strategy_discussion", "Strategy discussion", {"csc"}, CscRecord),
        _t("csc.conference", "Child protection conference", {"csc"}, CscRecord),
        _t("csc.adoption", "Adoption record (sealed)", {"csc"}, CscRecord),
        _t("csc.allocation", "Change of allocated social worker", {"csc"}, CaseAllocation),
        _t("plan.breach_observed", "Plan condition breach observed", _ALL - {"panel"}, PlanBreachObserved),
        _t("csc.prebirth_assessment", "Pre-birth assessment", {"csc"}, PrebirthAssessmentRecord),
        _t("child.death", "Death of a child", {"police", "hospital", "ambulance", "csc", "gp"}, ChildDeath),
        _t(
            "unscheduled_care.attendance",
            "Unscheduled care attendance (flag checked)",
            {"hospital", "ambulance", "gp", "midwifery"},
            UnscheduledCareAttendance,
        ),
        _t("family.record", "Family record from another system", _ALL - {"panel"}, FamilyRecord),
    ]
}

SubjectRole = Literal[
    "subject",
    "child",
    "child_present",
    "unborn",
    "mother",
    "father",
    "parent",
    "step_parent",
    "carer",
    "partner",
    "ex_partner",
    "household_member",
    "visitor",
    "victim",
    "perpetrator",
    "suspect",
    "witness",
    "patient",
    "offender",
    "applicant",
    "pupil",
    "referrer",
    "relative",
]
SUBJECT_ROLES: tuple[str, ...] = get_args(SubjectRole)
