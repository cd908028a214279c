"""Browser test: S5's growth chart draws the UK-WHO centile lines, the weights, and rings the
measurements behind the faltering-growth concern; a measurement recorded on the page is plotted."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from lantern.config import Settings
from lantern.demo import seed
from tests.web.test_pages import _load_scenario, _sign_in

S5 = seed.SCENARIOS / "s5_recurring_themes.jsonl"


def test_growth_chart_shows_centiles_weights_and_the_concern(
    page: Page, live_server: str, settings: Settings, make_user
) -> None:  # type: ignore[no-untyped-def]
    _load_scenario(settings, S5)
    make_user("hv.nurse", agency="health_visiting", role="practitioner")
    _sign_in(page, live_server, "hv.nurse")
    page.goto(f"{live_server}/people?q=9990005060")
    page.get_by_role("link", name="Riley").first.click()
    page.get_by_role("link", name="Growth chart").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Growth")
    weight = page.locator("svg#chart-weight")
    expect(weight.locator("path.centile-line")).to_have_count(9)
    expect(weight.locator("circle.measurement")).to_have_count(6)
    expect(weight.locator("circle.concern")).to_have_count(2)
    expect(page.locator("#concerns")).to_contain_text("Faltering growth: weight falling across centiles")
    expect(page.locator("#concerns")).to_contain_text("2.6 centile spaces")
    page.get_by_label("Date measured").fill("2023-04-03")
    page.get_by_label("Weight (kg)").fill("4.80")
    page.get_by_role("button", name="Record and plot").click()
    expect(page.locator("svg#chart-weight circle.measurement")).to_have_count(7)
    expect(page.locator("#measurements")).to_contain_text("LANTERN-GROWTH-")
