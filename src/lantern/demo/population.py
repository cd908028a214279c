"""A deterministic synthetic population: families and the records agencies would hold on them.

Records vary as real ones do: nicknames and typos in names, missing NHS numbers, moves. The
generator knows the truth (`person_key`) so that linkage accuracy can be measured later.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from lantern.people.rules import with_check_digit

FEMALE = [
    "Amelia",
    "Olivia",
    "Isla",
    "Ava",
    "Emily",
    "Sophie",
    "Grace",
    "Lily",
    "Chloe",
    "Ella",
    "Jessica",
    "Katie",
    "Hannah",
    "Megan",
    "Rebecca",
    "Lauren",
    "Charlotte",
    "Elizabeth",
    "Abigail",
    "Kayleigh",
    "Danielle",
    "Natalie",
    "Stacey",
    "Gemma",
    "Leanne",
    "Rachel",
]
MALE = [
    "Oliver",
    "Harry",
    "George",
    "Jack",
    "Jacob",
    "Noah",
    "Charlie",
    "Thomas",
    "Oscar",
    "William",
    "James",
    "Daniel",
    "Joshua",
    "Liam",
    "Ryan",
    "Callum",
    "Connor",
    "Jordan",
    "Michael",
    "Christopher",
    "Matthew",
    "Anthony",
    "Nathan",
    "Dean",
    "Lewis",
    "Kieran",
]
FAMILY = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Lewis",
    "James",
    "Phillips",
    "Mason",
    "Hughes",
    "Turner",
    "Parker",
    "Cooper",
    "Morris",
    "Harris",
    "Baker",
    "Ward",
    "Carter",
]
NICKNAMES = {
    "Elizabeth": "Beth",
    "Rebecca": "Becky",
    "Jessica": "Jess",
    "Abigail": "Abbie",
    "Danielle": "Dani",
    "Natalie": "Nat",
    "Katie": "Kate",
    "Charlotte": "Lottie",
    "Thomas": "Tom",
    "William": "Will",
    "James": "Jim",
    "Daniel": "Dan",
    "Joshua": "Josh",
    "Michael": "Mike",
    "Christopher": "Chris",
    "Matthew": "Matt",
    "Anthony": "Tony",
    "Nathan": "Nate",
    "Jacob": "Jake",
    "Jordan": "Jord",
}
STREETS = [
    "Mill Lane",
    "Church Street",
    "Station Road",
    "Victoria Road",
    "Park Avenue",
    "Queens Road",
    "Orchard Close",
    "Meadow Way",
    "Cedar Drive",
    "Willow Court",
]
TOWNS = [
    ("Abingdon", "OX14"),
    ("Banbury", "OX16"),
    ("Didcot", "OX11"),
    ("Witney", "OX28"),
    ("Reading", "RG1"),
    ("Swindon", "SN1"),
    ("Derby", "DE1"),
    ("Rhyl", "LL18"),
    ("Newport", "PO30"),
    ("Eastleigh", "SO50"),
]
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the inward code of UK postcodes
START = datetime(2015, 1, 1, tzinfo=UTC)
SPAN_DAYS = 11 * 365


@dataclass
class Member:
    """One person in a synthetic family, with every identifier any agency might hold."""

    key: str
    given: str
    family: str
    dob: date
    sex: str
    nhs: str | None
    local: dict[str, str] = field(default_factory=dict)
    pnc: str | None = None


@dataclass
class Family:
    """Adults and children at an address."""

    adults: list[Member]
    children: list[Member]
    address: dict[str, str]


class Generator:
    """Deterministic for a given seed: the same seed gives the same records."""

    def __init__(self, seed: int = 2026) -> None:
        self.rng = random.Random(seed)
        self._next_nhs = 400_000_000
        self._next_id = 0

    def _nhs(self) -> str:
        while True:
            self._next_nhs += 1
            number = with_check_digit(str(self._next_nhs))
            if number is not None:
                return number

    def _member(self, family_name: str, sex: str, born: date) -> Member:
        self._next_id += 1
        given = self.rng.choice(FEMALE if sex == "female" else MALE)
        return Member(
            key=f"P{self._next_id}",
            given=given,
            family=family_name,
            dob=born,
            sex=sex,
            nhs=self._nhs(),
            local={a: f"{a[:3].upper()}{self._next_id:08d}" for a in ("police", "education", "housing", "csc")},
        )

    def family(self) -> Family:
        """A new household: a mother, often a partner, and up to four children."""
        rng = self.rng
        surname = rng.choice(FAMILY)
        mother = self._member(surname, "female", date(rng.randint(1975, 2004), rng.randint(1, 12), rng.randint(1, 28)))
        adults = [mother]
        if rng.random() < 0.8:
            father = self._member(rng.choice(FAMILY), "male", mother.dob - timedelta(days=rng.randint(-900, 3000)))
            if rng.random() < 0.3:
                father.pnc = f"{father.dob.year % 100:02d}/{rng.randint(100000, 999999)}{rng.choice('ABCDEFGHJK')}"
            adults.append(father)
        children = [
            self._member(
                surname,
                rng.choice(["female", "male"]),
                date(rng.randint(2012, 2025), rng.randint(1, 12), rng.randint(1, 28)),
            )
            for _ in range(rng.randint(0, 4))
        ]
        town, district = rng.choice(TOWNS)
        address = {
            "line1": f"{rng.randint(1, 180)} {rng.choice(STREETS)}",
            "town": town,
            "postcode": f"{district} {rng.randint(1, 9)}{rng.choice(UNIT_LETTERS)}{rng.choice(UNIT_LETTERS)}",
        }
        return Family(adults=adults, children=children, address=address)

    def spelled(self, member: Member) -> str:
        """The given name as one agency might record it: nickname or typo now and then."""
        roll = self.rng.random()
        if roll < 0.15 and member.given in NICKNAMES:
            return NICKNAMES[member.given]
        if roll < 0.2 and len(member.given) > 4:
            i = self.rng.randint(1, len(member.given) - 2)
            return member.given[:i] + member.given[i + 1 :]
        return member.given


EVENT_MIX = [
    ("police", "police.domestic_abuse_incident", 0.2),
    ("gp", "gp.consultation", 0.25),
    ("health_visiting", "health_visitor.contact", 0.15),
    ("hospital", "hospital.ed_attendance", 0.12),
    ("education", "school.concern", 0.1),
    ("housing", "housing.application", 0.05),
    ("ambulance", "ambulance.call", 0.08),
    ("csc", "csc.referral", 0.05),
]


def events(size: int, seed: int = 2026, prefix: str = "GEN") -> Iterator[dict[str, Any]]:
    """Yield `size` canonical event records from synthetic families, ~10 records a family."""
    gen = Generator(seed)
    agencies = [m[:2] for m in EVENT_MIX]
    weights = [m[2] for m in EVENT_MIX]
    made = 0
    while made < size:
        fam = gen.family()
        for _ in range(min(gen.rng.randint(4, 16), size - made)):
            agency, event_type = gen.rng.choices(agencies, weights)[0]
            made += 1
            yield _event(gen, fam, agency, event_type, f"{prefix}-{made:09d}")


def _event(gen: Generator, fam: Family, agency: str, event_type: str, ref: str) -> dict[str, Any]:
    rng = gen.rng
    when = START + timedelta(days=rng.randrange(SPAN_DAYS), minutes=rng.randrange(1440))
    is_health = agency in {"gp", "health_visiting", "hospital", "ambulance"}
    if event_type == "police.domestic_abuse_incident":
        subjects = [(fam.adults[0], "victim")] + [(a, "perpetrator") for a in fam.adults[1:2]]
        subjects += [(c, "child_present") for c in fam.children]
    elif event_type == "housing.application":
        subjects = [(a, "applicant") for a in fam.adults] + [(c, "household_member") for c in fam.children]
    elif event_type in {"school.concern", "health_visitor.contact", "csc.referral"} and fam.children:
        subjects = [
            (rng.choice(fam.children), "pupil" if agency == "education" else "child"),
            (fam.adults[0], "mother"),
        ]
    else:
        subjects = [(rng.choice(fam.adults + fam.children), "patient" if is_health else "subject")]
    return {
        "source_agency": agency,
        "source_ref": ref,
        "type": event_type,
        "occurred_at": when.isoformat(),
        "recorded_at": (when + timedelta(hours=rng.randint(0, 72))).isoformat(),
        "summary": SUMMARIES[event_type],
        "subjects": [{"role": role, "person": _person(gen, m, agency, is_health, fam.address)} for m, role in subjects],
        "payload": {},
    }


def _person(gen: Generator, m: Member, agency: str, is_health: bool, address: dict[str, str]) -> dict[str, Any]:
    rng = gen.rng
    person: dict[str, Any] = {
        "given_name": gen.spelled(m),
        "family_name": m.family,
        "sex": m.sex,
        "date_of_birth": m.dob.isoformat(),
        "address": address,
    }
    if is_health and m.nhs and rng.random() < 0.9:
        person["nhs_number"] = m.nhs
    if agency in m.local:
        person["local_id"] = m.local[agency]
    if agency == "police" and m.pnc:
        person["pnc_id"] = m.pnc
    return person


SUMMARIES = {
    "police.domestic_abuse_incident": "Police attended a reported domestic incident at the home address.",
    "gp.consultation": "Seen by GP.",
    "health_visitor.contact": "Health visitor contact at home.",
    "hospital.ed_attendance": "Attended the emergency department.",
    "school.concern": "School recorded a welfare concern.",
    "housing.application": "Application for social housing.",
    "ambulance.call": "Ambulance called to the address.",
    "csc.referral": "Referral received by children's social care.",
}
