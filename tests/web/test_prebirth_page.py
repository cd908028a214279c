"""Browser test (S2): the social worker starts the pre-birth assessment, sees the father's conviction and
the mother's self-harm filled in from other agencies, is refused sign-off while background questions are
blank, answers them (one "not known" with its action), submits; a manager signs it off."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import orjson
from playwright.sync_api import Page, expect

from lantern.config import Settings
from lantern.db.engine import make_engine, make_session_factory
from lantern.demo import seed
from tests.web.test_pages import _sign_in

S2 = next(seed.SCENARIOS.glob("s2_*.jsonl"))


def _load_until(settings: Settings, last_ref: str) -> None:
    records = [orjson.loads(line) for line in S2.read_bytes().splitlines() if line.strip()]
    upto = next(i for i, r in enumerate(records) if r["source_ref"] == last_ref)
    engine = make_engine(settings.database_url)
    with make_session_factory(engine).begin() as db:
        seed.load_records(db=db, records=records[: upto + 1], max_bytes=settings.max_event_bytes)
    engine.dispose()


def test_prebirth_assessment_is_prefilled_refused_blank_and_signed_off(
    page: Page, live_server: str, settings: Settings, make_user: Any
) -> None:
    _load_until(settings, "S2-GP-007")
    make_user("csc.worker", agency="csc", role="practitioner")
    make_user("csc.manager", agency="csc", role="manager")
    _sign_in(page, live_server, "csc.worker")
    page.goto(f"{live_server}/people?q=Chelsea Moorcroft")
    page.get_by_role("link", name="Chelsea").first.click()
    page.get_by_role("link", name="Pre-birth assessments").click()
    page.get_by_role("button", name="Start the assessment").click()

    conviction = page.locator("#q-father-convictions")
    expect(conviction).to_contain_text("From agency records: check it")
    expect(conviction.locator(".sources")).to_contain_text("Police S2-POL-002")
    expect(conviction.locator(".sources")).to_contain_text("cruelty to a child")
    expect(page.locator("#father-convictions-yes")).to_be_checked()
    expect(page.locator("#q-mother-mental_health .sources")).to_contain_text("self-harm")
    expect(page.locator("#gaps")).to_contain_text("must be answered before this can be signed off")

    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.locator("#errors")).to_contain_text("not answered")
    expect(page.locator("#errors")).to_contain_text("(father): Drug or alcohol misuse — not answered")
    expect(page.locator("#q-father-drugs_alcohol")).to_have_class("govuk-form-group govuk-form-group--error")

    for question in page.locator("[data-key]").all():
        key = question.get_attribute("data-key")
        if key == "baby.first_weeks_plan":
            question.locator("textarea").fill("Both parents at home; health visitor weekly for six weeks.")
        elif key == "father.care_history":
            page.locator("#father-care_history-not_known").check()
            page.locator("#father-care_history-reason").fill("He has not been seen yet")
            page.locator("#father-care_history-action-description").fill("Ask him at the home visit")
            page.locator("#father-care_history-action-owner").fill("A. Okafor")
            page.locator("#father-care_history-action-owner_agency").select_option("csc")
            due = (date.today() + timedelta(days=7)).isoformat()
            page.locator("#father-care_history-action-due_on").fill(due)
        elif not question.locator("input[type=radio]:checked").count():
            question.locator("input[value=no]").check()
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Waiting for sign-off")
    expect(page.locator("#q-father-care_history")).to_contain_text("Action: Ask him at the home visit – A. Okafor")

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, live_server, "csc.manager")
    page.goto(f"{live_server}/people?q=Chelsea Moorcroft")
    page.get_by_role("link", name="Chelsea").first.click()
    page.get_by_role("link", name="Pre-birth assessments").click()
    page.locator("#assessments a").first.click()
    page.get_by_label("Sign it off").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signed off")
    expect(page.locator("#versions")).to_contain_text("signed off")
