"""Browser test of the flag look-up: an emergency department nurse checks a child on a child protection
plan and sees whom to call; a second check shows the first; a police officer cannot open the page."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect
from sqlalchemy import select

from lantern.audit.service import Actor
from lantern.config import Settings
from lantern.db.engine import make_engine, make_session_factory
from lantern.demo import seed
from lantern.events.models import Event, EventSubject
from lantern.people.schemas import AddressIn
from lantern.plans import service as plans_service
from lantern.plans.schemas import PlanIn
from tests.factories import event, nhs, person
from tests.web.test_pages import _sign_in

CHILD_NHS = nhs(411)
HOME = {"line1": "4 Quarry Lane", "town": "Leeds", "postcode": "LS6 2AB"}
WORKER = Actor(id=None, name="sw.one", agency="csc", role="practitioner")


def _child_on_a_plan(settings: Settings) -> None:
    referral = event(
        agency="csc",
        type_="csc.referral",
        ref="REF-FLAG-1",
        subjects=[{"role": "child", "person": person("Mia", "Rowe", date_of_birth="2024-02-02", nhs_number=CHILD_NHS)}],
    )
    engine = make_engine(settings.database_url)
    with make_session_factory(engine).begin() as db:
        seed.load_records(db=db, records=[referral], max_bytes=settings.max_event_bytes)
        child = db.execute(
            select(EventSubject.person_id).join(Event).where(Event.source_ref == "REF-FLAG-1")
        ).scalar_one()
        plan = PlanIn(
            child_id=child, kind="cp", category="neglect", lead_professional="sw.one", manager="tm.one",
            home_address=AddressIn(**HOME), start_on=date(2025, 2, 1),
        )  # fmt: skip
        plans_service.create(db=db, plan_in=plan, actor=WORKER)
    engine.dispose()


def test_ed_nurse_looks_up_a_child_on_a_plan_and_sees_the_team_to_call(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    _child_on_a_plan(settings)
    make_user("ed.nurse", agency="hospital", role="practitioner")
    _sign_in(page, live_server, "ed.nurse")
    page.get_by_role("link", name="Check a flag").click()
    expect(page.get_by_label("Where the child is being seen")).to_have_value("emergency_department")
    page.get_by_label("NHS number").fill(f"{CHILD_NHS[:3]} {CHILD_NHS[3:6]} {CHILD_NHS[6:]}")
    page.get_by_role("button", name="Check the flag").click()
    expect(page.locator("#flag-held")).to_contain_text("Mia Rowe")
    card = page.locator(".flag").first
    expect(card).to_contain_text("On a child protection plan")
    expect(card.locator(".lead")).to_have_text("sw.one")
    expect(card.locator(".team")).to_contain_text("0113 222 4401")
    expect(page.locator("#accesses")).to_contain_text("No earlier checks")
    page.get_by_label("NHS number").fill(CHILD_NHS)
    page.get_by_role("button", name="Check the flag").click()
    expect(page.locator("#accesses")).to_contain_text("ed.nurse")


def test_nothing_held_and_the_page_is_refused_outside_unscheduled_care(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    make_user("ed.nurse", agency="hospital", role="practitioner")
    make_user("pc.one", agency="police", role="practitioner")
    _sign_in(page, live_server, "ed.nurse")
    page.goto(f"{live_server}/flags")
    page.get_by_label("NHS number").fill(nhs(412))
    page.get_by_role("button", name="Check the flag").click()
    expect(page.locator("#no-flag")).to_contain_text("No flag held")
    page.get_by_label("NHS number").fill("123")
    page.get_by_role("button", name="Check the flag").click()
    expect(page.locator("#errors")).to_be_visible()
    page.context.clear_cookies()
    _sign_in(page, live_server, "pc.one")
    expect(page.get_by_role("link", name="Check a flag")).to_have_count(0)
    response = page.goto(f"{live_server}/flags")
    assert response is not None and response.status == 403
