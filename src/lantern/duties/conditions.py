"""Named conditions, selectors and content builders that duty rules refer to by name.

Each is a small pure function of the event's facts, so rules stay declarative and every
threshold lives in one reviewed place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from lantern.assessments.dash import rules as dash_rules
from lantern.assessments.disclosures import rules as disclosure_rules
from lantern.assessments.injuries import rules as injury_rules
from lantern.duties.facts import EventFacts, SubjectFacts

HEALTH_AGENCIES = {"ambulance", "hospital", "gp", "health_visiting", "midwifery", "radiology"}
SCHOOL_AGE_YEARS = (4.0, 16.0)  # Operation Encompass covers children in school and early years settings
UNDER_5_DAYS = 5 * 365.25
INFANT_DAYS = 365
FRACTURE_FINDINGS = {"fracture", "healing_fracture"}


def _pregnant(facts: EventFacts) -> list[SubjectFacts]:
    if facts.payload.get("pregnancy_known") or any(s.role == "unborn" for s in facts.subjects):
        return [s for s in facts.subjects if s.role in {"victim", "mother"} and not s.is_child][:1]
    return []


def _school_age(facts: EventFacts) -> list[SubjectFacts]:
    low, high = SCHOOL_AGE_YEARS
    return [c for c in facts.children() if c.age_years is not None and low <= c.age_years < high]


def _under_5(facts: EventFacts) -> list[SubjectFacts]:
    return [c for c in facts.children() if c.age_days is not None and c.age_days < UNDER_5_DAYS]


def _infants(facts: EventFacts) -> list[SubjectFacts]:
    return [c for c in facts.children() if c.age_days is not None and c.age_days < INFANT_DAYS]


def _offender(facts: EventFacts) -> list[SubjectFacts]:
    return [s for s in facts.subjects if s.role in {"offender", "subject", "suspect", "perpetrator"}][:1]


def _bruising(facts: EventFacts) -> list[str]:
    """Why the bruising rule fires for an injury observation (assessments.injuries.rules)."""
    child = next(iter(facts.children()), None)
    p = facts.payload
    return injury_rules.bruising(
        term=p["term"],
        region=p["region"],
        age_days=child.age_days if child else None,
        mobility=p.get("mobility"),
        patterned=bool(p.get("patterned")),
    )


def _disclosing(facts: EventFacts) -> list[tuple[SubjectFacts, str]]:
    """The children a disclosure is referred for, with why (assessments.disclosures.rules). Ages are
    whole years from the birthday, recovered from the age in days, not the engine's 365.25-day years."""
    p = facts.payload
    found = []
    for s in facts.subjects:
        if s.role not in {"child", "subject", "pupil", "patient"}:
            continue
        born = facts.occurred_at.date() - timedelta(days=s.age_days) if s.age_days is not None else None
        age = disclosure_rules.age_years(born, facts.occurred_at.date()) if born else None
        why = disclosure_rules.referral(
            concerns=list(p.get("concerns") or []),
            age=age,
            named_as_child=s.role in {"child", "pupil"},
            asked_not_to_tell=bool(p.get("asked_not_to_tell")),
        )
        if why:
            found.append((s, why))
    return found


def _dash(facts: EventFacts) -> dash_rules.Risk:
    """A DASH checklist's MARAC criteria (assessments.dash.rules), from the answers as recorded."""
    p = facts.payload
    return dash_rules.assess(
        answers=p.get("answers") or {},
        professional_judgement=bool(p.get("professional_judgement")),
        judgement_reason=p.get("judgement_reason"),
        callouts=p.get("police_callouts_12_months"),
    )


CONDITIONS: dict[str, Callable[[EventFacts], bool]] = {
    "child_or_pregnancy_involved": lambda f: bool(f.children() or _pregnant(f) or f.payload.get("children_present")),
    "school_age_child_involved": lambda f: bool(_school_age(f)),
    "child_under_5_involved": lambda f: bool(_under_5(f)),
    "pregnancy_involved": lambda f: bool(_pregnant(f)),
    "child_died": lambda f: bool(f.children()) and (f.type == "child.death" or f.payload.get("outcome") == "deceased"),
    "from_health": lambda f: f.source_agency in HEALTH_AGENCIES,
    "child_injured": lambda f: bool(f.children()) and bool(f.payload.get("injury")),
    "violent_offence_against_child": lambda f: bool(f.payload.get("is_violent") and f.payload.get("victim_is_child")),
    "offender_lives_with_children": lambda f: bool(f.household_children),
    "adults_named": lambda f: bool(f.adults()),
    "records_not_transferred": lambda f: f.payload.get("records_transferred") is False,
    "infant_fracture": lambda f: f.payload.get("finding") in FRACTURE_FINDINGS and bool(_infants(f)),
    "no_decision_recorded": lambda f: not f.payload.get("decision"),
    "no_outcome_recorded": lambda f: not f.payload.get("outcome"),
    "bruising_rule": lambda f: bool(_bruising(f)),
    "child_disclosure": lambda f: bool(_disclosing(f)),
    "marac_criteria": lambda f: _dash(f).marac,
}

SELECTORS: dict[str, Callable[[EventFacts], list[SubjectFacts]]] = {
    "children": EventFacts.children,
    "children_under_5": _under_5,
    "school_age_children": _school_age,
    "children_or_pregnant": lambda f: f.children() or _pregnant(f),
    "pregnant": _pregnant,
    "adults": EventFacts.adults,
    "offender": _offender,
    "subject": lambda f: f.subjects[:1],
    "disclosing_child": lambda f: [s for s, _ in _disclosing(f)],
    "victim": lambda f: [s for s in f.subjects if s.role == "victim"][:1],
}

ENCOMPASS_NOTICE = (
    "Police attended a domestic abuse incident where this child lives. The designated safeguarding "
    "lead should be ready to offer support in school today. Ask the police public protection unit "
    "if you need more."
)


def _people(subjects: list[SubjectFacts]) -> list[dict[str, Any]]:
    return [s.described for s in subjects]


ContentBuilder = Callable[[EventFacts, SubjectFacts | None], Any]

CONTENT: dict[str, ContentBuilder] = {
    "when": lambda f, _: f.occurred_at.isoformat(),
    "where": lambda f, _: f.location,
    "what": lambda f, _: f.type,
    "summary": lambda f, _: f.summary,
    "risk_level": lambda f, _: f.payload.get("risk_level"),
    "children": lambda f, _: _people(f.children()),
    "other_children": lambda f, about: _people(
        [c for c in f.children() if about is None or c.person_id != about.person_id]
    ),
    "child": lambda f, about: _people([about])[0] if about else None,
    "person": lambda f, about: _people([about])[0] if about else None,
    "encompass_notice": lambda f, _: ENCOMPASS_NOTICE,
    "offence": lambda f, _: {k: f.payload.get(k) for k in ("offence_code", "offence_description", "victim_age_years")},
    "household_children": lambda f, _: _people(f.household_children),
    "practices": lambda f, _: {k: f.payload.get(k) for k in ("practice_code", "previous_practice_code")},
    "finding": lambda f, _: {k: f.payload.get(k) for k in ("finding", "site")},
    "injury": lambda f, _: {
        k: f.payload.get(k) for k in ("term", "region", "size_cm", "colour", "seen_by", "mobility")
    },
    "bruising_rule": lambda f, _: injury_rules.explain(_bruising(f)),
    "disclosure": lambda f, about: {
        "concerns": f.payload.get("concerns"),
        "heard_by": f.payload.get("heard_by"),
        "why": next((why for s, why in _disclosing(f) if about and s.person_id == about.person_id), ""),
    },
    "dash": lambda f, _: {
        "yes_count": _dash(f).yes_count,
        "police_callouts_12_months": f.payload.get("police_callouts_12_months"),
        "why": dash_rules.explain(_dash(f)),
    },
}
