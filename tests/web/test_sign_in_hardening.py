"""Browser test: set up an authenticator app, then sign in with the password and its code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from lantern.access import totp
from lantern.common import clock
from tests.conftest import PASSWORD

NOW = datetime(2026, 11, 24, 9, 0, 10, tzinfo=UTC)

pytestmark = pytest.mark.browser


def _sign_in(page: Page, base: str, code: str | None = None) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    if code is not None:
        page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Sign in").click()


def test_set_up_totp_then_sign_in_with_the_code(page: Page, live_server: str, make_user) -> None:  # type: ignore[no-untyped-def]
    clock.set_clock(lambda: NOW)
    make_user("sam", agency="csc", role="practitioner")
    _sign_in(page, live_server)
    page.get_by_role("link", name="Sign-in security").click()
    expect(page.locator("#totp-status")).to_contain_text("needs only your password")
    page.get_by_role("button", name="Set up an authenticator app").click()
    secret = page.locator("#totp-secret").inner_text()
    expect(page.locator("#totp-uri")).to_have_attribute("href", totp.provisioning_uri(secret, "sam"))
    page.get_by_label("Code from the app").fill("000000" if totp.code_at(secret, NOW) != "000000" else "111111")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("6-digit code")
    page.get_by_label("Code from the app").fill(totp.code_at(secret, NOW))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#totp-done")).to_be_visible()
    expect(page.locator("#totp-status")).to_contain_text("a security code")

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, live_server)  # the password alone is no longer enough
    expect(page.locator(".govuk-error-summary")).to_contain_text("security code")
    later = NOW + timedelta(seconds=30)  # the next code: the one that confirmed the set-up is used up
    clock.set_clock(lambda: later)
    _sign_in(page, live_server, totp.code_at(secret, later))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Children's social care")
