"""`lantern adapt` as a user runs it: a real process, a real database, the reject CSV on disk."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from lantern.access.models import User

SAMPLES = Path(__file__).parents[2] / "src" / "lantern" / "adapters" / "samples"


def _adapt(args: list[str], database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANTERN_DATABASE_URL": database_url, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "lantern.cli", "adapt", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_adapt_as_agency_user_writes_rejects_and_reruns_as_duplicates(
    database_url: str, tmp_path: Path, make_user: Callable[..., User]
) -> None:
    make_user("pc.amber", agency="police")
    path = Path(shutil.copy(SAMPLES / "police_incidents.csv", tmp_path / "police.csv"))
    with path.open("a", newline="") as handle:
        csv.writer(handle).writerow(["INC-9", "yesterday", "Domestic Abuse", "", "", "Amy", "Ross"])
    report = tmp_path / "r.csv"
    first = _adapt(["police", str(path), "--agency-user", "pc.amber", "--rejects", str(report)], database_url)
    assert first.returncode == 0, first.stderr
    assert "rows=4 accepted=3 duplicates=0 rejected_rows=1" in first.stderr
    rejects = list(csv.DictReader(report.open()))
    assert [(r["row"], r["column"], r["value"]) for r in rejects] == [("5", "occurred_at", "yesterday")]
    again = _adapt(["police", str(path), "--agency-user", "pc.amber"], database_url)
    assert "accepted=0 duplicates=3 rejected_rows=1" in again.stderr
    assert (tmp_path / "police.csv.rejects.csv").exists()


def test_adapt_refuses_a_user_of_another_agency(
    database_url: str, tmp_path: Path, make_user: Callable[..., User]
) -> None:
    make_user("nurse.jo", agency="hospital")
    result = _adapt(["police", str(SAMPLES / "police_incidents.csv"), "--agency-user", "nurse.jo", "--dry-run",
                     "--rejects", str(tmp_path / "r.csv")], database_url)  # fmt: skip
    assert result.returncode == 2
    assert "nurse.jo is a hospital user" in result.stderr
