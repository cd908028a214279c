"""Agencies and roles: the fixed vocabularies of the interface contract."""

AGENCIES: dict[str, str] = {
    "police": "Police",
    "csc": "Children's social care",
    "gp": "GP practice",
    "health_visiting": "Health visiting",
    "midwifery": "Midwifery",
    "hospital": "Hospital",
    "radiology": "Radiology",
    "ambulance": "Ambulance service",
    "probation": "Probation",
    "housing": "Housing",
    "education": "Education (school)",
    "panel": "Safeguarding partnership",
}

ROLES: dict[str, str] = {
    "practitioner": "Practitioner",
    "manager": "Manager",
    "reviewer": "Case reviewer",
    "admin": "Administrator",
}
