"""Browser tests: sign in, find a scenario child, see her records; errors a person can act on."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
from playwright.sync_api import Page, expect

from lantern.config import Settings
from lantern.db.engine import make_engine, make_session_factory
from lantern.demo import seed
from tests.conftest import PASSWORD

S1 = seed.SCENARIOS / "s1_accumulating_domestic_abuse.jsonl"


def _load_scenario(settings: Settings, path: Path) -> list[dict]:
    records = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    engine = make_engine(settings.database_url)
    with make_session_factory(engine).begin() as db:
        seed.load_records(db=db, records=records, max_bytes=settings.max_event_bytes)
    engine.dispose()
    return records


def _first_child_present(records: list[dict]) -> dict:
    for record in records:
        for subject in record["subjects"]:
            if subject["role"] == "child_present":
                return subject["person"]
    raise AssertionError("S1 names no child present")


def _sign_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_search_and_see_a_childs_records(page: Page, live_server: str, settings: Settings, make_user) -> None:  # type: ignore[no-untyped-def]
    records = _load_scenario(settings, S1)
    child = _first_child_present(records)
    make_user("csc.worker", agency="csc", role="practitioner")
    _sign_in(page, live_server, "csc.worker")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Children's social care")
    page.get_by_label("Find a child or adult").fill(child["family_name"])
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=re.compile(child["given_name"])).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(child["given_name"])
    rows = page.locator("#events tbody tr")
    expect(rows.first).to_contain_text("Police")
    assert rows.count() >= 2
    expect(page.locator("#events")).to_contain_text("Domestic abuse incident")


def test_live_search_updates_results_without_submitting(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    records = _load_scenario(settings, S1)
    child = _first_child_present(records)
    make_user("hv.nurse", agency="health_visiting", role="practitioner")
    _sign_in(page, live_server, "hv.nurse")
    page.goto(f"{live_server}/people")
    page.get_by_label("Name, NHS number or PNC id").press_sequentially(child["family_name"], delay=30)
    expect(page.locator("#results")).to_contain_text("found")
    expect(page.get_by_role("link", name=re.compile(child["given_name"])).first).to_be_visible()


def test_wrong_password_shows_an_error_summary(page: Page, live_server: str, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("csc.worker")
    _sign_in(page, live_server, "csc.worker", password="not-the-password-1")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct username and password")


def test_sign_out_ends_the_session(page: Page, live_server: str, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("csc.worker")
    _sign_in(page, live_server, "csc.worker")
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server}/people")
    expect(page).to_have_url(re.compile(r"/login"))


def test_home_lists_my_agencys_latest_records_with_links(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    _load_scenario(settings, S1)
    make_user("police.ppu", agency="police", role="practitioner")
    _sign_in(page, live_server, "police.ppu")
    latest = page.locator("table").first
    expect(latest).to_contain_text("Domestic abuse incident")
    latest.locator("a").first.click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Records from every agency")
