"""Browser tests of plans: a social worker makes S4's plan with its conditions through the page and
sees the night-time ambulance call break the overnight-stay condition; a breach recorded by hand."""

from __future__ import annotations

from typing import Any

import orjson
from playwright.sync_api import Page, expect
from sqlalchemy import select

from lantern.config import Settings
from lantern.db.engine import make_engine, make_session_factory
from lantern.demo import seed
from lantern.duties.models import Duty
from lantern.events.models import Event, EventSubject
from tests.web.test_pages import _sign_in

S4 = seed.SCENARIOS / "s4_plan_condition_breached.jsonl"
RECORDS = [orjson.loads(line) for line in S4.read_bytes().splitlines() if line.strip()]
CONFERENCE = next(i for i, r in enumerate(RECORDS) if r["source_ref"] == "S4-CSC-007") + 1


def _load(settings: Settings, records: list[dict[str, Any]]) -> None:
    engine = make_engine(settings.database_url)
    with make_session_factory(engine).begin() as db:
        seed.load_records(db=db, records=records, max_bytes=settings.max_event_bytes)
    engine.dispose()


def _query(settings: Settings, stmt: Any) -> list[Any]:
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as db:
        rows = list(db.execute(stmt).scalars())
    engine.dispose()
    return rows


def _person(settings: Settings, role: str) -> str:
    """The person named in the conference record in this role."""
    stmt = (
        select(EventSubject.person_id)
        .join(Event, Event.id == EventSubject.event_id)
        .where(Event.source_ref == "S4-CSC-007", EventSubject.role == role)
    )
    return str(_query(settings, stmt)[0])


def _signed_in_at_the_conference(page: Page, base: str, settings: Settings, make_user: Any) -> None:
    """S4's records up to the conference are loaded and its social worker is signed in."""
    _load(settings, RECORDS[:CONFERENCE])
    make_user("priya.holroyd", agency="csc", role="practitioner")
    _sign_in(page, base, "priya.holroyd")


def _make_plan(page: Page, base: str, settings: Settings) -> None:
    """The plan the conference decided, made through the page: Jacob's, Shane named in a condition."""
    jacob, shane = _person(settings, "child"), _person(settings, "father")
    page.goto(f"{base}/plans/new?child_id={jacob}")
    page.get_by_role("radio", name="Child protection plan").check()
    page.get_by_label("Category").select_option("emotional")
    page.get_by_label("Lead professional").fill("priya.holroyd")
    page.get_by_label("Their manager's username").fill("martin.quayle")
    page.get_by_label("Address line 1").fill("Room 5, Harbourlight House")
    page.get_by_label("Address line 2").fill("12 Cliffe Walk")
    page.get_by_label("Town").fill("Scarborough")
    page.get_by_label("Postcode").fill("YO11 2PX")
    page.get_by_label("Start date").fill("2022-08-10")
    page.get_by_label("Outcomes").fill("Jacob sleeps safely in his own Moses basket")
    page.get_by_label("Core group").fill(
        "Priya Holroyd; csc; social worker\nDawn Pickering; health_visiting; health visitor"
    )
    page.get_by_label("Parents tell the social worker of any overnight stay").check()
    page.get_by_label("No unsupervised contact with the named person").check()
    page.get_by_label("No unsupervised contact with (person id)").fill(shane)
    page.get_by_role("button", name="Make the plan").click()


def test_worker_makes_a_plan_with_conditions_and_sees_the_night_call_break_one(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    _signed_in_at_the_conference(page, live_server, settings, make_user)
    _make_plan(page, live_server, settings)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Child protection plan: emotional abuse")
    overnight = page.locator("#condition-report_overnight_stays")
    expect(overnight.locator(".condition-status")).to_have_text("Kept")
    expect(page.locator("#condition-no_unsupervised_contact")).to_contain_text("Shane")
    expect(page.locator("#plan-summary")).to_contain_text("Dawn Pickering (health visitor, Health visiting)")
    _load(settings, RECORDS[CONFERENCE:])
    page.reload()
    expect(overnight.locator(".condition-status")).to_have_text("Breached")
    expect(overnight.locator(".breach")).to_contain_text("S4-AMB-001")
    expect(overnight.locator(".breach")).to_contain_text("58 Haddowgate Row")
    expect(page.locator("#condition-no_unsupervised_contact .condition-status")).to_have_text("Kept")
    expect(page.locator(".task").filter(has_text="Carl Hebden")).to_contain_text("Check the register")
    page.get_by_role("link", name="Plans", exact=True).click()
    expect(page.locator("#plans")).to_contain_text("1 breached")
    expect(page.locator("#tasks")).to_contain_text("Carl Hebden")


def test_a_plan_without_a_category_is_shown_again_with_the_problem(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    _signed_in_at_the_conference(page, live_server, settings, make_user)
    page.goto(f"{live_server}/plans/new?child_id={_person(settings, 'child')}")
    page.get_by_label("Lead professional").fill("priya.holroyd")
    page.get_by_label("Their manager's username").fill("martin.quayle")
    page.get_by_label("Postcode").fill("YO11 2PX")
    page.get_by_role("button", name="Make the plan").click()
    expect(page.locator("#errors")).to_contain_text("category")
    expect(page.get_by_label("Lead professional")).to_have_value("priya.holroyd")


def test_worker_records_a_breach_by_hand_and_lead_and_manager_are_alerted(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    _signed_in_at_the_conference(page, live_server, settings, make_user)
    _make_plan(page, live_server, settings)
    contact = page.locator("#condition-no_unsupervised_contact")
    expect(contact.locator(".condition-status")).to_have_text("Kept")
    choice = page.locator("#condition_id option", has_text="No unsupervised contact").get_attribute("value")
    page.get_by_label("Which condition").select_option(value=choice)
    page.get_by_label("What you saw or were told").fill("Shane Royle alone with Jacob at Harbourlight House at 18:00.")
    page.get_by_role("button", name="Record breach and alert").click()
    expect(contact.locator(".condition-status")).to_have_text("Breached")
    expect(contact.locator(".breach")).to_contain_text("Recorded by priya.holroyd")
    expect(contact.locator(".breach")).to_contain_text("alone with Jacob")
    teams = _query(settings, select(Duty.recipient_team).where(Duty.rule_code.like("plan-breach-%")))
    assert sorted(teams) == ["martin.quayle", "priya.holroyd"]


def test_worker_checks_the_new_partner_and_keeps_the_actions_up_to_date(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    _signed_in_at_the_conference(page, live_server, settings, make_user)
    _make_plan(page, live_server, settings)
    _load(settings, RECORDS[CONFERENCE:])
    page.reload()
    carl = page.locator(".task").filter(has_text="Carl Hebden")
    steps = {"identify": "Carl Hebden, 19/05/1988, Flat 2 58 Haddowgate Row", "register": "Not on the register"}
    steps |= {"police_history": "Two DA call-outs with a former partner", "csc_history": "None"}
    for step, finding in steps.items():
        carl.get_by_label("Check", exact=True).select_option(step)
        carl.get_by_label("Finding").fill(finding)
        carl.get_by_role("button", name="Save").click()
        carl = page.locator(".task").filter(has_text="Carl Hebden")
    expect(carl).to_contain_text("Not on the register")
    carl.get_by_label("Result", exact=False).fill("Mother's partner since July; strategy discussion today")
    carl.get_by_role("button", name="Save").click()
    carl = page.locator(".task").filter(has_text="Carl Hebden")
    expect(carl).to_contain_text("Done")
    expect(carl).to_contain_text("strategy discussion today")
    page.get_by_text("Add an action").click()
    page.get_by_label("Action", exact=True).fill("Visit Haddowgate Row")
    page.get_by_label("Owner").fill("priya.holroyd")
    page.get_by_label("Due", exact=True).fill("2022-09-12")
    page.get_by_role("button", name="Add the action").click()
    row = page.locator("#plan-actions tr").filter(has_text="Visit Haddowgate Row")
    expect(row).to_contain_text("Overdue")
    row.get_by_role("button", name="Mark done").click()
    row = page.locator("#plan-actions tr").filter(has_text="Visit Haddowgate Row")
    expect(row).not_to_contain_text("Overdue")
    page.get_by_text("Record a stay told in advance").click()
    page.get_by_label("Where (first line of the address)").fill("Flat 2, 58 Haddowgate Row")
    page.get_by_label("Postcode of the stay").fill("YO12 7HJ")
    page.get_by_label("With whom").fill("Carl Hebden")
    page.get_by_label("First night").fill("2022-09-16")
    page.get_by_role("button", name="Record the stay").click()
    expect(page.locator("#stay-notices")).to_contain_text("with Carl Hebden")
    page.get_by_label("Date the plan ended").fill("2022-09-30")
    page.get_by_role("button", name="End the plan").click()
    expect(page.locator("#plan-summary")).to_contain_text("ended 30 Sep 2022")
    expect(page.locator("#record-breach")).to_have_count(0)


def test_only_childrens_social_care_is_offered_a_new_plan(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    make_user("hv.nurse", agency="health_visiting", role="practitioner")
    _sign_in(page, live_server, "hv.nurse")
    expect(page.get_by_role("link", name="Plans", exact=True)).to_have_count(0)
    page.goto(f"{live_server}/plans")
    expect(page.locator("#new-plan")).to_have_count(0)
    response = page.goto(f"{live_server}/plans/new")
    assert response is not None and response.status == 403
