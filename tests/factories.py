"""Builders of canonical event records for tests."""

from __future__ import annotations

import itertools
from typing import Any

from lantern.people.rules import with_check_digit

_refs = itertools.count(1)


def nhs(n: int) -> str:
    """A valid synthetic NHS number (999 prefix), distinct for each n that has a check digit."""
    number = with_check_digit(f"999{n:06d}")
    assert number is not None, f"no valid NHS number for {n}; pick another"
    return number


def person(given: str = "Amy", family: str = "Walsh", **extra: Any) -> dict[str, Any]:
    return {"given_name": given, "family_name": family, "date_of_birth": "2019-04-02", **extra}


def event(agency: str = "gp", type_: str = "gp.consultation", ref: str | None = None, **extra: Any) -> dict[str, Any]:
    """A valid event; override any field by keyword."""
    record: dict[str, Any] = {
        "source_agency": agency,
        "source_ref": ref or f"T-{next(_refs):06d}",
        "type": type_,
        "occurred_at": "2025-03-04T10:30:00+00:00",
        "summary": "Seen by GP about a cough.",
        "subjects": [{"role": "patient", "person": person(nhs_number=nhs(101))}],
        "payload": {},
    }
    record.update(extra)
    return record
