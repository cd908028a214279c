"""Browser test: on S5's 15-year-old, a teacher reads in plain words that a 14 to 17-year-old's
disclosure is referred as any child's, records her disclosure, and sees the referral it is owed."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from lantern.config import Settings
from lantern.demo import seed
from tests.web.test_pages import _load_scenario, _sign_in

S5 = next(seed.SCENARIOS.glob("s5_*.jsonl"))


def test_a_teenagers_disclosure_is_recorded_and_referred(
    page: Page, live_server: str, settings: Settings, make_user: Any
) -> None:
    _load_scenario(settings, S5)
    make_user("edu.teacher", agency="education", role="practitioner")
    _sign_in(page, live_server, "edu.teacher")
    page.goto(f"{live_server}/people?q=Ellie Lockwood")
    page.get_by_role("link", name="Ellie").first.click()
    page.get_by_role("link", name="Disclosures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Disclosures")
    expect(page.locator("#children-rule")).to_contain_text("aged 14 to 17")
    expect(page.locator("#children-rule")).to_contain_text("It is not an adult's choice to make alone.")
    page.get_by_label("Suicidal plans", exact=True).check()
    page.get_by_label("Self-harm", exact=True).check()
    page.get_by_label("Date they told you").fill("2023-02-09")
    page.get_by_label("What they said, in their words").fill("a pact with a friend to end their lives")
    page.get_by_label("Who heard it (name and role)").fill("Form tutor")
    page.get_by_label("They asked me not to tell anyone").check()
    page.get_by_role("button", name="Record disclosure").click()
    expect(page.locator("#disclosures")).to_contain_text("aged 15")
    expect(page.locator("#disclosures")).to_contain_text("a referral to children's social care is owed")
    expect(page.locator("#disclosures")).to_contain_text("Asked that no one be told.")
