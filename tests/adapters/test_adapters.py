"""Agency adapters on real databases: the shipped samples stored and re-run as duplicates, every
row that cannot be mapped in the reject report with its row, column and reason."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from lantern.adapters import ADAPTERS
from lantern.adapters.flows import AdaptSummary, adapt_file
from lantern.adapters.reading import UnreadableFile
from lantern.audit.service import Actor
from lantern.db.engine import make_engine, make_session_factory
from lantern.events.models import Event

SAMPLES = Path(__file__).parents[2] / "src" / "lantern" / "adapters" / "samples"
SAMPLE_FILES = {
    "police": "police_incidents.csv",
    "probation": "probation_cases.json",
    "school": "school_census.csv",
    "hospital": "hospital_discharges.csv",
}


@pytest.fixture
def factory(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


def _run(
    factory: sessionmaker[Session], kind: str, path: Path, *, dry_run: bool = False, actor: Actor | None = None
) -> tuple[AdaptSummary, list[dict[str, str]]]:
    adapter = ADAPTERS[kind]
    out = io.StringIO()
    actor = actor or Actor(id=None, name="test:adapt", agency=adapter.agency, role="system")
    summary = adapt_file(
        session_factory=factory, adapter=adapter, path=path, actor=actor, rejects=out, max_bytes=65536, dry_run=dry_run
    )
    return summary, list(csv.DictReader(io.StringIO(out.getvalue())))


def _events(factory: sessionmaker[Session]) -> list[tuple[str, str]]:
    with factory() as db:
        return sorted((ref, kind) for ref, kind in db.execute(select(Event.source_ref, Event.type)))


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("kind", sorted(SAMPLE_FILES))
def test_sample_is_stored_then_rerun_is_all_duplicates(factory: sessionmaker[Session], kind: str, backend: str) -> None:
    path = SAMPLES / SAMPLE_FILES[kind]
    first, rejects = _run(factory, kind, path)
    assert rejects == [] and first.rejected_rows == 0
    assert first.accepted > 0 and first.duplicates == 0
    stored = _events(factory)
    assert len(stored) == first.accepted
    again, rejects = _run(factory, kind, path)
    assert rejects == []
    assert (again.accepted, again.duplicates) == (0, first.accepted)
    assert _events(factory) == stored


def test_samples_map_to_the_expected_events(factory: sessionmaker[Session], backend: str) -> None:
    for kind, name in SAMPLE_FILES.items():
        _run(factory, kind, SAMPLES / name)
    stored = dict(_events(factory))
    assert stored["INC-2025-000101"] == "police.domestic_abuse_incident"
    assert stored["INC-2025-000102"] == "police.arrest"
    assert stored["PRB-CASE-2875:end"] == "probation.supervision_end"
    assert "PRB-CASE-3001:end" not in stored  # still under supervision
    assert stored["A931222120001:CP-0042"] == "school.concern"
    assert not any(ref.startswith("A931222120002") for ref in stored)  # census row without a concern
    assert stored["SP-2025-88017:discharge"] == "hospital.discharge"
    with factory() as db:
        incident = db.execute(select(Event).where(Event.source_ref == "INC-2025-000101")).scalar_one()
        assert incident.payload["risk_level"] == "high" and incident.payload["children_present"] == 2


def test_school_row_without_concern_is_counted_not_dropped(factory: sessionmaker[Session], backend: str) -> None:
    summary, _ = _run(factory, "school", SAMPLES / SAMPLE_FILES["school"])
    assert summary.rows == 3 and summary.without_events == 1 and summary.accepted == 2


def test_police_rejects_name_row_column_and_reason(
    factory: sessionmaker[Session], tmp_path: Path, backend: str
) -> None:
    header = ["incident_number", "occurred_at", "incident_type", "victim_given_name", "victim_family_name",
              "victim_postcode", "dash_risk", "children"]  # fmt: skip
    path = _write(
        tmp_path / "police.csv",
        header,
        [
            ["INC-1", "2025-01-02 10:00", "Domestic Abuse", "Amy", "Ross", "", "medium", "Ben Ross (01/02/2020)"],
            ["INC-2", "32/13/2025 10:00", "Domestic Abuse", "Amy", "Ross", "", "", ""],
            ["INC-3", "2025-01-03 10:00", "Burglary", "Amy", "Ross", "", "", ""],
            ["INC-4", "2025-01-03 10:00", "Domestic Abuse", "Amy", "Ross", "NOT A CODE", "", ""],
            ["INC-5", "2099-01-03 10:00", "Domestic Abuse", "Amy", "Ross", "", "", ""],
            ["", "2025-01-03 10:00", "Domestic Abuse", "Amy", "Ross", "", "extreme", "Ben"],
        ],
    )
    summary, rejects = _run(factory, "police", path)
    assert (summary.rows, summary.accepted, summary.rejected_rows) == (6, 1, 5)
    found = {(r["row"], r["column"]) for r in rejects}
    assert found == {
        ("3", "occurred_at"),
        ("4", "incident_type"),
        ("5", "victim_postcode"),  # refused by the canonical validation, traced back to its column
        ("6", "occurred_at"),  # in the future
        ("7", "incident_number"),
        ("7", "dash_risk"),
        ("7", "children"),
    }
    by_row = {r["row"]: r for r in rejects}
    assert "unknown incident type" in by_row["4"]["reason"] and by_row["4"]["value"] == "Burglary"
    assert by_row["3"]["reference"] == "INC-2"
    assert _events(factory) == [("INC-1", "police.domestic_abuse_incident")]


def test_hospital_invalid_nhs_number_and_missing_column_are_rejected(
    factory: sessionmaker[Session], tmp_path: Path, backend: str
) -> None:
    header = ["spell_id", "nhs_number", "family_name", "admitted_at", "discharged_at"]
    path = _write(
        tmp_path / "hospital.csv",
        header,
        [
            ["SP-1", "999 000 0018", "Quill", "2025-01-01T10:00", "2025-01-02T10:00"],
            ["SP-2", "9990000019", "Quill", "2025-01-01T10:00", "2025-01-02T10:00"],
            ["SP-3", "", "Quill", "2025-01-03T10:00", "2025-01-02T10:00"],
        ],
    )
    summary, rejects = _run(factory, "hospital", path)
    assert (summary.accepted, summary.rejected_rows) == (2, 2)
    reasons = {(r["row"], r["column"]): r["reason"] for r in rejects}
    assert reasons[("3", "nhs_number")] == "NHS number fails the modulus-11 check"
    assert reasons[("4", "nhs_number")] == "required value is empty"
    assert reasons[("4", "discharged_at")] == "discharged before admitted"
    no_column = _write(tmp_path / "nocol.csv", ["spell_id", "family_name"], [["SP-9", "Quill"], ["SP-10", "Quill"]])
    summary, rejects = _run(factory, "hospital", no_column)
    assert summary.rejected_rows == 2
    missing = [(r["row"], r["column"]) for r in rejects if r["reason"] == "required column is missing"]
    assert ("2", "admitted_at") in missing and ("3", "nhs_number") in missing


def test_probation_json_with_bad_dates_and_pnc(factory: sessionmaker[Session], tmp_path: Path, backend: str) -> None:
    path = tmp_path / "probation.json"
    path.write_text(
        '[{"case_reference": "C-1", "crn": "X1", "family_name": "Penn", "supervision_start": "someday"},'
        ' {"case_reference": "C-2", "crn": "X2", "family_name": "Penn", "pnc_id": "nonsense",'
        '  "supervision_start": "2024-01-01", "supervision_end": "2023-01-01"}, "not an object"]'
    )
    summary, rejects = _run(factory, "probation", path)
    assert summary.rejected_rows == 3 and summary.accepted == 0
    assert {(r["row"], r["column"]) for r in rejects} == {
        ("1", "supervision_start"),
        ("2", "pnc_id"),
        ("2", "supervision_end"),
        ("3", ""),
    }


def test_dry_run_stores_nothing_and_counts_as_a_real_run(factory: sessionmaker[Session], backend: str) -> None:
    summary, _ = _run(factory, "hospital", SAMPLES / SAMPLE_FILES["hospital"], dry_run=True)
    assert summary.accepted == 4
    assert _events(factory) == []


def test_agency_user_of_another_agency_is_refused_per_row(
    factory: sessionmaker[Session], tmp_path: Path, backend: str
) -> None:
    nurse = Actor(id=None, name="nurse", agency="hospital", role="practitioner")
    path = shutil.copy(SAMPLES / SAMPLE_FILES["police"], tmp_path / "police.csv")
    summary, rejects = _run(factory, "police", Path(path), actor=nurse)
    assert summary.accepted == 0 and summary.rejected_rows == 3
    assert {r["column"] for r in rejects} == {"source_agency"}
    with factory() as db:
        assert db.execute(select(func.count()).select_from(Event)).scalar_one() == 0


def test_broken_rows_are_rejected_not_truncated(factory: sessionmaker[Session], tmp_path: Path, backend: str) -> None:
    path = tmp_path / "hospital.csv"
    path.write_text(
        "spell_id,nhs_number,admitted_at,discharged_at\n"
        "SP-1,9990000018,2025-01-01T10:00,2025-01-02T10:00\n"
        "SP-2,9990000026,2025-01-01T10:00,2025-01-02T10:00,Ward 5, bed 2\n"
    )
    summary, rejects = _run(factory, "hospital", path)
    assert (summary.accepted, summary.rejected_rows) == (2, 1)
    assert [(r["row"], r["reference"], r["value"]) for r in rejects] == [("3", "SP-2", "Ward 5, bed 2")]
    nested = tmp_path / "hospital.jsonl"
    nested.write_text(
        '{"spell_id": "SP-3", "nhs_number": "9990000034", "admitted_at": "2025-01-01T10:00",'
        ' "discharged_at": "2025-01-02T10:00", "ward": {"name": "Ward 5"}}\n{not json\n'
    )
    summary, rejects = _run(factory, "hospital", nested)
    assert summary.rejected_rows == 2
    assert [(r["row"], r["column"]) for r in rejects] == [("1", "ward"), ("2", "")]


def test_unreadable_file_is_refused_before_anything_is_stored(
    factory: sessionmaker[Session], tmp_path: Path, backend: str
) -> None:
    latin = tmp_path / "school.csv"
    latin.write_bytes(
        "upn,forename,surname,dob,concern_on\n"
        "A931222120001,Zoe,Smith,2018-01-01,2025-01-01\n"
        "A931222120002,Chloé,Brontë,2018-01-01,2025-01-01\n".encode("cp1252")
    )
    with pytest.raises(UnreadableFile, match="line 3"):
        _run(factory, "school", latin)
    broken = tmp_path / "probation.json"
    broken.write_text('[{"case_reference": "C-1"},')
    with pytest.raises(UnreadableFile, match="not valid JSON"):
        _run(factory, "probation", broken)
    assert _events(factory) == []
