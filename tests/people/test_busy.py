"""Database refusals answered plainly: an overloaded server (the embedded database's write lock, or a
pooled connection, not had within its timeout) answers 503 with Retry-After; a value the database
cannot hold is invalid input (422); any other database error is still a fault."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

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


def test_no_pooled_connection_in_time_is_busy(client, login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    headers = login("csc.worker")

    def search(**_: object) -> None:
        raise PoolTimeout("QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00")

    monkeypatch.setattr(flows, "search", search)
    response = client.get("/api/v1/people", params={"q": "Ashworth"}, headers=headers)
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"


def test_other_database_errors_are_still_faults(client, login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    headers = login("csc.worker")
    monkeypatch.setattr(flows, "search", _failing("no such table: person"))
    with pytest.raises(OperationalError):
        client.get("/api/v1/people", params={"q": "Ashworth"}, headers=headers)


def test_a_value_the_database_cannot_hold_is_invalid_input(client, login, backend) -> None:  # type: ignore[no-untyped-def]
    headers = login("csc.worker")
    response = client.get("/api/v1/plans", params={"child_id": "\x00"}, headers=headers)
    assert response.status_code == (422 if backend == "postgres" else 200)  # SQLite stores a NUL; PostgreSQL cannot
