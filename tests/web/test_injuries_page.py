"""Browser test: on S3's baby, a midwife clicks the left cheek on the body map and records a "mark";
the map shows it, counted as a bruise, and the bruising rule is explained."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from lantern.config import Settings
from lantern.demo import seed
from tests.web.test_pages import _load_scenario, _sign_in

S3 = seed.SCENARIOS / "s3_mark_or_bruise.jsonl"


def test_body_map_click_records_a_mark_and_the_bruising_rule_fires(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    _load_scenario(settings, S3)
    make_user("mw.midwife", agency="midwifery", role="practitioner")
    _sign_in(page, live_server, "mw.midwife")
    page.goto(f"{live_server}/people?q=9990003033")
    page.get_by_role("link", name="Theo").first.click()
    page.get_by_role("link", name="Injuries (body map)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Injuries on a body map")
    expect(page.locator("#record-injury")).to_contain_text("It may be a bruise, so it is treated as one.")
    page.locator('svg#body-front [data-region="cheek_left"]').click()
    expect(page.get_by_label("Where on the body")).to_have_value("cheek_left")
    page.get_by_label("Mark", exact=True).check()
    page.get_by_label("Date seen").fill("2019-04-23")
    page.get_by_label("Size (cm across)").fill("1")
    page.get_by_label("Who saw it (name and role)").fill("Community midwife")
    page.get_by_label("The child's mobility").select_option("non_mobile")
    page.get_by_role("button", name="Record injury").click()
    expect(page.locator('svg#body-front [data-region="cheek_left"].injured')).to_have_count(1)
    expect(page.locator("#injuries")).to_contain_text("mark")
    expect(page.locator("#injuries")).to_contain_text("bruise")
    expect(page.locator("#rule")).to_contain_text("not independently mobile")
    expect(page.locator("#rule")).to_contain_text("bruising to a cheek under 4 years")
