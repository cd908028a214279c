"""The CIN census route (CSC managers and administrators only, audited), the CLI and the SSD extract."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from typer.testing import CliRunner

from lantern.audit.models import AuditEntry
from lantern.audit.service import Actor
from lantern.cli import app
from lantern.returns import service
from tests.returns.helpers import family


def test_census_route_gives_xml_to_a_csc_manager_and_is_audited(client, login, db) -> None:  # type: ignore[no-untyped-def]
    family(client, login)
    headers = login("csc.lead", agency="csc", role="manager")
    response = client.get("/api/v1/returns/cin-census", params={"year": 2026, "la": "931"}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert b"<LAchildID>CSC123</LAchildID>" in response.content
    entries = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "return")).all()
    assert [(e.actor, e.action, e.object_id) for e in entries] == [("csc.lead", "export", "cin-2026")]


def test_census_route_refuses_practitioners_and_other_agencies(client, login) -> None:  # type: ignore[no-untyped-def]
    for headers in (login("csc.worker", agency="csc"), login("police.ppu", agency="police", role="manager")):
        response = client.get("/api/v1/returns/cin-census", params={"year": 2026}, headers=headers)
        assert response.status_code == 403


def test_cli_writes_the_census_and_exits_non_zero_on_errors(client, login, settings, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    family(client, login)
    monkeypatch.setenv("LANTERN_DATABASE_URL", settings.database_url)
    from lantern.config import get_settings

    get_settings.cache_clear()
    out = tmp_path / "cin.xml"
    failed = CliRunner().invoke(app, ["returns", "cin-census", "--year", "2026", "--la", "931", "--out", str(out)])
    assert failed.exit_code == 1 and b"CSC123" in out.read_bytes()
    allowed = CliRunner().invoke(
        app, ["returns", "cin-census", "--year", "2026", "--la", "931", "--out", str(out), "--allow-errors"]
    )
    assert allowed.exit_code == 0
    ssd = CliRunner().invoke(app, ["returns", "ssd", "--out", str(tmp_path / "ssd")])
    assert (tmp_path / "ssd" / "ssd_person.csv").exists(), ssd.output
    get_settings.cache_clear()


def test_ssd_tables_hold_the_family_and_refer_to_existing_rows(client, login, db) -> None:  # type: ignore[no-untyped-def]
    ids = family(client, login)
    files, problems = service.ssd_export(db=db, actor=Actor(id=None, name="t", agency="csc", role="manager"))
    rows = {name: list(csv.DictReader(io.StringIO(text))) for name, text in files.items()}
    lily = next(r for r in rows["ssd_person"] if r["pers_person_id"] == ids["lily"])
    assert (lily["pers_forename"], lily["pers_sex"], lily["pers_dob"], lily["pers_legacy_id"]) == (
        "Lily", "F", "2021-05-01", "CSC123",
    )  # fmt: skip
    episode = next(r for r in rows["ssd_cin_episodes"] if r["cine_person_id"] == ids["lily"])
    fields = ("cine_referral_date", "cine_referral_source_code", "cine_cin_primary_need_code")
    assert [episode[f] for f in fields] == ["2025-06-02", "6", "N1"]
    plan = rows["ssd_cp_plans"][0]
    assert (plan["cppl_cp_plan_id"], plan["cppl_cp_plan_initial_category"]) == (ids["plan"], "NEG")
    assert plan["cppl_icpc_id"] == ids["conference"] == rows["ssd_initial_cp_conference"][0]["icpc_icpc_id"]
    assert len(rows["ssd_cin_episodes"]) == 2  # the SSD is not limited to a census year
    assert problems == []


def test_ssd_validation_finds_a_dangling_key_and_a_bad_date() -> None:
    from lantern.returns import ssd, ssd_validation

    person = ssd.to_csv("ssd_person", [{"pers_person_id": "p1", "pers_dob": "yesterday"}])
    plans = ssd.to_csv("ssd_cp_plans", [{"cppl_cp_plan_id": "c1", "cppl_person_id": "p2"}])
    problems = ssd_validation.validate({"ssd_person": person, "ssd_cp_plans": plans})
    assert "ssd_person row 1 pers_dob: 'yesterday' is not datetime" in problems
    assert "ssd_cp_plans cppl_person_id: 'p2' not in ssd_person.pers_person_id" in problems
