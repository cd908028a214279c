"""Browser tests of the duty pages: inbox and acknowledgement, board, compliance, not passed on."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from lantern.config import Settings
from tests.scenarios.replay import run_scheduler
from tests.web.test_pages import S1, _first_child_present, _load_scenario, _sign_in


def test_csc_worker_sees_overdue_duties_and_acknowledges_one(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    _load_scenario(settings, S1)
    run_scheduler(settings)
    make_user("csc.worker", agency="csc", role="practitioner")
    _sign_in(page, live_server, "csc.worker")
    page.get_by_role("link", name="Duties", exact=True).click()
    rows = page.locator("#duties tbody tr")
    expect(rows.first).to_contain_text("escalated")
    before = rows.count()
    rows.first.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#duties tbody tr")).to_have_count(before - 1)
    page.goto(f"{live_server}/duties?status=acknowledged")
    expect(page.locator("#duties")).to_contain_text("late")


def test_not_passed_on_view_and_compliance_chart(page: Page, live_server: str, settings: Settings, make_user) -> None:  # type: ignore[no-untyped-def]
    records = _load_scenario(settings, S1)
    run_scheduler(settings)
    make_user("police.manager", agency="police", role="manager")
    _sign_in(page, live_server, "police.manager")
    page.goto(f"{live_server}/duties/compliance")
    expect(page.locator("svg rect").first).to_be_attached()
    expect(page.locator("#compliance")).to_contain_text("domestic abuse incident")
    child = _first_child_present(records)
    page.goto(f"{live_server}/people?q={child['family_name']}")
    page.get_by_role("link", name=re.compile(child["given_name"])).first.click()
    page.get_by_role("link", name="What had to be passed on about this person").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("were not passed on in time")
