"""Browser test: on S1's victim, the DASH page lists the police call-outs of the past year; an IDVA
answers the 27 questions (14 yes) and the checklist shows high risk and the MARAC referral."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from lantern.assessments.dash.rules import QUESTIONS
from lantern.config import Settings
from lantern.demo import seed
from tests.web.test_pages import _load_scenario, _sign_in

S1 = next(seed.SCENARIOS.glob("s1_*.jsonl"))


def test_a_checklist_with_14_yes_is_high_risk_and_referred(
    page: Page, live_server: str, settings: Settings, make_user: Any
) -> None:
    _load_scenario(settings, S1)
    make_user("csc.idva", agency="csc", role="practitioner")
    _sign_in(page, live_server, "csc.idva")
    page.goto(f"{live_server}/people?q=Shannon Ashworth-Cole")
    page.get_by_role("link", name="Shannon").first.click()
    page.get_by_role("link", name="DASH risk checklist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("DASH risk checklist")
    expect(page.locator("#record-dash")).to_contain_text("1. Has the current incident resulted in injury?")
    page.get_by_label("Date of the assessment").fill("2025-01-10")
    page.get_by_label("Completed by (name and role)").fill("IDVA")
    for i, code in enumerate(QUESTIONS):
        page.locator(f"#q-{code}-{'yes' if i < 14 else 'no'}").check()
    page.get_by_role("button", name="Record checklist").click()
    expect(page.locator("#checklists")).to_contain_text("14 of 27 yes")
    expect(page.locator("#checklists")).to_contain_text("High risk")
    expect(page.locator("#checklists")).to_contain_text("Refer to MARAC: visible high risk")
