"""The code systems, profiles and mappings of Lantern's FHIR Bundles (UK Core, on FHIR R4).

UK Core (HL7 UK, https://simplifier.net/hl7fhirukcorer4) profiles FHIR R4 4.0.1; `fhir.resources`
ships R4B (4.3.0), whose Patient, RelatedPerson, Encounter, Observation, Flag and Bundle are the
same as R4's in every element used here, so Bundles are built and checked with the R4B models.
"""

from __future__ import annotations

from typing import Any

UKCORE = "https://fhir.hl7.org.uk/StructureDefinition/"
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
LANTERN = "https://lantern.example.gov.uk/fhir/"
LANTERN_PERSON = f"{LANTERN}Id/person"
LANTERN_RELATION = f"{LANTERN}CodeSystem/family-relation"
LANTERN_FLAG = f"{LANTERN}CodeSystem/flag"
LANTERN_EVENT = f"{LANTERN}Id/event/"  # + the sending agency's code
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"


def profile(name: str) -> dict[str, Any]:
    """The `meta` naming a UK Core profile, e.g. UKCore-Patient."""
    return {"profile": [f"{UKCORE}UKCore-{name}"]}


GENDER = {"female": "female", "male": "male", "indeterminate": "other", "unknown": "unknown"}
SEX = {fhir: lantern for lantern, fhir in GENDER.items()}

# A family relation (or the converse Lantern shows from the other side) -> v3-RoleCode, where one fits.
# Parents are told apart by sex (MTH, FTH) where it is recorded.
ROLE_CODES: dict[str, tuple[str, str]] = {
    "parent": ("PRN", "parent"),
    "step_parent": ("STPPRN", "step parent"),
    "grandparent": ("GRPRN", "grandparent"),
    "sibling": ("SIB", "sibling"),
    "half_sibling": ("HSIB", "half-sibling"),
    "partner": ("SIGOTHR", "significant other"),
    "household_member": ("ROOM", "roommate"),
    "parents_partner": ("FAMMEMB", "family member"),
    "other_child": ("FAMMEMB", "family member"),
    "child": ("CHILD", "child"),
    "step_child": ("STPCHLD", "step child"),
    "grandchild": ("GRNDCHILD", "grandchild"),
}
PARENT_BY_SEX = {"female": ("MTH", "mother"), "male": ("FTH", "father")}
# A v3-RoleCode -> the family relation, for Bundles from systems that send no Lantern code.
RELATIONS: dict[str, str] = {
    **dict.fromkeys(("PRN", "MTH", "FTH", "NPRN", "NMTH", "NFTH"), "parent"),
    **dict.fromkeys(("STPPRN", "STPMTH", "STPFTH"), "step_parent"),
    **dict.fromkeys(("GRPRN", "GRMTH", "GRFTH"), "grandparent"),
    **dict.fromkeys(("SIB", "BRO", "SIS", "NSIB", "NBRO", "NSIS"), "sibling"),
    **dict.fromkeys(("HSIB", "HBRO", "HSIS"), "half_sibling"),
    **dict.fromkeys(("SIGOTHR", "SPS", "HUSB", "WIFE", "DOMPART"), "partner"),
    **dict.fromkeys(("CHILD", "SON", "DAU", "NCHILD"), "child"),
    **dict.fromkeys(("STPCHLD", "STPSON", "STPDAU"), "step_child"),
    **dict.fromkeys(("GRNDCHILD", "GRNDSON", "GRNDDAU"), "grandchild"),
    "ROOM": "household_member",
    "GUARD": "carer",
}

# Growth: LOINC code -> (payload field, UCUM unit Lantern stores, {unit: factor to that unit}).
WEIGHT, LENGTH, HEIGHT, HEAD, GESTATION = "29463-7", "8306-3", "8302-2", "9843-4", "76516-4"
MEASURES: dict[str, tuple[str, str, dict[str, float]]] = {
    WEIGHT: ("weight_grams", "g", {"g": 1, "kg": 1000}),
    LENGTH: ("length_cm", "cm", {"cm": 1, "mm": 0.1, "m": 100}),
    HEIGHT: ("length_cm", "cm", {"cm": 1, "mm": 0.1, "m": 100}),
    HEAD: ("head_circumference_cm", "cm", {"cm": 1, "mm": 0.1}),
}
DISPLAY = {
    WEIGHT: "Body weight",
    LENGTH: "Body height lying",
    HEIGHT: "Body height",
    HEAD: "Head Occipital-frontal circumference",
    GESTATION: "Gestational age at birth",
}
