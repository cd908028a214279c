"""Shared set-up for casework tests: a child known to Lantern from a CSC record, and CSC staff."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from lantern.common import clock
from tests.factories import event, nhs, person

Login = Callable[..., dict[str, str]]


def at(text: str) -> None:
    """Set Lantern's clock to a fixed UTC time (ISO 8601)."""
    fixed = datetime.fromisoformat(text).astimezone(UTC)
    clock.set_clock(lambda: fixed)


def record(
    client: TestClient, headers: dict[str, str], type_: str, child: dict[str, Any], occurred_at: str, **payload: Any
) -> str:
    """A CSC record naming the child (role `child`); the event id."""
    body = event(
        agency="csc", type_=type_, occurred_at=occurred_at, summary="Recorded by CSC.",
        subjects=[{"role": "child", "person": child}], payload=payload,
    )  # fmt: skip
    response = client.post("/api/v1/events", json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    return str(response.json()["results"][0]["event_id"])


def child_record(n: int = 301, given: str = "Lily", family: str = "Hart", born: str = "2022-06-01") -> dict[str, Any]:
    return person(given, family, nhs_number=nhs(n), date_of_birth=born)


def child(
    client: TestClient, headers: dict[str, str], n: int = 301, occurred_at: str = "2026-10-01T10:00:00+00:00"
) -> str:
    """A child known from a CSC referral; their person id."""
    return first_subject(client, headers, record(client, headers, "csc.referral", child_record(n), occurred_at))


def first_subject(client: TestClient, headers: dict[str, str], event_id: str) -> str:
    """The person id of the first subject of a stored record."""
    return str(client.get(f"/api/v1/events/{event_id}", headers=headers).json()["subjects"][0]["person_id"])


def staff(login: Login) -> dict[str, dict[str, str]]:
    """A CSC team manager and three social workers; bearer headers by username."""
    return {
        "mgr": login("mgr.lee", agency="csc", role="manager"),
        "ann": login("sw.ann", agency="csc"),
        "ben": login("sw.ben", agency="csc"),
        "cat": login("sw.cat", agency="csc"),
    }
