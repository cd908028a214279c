"""Pure rules of the family network: which roles imply which relationship, and for how long.

No database here: the service feeds these functions rows and they decide. The rule data is
`rules/relationships.toml`, readable by a safeguarding lead.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

RULES_FILE = Path(__file__).parent / "rules" / "relationships.toml"
CHILD_YEARS = 18


@dataclass(frozen=True)
class Relation:
    """A kind of relationship, as `relationships.toml` defines it."""

    code: str
    label: str
    converse: str
    current_for_days: int  # -1: lasting
    rank: int
    cares: bool = False
    adult: bool = False


@dataclass(frozen=True)
class RoleRule:
    """A pair of roles in one record that implies `relation` (from-role person of to-role person)."""

    from_roles: frozenset[str]
    to_roles: frozenset[str]
    relation: str
    types: frozenset[str] | None
    symmetric: bool


@dataclass(frozen=True)
class Rulebook:
    """Relations and role rules, indexed by role pair."""

    relations: dict[str, Relation]
    by_roles: dict[tuple[str, str], list[RoleRule]]

    def relation_for(self, from_role: str, to_role: str, event_type: str) -> str | None:
        """The strongest relation a person in `from_role` has to one in `to_role`, or None."""
        found = [
            r.relation for r in self.by_roles.get((from_role, to_role), []) if r.types is None or event_type in r.types
        ]
        return max(found, key=lambda code: self.relations[code].rank, default=None)


@cache
def rulebook(path: Path = RULES_FILE) -> Rulebook:
    """Load and index the relationship rules (cached: the file ships with the code)."""
    data = tomllib.loads(path.read_text())
    relations = {code: Relation(code=code, **fields) for code, fields in data["relations"].items()}
    by_roles: dict[tuple[str, str], list[RoleRule]] = {}
    for raw in data["rule"]:
        if raw["relation"] not in relations:
            raise ValueError(f"rule names an unknown relation {raw['relation']!r}")
        rule = RoleRule(
            frozenset(raw["from"]),
            frozenset(raw["to"]),
            raw["relation"],
            frozenset(raw["types"]) if "types" in raw else None,
            bool(raw.get("symmetric", False)),
        )
        pairs = {(a, b) for a in rule.from_roles for b in rule.to_roles}
        if rule.symmetric:
            pairs |= {(b, a) for a, b in pairs}
        for pair in pairs:
            by_roles.setdefault(pair, []).append(rule)
    return Rulebook(relations, by_roles)


def is_current(relation: Relation, first_seen: datetime, last_seen: datetime, on: datetime) -> bool:
    """Whether evidence seen from `first_seen` to `last_seen` still stands on `on`.

    Agencies record people only when they meet them, so one sighting keeps a relation current
    for the relation's `current_for_days`; a lasting relation (parenthood) never lapses.
    """
    if on < first_seen:
        return False
    return relation.current_for_days < 0 or on <= last_seen + timedelta(days=relation.current_for_days)


def age_on(date_of_birth: date | None, on: datetime) -> int | None:
    """Whole years of age on a date, or None when the date of birth is not known."""
    if date_of_birth is None:
        return None
    day = on.date()
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def is_child(date_of_birth: date | None, on: datetime) -> bool:
    """Under 18 on the date (people with no recorded date of birth are not assumed to be children)."""
    age = age_on(date_of_birth, on)
    return age is not None and 0 <= age < CHILD_YEARS


def sibling_relation(shared_parents: set[str], mine: set[str], theirs: set[str]) -> str:
    """Full siblings share two parents; half-siblings share one and each has another, different one.

    With only one parent known on either side, Lantern does not guess: they are shown as siblings.
    """
    if len(shared_parents) >= 2:
        return "sibling"
    if (mine - shared_parents) and (theirs - shared_parents):
        return "half_sibling"
    return "sibling"


CHILD_STATUS_WORDS = (
    ("adopt", "adopted"),
    ("foster", "in care"),
    ("care order", "in care"),
    ("looked after", "in care"),
)


def child_status(died: bool, csc_texts: list[str]) -> str | None:
    """Deceased, adopted or in care, from a death record or the words of CSC decisions and outcomes."""
    if died:
        return "deceased"
    found = [status for text in csc_texts for word, status in CHILD_STATUS_WORDS if word in text.lower()]
    if "adopted" in found:
        return "adopted"
    return found[-1] if found else None
