"""Sign-in and the rule that every endpoint but /healthz and login needs authentication."""

from __future__ import annotations

import re

from sqlalchemy import update

from lantern.access.models import User
from tests.conftest import PASSWORD


def test_healthz_is_open(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").json() == {"status": "ok"}


def test_wrong_password_is_401(client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    response = client.post("/api/v1/auth/token", data={"username": "sam", "password": "wrong-password-1"})
    assert response.status_code == 401


def test_every_api_route_requires_a_token(client) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/openapi.json").json()["paths"]
    checked = 0
    for path, operations in paths.items():
        if path in {"/healthz", "/api/v1/auth/token"}:
            continue
        for method in operations:
            url = re.sub(r"\{[a-z_]+\}", "x", path)
            response = client.request(method.upper(), url)
            assert response.status_code == 401, (method, path, response.status_code)
            checked += 1
    assert checked >= 6


def test_pages_redirect_to_login(client) -> None:  # type: ignore[no-untyped-def]
    for path in ["/", "/people", "/people/x", "/duties", "/people/x/duties"]:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")


def test_deactivation_takes_effect_at_once(client, login, db) -> None:  # type: ignore[no-untyped-def]
    headers = login("sam")
    assert client.get("/api/v1/users/me", headers=headers).status_code == 200
    db.execute(update(User).where(User.username == "sam").values(is_active=False))
    db.commit()
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401
    again = client.post("/api/v1/auth/token", data={"username": "sam", "password": PASSWORD})
    assert again.status_code == 401


def test_page_login_needs_csrf_token(client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    client.get("/login")
    response = client.post(
        "/login", data={"username": "sam", "password": PASSWORD, "csrf_token": "forged"}, follow_redirects=False
    )
    assert response.status_code == 403


def test_page_login_sets_http_only_session(client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    client.get("/login")
    token = client.cookies.get("lantern_csrf")
    response = client.post(
        "/login", data={"username": "sam", "password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/").status_code == 200
