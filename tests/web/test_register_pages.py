"""Browser tests of the register: the entry page of the S2 father with his alert, and a health
visitor who sees the alert's action without the offence."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from lantern.config import Settings
from lantern.demo import seed
from tests.web.test_pages import _load_scenario, _sign_in

S2 = seed.SCENARIOS / "s2_offender_unknown_to_council.jsonl"


def test_officer_opens_the_register_entry_and_its_household_alert(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    _load_scenario(settings, S2)
    make_user("police.ppu", agency="police", role="practitioner")
    _sign_in(page, live_server, "police.ppu")
    page.get_by_role("link", name="Register").click()
    page.locator("#entries a").first.click()
    expect(page.locator("#offences")).to_contain_text("Children and Young Persons Act 1933")
    expect(page.locator("#entry")).to_contain_text("10 years")
    expect(page.locator("#addresses")).to_contain_text("overdue")
    alert = page.locator(".register-alert").first
    expect(alert).to_contain_text("Contact the police public protection unit")
    alert.locator("details summary").click()
    expect(alert.locator("details")).to_contain_text("linkage model")


def test_health_visitor_sees_the_action_without_the_offence(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    _load_scenario(settings, S2)
    make_user("hv.nurse", agency="health_visiting", role="practitioner")
    _sign_in(page, live_server, "hv.nurse")
    expect(page.get_by_role("link", name="Register")).to_have_count(0)
    page.goto(f"{live_server}/people?q=9990002029")
    page.locator("#results a").first.click()
    mother = page.url.rstrip("/").split("/")[-1]
    page.goto(f"{live_server}/register/alerts?person_id={mother}")
    expect(page.locator("main")).to_contain_text("Contact the police public protection unit")
    expect(page.locator("main")).not_to_contain_text("cruelty")
    expect(page.locator("main")).not_to_contain_text("register since")
