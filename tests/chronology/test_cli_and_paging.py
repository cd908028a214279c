"""`lantern chronology` as an operator runs it: the same exports as the page's downloads, every
read audited as "cli:chronology"; the page itself, a page of entries at a time."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.audit.models import AuditEntry
from lantern.chronology import flows
from lantern.deps import SESSION_COOKIE
from tests.chronology.helpers import INCIDENTS, baby_of_s1
from tests.scenarios.replay import replay

LANTERN = [sys.executable, "-m", "lantern.cli"]


def _run(args: list[str], database_url: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LANTERN_DATABASE_URL": database_url}
    return subprocess.run([*LANTERN, *args], env=env, capture_output=True, timeout=300)


def test_cli_exports_the_family_chronology_in_each_format_and_audits_the_read(  # type: ignore[no-untyped-def]
    client, login, database_url: str, db: Session, tmp_path: Path
) -> None:
    ids = replay(client, login, "s1")
    csc = login("csc.worker", agency="csc")
    baby = baby_of_s1(client, csc, ids)
    api = client.get(f"/api/v1/people/{baby}/chronology?scope=family", headers=csc).json()

    markdown = _run(["chronology", baby, "--scope", "family", "--format", "md"], database_url)
    assert markdown.returncode == 0, markdown.stderr.decode()
    text = markdown.stdout.decode()
    assert text.startswith(f"# Multi-agency chronology: {api['name']}")
    assert f"{api['count']} records, produced by Lantern" in text
    assert text.count("Police attended a domestic abuse incident") == len(INCIDENTS)

    table = _run(["chronology", baby, "--scope", "family", "--format", "csv"], database_url)
    rows = list(csv.reader(line for line in io.StringIO(table.stdout.decode()) if not line.startswith("#")))
    assert [row[2] for row in rows[1:]] == [entry["source_ref"] for entry in api["entries"]]

    out = tmp_path / "review.pdf"
    pdf = _run(["chronology", baby, "--scope", "family", "--format", "pdf", "--out", str(out)], database_url)
    assert pdf.returncode == 0, pdf.stderr.decode()
    reader = PdfReader(out)
    assert len(reader.pages) >= 3
    assert f"Multi-agency chronology: {api['name']}" in reader.pages[0].extract_text()

    reads = db.execute(
        select(AuditEntry).where(AuditEntry.actor == "cli:chronology", AuditEntry.object_id == baby)
    ).scalars()
    assert [(entry.action, entry.detail["scope"]) for entry in reads] == [("read", "family")] * 3


def test_cli_refuses_an_unknown_person(database_url: str) -> None:
    result = _run(["chronology", "no-such-person", "--format", "md"], database_url)
    assert result.returncode == 2
    assert b"no person no-such-person" in result.stderr


def test_page_shows_one_page_of_entries_and_how_many_there_are(client, login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(flows, "PAGE_SIZE", 10)
    ids = replay(client, login, "s1")
    csc = login("csc.worker", agency="csc")
    baby = baby_of_s1(client, csc, ids)
    count = client.get(f"/api/v1/people/{baby}/chronology?scope=family", headers=csc).json()["count"]
    client.cookies.set(SESSION_COOKIE, csc["Authorization"].removeprefix("Bearer "))
    page = client.get(f"/people/{baby}/chronology?scope=family&agency=&page=2")
    assert page.status_code == 200, page.text
    assert f"{count} records: this page shows 11 to 20, oldest first" in page.text
    assert page.text.count('class="govuk-table__row lantern-significance-') == 10
    assert "?scope=family&amp;agency=&amp;page=3" in page.text and "page=1" in page.text
    assert 'export.pdf?scope=family&amp;agency="' in page.text  # the downloads hold every page


def test_api_reads_one_page_of_entries_with_the_count_of_all(client, login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(flows, "PAGE_SIZE", 10)
    ids = replay(client, login, "s1")
    csc = login("csc.worker", agency="csc")
    baby = baby_of_s1(client, csc, ids)
    url = f"/api/v1/people/{baby}/chronology?scope=family"
    whole = client.get(url, headers=csc).json()
    assert whole["page"] is None and whole["pages"] == -(-whole["count"] // 10) > 2
    second = client.get(f"{url}&page=2", headers=csc).json()
    assert (second["count"], second["page"], second["pages"]) == (whole["count"], 2, whole["pages"])
    assert [e["event_id"] for e in second["entries"]] == [e["event_id"] for e in whole["entries"][10:20]]
    assert second["entries"][0] == whole["entries"][10]  # the same entry, shared with whom included
    beyond = client.get(f"{url}&page={whole['pages'] + 1}", headers=csc).json()
    assert beyond["entries"] == [] and beyond["count"] == whole["count"]
    refused = client.get(f"{url}&page=0", headers=csc)
    assert refused.status_code == 422 and "page" in refused.text
