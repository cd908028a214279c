"""Pure pattern rules: given dated records, does a pattern fire, and how is it explained?

No database here. Thresholds come from `rules.toml`; each finding names its records.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

RULES_FILE = Path(__file__).parent / "rules.toml"


@dataclass(frozen=True)
class Dated:
    """A record as a pattern sees it: id, when, reference, and (for abuse) the other party."""

    event_id: str
    at: datetime
    ref: str
    other: str | None = None


@dataclass(frozen=True)
class Finding:
    """A pattern that fired: about whom (cause), why, on which records, against which threshold."""

    rule_code: str
    cause_key: str
    title: str
    explanation: str
    threshold: str
    event_ids: tuple[str, ...]


@cache
def thresholds(path: Path = RULES_FILE) -> dict[str, dict[str, Any]]:
    """The rule file, by rule code."""
    return tomllib.loads(path.read_text())


def _most_within(records: Sequence[Dated], days: int) -> int:
    """The most records in any window of `days` (records sorted by time)."""
    best, start = 0, 0
    for end, record in enumerate(records):
        while record.at - records[start].at > timedelta(days=days):
            start += 1
        best = max(best, end - start + 1)
    return best


def _day(value: datetime) -> str:
    return value.strftime("%-d %B %Y")


def da_accumulation(adult_id: str, adult_name: str, incidents: Sequence[Dated]) -> Finding | None:
    """Domestic abuse incidents naming an adult (as victim or perpetrator), across every partner."""
    rule = thresholds()["da_accumulation"]
    incidents = sorted(incidents, key=lambda d: d.at)
    in_window = _most_within(incidents, rule["window_days"])
    if len(incidents) < rule["ever"] and in_window < rule["in_window"]:
        return None
    partners = Counter(d.other or "an unnamed person" for d in incidents)
    with_whom = ", ".join(f"{name} ({n})" for name, n in partners.items())
    explanation = (
        f"{adult_name} was named in {len(incidents)} domestic abuse incidents with "
        f"{len(partners)} different partner{'s' if len(partners) != 1 else ''} ({with_whom}) between "
        f"{_day(incidents[0].at)} and {_day(incidents[-1].at)}; at most {in_window} in any "
        f"{rule['window_days']} days. Incidents: {', '.join(d.ref for d in incidents)}."
    )
    threshold = f"{rule['ever']} incidents ever, or {rule['in_window']} within {rule['window_days']} days"
    return Finding(
        "da-accumulation", adult_id, rule["title"], explanation, threshold, tuple(d.event_id for d in incidents)
    )


def new_adult_infant(
    born_on: date | None, adult_id: str, adult_name: str, relation: str, joined: Dated
) -> Finding | None:
    """An adult (not a parent) first seen around the child while the child was under one."""
    rule = thresholds()["new_adult_infant"]
    if born_on is None:
        return None
    age_days = (joined.at.date() - born_on).days
    if not 0 <= age_days < rule["infant_days"]:
        return None
    explanation = (
        f"{adult_name} ({relation}) was first recorded with the child on {_day(joined.at)} ({joined.ref}), "
        f"when the child was {age_days} days old. Check who they are and tell the child's lead professional."
    )
    threshold = f"any adult other than a parent joining before the child is {rule['infant_days']} days old"
    return Finding("new-adult-infant", adult_id, rule["title"], explanation, threshold, (joined.event_id,))


def repeated(code: str, born_on: date | None, records: Sequence[Dated], what: str) -> Finding | None:
    """Repeated records of one kind about the child (a lower count for a baby under one)."""
    rule = thresholds()[code]
    records = sorted(records, key=lambda d: d.at)
    window = rule["window_days"]
    for end in reversed(range(len(records))):  # the latest window that crosses the threshold
        inside = [d for d in records[: end + 1] if records[end].at - d.at <= timedelta(days=window)]
        infant = born_on is not None and (records[end].at.date() - born_on).days < 365
        needed = rule["infant_count"] if infant else rule["count"]
        if len(inside) >= needed:
            refs = ", ".join(f"{d.ref} ({_day(d.at)})" for d in inside)
            explanation = (
                f"{len(inside)} {what} within {window} days{' of a baby under one' if infant else ''}: {refs}."
            )
            threshold = f"{rule['count']} within {window} days ({rule['infant_count']} for a baby under one)"
            return Finding(
                code.replace("_", "-"), "", rule["title"], explanation, threshold, tuple(d.event_id for d in inside)
            )
    return None
