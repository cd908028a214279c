"""Browser tests: the network page, the chronology page and its filters, the PDF export."""

from __future__ import annotations

import io

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from lantern.config import Settings
from tests.web.test_pages import S1, _load_scenario, _sign_in


def _open_baby(page: Page, base: str) -> None:
    page.goto(f"{base}/people?q=9990001030")
    page.get_by_role("link", name="Mason").first.click()


def test_network_page_shows_diagram_table_and_what_changed(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    _load_scenario(settings, S1)
    make_user("csc.worker", agency="csc", role="practitioner")
    _sign_in(page, live_server, "csc.worker")
    _open_baby(page, live_server)
    page.get_by_role("link", name="Family network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Family network")
    expect(page.locator("svg.lantern-network circle").first).to_be_attached()
    expect(page.locator("#members")).to_contain_text("parent")
    expect(page.locator("#members")).to_contain_text("Shannon Ashworth-Cole")
    page.get_by_label("From").fill("2023-01-01")
    page.get_by_label("To").fill("2023-12-01")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#changes")).to_contain_text("Joined")


def test_chronology_page_filters_and_shows_original_wording(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    _load_scenario(settings, S1)
    make_user("csc.worker", agency="csc", role="practitioner")
    _sign_in(page, live_server, "csc.worker")
    _open_baby(page, live_server)
    page.get_by_role("link", name="Family chronology").click()
    rows = page.locator("#chronology tbody tr")
    expect(rows.first).to_contain_text("Police attended a domestic abuse incident")
    everything = rows.count()
    assert everything >= 30
    expect(page.locator("#jargon")).to_have_count(0)
    page.get_by_label("Agency", exact=True).select_option("police")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**agency=police**")
    expect(page.locator("#chronology tbody td:nth-child(2)").filter(has_not_text="Police")).to_have_count(0)
    assert 18 <= rows.count() < everything
    page.locator("#significance").select_option("significant")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**significance=significant**")
    expect(rows.filter(has_text="domestic abuse incident")).to_have_count(4)  # the four assessed as high risk
    expect(page.locator("#chronology")).not_to_contain_text("Original wording")
    page.get_by_role("link", name="Show the agencies' original wording").click()
    expect(page.locator("#chronology")).to_contain_text("Original wording: DV - ABH")


def test_pdf_export_has_a_header_and_every_incident(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    _load_scenario(settings, S1)
    make_user("csc.worker", agency="csc", role="practitioner")
    _sign_in(page, live_server, "csc.worker")
    _open_baby(page, live_server)
    page.get_by_role("link", name="Family chronology").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    reader = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 3
    assert "Multi-agency chronology: Mason Ashworth-Danvers" in text
    assert "produced by Lantern on" in text
    assert text.count("Police attended a domestic abuse incident") == 18
