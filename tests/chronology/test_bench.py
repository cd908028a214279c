"""`lantern bench chronology` runs end to end on a small database and reports what it read."""

from __future__ import annotations

from rich.console import Console

from lantern.demo.bench_chronology import NETWORK_EVENTS, bench_chronology


def test_bench_chronology_reads_the_whole_network_through_the_api_and_the_page(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path}/b.db"
    metrics = dict(bench_chronology(db_url=url, size=2000, console=Console(quiet=True), reads=3))
    assert metrics["background_events"] == 2000 and metrics["network_people"] == 12
    assert metrics["entries_returned"] == NETWORK_EVENTS  # every record of the 12 people, none of the others
    assert 0 < metrics["chronology_json_median_ms"] <= metrics["chronology_p95_ms"]
    assert metrics["chronology_html_p95_ms"] > 0 and metrics["chronology_cold_ms"] > 0
