"""Browser tests of serious-incident reviews: a social worker who read Jacob's record sees the review
notice on her home page after his death, with whom to talk to, and can still open his record; a
partnership reviewer reads the snapshot, records a finding with learning themes, and the themes
dashboard shows it."""

from __future__ import annotations

from typing import Any

import orjson
from playwright.sync_api import Page, expect
from sqlalchemy import select

from lantern.config import Settings
from lantern.db.engine import make_engine, make_session_factory
from lantern.demo import seed
from lantern.events.models import Event, EventSubject
from tests.web.test_pages import _sign_in

S4 = seed.SCENARIOS / "s4_plan_condition_breached.jsonl"
RECORDS = [orjson.loads(line) for line in S4.read_bytes().splitlines() if line.strip()]
BEFORE_DEATH = next(i for i, r in enumerate(RECORDS) if r["type"] == "child.death")


def _load(settings: Settings, records: list[dict[str, Any]]) -> None:
    engine = make_engine(settings.database_url)
    with make_session_factory(engine).begin() as db:
        seed.load_records(db=db, records=records, max_bytes=settings.max_event_bytes)
    engine.dispose()


def _jacob(settings: Settings) -> str:
    engine = make_engine(settings.database_url)
    stmt = (
        select(EventSubject.person_id)
        .join(Event, Event.id == EventSubject.event_id)
        .where(Event.source_ref == "S4-CSC-007", EventSubject.role == "child")
    )
    with make_session_factory(engine)() as db:
        found = str(db.execute(stmt).scalar_one())
    engine.dispose()
    return found


def test_staff_see_the_review_notice_and_a_reviewer_records_a_finding_the_dashboard_shows(  # type: ignore[no-untyped-def]
    page: Page, live_server: str, settings: Settings, make_user
) -> None:
    _load(settings, RECORDS[:BEFORE_DEATH])
    jacob = _jacob(settings)
    make_user("priya.holroyd", agency="csc")
    make_user("rhiannon.panel", agency="panel", role="reviewer")
    _sign_in(page, live_server, "priya.holroyd")
    page.goto(f"{live_server}/people/{jacob}")  # she reads his record before his death
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jacob")
    _load(settings, RECORDS[BEFORE_DEATH:])  # the hospital records the death: the review opens

    page.goto(live_server)
    notice = page.locator("#review-notices")
    expect(notice).to_contain_text("Death of a child: Jacob Kettlewell")
    expect(notice).to_contain_text("not a disciplinary process")
    expect(notice.locator(".review-contacts")).to_contain_text("Principal social worker")
    page.goto(f"{live_server}/people/{jacob}")  # no lockout
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jacob")
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, live_server, "rhiannon.panel")
    page.get_by_role("link", name="Reviews", exact=True).click()
    page.get_by_role("link", name="Jacob Kettlewell").click()
    expect(page.locator("#review-summary")).to_contain_text("Notify the Child Safeguarding Practice Review Panel")
    expect(page.locator("#staff")).to_be_visible()
    expect(page.get_by_role("table").nth(0)).to_contain_text("priya.holroyd")
    page.locator("#snapshot-list a").first.click()
    expect(page.locator("#snapshot-status")).to_contain_text("Unchanged since it was taken")
    expect(page.locator("#snapshot-chronology")).to_contain_text("S4-AMB-001")
    page.go_back()
    page.get_by_text("Take a snapshot at another time").click()
    page.get_by_label("As at (UK time)").fill("2022-09-09T04:30")  # after the ambulance call, before hospital
    page.get_by_role("button", name="Take snapshot").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("as it stood at 9 Sep 2022 04:30")
    expect(page.locator("#snapshot-chronology")).to_contain_text("S4-AMB-001")
    expect(page.locator("#snapshot-chronology")).not_to_contain_text("S4-HOSP-003")
    page.get_by_role("link", name="Review", exact=True).click()

    page.get_by_label("Tell the staff involved what is happening now").fill("The rapid review meets on 26 September")
    page.get_by_role("button", name="Send update").click()
    expect(page.locator("#updates")).to_contain_text("The rapid review meets on 26 September")

    form = page.locator("#record-finding")
    form.get_by_label("Finding").fill("Handover to the Safeguarding Team came without a joint visit")
    form.get_by_label("Handover").check()
    form.get_by_label("Supervision").check()
    form.get_by_label("Children's social care").check()
    form.get_by_role("button", name="Record finding").click()
    finding = page.locator(".finding")
    expect(finding).to_contain_text("Handover to the Safeguarding Team")
    expect(finding.locator(".theme")).to_have_text(["Supervision", "Handover"])

    page.goto(f"{live_server}/reviews/themes?by=year")
    row = page.locator("#themes-by-period tr.theme-row[data-theme='handover']")
    expect(row).to_contain_text("Handover")
    expect(row.locator("td")).to_have_text(["1", "1", "1"])  # reviews, findings, 2022
    expect(page.locator("#themes-by-agency")).to_contain_text("Children's social care")
    expect(page.locator("#themes-csv")).to_have_attribute("href", "/reviews/themes.csv?by=year")
