"""Browser test of a handover through the pages: the allocated worker sends the case with its
checklist, the receiving worker must tick every section, and then My cases shows it as theirs."""

from __future__ import annotations

from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from tests.casework.helpers import Login, child, child_record, first_subject, record, staff
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


def test_manager_records_a_conference_a_supervision_and_a_meeting_through_the_pages(
    page: Page, live_server: str, client: TestClient, login: Login
) -> None:
    users = staff(login)
    strategy = record(client, users["mgr"], "csc.strategy_discussion", child_record(321), "2026-10-01T10:00:00+00:00")
    person_id = first_subject(client, users["mgr"], strategy)
    body = {"person_id": person_id, "manager": "mgr.lee", "worker": "sw.ann"}
    assert client.post("/api/v1/casework/cases", json=body, headers=users["mgr"]).status_code == 201
    setting = {"supervisor": "mgr.lee", "started_on": "2026-09-01"}
    assert (
        client.put("/api/v1/casework/supervision/workers/sw.ann", json=setting, headers=users["mgr"]).status_code == 200
    )
    series = client.post("/api/v1/casework/meetings", json={"title": "Twice-weekly safeguarding"}, headers=users["mgr"])
    assert series.status_code == 201

    _sign_in(page, live_server, "mgr.lee")
    page.get_by_role("link", name="Conferences").click()
    expect(page.locator("#overdue-warning")).to_contain_text("1 conference overdue")  # due 22 October 2026
    page.get_by_role("link", name="Initial").click()
    page.locator("#invitations").fill("health_visiting: Rose Patel\npolice: DC Shaw")
    page.get_by_role("button", name="Save date and invitations").click()
    expect(page.locator("#invited")).to_contain_text("Rose Patel (Health visiting)")
    page.get_by_label("Held on").fill("2026-10-20")
    page.get_by_label("Rose Patel (Health visiting)").check()
    page.get_by_label("Child protection plan (the child is, or stays, on a plan)").check()
    page.get_by_label("Decisions").fill("Child protection plan, category neglect.")
    page.get_by_role("button", name="Record as held").click()
    expect(page.locator("#status")).to_contain_text("held on 20 Oct 2026")
    expect(page.locator("#invited")).to_contain_text("Rose Patel (Health visiting), attended")
    page.get_by_role("link", name="Conferences").click()
    expect(page.locator("main")).to_contain_text("January 2027")  # the first review, within 3 months

    page.get_by_role("link", name="Supervision").click()
    expect(page).to_have_title("Team supervision report – Lantern")  # the title, and no form inside it
    expect(page.locator("#worker-sw\\.ann")).to_contain_text("overdue")  # never supervised since 1 September
    page.get_by_label("Held on").fill("2026-11-20")
    page.get_by_label("Decision on Lily Hart (sw.ann's case)").fill("Visits weekly until the review.")
    page.get_by_label("Action", exact=True).fill("Chase the GP report")
    page.get_by_label("Action owner").fill("sw.ann")
    page.get_by_label("Action due").fill("2026-12-01")
    page.get_by_role("button", name="Record supervision").click()
    expect(page.locator("#worker-sw\\.ann")).to_contain_text("20 Nov 2026")
    expect(page.locator("#actions")).to_contain_text("Chase the GP report")

    page.get_by_role("link", name="Meetings").click()
    page.get_by_role("button", name="Open the next sitting").click()
    expect(page).to_have_title("Twice-weekly safeguarding – Lantern")
    page.get_by_label("Attendee's agency").select_option("police")
    page.get_by_label("Attendee's name").fill("DC Shaw")
    page.get_by_label("Action", exact=True).fill("Share the strategy minutes")
    page.get_by_label("Action owner").fill("DC Shaw")
    page.get_by_label("Action due").fill("2026-12-02")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#attendance")).to_contain_text("DC Shaw (Police)")
    expect(page.locator("#actions")).to_contain_text("Share the strategy minutes")


def test_casework_pages_are_childrens_social_cares(page: Page, live_server: str, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("pc.dale", agency="police", role="practitioner")
    _sign_in(page, live_server, "pc.dale")
    expect(page.get_by_role("link", name="My cases")).to_have_count(0)
    expect(page.get_by_role("link", name="Meetings")).to_have_count(1)  # standing meetings are multi-agency
    response = page.goto(f"{live_server}/casework/cases")
    assert response is not None and response.status == 403
    expect(page.locator("main")).to_contain_text("may not case:read")
