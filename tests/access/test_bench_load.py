"""`lantern bench load` runs end to end and prints its figures (a smoke test, not a timing test)."""

from __future__ import annotations

from typer.testing import CliRunner

from lantern import cli

KEYS = {"requests", "errors", "load_p50_ms", "load_p95_ms", "audit_ms_per_request_median"}


def test_bench_load_prints_its_metrics() -> None:
    arguments = ["bench", "load", "--size", "300", "--seconds", "3", "--users", "3", "--workers", "2"]
    result = CliRunner().invoke(cli.app, arguments)
    assert result.exit_code == 0, result.output
    metrics = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    assert KEYS <= set(metrics)
    assert int(metrics["requests"]) > 0 and int(metrics["errors"]) == 0  # a token signed by one process is good in both
    assert metrics["server_processes"] == "2" and float(metrics["audit_ms_per_request_median"]) > 0
