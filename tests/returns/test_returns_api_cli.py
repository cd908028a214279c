"""The CIN census route (CSC managers only, audited), the CLI and the SSD extract."""

from __future__ import annotations

import csv
import io
import re

import pytest
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


def test_census_route_refuses_everyone_but_csc_managers(client, login, db) -> None:  # type: ignore[no-untyped-def]
    family(client, login)
    refused = [
        ("csc.worker", "csc", "practitioner"), ("police.ppu", "police", "manager"), ("csc.admin", "csc", "admin"),
        ("panel.reviewer", "panel", "reviewer"), ("gp.admin", "gp", "admin"),
    ]  # fmt: skip
    for username, agency, role in refused:
        headers = login(username, agency=agency, role=role)
        response = client.get("/api/v1/returns/cin-census", params={"year": 2026, "la": "931"}, headers=headers)
        assert response.status_code == 403, username
        assert b"CSC123" not in response.content and b"2021-05-01" not in response.content
    assert db.scalars(select(AuditEntry).where(AuditEntry.object_type == "return")).all() == []


def test_census_route_refuses_a_bad_year_or_la_code(client, login) -> None:  # type: ignore[no-untyped-def]
    headers = login("csc.lead", agency="csc", role="manager")
    for params in ({"year": 0, "la": "931"}, {"year": 10000, "la": "931"}, {"year": 2026, "la": "abc"}, {"year": 2026}):
        response = client.get("/api/v1/returns/cin-census", params=params, headers=headers)
        assert response.status_code == 422, params


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
    assert ssd.exit_code == 0, ssd.output
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--year", "0", "--la", "931"], "--year"),
        (["--year", "10000", "--la", "931"], "--year"),
        (["--year", "next", "--la", "931"], "--year"),
        (["--year", "2026", "--la", "Oxfordshire"], "three-digit"),
        (["--year", "2026"], "LANTERN_LA_CODE"),
        (["--year", "2026", "--la", "931", "--out", "missing/cin.xml"], "does not exist"),
    ],
)
def test_cli_refuses_bad_options_before_exporting(
    client, login, settings, tmp_path, monkeypatch, db, args, says
) -> None:  # type: ignore[no-untyped-def]
    family(client, login)
    monkeypatch.setenv("LANTERN_DATABASE_URL", settings.database_url)
    monkeypatch.delenv("LANTERN_LA_CODE", raising=False)
    from lantern.config import get_settings

    get_settings.cache_clear()
    out = ["--out", str(tmp_path / "cin.xml")] if "--out" not in args else ["--out", str(tmp_path / args[-1])]
    args = args[:-2] if "--out" in args else args
    result = CliRunner().invoke(app, ["returns", "cin-census", *args, *out])
    get_settings.cache_clear()
    assert result.exit_code == 2, result.output  # a usage error, not a traceback
    assert says in re.sub(r"[\s│╭╮╰╯─]+", " ", result.output), result.output
    assert db.scalars(select(AuditEntry).where(AuditEntry.object_type == "return")).all() == []


def test_cli_takes_the_la_code_from_settings(client, login, settings, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    family(client, login)
    monkeypatch.setenv("LANTERN_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LANTERN_LA_CODE", "931")
    from lantern.config import get_settings

    get_settings.cache_clear()
    out = tmp_path / "cin.xml"
    result = CliRunner().invoke(app, ["returns", "cin-census", "--year", "2026", "--out", str(out), "--allow-errors"])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert b"<LEA>931</LEA>" in out.read_bytes()


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


def test_ssd_professionals_are_everyone_named_and_no_one_else(client, login, db) -> None:  # type: ignore[no-untyped-def]
    ids = family(client, login)
    csc = login("csc.planner", agency="csc", role="manager")
    for body in (
        {"person_id": ids["lily"], "manager": "csc.planner", "worker": "sw.kim"},
        {"person_id": ids["tom"], "manager": "csc.planner"},
    ):  # allocated, then unallocated
        assert client.post("/api/v1/casework/cases", json=body, headers=csc).status_code == 201
    plan = {
        "child_id": ids["lily"],
        "kind": "cin",
        "lead_professional": "sw.zed",
        "manager": "csc.planner",
        "home_address": {"line1": "1 Elm Road", "postcode": "OX14 3AB"},
        "start_on": "2025-06-21",
    }
    assert client.post("/api/v1/plans", json=plan, headers=csc).status_code == 201  # fmt: skip
    files, problems = service.ssd_export(db=db, actor=Actor(id=None, name="t", agency="csc", role="manager"))
    professionals = [r["prof_professional_id"] for r in csv.DictReader(io.StringIO(files["ssd_professionals"]))]
    assert professionals == ["sw.kim", "sw.zed"]  # the allocated worker and the plan's lead; no "None"
    assert problems == []


def test_ssd_validation_finds_a_worker_missing_from_professionals() -> None:
    from lantern.returns import ssd, ssd_validation

    person = ssd.to_csv("ssd_person", [{"pers_person_id": "p1"}])
    plans = ssd.to_csv(
        "ssd_cin_plans", [{"cinp_cin_plan_id": "c1", "cinp_person_id": "p1", "cinp_cin_plan_worker_id": "w9"}]
    )
    professionals = ssd.to_csv("ssd_professionals", [])
    problems = ssd_validation.validate(
        {"ssd_person": person, "ssd_cin_plans": plans, "ssd_professionals": professionals}
    )
    assert problems == ["ssd_cin_plans cinp_cin_plan_worker_id: 'w9' not in ssd_professionals.prof_professional_id"]
