"""Sign-in hardening: lockout at the boundary and its end, the per-address cap, the audit of failures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lantern.access.models import User
from lantern.access.ratelimit import SlidingWindow
from lantern.audit.models import AuditEntry
from lantern.common import clock
from lantern.config import Settings
from lantern.main import create_app
from tests.conftest import PASSWORD

WRONG = "wrong-password-1"
START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


class Clock:
    """A settable clock for the lockout and the sliding window."""

    def __init__(self) -> None:
        self.now = START

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def frozen() -> Clock:
    moment = Clock()
    clock.set_clock(lambda: moment.now)
    return moment


def _token(client: TestClient, username: str, password: str, code: str | None = None) -> int:
    data = {"username": username, "password": password} | ({"code": code} if code else {})
    return client.post("/api/v1/auth/token", data=data).status_code


def _actions(db) -> list[str]:  # type: ignore[no-untyped-def]
    actions = list(db.execute(select(AuditEntry.action).order_by(AuditEntry.seq)).scalars())
    db.rollback()  # SQLite: let the app write
    return actions


def test_sign_in_works_after_one_failure_fewer_than_the_limit(client, make_user, frozen) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    for _ in range(4):
        assert _token(client, "sam", WRONG) == 401
    assert _token(client, "sam", PASSWORD) == 200


def test_account_locks_at_the_limit_even_for_the_right_password(client, make_user, frozen) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    for _ in range(5):
        assert _token(client, "sam", WRONG) == 401
    response = client.post("/api/v1/auth/token", data={"username": "sam", "password": PASSWORD})
    assert response.status_code == 401
    assert "locked for 15 minutes" in response.json()["detail"]


def test_lockout_lifts_after_the_lockout_minutes(client, make_user, frozen) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    for _ in range(5):
        _token(client, "sam", WRONG)
    frozen.advance(minutes=14, seconds=59)
    assert _token(client, "sam", PASSWORD) == 401
    frozen.advance(seconds=2)
    assert _token(client, "sam", PASSWORD) == 200


def test_success_resets_the_failure_count(client, make_user, db, frozen) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    for _ in range(4):
        _token(client, "sam", WRONG)
    assert _token(client, "sam", PASSWORD) == 200
    assert db.execute(select(User.failed_logins).where(User.username == "sam")).scalar_one() == 0
    db.rollback()  # SQLite: let the app write
    for _ in range(4):
        _token(client, "sam", WRONG)
    assert _token(client, "sam", PASSWORD) == 200


def test_refusal_does_not_tell_whether_the_username_exists(client, make_user, frozen) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    for _ in range(5):
        _token(client, "sam", WRONG)
    locked = client.post("/api/v1/auth/token", data={"username": "sam", "password": PASSWORD})
    unknown = client.post("/api/v1/auth/token", data={"username": "nobody", "password": PASSWORD})
    wrong = client.post("/api/v1/auth/token", data={"username": "sam2", "password": WRONG})
    assert locked.status_code == unknown.status_code == wrong.status_code == 401
    assert locked.json() == unknown.json() == wrong.json()


def test_every_failure_and_the_lockout_are_audited(client, make_user, db, frozen) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    for _ in range(5):
        _token(client, "sam", WRONG)
    _token(client, "nobody", WRONG)
    actions = _actions(db)
    assert actions.count("login_failed") == 6
    assert actions.count("lockout") == 1
    entries = db.execute(select(AuditEntry).where(AuditEntry.action == "login_failed")).scalars().all()
    assert {e.detail["reason"] for e in entries} == {"password", "unknown"}
    assert all(e.detail["client"] == "testclient" for e in entries)


def test_page_sign_in_locks_with_the_same_message(client, make_user, frozen) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    client.get("/login")
    token = client.cookies.get("lantern_csrf")
    for password in [WRONG] * 5 + [PASSWORD]:
        response = client.post("/login", data={"username": "sam", "password": password, "csrf_token": token})
        assert response.status_code == 401
    assert "locked for 15 minutes" in response.text
    assert client.get("/", follow_redirects=False).status_code == 303


@pytest.fixture
def capped(settings: Settings) -> Iterator[TestClient]:
    """An app allowing 3 failed sign-ins from one address in 60 seconds."""
    app = create_app(settings.model_copy(update={"login_rate_limit": 3, "login_rate_window_seconds": 60}))
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()


def test_an_address_is_throttled_after_the_failed_sign_in_cap(capped, make_user, db, frozen) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    for name in ["ann", "bob", "cat"]:  # spraying across usernames: no account locks, the address does
        assert _token(capped, name, WRONG) == 401
    response = capped.post("/api/v1/auth/token", data={"username": "sam", "password": PASSWORD})
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert "login_throttled" in _actions(db)
    frozen.advance(seconds=61)
    assert _token(capped, "sam", PASSWORD) == 200


def test_successful_sign_ins_do_not_count_towards_the_cap(capped, make_user, frozen) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    for _ in range(5):  # an office behind one address signing in at nine
        assert _token(capped, "sam", PASSWORD) == 200


def test_sliding_window_forgets_old_failures(frozen) -> None:  # type: ignore[no-untyped-def]
    window = SlidingWindow(limit=2, seconds=10)
    window.fail("a")
    frozen.advance(seconds=6)
    window.fail("a")
    assert window.blocked("a") and not window.blocked("b")
    frozen.advance(seconds=5)
    assert not window.blocked("a")


def test_the_session_cookie_is_http_only_lax_and_secure_in_production(make_user, settings) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    app = create_app(settings.model_copy(update={"cookie_secure": True}))
    with TestClient(app, base_url="https://testserver") as secure:
        secure.get("/login")
        data = {"username": "sam", "password": PASSWORD, "csrf_token": secure.cookies.get("lantern_csrf")}
        cookie = secure.post("/login", data=data, follow_redirects=False).headers["set-cookie"]
    app.state.engine.dispose()
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie


def test_page_sign_in_is_throttled_with_a_plain_message(capped, make_user, frozen) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    capped.get("/login")
    token = capped.cookies.get("lantern_csrf")
    for name in ["ann", "bob", "cat", "sam"]:
        response = capped.post("/login", data={"username": name, "password": WRONG, "csrf_token": token})
    assert response.status_code == 429
    assert "too many failed sign-ins from your network" in response.text
