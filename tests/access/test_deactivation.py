"""Deactivation takes effect at once, for session cookies and bearer tokens; the account commands."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from lantern import cli
from lantern.access import service
from lantern.access.models import User
from lantern.audit.models import AuditEntry
from lantern.audit.service import SYSTEM
from lantern.common import clock
from lantern.common.errors import Forbidden
from tests.conftest import PASSWORD


def _deactivate(db, username: str) -> None:  # type: ignore[no-untyped-def]
    service.deactivate(db=db, username=username, actor=SYSTEM)
    db.commit()


def test_deactivation_ends_a_session_cookie_on_the_next_request(client: TestClient, make_user, db) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    client.get("/login")
    data = {"username": "sam", "password": PASSWORD, "csrf_token": client.cookies.get("lantern_csrf")}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 200
    _deactivate(db, "sam")
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_deactivation_ends_a_bearer_token_on_the_next_request(client: TestClient, login, db) -> None:  # type: ignore[no-untyped-def]
    headers = login("sam")
    assert client.get("/api/v1/users/me", headers=headers).status_code == 200
    _deactivate(db, "sam")
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401
    assert client.post("/api/v1/auth/token", data={"username": "sam", "password": PASSWORD}).status_code == 401


def test_cli_deactivates_and_unlocks(client: TestClient, make_user, settings, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    clock.set_clock(lambda: datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    make_user("sam")
    monkeypatch.setattr(cli, "_settings", lambda: settings)
    for _ in range(5):
        client.post("/api/v1/auth/token", data={"username": "sam", "password": "wrong-password-1"})
    assert client.post("/api/v1/auth/token", data={"username": "sam", "password": PASSWORD}).status_code == 401
    runner = CliRunner()
    unlocked = runner.invoke(cli.app, ["users", "unlock", "sam"])
    assert unlocked.exit_code == 0, unlocked.output
    assert client.post("/api/v1/auth/token", data={"username": "sam", "password": PASSWORD}).status_code == 200
    assert runner.invoke(cli.app, ["users", "deactivate", "sam"]).exit_code == 0
    assert client.post("/api/v1/auth/token", data={"username": "sam", "password": PASSWORD}).status_code == 401
    assert runner.invoke(cli.app, ["users", "unlock", "nobody"]).exit_code == 2
    actions = set(db.execute(select(AuditEntry.action).where(AuditEntry.actor == "system")).scalars())
    assert {"unlock", "deactivate"} <= actions
    assert db.execute(select(User.is_active).where(User.username == "sam")).scalar_one() is False


def test_only_account_managers_deactivate(make_user, db) -> None:  # type: ignore[no-untyped-def]
    manager = service.actor_for(make_user("meg", role="manager"))
    make_user("sam")
    with pytest.raises(Forbidden):
        service.deactivate(db=db, username="sam", actor=manager)
