"""Pure rules of serious-incident reviews: the statutory deadlines, what opens a review, what a
snapshot keeps, who counts as staff involved, and how learning themes are counted.

Deadlines follow Working Together to Safeguard Children 2023, chapter 5 (learning from serious
child safeguarding incidents): the local authority notifies the Child Safeguarding Practice Review
Panel within 5 working days of becoming aware of a serious child safeguarding incident, and the
safeguarding partners complete a rapid review within 15 working days of becoming aware.
Nothing here reads the database.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from lantern.common import workdays

DATA = Path(__file__).parent / "data"
PANEL_NOTIFICATION_DAYS = 5
RAPID_REVIEW_DAYS = 15
GRACE_DAYS = 1  # escalated to the partnership's manager one working day after the deadline
DEATH_TYPE = "child.death"
CHILD_ROLES = ("child", "subject", "patient")
KINDS = {"death": "Death of a child", "serious_harm": "Serious harm to a child"}
Period = Literal["quarter", "year"]


def panel_notification_due(aware_at: datetime) -> datetime:
    """End of the 5th working day after the local authority became aware (Working Together 2023, ch. 5)."""
    return workdays.end_of_working_days(aware_at, PANEL_NOTIFICATION_DAYS)


def rapid_review_due(aware_at: datetime) -> datetime:
    """End of the 15th working day after becoming aware (Working Together 2023, ch. 5)."""
    return workdays.end_of_working_days(aware_at, RAPID_REVIEW_DAYS)


def escalate_at(due: datetime) -> datetime:
    """When an unmet review deadline goes to the partnership's manager."""
    return workdays.end_of_working_days(due, GRACE_DAYS)


def child_of(subjects: Sequence[tuple[str, str]]) -> str | None:
    """The person a death record is about: the first subject named as child (else subject, patient)."""
    for role in CHILD_ROLES:
        for person_id, subject_role in subjects:
            if subject_role == role:
                return person_id
    return None


@lru_cache(maxsize=1)
def themes() -> dict[str, str]:
    """The controlled list of learning themes, code -> label (`data/themes.toml`)."""
    return dict(tomllib.loads((DATA / "themes.toml").read_text())["themes"])


def unknown_themes(codes: Iterable[str]) -> list[str]:
    """Codes not on the controlled list."""
    return [code for code in codes if code not in themes()]


@dataclass(frozen=True)
class Contact:
    """A named person staff can talk to about the review."""

    name: str
    role: str
    phone: str
    email: str


def support_contacts(agency: str | None, config: dict[str, Any] | None = None) -> list[Contact]:
    """The agency's own support contacts, then the partnership's (`data/support.toml`)."""
    loaded = config if config is not None else _support()
    own = loaded.get("agencies", {}).get(agency or "", [])
    return [Contact(**c) for c in (*own, *loaded.get("partnership", []))]


@lru_cache(maxsize=1)
def _support() -> dict[str, Any]:
    return tomllib.loads((DATA / "support.toml").read_text())


def as_of(entries: Iterable[dict[str, Any]], at: datetime) -> list[dict[str, Any]]:
    """Chronology entries the agencies had recorded by `at` (a record written up later is left out)."""
    return [e for e in entries if _time(e["recorded_at"]) <= at]


def status_at(history: Sequence[tuple[datetime, str]], at: datetime) -> str | None:
    """A duty's status at `at` from its transitions (time, new status) in order; None if not yet raised."""
    status = None
    for when, to_status in history:
        if when > at:
            break
        status = to_status
    return status


@dataclass(frozen=True)
class Touch:
    """One thing a member of staff did with the child's record."""

    username: str
    what: str  # read, recorded, acknowledged, leads the plan, manages the plan
    at: datetime | None


def involvement(touches: Iterable[Touch], until: datetime) -> dict[str, list[str]]:
    """Per username, what they did with the record up to `until`, in plain English (counted)."""
    counted: dict[str, Counter[str]] = {}
    for touch in touches:
        if touch.at is not None and touch.at > until:
            continue
        counted.setdefault(touch.username, Counter())[touch.what] += 1
    return {
        user: [f"{what} ({n} time{'s' if n > 1 else ''})" if n > 1 else what for what, n in sorted(c.items())]
        for user, c in sorted(counted.items())
    }


def period_of(at: datetime, by: Period) -> str:
    """The reporting period of a time in England: "2022" or "2022 Q3"."""
    local = at.astimezone(workdays.LONDON)
    return f"{local.year}" if by == "year" else f"{local.year} Q{(local.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class Tagged:
    """A finding as the dashboard counts it: its review, when the incident happened, themes, agencies."""

    review_id: str
    incident_at: datetime
    themes: tuple[str, ...]
    agencies: tuple[str, ...]


@dataclass(frozen=True)
class ThemeCount:
    """How often a theme was found, in how many reviews, per period and per agency."""

    theme: str
    findings: int
    reviews: int
    by_period: dict[str, int]
    by_agency: dict[str, int]


def theme_counts(findings: Iterable[Tagged], by: Period = "quarter") -> list[ThemeCount]:
    """Every theme found, the most recurring (most reviews, then findings) first."""
    found: dict[str, list[Tagged]] = {}
    for finding in findings:
        for theme in dict.fromkeys(finding.themes):
            found.setdefault(theme, []).append(finding)
    counts = [
        ThemeCount(
            theme=theme,
            findings=len(items),
            reviews=len({f.review_id for f in items}),
            by_period=dict(sorted(Counter(period_of(f.incident_at, by) for f in items).items())),
            by_agency=dict(sorted(Counter(a for f in items for a in dict.fromkeys(f.agencies)).items())),
        )
        for theme, items in found.items()
    ]
    return sorted(counts, key=lambda c: (-c.reviews, -c.findings, c.theme))


def _time(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
