"""The optional TOTP second factor: enrolment confirmed by a code, then sign-in needs the current code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from lantern.access import totp
from lantern.access.models import User
from lantern.common import clock
from tests.conftest import PASSWORD

NOW = datetime(2026, 11, 24, 9, 0, 10, tzinfo=UTC)
# RFC 6238 appendix B: the SHA-1 secret "12345678901234567890" and its 8-digit codes, last 6 digits here.
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
RFC_VECTORS = [(59, "287082"), (1111111109, "081804"), (1111111111, "050471"), (1234567890, "005924")]


@pytest.fixture(autouse=True)
def frozen() -> None:
    clock.set_clock(lambda: NOW)


def thirty_seconds_on() -> datetime:
    """Move the clock to the next code: the one that confirmed an enrolment cannot sign in too."""
    later = NOW + timedelta(seconds=30)
    clock.set_clock(lambda: later)
    return later


def wrong_code(secret: str) -> str:
    """A code that is not valid now, nor one step either side."""
    valid = {totp.code_at(secret, NOW + timedelta(seconds=s)) for s in (-30, 0, 30)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


@pytest.mark.parametrize(("at", "code"), RFC_VECTORS)
def test_codes_match_the_rfc_6238_test_vectors(at: int, code: str) -> None:
    assert totp.code_at(RFC_SECRET, datetime.fromtimestamp(at, UTC)) == code
    assert totp.matching_step(RFC_SECRET, code, datetime.fromtimestamp(at, UTC)) == at // 30


def test_codes_outside_the_drift_window_or_malformed_are_refused() -> None:
    moment = datetime.fromtimestamp(1111111111, UTC)
    assert totp.matching_step(RFC_SECRET, "050471", moment + timedelta(seconds=30)) == 1111111111 // 30  # drift
    assert totp.matching_step(RFC_SECRET, "050471", moment + timedelta(minutes=2)) is None
    assert totp.matching_step(RFC_SECRET, "", moment) is None
    assert totp.matching_step(RFC_SECRET, "05047a", moment) is None


def test_a_vault_opens_what_it_sealed_and_not_what_another_key_sealed() -> None:
    vault = totp.Vault("k" * 40)
    sealed = vault.seal(RFC_SECRET)
    assert totp.is_sealed(sealed) and RFC_SECRET not in sealed and len(sealed) <= 200  # the column's size
    assert vault.open(sealed) == RFC_SECRET
    assert vault.seal(RFC_SECRET) != sealed  # a fresh IV each time
    assert totp.Vault("j" * 40).open(sealed) is None
    assert vault.open(RFC_SECRET) == RFC_SECRET  # stored before sealing: as it is


def _store_secret(db, stored: str) -> None:  # type: ignore[no-untyped-def]
    db.execute(update(User).where(User.username == "sam").values(totp_secret=stored))
    db.commit()


def test_a_secret_stored_before_sealing_still_signs_in_and_is_sealed_then(client, make_user, db, settings) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    _store_secret(db, RFC_SECRET)
    form = {"username": "sam", "password": PASSWORD}
    assert client.post("/api/v1/auth/token", data=form | {"code": wrong_code(RFC_SECRET)}).status_code == 401
    assert client.post("/api/v1/auth/token", data=form | {"code": totp.code_at(RFC_SECRET, NOW)}).status_code == 200
    stored = db.execute(select(User.totp_secret).where(User.username == "sam")).scalar_one()
    assert totp.is_sealed(stored) and totp.Vault(settings.secret_key.get_secret_value()).open(stored) == RFC_SECRET
    db.rollback()  # end the read: SQLite has one writer, and the next sign-in writes
    later = thirty_seconds_on()
    assert client.post("/api/v1/auth/token", data=form | {"code": totp.code_at(RFC_SECRET, later)}).status_code == 200


def test_a_secret_sealed_under_another_key_refuses_every_code(client, make_user, db) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    _store_secret(db, totp.Vault("another-key-" + "x" * 40).seal(RFC_SECRET))  # LANTERN_SECRET_KEY changed
    form = {"username": "sam", "password": PASSWORD}
    assert client.post("/api/v1/auth/token", data=form | {"code": totp.code_at(RFC_SECRET, NOW)}).status_code == 401


def test_enrolment_token_is_bound_to_its_user() -> None:
    enrolment = totp.Enrolment("k" * 40)
    token = enrolment.token("user-1", "SECRET")
    assert enrolment.secret(token, "user-1") == "SECRET"
    assert enrolment.secret(token, "user-2") is None
    assert totp.Enrolment("j" * 40).secret(token, "user-1") is None


def _enrol(client: TestClient, headers: dict[str, str]) -> str:
    setup = client.post("/api/v1/users/me/totp", headers=headers).json()
    assert setup["otpauth_uri"].startswith("otpauth://totp/Lantern:sam?secret=" + setup["secret"])
    body = {"token": setup["token"], "code": totp.code_at(setup["secret"], NOW)}
    assert client.post("/api/v1/users/me/totp/confirm", json=body, headers=headers).status_code == 204
    return str(setup["secret"])


def test_api_sign_in_needs_the_right_code_after_enrolment(client, login) -> None:  # type: ignore[no-untyped-def]
    secret = _enrol(client, login("sam"))
    form = {"username": "sam", "password": PASSWORD}
    assert client.post("/api/v1/auth/token", data=form).status_code == 401
    assert client.post("/api/v1/auth/token", data=form | {"code": wrong_code(secret)}).status_code == 401
    assert client.post("/api/v1/auth/token", data=form | {"code": totp.code_at(secret, NOW)}).status_code == 401
    later = thirty_seconds_on()
    response = client.post("/api/v1/auth/token", data=form | {"code": totp.code_at(secret, later)})
    assert response.status_code == 200 and response.json()["access_token"]


def test_a_code_signs_in_once_and_an_older_one_not_after_it(client, login) -> None:  # type: ignore[no-untyped-def]
    secret = _enrol(client, login("sam"))
    form = {"username": "sam", "password": PASSWORD}
    later = thirty_seconds_on()
    code = totp.code_at(secret, later)
    assert client.post("/api/v1/auth/token", data=form | {"code": code}).status_code == 200
    assert client.post("/api/v1/auth/token", data=form | {"code": code}).status_code == 401  # replayed
    clock.set_clock(lambda: later + timedelta(seconds=30))  # the drift window still covers `later`'s step
    assert client.post("/api/v1/auth/token", data=form | {"code": code}).status_code == 401
    newest = totp.code_at(secret, later + timedelta(seconds=30))
    assert client.post("/api/v1/auth/token", data=form | {"code": newest}).status_code == 200


def test_enrolment_is_not_stored_with_a_wrong_code(client, login, db) -> None:  # type: ignore[no-untyped-def]
    headers = login("sam")
    setup = client.post("/api/v1/users/me/totp", headers=headers).json()
    body = {"token": setup["token"], "code": wrong_code(setup["secret"])}
    response = client.post("/api/v1/users/me/totp/confirm", json=body, headers=headers)
    assert response.status_code == 422
    assert db.execute(select(User.totp_secret).where(User.username == "sam")).scalar_one() is None
    db.rollback()
    assert client.post("/api/v1/auth/token", data={"username": "sam", "password": PASSWORD}).status_code == 200


def test_wrong_codes_count_towards_the_lockout(client, login) -> None:  # type: ignore[no-untyped-def]
    secret = _enrol(client, login("sam"))
    form = {"username": "sam", "password": PASSWORD}
    for _ in range(5):
        client.post("/api/v1/auth/token", data=form | {"code": wrong_code(secret)})
    later = thirty_seconds_on()
    assert client.post("/api/v1/auth/token", data=form | {"code": totp.code_at(secret, later)}).status_code == 401


def _page_sign_in(client: TestClient, code: str | None) -> int:
    client.get("/login")
    data = {"username": "sam", "password": PASSWORD, "csrf_token": client.cookies.get("lantern_csrf")}
    return client.post("/login", data=data | ({"code": code} if code else {}), follow_redirects=False).status_code


def test_page_enrolment_then_sign_in_with_right_and_wrong_code(client, make_user, db, settings) -> None:  # type: ignore[no-untyped-def]
    make_user("sam")
    assert _page_sign_in(client, None) == 303
    csrf = client.cookies.get("lantern_csrf")
    shown = client.post("/account/security/totp", data={"csrf_token": csrf})
    assert shown.status_code == 200 and "otpauth://totp/Lantern:sam" in shown.text
    secret = shown.text.split('id="totp-secret">')[1].split("<")[0]
    token = shown.text.split('name="token" value="')[1].split('"')[0]
    refused = client.post(
        "/account/security/totp/confirm", data={"csrf_token": csrf, "token": token, "code": wrong_code(secret)}
    )
    assert refused.status_code == 422 and secret in refused.text  # the same key, to try again
    confirmed = client.post(
        "/account/security/totp/confirm",
        data={"csrf_token": csrf, "token": token, "code": totp.code_at(secret, NOW)},
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    stored = db.execute(select(User.totp_secret).where(User.username == "sam")).scalar_one()
    assert stored != secret and totp.is_sealed(stored) and secret not in stored
    assert totp.Vault(settings.secret_key.get_secret_value()).open(stored) == secret
    db.rollback()
    client.cookies.delete("lantern_session")
    assert _page_sign_in(client, None) == 401
    assert _page_sign_in(client, wrong_code(secret)) == 401
    assert _page_sign_in(client, totp.code_at(secret, thirty_seconds_on())) == 303
