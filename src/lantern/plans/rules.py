"""Plan rules, pure: which records contradict a plan's condition, what counts as overnight, which
adults are new around the child, and when actions and alerts are due.

Guidance: Working Together to Safeguard Children 2023, chapter 4 (child protection plans: the
lead social worker, the core group, conditions and their review); the seed-003 review (a plan's
overnight-stay condition broken without anyone knowing).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from lantern.common import workdays

LONDON = ZoneInfo("Europe/London")
KINDS = {"cp": "Child protection plan", "cin": "Child in need plan"}
CATEGORIES = {
    "neglect": "Neglect",
    "physical": "Physical abuse",
    "emotional": "Emotional abuse",
    "sexual": "Sexual abuse",
}
CONDITIONS = {
    "report_overnight_stays": "Parents tell the social worker of any overnight stay away from the home address",
    "no_unsupervised_contact": "No unsupervised contact with the named person",
    "not_to_live_at_address": "The named person is not to live at the home address",
    "attend_health_appointments": "The child is brought to every health appointment",
    "report_new_adults": "Parents tell the social worker of any new partner or anyone joining the household",
}
NAMES_A_PERSON = frozenset({"no_unsupervised_contact", "not_to_live_at_address"})
# An attendance by the emergency services: where it happened is where the child was.
ATTENDANCES = frozenset({"ambulance.call", "police.domestic_abuse_incident", "police.arrest"})
# Records that name people together without them having met (a conference, an assessment, a conviction).
NOT_CONTACT = frozenset({"police.conviction"})
NOT_CONTACT_PREFIXES = ("csc.",)
OBSERVED = "plan.breach_observed"  # a practitioner's own account of a breach
NIGHT_FROM, NIGHT_TO = 22, 7  # local hours: 22:00 to 06:59 is overnight
CHILD_ROLES = frozenset({"child", "child_present", "unborn", "pupil"})
ADULT_AGE = 18
CHECKLIST = {
    "identify": "Identify the person (name, date of birth, address, relationship to the family)",
    "register": "Check the register of violent offenders against children",
    "police_history": "Check police history",
    "csc_history": "Check children's social care history",
}
BREACH_DUE_HOURS = 2  # a breach is a risk to the child now: the lead professional acts the same day
ESCALATE_HOURS = 2


@dataclass(frozen=True)
class Subject:
    """A person named in a record: who, in what role, where the record places them, their age then."""

    person_id: str
    role: str
    name: str
    address: dict[str, Any] | None
    age_years: int | None


@dataclass(frozen=True)
class Seen:
    """An agency's record as the rules need it."""

    event_type: str
    occurred_at: datetime
    location: dict[str, Any] | None
    payload: dict[str, Any]
    subjects: tuple[Subject, ...]

    def subject(self, person_id: str) -> Subject | None:
        return next((s for s in self.subjects if s.person_id == person_id), None)


@dataclass(frozen=True)
class Notice:
    """An overnight stay told to the social worker in advance."""

    address: dict[str, Any]
    from_on: date
    to_on: date


def address_key(address: dict[str, Any] | None) -> tuple[str, str] | None:
    """Postcode and first line, normalised (case, spaces, punctuation); None without a postcode."""
    if not address or not address.get("postcode"):
        return None
    postcode = re.sub(r"\s+", "", str(address["postcode"])).upper()
    line1 = re.sub(r"[^a-z0-9]+", " ", str(address.get("line1") or "").lower()).strip()
    return postcode, line1


def same_address(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """The same postcode and first line (a missing first line matches on the postcode alone)."""
    ka, kb = address_key(a), address_key(b)
    if ka is None or kb is None or ka[0] != kb[0]:
        return False
    return not ka[1] or not kb[1] or ka[1] == kb[1]


def is_overnight(at: datetime) -> bool:
    """Between 22:00 and 07:00 local time in England."""
    hour = at.astimezone(LONDON).hour
    return hour >= NIGHT_FROM or hour < NIGHT_TO


def night_of(at: datetime) -> date:
    """The date the night began (a call at 04:00 on the 9th is the night of the 8th)."""
    local = at.astimezone(LONDON)
    return local.date() - timedelta(days=1) if local.hour < NIGHT_TO else local.date()


def format_address(address: dict[str, Any] | None) -> str:
    """An address on one line."""
    if not address:
        return "no address recorded"
    return ", ".join(str(address[k]) for k in ("line1", "line2", "town", "postcode") if address.get(k))


def breach(
    kind: str, person_id: str | None, child_id: str, home: dict[str, Any], seen: Seen, notices: Sequence[Notice] = ()
) -> str | None:
    """Why the record contradicts the condition, or None when it does not."""
    child = seen.subject(child_id)
    if seen.event_type == OBSERVED:
        return _observed(kind, child, seen)
    if kind == "report_overnight_stays":
        return _overnight(child, home, seen, notices)
    if kind == "no_unsupervised_contact":
        return _contact(child, person_id, seen)
    if kind == "not_to_live_at_address":
        return _living(person_id, home, seen)
    if kind == "attend_health_appointments":
        return "The record says the child was not brought." if child and seen.payload.get("was_not_brought") else None
    return None


def _observed(kind: str, child: Subject | None, seen: Seen) -> str | None:
    if child is None or seen.payload.get("condition") != kind:
        return None
    return f"Recorded by a practitioner: {seen.payload.get('account', '')}".strip()


def _overnight(child: Subject | None, home: dict[str, Any], seen: Seen, notices: Sequence[Notice]) -> str | None:
    if child is None or seen.event_type not in ATTENDANCES or not is_overnight(seen.occurred_at):
        return None
    where = seen.location if address_key(seen.location) else child.address
    if address_key(where) is None or same_address(where, home):
        return None
    night = night_of(seen.occurred_at)
    if any(n.from_on <= night <= n.to_on and same_address(n.address, where) for n in notices):
        return None
    local = seen.occurred_at.astimezone(LONDON)
    return (
        f"At {local:%H:%M} on {local.day} {local:%B %Y} the child was at {format_address(where)}, not the plan's home "
        f"address ({format_address(home)}), and no overnight stay there had been told to the social worker."
    )


def _contact(child: Subject | None, person_id: str | None, seen: Seen) -> str | None:
    if child is None or person_id is None or seen.event_type in NOT_CONTACT:
        return None
    if seen.event_type.startswith(NOT_CONTACT_PREFIXES):
        return None
    other = seen.subject(person_id)
    if other is None:
        return None
    return (
        f"The record names the child with {other.name} ({other.role.replace('_', ' ')}), with whom the plan allows "
        "no unsupervised contact: check whether the contact was supervised."
    )


def _living(person_id: str | None, home: dict[str, Any], seen: Seen) -> str | None:
    named = seen.subject(person_id) if person_id else None
    if named is None:
        return None
    if same_address(named.address, home):
        return f"The record gives {named.name}'s address as the plan's home address ({format_address(home)})."
    if same_address(seen.location, home) and not seen.event_type.startswith(NOT_CONTACT_PREFIXES):
        return f"The record places {named.name} at the plan's home address ({format_address(home)})."
    return None


def is_adult(subject: Subject) -> bool:
    """An adult by age when known, else by role."""
    if subject.age_years is not None:
        return subject.age_years >= ADULT_AGE
    return subject.role not in CHILD_ROLES


def new_adults(child_id: str, seen: Seen, known: set[str]) -> list[Subject]:
    """Adults named with the child who are neither on the plan nor known around the child."""
    if seen.subject(child_id) is None or seen.event_type.startswith(NOT_CONTACT_PREFIXES):
        return []
    return [s for s in seen.subjects if s.person_id != child_id and s.person_id not in known and is_adult(s)]


def new_adults_breach(adults: Sequence[Subject]) -> str:
    """Why adults first seen with the child break the condition that new adults are told of."""
    named = ", ".join(f"{a.name} ({a.role.replace('_', ' ')})" for a in adults)
    return (
        f"The record names {named} with the child: not on the plan, not known around the child before, "
        "and not told to the social worker."
    )


def is_overdue(due_on: date, done_on: date | None, today: date) -> bool:
    """An action not done by the end of its due date."""
    return done_on is None and due_on < today


def breach_due(raised_at: datetime) -> datetime:
    """When the lead professional and manager must have acted on a breach."""
    return raised_at + timedelta(hours=BREACH_DUE_HOURS)


def escalation() -> timedelta:
    return timedelta(hours=ESCALATE_HOURS)


def task_due(raised_at: datetime) -> datetime:
    """The checks on a new household member: by the end of the next working day."""
    return workdays.end_of_working_days(raised_at, 1)


def age_years(date_of_birth: date | str | None, at: datetime) -> int | None:
    """Age in whole years on `at`."""
    if date_of_birth is None:
        return None
    born = date.fromisoformat(date_of_birth) if isinstance(date_of_birth, str) else date_of_birth
    on = at.date()
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
