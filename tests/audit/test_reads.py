"""Reads and their audit entries (ADR 45): a read is audited before its answer arrives; on SQLite a read
holds no write lock, and its entries are written in a short transaction of their own."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from lantern.audit import service as audit
from lantern.audit.models import AuditEntry
from tests.factories import event, person


def _child(client, login) -> str:  # type: ignore[no-untyped-def]
    record = event(subjects=[{"role": "child", "person": person("Ava", "Penrose", date_of_birth="2024-03-01")}])
    assert client.post("/api/v1/events", json=[record], headers=login("loader", "panel", "admin")).status_code == 201
    worker = login("sam")
    return str(client.get("/api/v1/people", params={"q": "ava"}, headers=worker).json()[0]["id"])


def _begins(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Every BEGIN the app's engine sends from now on."""
    seen: list[str] = []

    @sa_event.listens_for(app.state.engine, "before_cursor_execute")
    def _sent(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("BEGIN"):
            seen.append(statement)

    return seen


def test_a_read_is_audited_and_chained_before_its_answer_arrives(client, login, db) -> None:  # type: ignore[no-untyped-def]
    child_id = _child(client, login)
    worker = login("sam2")
    before = db.scalar(select(func.count()).select_from(AuditEntry))
    db.rollback()  # the test's own session lets go of SQLite's write lock
    for path in (f"/api/v1/people/{child_id}", f"/api/v1/people/{child_id}/chronology"):
        assert client.get(path, headers=worker).status_code == 200
    reads = db.execute(select(AuditEntry).where(AuditEntry.seq > before, AuditEntry.actor == "sam2")).scalars().all()
    assert [(e.action, e.object_id) for e in reads] == [("read", child_id), ("read", child_id)]
    assert audit.verify(db=db) == []


def test_on_sqlite_a_read_takes_the_write_lock_only_to_write_its_audit_entries(client, login, app, backend) -> None:  # type: ignore[no-untyped-def]
    child_id = _child(client, login)
    worker = login("sam2")
    begins = _begins(app)
    assert client.get(f"/api/v1/people/{child_id}", headers=worker).status_code == 200
    # PostgreSQL's readers never block: it has nothing to change.
    assert begins == (["BEGIN", "BEGIN IMMEDIATE"] if backend == "sqlite" else [])
    begins.clear()
    flagged = {"level": "significant", "reason": "Seen by the panel."}
    event_id = client.get(f"/api/v1/people/{child_id}/events", headers=worker).json()[0]["id"]
    begins.clear()
    assert client.post(f"/api/v1/events/{event_id}/significance", json=flagged, headers=worker).status_code == 204
    assert begins == (["BEGIN IMMEDIATE"] if backend == "sqlite" else [])  # a write holds the lock throughout
