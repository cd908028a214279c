"""The summary writer: turns a structured record into short, neutral sentences.

Pure: it reads the record's type, payload, place and the people named, never guesses beyond
them, and leaves the agency's own note to follow (expanded by the glossary).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lantern.assessments.disclosures.rules import LABELS as DISCLOSURE_LABELS
from lantern.assessments.injuries.vocabulary import REGIONS
from lantern.plans.rules import CONDITIONS as PLAN_CONDITIONS

NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
CHILD_ROLES = ("child", "subject", "unborn", "patient", "pupil")
AMBULANCE_OUTCOMES = {
    "conveyed": "The patient was taken to hospital.",
    "treated_on_scene": "The patient was treated at the scene.",
    "not_conveyed": "The patient was not taken to hospital.",
    "deceased": "The patient had died.",
}
FINDINGS = {
    "fracture": "a fracture",
    "healing_fracture": "a healing fracture",
    "no_abnormality": "nothing abnormal",
    "other": "a finding",
}


@dataclass(frozen=True)
class Record:
    """What the writer needs of one record: the people are (role, name) in the agency's order."""

    type: str
    payload: dict[str, Any]
    location: dict[str, Any] | None
    people: list[tuple[str, str]]

    def who(self, *roles: str) -> str | None:
        """The people in these roles, as "A and B", or None."""
        names = [name for role, name in self.people if role in roles]
        return _join(names) if names else None

    def text(self, field: str) -> str | None:
        """A payload field as text, if present."""
        value = self.payload.get(field)
        return None if value in (None, "", []) else str(value)


def sentence(record: Record) -> str:
    """The neutral sentences for a record (a generic one for a type the writer does not know)."""
    write = WRITERS.get(record.type)
    return write(record) if write else "A record was made."


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _count(n: int, noun: str, plural: str) -> str:
    word = NUMBERS[n] if 0 <= n < len(NUMBERS) else str(n)
    return f"{word} {noun if n == 1 else plural}"


def _place(record: Record) -> str:
    where = record.location or {}
    parts = [where.get("line1"), where.get("line2"), where.get("town")]
    found = ", ".join(p for p in parts if p)
    return f" at {found}" if found else ""


def _then(label: str, value: str | None) -> str:
    return f" {label}: {value}." if value else ""


def _child(record: Record) -> str:
    return record.who(*CHILD_ROLES) or (
        f"the unborn baby of {record.who('mother')}" if record.who("mother") else "a child"
    )


def _domestic_abuse(r: Record) -> str:
    text = f"Police attended a domestic abuse incident{_place(r)}."
    if r.who("victim") or r.who("perpetrator"):
        victim, suspect = r.who("victim") or "Someone", r.who("perpetrator") or "someone unnamed"
        text += f" {victim} was recorded as the victim and {suspect} as the person suspected."
    present = r.payload.get("children_present")
    if present is not None:
        names = r.who("child_present")
        verb, named = ("was" if present == 1 else "were"), (f" ({names})" if names and present else "")
        text += f" {_count(present, 'child', 'children').capitalize()} {verb} present{named}."
    if r.payload.get("pregnancy_known"):
        text += " The victim was known to be pregnant."
    if r.text("risk_level"):
        text += f" Risk was assessed as {r.text('risk_level')}."
    return text + _then("Outcome", r.text("outcome"))


def _arrest(r: Record) -> str:
    text = f"Police arrested {r.who('suspect', 'offender', 'subject') or 'someone'}"
    text += f" on suspicion of {r.text('offence')}." if r.text("offence") else "."
    if r.who("victim"):
        text += f" The victim was recorded as {r.who('victim')}."
    return text + _then("Outcome", r.text("outcome"))


def _conviction(r: Record) -> str:
    text = f"{r.who('offender', 'subject', 'suspect') or 'Someone'} was convicted of {r.text('offence_description')}"
    text += f" at {r.text('court')}." if r.text("court") else "."
    if r.payload.get("victim_is_child"):
        text += " The victim was a child."
    return text + _then("Sentence", r.text("sentence"))


def _ambulance(r: Record) -> str:
    text = f"The ambulance service was called about {r.who('patient', 'child', 'subject') or 'a patient'}{_place(r)}"
    text += f": {r.text('reason')}." if r.text("reason") else "."
    if r.text("category"):
        urgent = " (the most urgent)" if r.text("category") == "1" else ""
        text += f" It was a category {r.text('category')} call{urgent}."
    others = [
        f"{name} ({role.replace('_', ' ')})" for role, name in r.people if role not in ("patient", "child", "subject")
    ]
    if others:
        text += f" Also named: {_join(others)}."
    return text + (" " + AMBULANCE_OUTCOMES[str(r.payload["outcome"])] if r.text("outcome") else "")


def _hospital(verb: str) -> Callable[[Record], str]:
    def write(r: Record) -> str:
        text = f"{r.who('patient', 'child', 'subject') or 'A patient'} {verb}"
        text += f" with {r.text('complaint')}." if r.text("complaint") else "."
        return text + _then("Concerns recorded", r.text("concerns")) + _then("Outcome", r.text("outcome"))

    return write


def _radiology(r: Record) -> str:
    finding = FINDINGS[str(r.payload.get("finding", "other"))]
    text = f"An X-ray or scan of {r.who('patient', 'child', 'subject') or 'a patient'} showed {finding}"
    text += f" ({r.text('site')})" if r.text("site") else ""
    days = r.payload.get("estimated_age_days")
    return text + (f", thought to be about {days} days old." if days is not None else ".")


def _gp_registration(leaving: bool) -> Callable[[Record], str]:
    def write(r: Record) -> str:
        practice = r.text("practice_name") or "a GP practice"
        who = r.who("patient", "subject", "child") or "A patient"
        text = f"{who} {'left' if leaving else 'registered with'} {practice}."
        if r.payload.get("records_transferred") is False:
            text += " The previous practice's records had not been transferred."
        return text

    return write


def _consultation(r: Record) -> str:
    patient = r.who("patient", "child", "subject") or "A patient"
    if r.payload.get("was_not_brought"):
        return f"{patient} was not brought to a GP appointment."
    text = f"{patient} saw the GP" + (f" about {r.text('reason')}." if r.text("reason") else ".")
    return text + _then("Concerns recorded", r.text("concerns"))


def _health_visitor(r: Record) -> str:
    child, kind = _child(r), r.text("contact_type") or "contact"
    if r.payload.get("was_not_brought"):
        return f"{child} was not brought to a health visitor appointment ({kind})."
    text = f"The health visitor had a {kind} with {child}."
    grams = r.payload.get("weight_grams")
    return text + (f" Weight {grams / 1000:.2f} kg." if grams else "")


def _growth(r: Record) -> str:
    grams, length, head = (r.payload.get(k) for k in ("weight_grams", "length_cm", "head_circumference_cm"))
    parts = [f"weight {grams / 1000:.2f} kg"] if grams else []
    parts += [f"length {length} cm"] if length else []
    parts += [f"head circumference {head} cm"] if head else []
    child = _child(r)
    text = f"{child[:1].upper()}{child[1:]} was measured for the growth chart"
    return text + (f": {', '.join(parts)}." if parts else ".")


def _injury(r: Record) -> str:
    child = _child(r)
    term = r.text("term") or "injury"
    region = REGIONS.get(r.text("region") or "")
    article = "an" if term[:1] in "aeiou" else "a"
    where = region.label.lower() if region else "body"
    text = f"{child[:1].upper()}{child[1:]} was seen with {article} {term} on the {where}"
    details = [f"{r.text('size_cm')} cm"] if r.text("size_cm") else []
    details += [r.text("colour") or ""] if r.text("colour") else []
    text += (f", {', '.join(details)}" if details else "") + f", seen by {r.text('seen_by') or 'the recorder'}."
    text += _then("Explanation given", r.text("explanation_given"))
    return text + _then("Mobility", (r.text("mobility") or "").replace("_", "-") or None)


def _disclosure(r: Record) -> str:
    child = _child(r)
    told = [DISCLOSURE_LABELS.get(c, c) for c in r.payload.get("concerns") or []]
    text = f"{child[:1].upper()}{child[1:]} told {r.text('heard_by') or 'a professional'} of {_join(told or ['harm'])}."
    if r.payload.get("asked_not_to_tell"):
        text += " They asked that no one be told."
    return text + _then("Action taken", r.text("action_taken"))


def _dash(r: Record) -> str:
    answers = r.payload.get("answers") or {}
    yes = sum(a == "yes" for a in answers.values())
    text = f"A DASH was completed with {r.who('victim') or 'the victim'} by {r.text('assessor')}"
    text += f": {yes} of {len(answers)} answered yes."
    if r.payload.get("professional_judgement"):
        text += f" Judged high risk: {r.text('judgement_reason')}."
    callouts = r.payload.get("police_callouts_12_months")
    return text + (f" Police call-outs in the past 12 months: {callouts}." if callouts is not None else "")


def _booking(r: Record) -> str:
    text = f"{r.who('mother', 'subject', 'patient') or 'A mother'} booked her pregnancy with the midwife"
    text += f" at {r.text('gestation_weeks')} weeks." if r.text("gestation_weeks") else "."
    if r.who("father"):
        text += f" The baby's father was named as {r.who('father')}."
    concerns = r.payload.get("concerns") or []
    return text + (f" Concerns: {'; '.join(concerns)}." if concerns else "")


def _birth(r: Record) -> str:
    text = f"{r.who('child', 'subject') or 'A baby'} was born" + (f" to {r.who('mother')}" if r.who("mother") else "")
    text += f" at {r.text('place')}" if r.text("place") else ""
    grams = r.payload.get("birth_weight_grams")
    details = [f"{r.text('gestation_weeks')} weeks of pregnancy"] if r.text("gestation_weeks") else []
    details += [f"weighing {grams / 1000:.2f} kg"] if grams else []
    return text + (f", at {', '.join(details)}." if details else ".")


def _housing(r: Record) -> str:
    text = f"{r.who('applicant', 'subject') or 'Someone'} applied for housing"
    text += f" ({r.text('application_type')})" if r.text("application_type") else ""
    size = r.payload.get("household_size")
    return text + (f", for a household of {size}." if size else ".")


def _school(r: Record) -> str:
    text = f"The school recorded a concern about {r.who('pupil', 'child', 'subject') or 'a pupil'}"
    text += f" ({r.text('category')})." if r.text("category") else "."
    return text + (" The pupil made a disclosure." if r.payload.get("is_disclosure") else "")


def _probation(ending: bool) -> Callable[[Record], str]:
    def write(r: Record) -> str:
        who = r.who("offender", "subject") or "someone"
        if ending:
            return f"Probation supervision of {who} ended" + (
                f": {r.text('end_reason')}." if r.text("end_reason") else "."
            )
        text = f"Probation began supervising {who}" + (f" ({r.text('order_type')})" if r.text("order_type") else "")
        return text + (f" for {r.text('offence')}." if r.text("offence") else ".")

    return write


def _csc(what: str) -> Callable[[Record], str]:
    def write(r: Record) -> str:
        text = f"Children's social care {what} about {_child(r)}" + (
            f": {r.text('reason')}." if r.text("reason") else "."
        )
        return text + _then("Decision", r.text("decision")) + _then("Outcome", r.text("outcome"))

    return write


def _allocation(r: Record) -> str:
    child, to, was = _child(r), r.text("to_worker"), r.text("from_worker")
    change = r.text("change")
    if change == "unallocated":
        held = f" ({was} no longer holds it)" if was else ""
        return f"The case of {child} was left without an allocated social worker{held}."
    if change == "handover":
        text = f"The allocated social worker for {child} changed from {was or 'no one'} to {to}."
        return text + f" {r.text('acknowledged_by') or to} acknowledged the handover."
    return f"{to} was allocated as the social worker for {child}."


def _prebirth(r: Record) -> str:
    mother = r.who("mother") or "the mother"
    done = f"signed off by {r.text('signed_off_by')}" if r.text("status") == "signed_off" else "sent for sign-off"
    text = f"A pre-birth assessment for {mother}'s baby was {done} (version {r.text('version')}, {r.text('assessor')})."
    concerns, unknown = r.payload.get("concerns") or [], r.payload.get("not_known") or []
    text += f" Background concerns: {'; '.join(concerns)}." if concerns else " No background concerns."
    return text + (f" Not yet known, each with an action owed: {'; '.join(unknown)}." if unknown else "")


def _death(r: Record) -> str:
    text = f"{r.who('child', 'subject', 'patient') or 'A child'} died" + (
        f" at {r.text('place')}." if r.text("place") else "."
    )
    return text + _then("Circumstances", r.text("circumstances"))


def _pregnancy(r: Record) -> str:
    text = f"{r.who('mother', 'patient', 'subject') or 'A woman'} was recorded as pregnant"
    return text + (f" at {r.text('gestation_weeks')} weeks." if r.text("gestation_weeks") else ".")


def _plan_breach(r: Record) -> str:
    condition = PLAN_CONDITIONS.get(r.text("condition") or "", "A condition of the plan")
    text = f"A breach of the plan for {_child(r)} was recorded: {condition[:1].lower()}{condition[1:]}."
    return text + _then("Account", r.text("account"))


def _attendance(r: Record) -> str:
    setting = (r.text("setting") or "unscheduled care").replace("_", " ").replace("gp", "GP")
    return f"{_child(r)[:1].upper()}{_child(r)[1:]} was seen in {setting}; the child-protection flag was checked."


def _family_record(r: Record) -> str:
    relatives = [name for role, name in r.people if role == "relative"]
    who = r.who("subject", *CHILD_ROLES) or "a person"
    named = _count(len(relatives), "relative", "relatives")
    return f"A record of the family of {who} was received from another system, naming {named}."


WRITERS: dict[str, Callable[[Record], str]] = {
    "police.domestic_abuse_incident": _domestic_abuse,
    "police.arrest": _arrest,
    "police.conviction": _conviction,
    "ambulance.call": _ambulance,
    "hospital.ed_attendance": _hospital("attended the emergency department"),
    "hospital.admission": _hospital("was admitted to hospital"),
    "hospital.discharge": _hospital("was discharged from hospital"),
    "radiology.finding": _radiology,
    "gp.registration": _gp_registration(leaving=False),
    "gp.deregistration": _gp_registration(leaving=True),
    "gp.consultation": _consultation,
    "health_visitor.contact": _health_visitor,
    "growth.measurement": _growth,
    "injury.observation": _injury,
    "child.disclosure": _disclosure,
    "dash.assessment": _dash,
    "midwife.booking": _booking,
    "pregnancy.notification": _pregnancy,
    "birth.notification": _birth,
    "housing.application": _housing,
    "school.concern": _school,
    "probation.supervision_start": _probation(ending=False),
    "probation.supervision_end": _probation(ending=True),
    "csc.referral": _csc("received a referral"),
    "csc.assessment": _csc("completed an assessment"),
    "csc.strategy_discussion": _csc("held a strategy discussion"),
    "csc.conference": _csc("held a child protection conference"),
    "csc.adoption": _csc("recorded an adoption decision"),
    "csc.allocation": _allocation,
    "plan.breach_observed": _plan_breach,
    "child.death": _death,
    "csc.prebirth_assessment": _prebirth,
    "unscheduled_care.attendance": _attendance,
    "family.record": _family_record,
}
