"""Browser test of a handover through the pages: the allocated worker sends the case with its
checklist, the receiving worker must tick every section, and then My cases shows it as theirs."""

from __future__ import annotations

from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from tests.casework.helpers import Login, child, staff
from tests.web.test_pages import _sign_in


def test_handover_sent_acknowledged_and_shown_in_my_cases(
    page: Page, live_server: str, client: TestClient, login: Login
) -> None:
    users = staff(login)
    person_id = child(client, users["mgr"])
    opened = client.post(
        "/api/v1/casework/cases", json={"person_id": person_id, "manager": "mgr.lee", "worker": "sw.ann"},
        headers=users["mgr"],
    )  # fmt: skip
    assert opened.status_code == 201, opened.text

    _sign_in(page, live_server, "sw.ann")
    page.get_by_role("link", name="My cases").click()
    page.locator("#my-cases").get_by_role("link", name="Lily Hart").click()
    expect(page.locator("#worker")).to_contain_text("sw.ann")
    page.get_by_label("Receiving worker (username)").fill("sw.ben")
    page.get_by_label("Plan conditions").fill("Parents tell the social worker of any overnight stay.")
    page.get_by_role("button", name="Send handover").click()
    expect(page.locator("#status")).to_contain_text("waiting for acknowledgement")
    expect(page.locator("#section-plan_conditions")).to_contain_text("overnight stay")
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, live_server, "sw.ben")
    page.get_by_role("link", name="My cases").click()
    expect(page.locator("#my-cases")).not_to_contain_text("Lily Hart")
    page.locator("#waiting").get_by_role("link", name="Acknowledge the handover to you from sw.ann").click()
    page.get_by_label("I have read and understood: risks").check()
    page.get_by_label("I have read and understood: family network").check()
    page.get_by_role("button", name="Acknowledge and take the case").click()
    expect(page.locator("#errors")).to_contain_text("not confirmed: Plan conditions, Open actions, Upcoming dates")
    for label in ("risks", "plan conditions", "open actions", "family network", "upcoming dates"):
        page.get_by_label(f"I have read and understood: {label}").check()
    page.get_by_role("button", name="Acknowledge and take the case").click()
    expect(page).to_have_url(f"{live_server}/casework/cases")
    expect(page.locator("#my-cases")).to_contain_text("Lily Hart")
    page.goto(f"{live_server}/people/{person_id}/chronology")
    expect(page.locator("main")).to_contain_text("changed from sw.ann to sw.ben")
