"""Replays a scenario file through the public API, one event at a time, as each agency sends it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from fastapi.testclient import TestClient

from lantern.config import Settings
from lantern.db.engine import make_engine, make_session_factory
from lantern.demo.seed import SCENARIOS
from lantern.duties import service as duties_service


def records(name: str) -> list[dict[str, Any]]:
    """The scenario's records, in the order agencies sent them."""
    path = next(SCENARIOS.glob(f"{name}_*.jsonl"))
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def replay(client: TestClient, login: Callable[..., dict[str, str]], name: str) -> dict[str, str]:
    """POST every record as a practitioner of its agency; return source_ref -> event id."""
    tokens: dict[str, dict[str, str]] = {}
    event_ids: dict[str, str] = {}
    for record in records(name):
        agency = record["source_agency"]
        if agency not in tokens:
            tokens[agency] = login(f"{agency}.sender", agency=agency)
        response = client.post("/api/v1/events", json=record, headers=tokens[agency])
        assert response.status_code == 201, (record["source_ref"], response.text)
        event_ids[record["source_ref"]] = response.json()["results"][0]["event_id"]
    return event_ids


def run_scheduler(settings: Settings) -> dict[str, int]:
    """One deadline pass at the current time (the tests' app runs no background scheduler)."""
    engine = make_engine(settings.database_url)
    with make_session_factory(engine).begin() as db:
        moved = duties_service.scheduler_pass(db=db)
    engine.dispose()
    return moved


def person_of(client: TestClient, headers: dict[str, str], event_id: str, role: str, index: int = 0) -> str:
    """The resolved person id of the index-th subject with `role` in an event."""
    subjects = client.get(f"/api/v1/events/{event_id}", headers=headers).json()["subjects"]
    return [s["person_id"] for s in subjects if s["role"] == role][index]


def events_of(client: TestClient, headers: dict[str, str], person_id: str) -> list[dict[str, Any]]:
    """Every event naming the person, newest first."""
    response = client.get(f"/api/v1/people/{person_id}/events", headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json())
