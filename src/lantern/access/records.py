"""Record-level access, pure: which of a person's records a viewer reads in full, as a notice, or not
at all, from the viewer's agency, the record's data category, and the viewer's relationship to the
person (docs/decisions.md, ADR 29: the access matrix).

Roles decide what a user may do at all (`policy`); this decides, for a role that may read records,
which records. A viewer always reads their own agency's records. Children's social care and the
safeguarding partnership's reviewers read every category but sealed ones: the MASH must see the whole
picture. Everyone else reads another agency's records by their relationship to the person: involved
(their agency holds a record of the person: the treating clinician, the child's school, the housing
officer), core group of a plan, or allocated (the person's social worker or their manager). A school
or a health professional involved with a child reads a police incident as a notice (Operation
Encompass): that it happened, when, and whom to ask, never the narrative. What a viewer cannot read
is counted by agency, so "Police hold 3 records: ask the police public protection unit" is shown
without a word of their content. An emergency opening (break-glass) reads every category but sealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lantern.access.vocabulary import AGENCIES

Decision = Literal["full", "notice", "withheld"]

CATEGORIES: dict[str, str] = {
    "police_narrative": "Police incident narratives",
    "offence_details": "Offences, convictions and supervision",
    "health_record": "Health records",
    "csc_record": "Children's social care records",
    "school_record": "School records",
    "housing_record": "Housing records",
    "multi_agency": "Multi-agency risk assessments, disclosures and injuries",
    "sealed": "Sealed records (adoption)",
}

# Each event type's data category; tests/unit/test_access_records.py checks every type has one.
TYPE_CATEGORY: dict[str, str] = {
    "police.domestic_abuse_incident": "police_narrative",
    "police.arrest": "police_narrative",
    "police.conviction": "offence_details",
    "probation.supervision_start": "offence_details",
    "probation.supervision_end": "offence_details",
    "ambulance.call": "health_record",
    "hospital.ed_attendance": "health_record",
    "hospital.admission": "health_record",
    "hospital.discharge": "health_record",
    "radiology.finding": "health_record",
    "gp.registration": "health_record",
    "gp.deregistration": "health_record",
    "gp.consultation": "health_record",
    "health_visitor.contact": "health_record",
    "growth.measurement": "health_record",
    "midwife.booking": "health_record",
    "birth.notification": "health_record",
    "pregnancy.notification": "health_record",
    "unscheduled_care.attendance": "health_record",
    "family.record": "multi_agency",
    "injury.observation": "multi_agency",
    "child.disclosure": "multi_agency",
    "dash.assessment": "multi_agency",
    "child.death": "multi_agency",
    "plan.breach_observed": "multi_agency",
    "housing.application": "housing_record",
    "school.concern": "school_record",
    "csc.referral": "csc_record",
    "csc.assessment": "csc_record",
    "csc.strategy_discussion": "csc_record",
    "csc.conference": "csc_record",
    "csc.prebirth_assessment": "csc_record",
    "csc.allocation": "csc_record",
    "csc.adoption": "sealed",
}
# A type missing from the table (a new one) is read only by its own agency, CSC and reviewers.
UNMAPPED = "csc_record"

HEALTH = frozenset({"gp", "health_visiting", "midwifery", "hospital", "ambulance", "radiology"})
Relation = Literal["none", "involved", "core_group", "allocated"]
RELATIONS: dict[str, str] = {
    "none": "no relationship",
    "involved": "your agency holds a record of this person",
    "core_group": "your agency is in the core group of their plan",
    "allocated": "you are their allocated worker, lead professional or its manager",
}
_RANK = {relation: rank for rank, relation in enumerate(RELATIONS)}
Needs = tuple[str | None, str | None]
_ALL = "none"
_NEVER = None
_EVERY: Needs = (_ALL, _ALL)

# group -> category -> (least relationship to read it in full, least relationship for a notice).
MATRIX: dict[str, dict[str, Needs]] = {
    "police": {
        "police_narrative": (_ALL, _ALL), "offence_details": (_ALL, _ALL), "csc_record": ("involved", "involved"),
        "health_record": ("core_group", "core_group"), "school_record": ("core_group", "core_group"),
        "housing_record": ("involved", "involved"), "multi_agency": (_ALL, _ALL), "sealed": (_NEVER, _NEVER),
    },
    "probation": {
        "police_narrative": ("involved", "involved"), "offence_details": (_ALL, _ALL),
        "csc_record": ("core_group", "core_group"), "health_record": ("core_group", "core_group"),
        "school_record": ("core_group", "core_group"), "housing_record": ("involved", "involved"),
        "multi_agency": ("involved", "involved"), "sealed": (_NEVER, _NEVER),
    },
    "health": {
        "police_narrative": ("core_group", "involved"), "offence_details": ("core_group", "core_group"),
        "csc_record": ("involved", "involved"), "health_record": ("involved", "involved"),
        "school_record": ("core_group", "core_group"), "housing_record": ("core_group", "core_group"),
        "multi_agency": ("involved", "involved"), "sealed": (_NEVER, _NEVER),
    },
    "education": {
        "police_narrative": ("core_group", "involved"), "offence_details": ("core_group", "core_group"),
        "csc_record": ("core_group", "core_group"), "health_record": ("core_group", "core_group"),
        "school_record": ("involved", "involved"), "housing_record": ("core_group", "core_group"),
        "multi_agency": ("involved", "involved"), "sealed": (_NEVER, _NEVER),
    },
    "housing": {
        "police_narrative": ("core_group", "core_group"), "offence_details": ("core_group", "core_group"),
        "csc_record": ("core_group", "core_group"), "health_record": ("core_group", "core_group"),
        "school_record": ("core_group", "core_group"), "housing_record": ("involved", "involved"),
        "multi_agency": ("core_group", "core_group"), "sealed": (_NEVER, _NEVER),
    },
    "csc": dict.fromkeys(CATEGORIES, _EVERY) | {"sealed": ("allocated", "allocated")},
    "panel": dict.fromkeys(CATEGORIES, _EVERY) | {"sealed": (_NEVER, _NEVER)},
}  # fmt: skip

# Whom to ask for what a viewer cannot read, by the agency that holds it.
ASK: dict[str, str] = {
    "police": "the police public protection unit",
    "probation": "the probation officer managing the case",
    "csc": "the children's social care front door (MASH)",
    "education": "the school's designated safeguarding lead",
    "housing": "the housing safeguarding lead",
    "panel": "the safeguarding partnership",
} | {agency: f"the {AGENCIES[agency].lower()} safeguarding lead" for agency in HEALTH}


def group_of(agency: str | None) -> str:
    """The matrix row of an agency. Actors of no agency are the server's own commands (`lantern
    chronology` for a case review, run by whoever operates the server): they read as reviewers."""
    return "health" if agency in HEALTH else (agency or "panel")


def category_of(event_type: str) -> str:
    return TYPE_CATEGORY.get(event_type, UNMAPPED)


@dataclass(frozen=True)
class Viewer:
    """Who reads a person's records: their agency, their relationship to the person, and whether they
    opened the record in an emergency."""

    agency: str | None
    relation: str
    break_glass: bool = False

    def decide(self, event_type: str, source_agency: str) -> Decision:
        """How the viewer reads one record of the person."""
        category = category_of(event_type)
        if source_agency == self.agency and category != "sealed":
            return "full"
        if self.break_glass and category != "sealed":
            return "full"
        full, notice = MATRIX.get(group_of(self.agency), {}).get(category, (_NEVER, _NEVER))
        if _reaches(self.relation, full):
            return "full"
        return "notice" if _reaches(self.relation, notice) else "withheld"

    def readable_types(self, types: list[str]) -> tuple[frozenset[str], frozenset[str]]:
        """(types read in full from any agency, types read as a notice), of these types."""
        full = frozenset(t for t in types if self.decide(t, "") == "full")
        notice = frozenset(t for t in types if self.decide(t, "") == "notice")
        return full, notice


def _reaches(relation: str, needed: str | None) -> bool:
    return needed is not None and _RANK[relation] >= _RANK[needed]


def ask(agency: str) -> str:
    """Whom to ask for an agency's records, in plain words."""
    return ASK.get(agency, f"{AGENCIES.get(agency, agency)}")


def withheld_sentence(agency: str, count: int) -> str:
    """E.g. "2 records held by Police that you cannot read here: ask the police public protection unit."""
    records = "record" if count == 1 else "records"
    return f"{count} {records} held by {AGENCIES.get(agency, agency)} that you cannot read here: ask {ask(agency)}."
