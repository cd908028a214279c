"""An overloaded embedded database (the write lock not had within the busy timeout) answers 503 with
Retry-After, not a server error; any other database error is still a fault."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from lantern.people import flows


def _failing(message: str):  # type: ignore[no-untyped-def]
    def search(**_: object) -> None:
        raise OperationalError("SELECT 1", {}, sqlite3.OperationalError(message))

    return search


def test_a_locked_database_is_busy_not_broken(client, login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    headers = login("csc.worker")
    monkeypatch.setattr(flows, "search", _failing("database is locked"))
    response = client.get("/api/v1/people", params={"q": "Ashworth"}, headers=headers)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "busy" in response.json()["detail"]


def test_other_database_errors_are_still_faults(client, login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    headers = login("csc.worker")
    monkeypatch.setattr(flows, "search", _failing("no such table: person"))
    with pytest.raises(OperationalError):
        client.get("/api/v1/people", params={"q": "Ashworth"}, headers=headers)
