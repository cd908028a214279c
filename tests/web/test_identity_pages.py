"""Browser tests of the identity pages: the review queue, a pair side by side, how a person is known."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from lantern.config import Settings
from lantern.demo import seed
from tests.web.test_pages import _load_scenario, _sign_in

S2 = seed.SCENARIOS / "s2_offender_unknown_to_council.jsonl"


def test_worker_compares_a_pair_and_keeps_twins_apart(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    _load_scenario(settings, S2)
    make_user("csc.worker", agency="csc", role="practitioner")
    _sign_in(page, live_server, "csc.worker")
    page.get_by_role("link", name="Matches to review").click()
    rows = page.locator("#reviews tbody tr")
    before = rows.count()
    twins = rows.filter(has_text="different NHS numbers")
    expect(twins).to_have_count(1)
    twins.get_by_role("link", name="Compare").click()
    expect(page.get_by_role("heading", name="Are these the same person?")).to_be_visible()
    expect(page.locator("#explanation")).to_contain_text("Given name: different")
    expect(page.locator("main")).to_contain_text("freddie")
    expect(page.locator("main")).to_contain_text("oliver")
    page.get_by_label("Your reasons").fill("Twins: Freddie and Oliver.")
    page.get_by_role("button", name="Different people: keep apart").click()
    expect(page.locator("#reviews tbody tr")).to_have_count(max(before - 1, 1))
    expect(page.locator("#reviews")).not_to_contain_text("different NHS numbers")


def test_person_page_shows_how_each_agency_knows_the_father(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    _load_scenario(settings, S2)
    make_user("csc.worker", agency="csc", role="practitioner")
    _sign_in(page, live_server, "csc.worker")
    page.goto(f"{live_server}/people?q=15/402781T")
    page.locator("#results a").first.click()
    page.get_by_role("link", name="How we know this is one person").click()
    table = page.locator("#records")
    expect(table).to_contain_text("thackery")
    expect(table).to_contain_text("Same PNC id")
    expect(table).to_contain_text("Matched by the model")
    table.locator("details summary").first.click()
    expect(table.locator("details").first).to_contain_text("Date of birth")
