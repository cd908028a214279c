"""Pure register rules: offence codes, monitoring periods, deadlines and what the watch looks for.

Thresholds are data (`data/register.toml`, `data/offences.toml`); nothing here reads the database.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from lantern.common import workdays

DATA = Path(__file__).parent / "data"
CHILD_ROLES = frozenset({"child", "child_present", "unborn", "pupil"})
# Adults whose presence with the registered person makes a household (or a partner).
HOUSEHOLD_ROLES = frozenset(
    {"mother", "father", "parent", "step_parent", "carer", "partner", "ex_partner", "household_member", "applicant"}
)
PARENT_ROLES = frozenset({"mother", "father", "parent", "step_parent", "carer"})
KIND_LABELS = {
    "pregnancy": "a pregnancy",
    "birth": "a birth",
    "housing_application": "a housing application",
    "child": "a household with a child",
    "partner_with_children": "a new partner with children",
}
_KIND_OF_TYPE = {
    "midwife.booking": "pregnancy",
    "pregnancy.notification": "pregnancy",
    "birth.notification": "birth",
    "housing.application": "housing_application",
}
ACTION = "Contact the police public protection unit before any decision about this household."


class Monitoring(BaseModel):
    model_config = ConfigDict(extra="forbid")
    from_months: int = Field(ge=0)
    years: int | None = Field(default=None, ge=1)


class Disclosure(BaseModel):
    model_config = ConfigDict(extra="forbid")
    checks_days: int = Field(ge=1)
    decision_days: int = Field(ge=1)


class Config(BaseModel):
    """`data/register.toml`."""

    model_config = ConfigDict(extra="forbid")
    address_notification_working_days: int = Field(ge=0)
    escalate_after_hours: int = Field(ge=0)
    alert_working_days: int = Field(ge=0)
    pre_birth_assessment_working_days: int = Field(ge=0)
    monitoring: list[Monitoring] = Field(min_length=1)
    disclosure: Disclosure


@dataclass(frozen=True)
class Offence:
    code: str
    statute: str
    description: str


@lru_cache(maxsize=1)
def config() -> Config:
    """The shipped register configuration, monitoring rows longest sentence first."""
    loaded = Config.model_validate(tomllib.loads((DATA / "register.toml").read_text()))
    loaded.monitoring.sort(key=lambda row: -row.from_months)
    return loaded


@lru_cache(maxsize=1)
def offences() -> dict[str, Offence]:
    """Statutory offence codes by code."""
    rows = tomllib.loads((DATA / "offences.toml").read_text())["offence"]
    return {row["code"]: Offence(row["code"], row["statute"], row["description"]) for row in rows}


def monitoring_years(sentence_months: int | None, table: list[Monitoring] | None = None) -> int | None:
    """Years of monitoring for a sentence (None: indefinite); no custodial sentence counts as 0 months."""
    months = sentence_months or 0
    for row in table or config().monitoring:
        if months >= row.from_months:
            return row.years
    raise ValueError(f"no monitoring period for a sentence of {months} months")


def monitoring_ends_on(conviction_on: date, years: int | None) -> date | None:
    """The last day monitored: the day before the anniversary of conviction `years` on (29 February
    counts from 28 February in a year without one); None when indefinite."""
    if years is None:
        return None
    year = conviction_on.year + years
    try:
        anniversary = conviction_on.replace(year=year)
    except ValueError:  # 29 February into a year without one
        anniversary = date(year, 3, 1)
    return anniversary - timedelta(days=1)


def is_monitored(ends_on: date | None, on: date) -> bool:
    """Whether monitoring still runs on the day `on` (the end day included)."""
    return ends_on is None or on <= ends_on


def shown_status(status: str, ends_on: date | None, today: date) -> str:
    """The status to show: an active registration past its monitoring period is expired."""
    return "expired" if status == "active" and not is_monitored(ends_on, today) else status


def notification_due(moved_at: datetime) -> datetime:
    """When a move seen at `moved_at` must have been notified (end of the N-th working day)."""
    return workdays.end_of_working_days(moved_at, config().address_notification_working_days)


def escalation() -> timedelta:
    """How long after its deadline an unmet register duty goes to the managing officer."""
    return timedelta(hours=config().escalate_after_hours)


def alert_due(raised_from: datetime) -> datetime:
    """When a household alert must have reached children's social care and the managing officer."""
    return workdays.end_of_working_days(raised_from, config().alert_working_days)


def pre_birth_assessment_due(raised_from: datetime) -> datetime:
    """When a pre-birth assessment triggered by a pregnancy alert must have started."""
    return workdays.end_of_working_days(raised_from, config().pre_birth_assessment_working_days)


def disclosure_deadlines(received_at: datetime) -> tuple[datetime, datetime]:
    """(checks due, decision and disclosure due) for a request received at `received_at`."""
    rules = config().disclosure
    return received_at + timedelta(days=rules.checks_days), received_at + timedelta(days=rules.decision_days)


@dataclass(frozen=True)
class CoSubject:
    """Another person named in a record with the registered person."""

    person_id: str
    role: str
    name: str
    age_years: float | None


@dataclass(frozen=True)
class Finding:
    """A record that links the registered person to a household the watch cares about."""

    kind: str
    members: tuple[CoSubject, ...]


def is_child(subject: CoSubject) -> bool:
    """Under 18 when the record was made, or named in a child's role."""
    return subject.role in CHILD_ROLES or (subject.age_years is not None and subject.age_years < 18)


def classify(event_type: str, others: list[CoSubject], partners_with_children: set[str]) -> Finding | None:
    """What, if anything, this record links the registered person to.

    `others` are the record's other subjects; `partners_with_children` those adults of them
    known elsewhere as the parent or carer of a child.
    """
    children = [s for s in others if is_child(s)]
    adults = [s for s in others if not is_child(s) and (s.role in HOUSEHOLD_ROLES or event_type in _KIND_OF_TYPE)]
    members = tuple(children + adults)
    if event_type in _KIND_OF_TYPE:
        return Finding(_KIND_OF_TYPE[event_type], members)
    if children:
        return Finding("child", members)
    if any(a.person_id in partners_with_children for a in adults):
        return Finding("partner_with_children", members)
    return None


def household_key(member_ids: set[str]) -> str:
    """The identity of a household: its members (other than the registered person)."""
    return hashlib.sha256(",".join(sorted(member_ids)).encode()).hexdigest()


def age_years(date_of_birth: Any, at: datetime) -> float | None:
    """Age in years at `at`, from an ISO string or a date; None when unknown."""
    if isinstance(date_of_birth, str):
        try:
            date_of_birth = date.fromisoformat(date_of_birth)
        except ValueError:
            return None
    if not isinstance(date_of_birth, date):
        return None
    return (at.date() - date_of_birth).days / 365.25
