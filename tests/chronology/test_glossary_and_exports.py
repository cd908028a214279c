"""The glossary, the summary writer, significance, and exports: pure rules and through the API."""

from __future__ import annotations

from lantern.chronology import glossary, writer
from lantern.chronology.rules import significance
from tests.chronology.helpers import INCIDENTS, baby_of_s1
from tests.scenarios.replay import replay


def test_glossary_expands_jargon_writes_names_normally_and_lints_what_is_left() -> None:
    terms = glossary.build()
    text = terms.expand("DA - IP (16/40) reports SUSP PRYOR pushed her. NFA. ZQX raised.", ["Dean", "PRYOR"])
    assert text.startswith("Domestic abuse - the victim (16 weeks pregnant) reports the suspect Pryor")
    assert "no further action" in text.lower()
    assert terms.unexplained(text) == ["ZQX"]
    assert terms.unexplained("Seen at SN15 3QT, crime 54150081127, by the GP.") == []


def test_an_administrators_term_changes_the_version() -> None:
    assert glossary.build({"ZQX": "a made-up code"}).version != glossary.build().version
    assert glossary.build({"ZQX": "a made-up code"}).expand("ZQX raised") == "A made-up code raised"


def test_writer_and_significance_rules() -> None:
    record = writer.Record(
        "police.domestic_abuse_incident",
        {"children_present": 2, "risk_level": "high"},
        {"line1": "1 Elm Row", "town": "Leeds"},
        [("victim", "Ann Bell"), ("perpetrator", "Ray Bell")],
    )
    sentence = writer.sentence(record)
    assert sentence.startswith("Police attended a domestic abuse incident at 1 Elm Row, Leeds.")
    assert "Two children were present." in sentence
    assert significance("police.domestic_abuse_incident", {"risk_level": "high"})[0] == "significant"
    assert significance("gp.consultation", {})[0] == "routine"


def test_practitioner_sets_significance_and_exports_carry_a_header(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s1")
    csc = login("csc.worker", agency="csc")
    baby = baby_of_s1(client, csc, ids)
    body = {"level": "significant", "reason": "baby present"}
    assert client.post(f"/api/v1/events/{ids['S1-POL-017']}/significance", json=body, headers=csc).status_code == 204
    entries = client.get(f"/api/v1/people/{baby}/chronology?scope=family&significance=significant", headers=csc).json()
    chosen = next(e for e in entries["entries"] if e["source_ref"] == "S1-POL-017")
    assert chosen["significance_set_by"] == "Csc.Worker" or chosen["significance_set_by"].lower() == "csc.worker"
    police = client.get(f"/api/v1/people/{baby}/chronology?scope=family&agency=police", headers=csc).json()
    assert {e["source_agency"] for e in police["entries"]} == {"police"}
    assert len([e for e in police["entries"] if e["source_ref"] in INCIDENTS]) == 18
