"""Shared look-ups for the chronology and network tests."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.scenarios.replay import person_of

INCIDENTS = [f"S1-POL-{n:03d}" for n in range(1, 19)]


def baby_of_s1(client: TestClient, headers: dict[str, str], ids: dict[str, str]) -> str:
    """The S1 baby as health records name him (his birth notification)."""
    return person_of(client, headers, ids["S1-HOSP-002"], "child")
