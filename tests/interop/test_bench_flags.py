"""`lantern bench flags` runs end to end on a small population and reports the look-up figures."""

from __future__ import annotations

from rich.console import Console

from lantern.demo.bench_flags import bench_flags


def test_bench_flags_reports_the_p95_of_lookups_that_found_what_was_loaded(tmp_path) -> None:  # type: ignore[no-untyped-def]
    metrics = dict(bench_flags(db_url=f"sqlite:///{tmp_path}/b.db", size=3000, console=Console(quiet=True), lookups=60))
    assert metrics["people"] == 3000 and metrics["on_plans"] == 30 and metrics["lookups"] == 60
    assert {"flag_lookup_p95_ms", "flag_lookup_plan_p95_ms", "flag_lookup_unknown_p95_ms"} <= set(metrics)
