"""The CIN census built from a small family, field by field, and the period's inclusion rule."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from lantern.audit.service import Actor
from lantern.returns import service
from tests.returns.helpers import family

MANAGER = Actor(id=None, name="test", agency="csc", role="manager")


def _text(element: ET.Element, path: str) -> str | None:
    found = element.find(path)
    return None if found is None else found.text


def test_census_holds_what_lantern_records_for_a_child_in_need(client, login, db) -> None:  # type: ignore[no-untyped-def]
    family(client, login)
    census, issues = service.cin_census_export(db=db, actor=MANAGER, year=2026, la_code="931")
    root = ET.fromstring(census.xml)
    assert _text(root, "Header/CollectionDetails/ReferenceDate") == "2026-03-31"
    assert _text(root, "Header/Source/LEA") == "931"
    children = root.findall("Children/Child")
    assert [_text(c, "ChildIdentifiers/LAchildID") for c in children] == ["CSC123"]  # Tom was referred after
    child = children[0]
    assert _text(child, "ChildIdentifiers/PersonBirthDate") == "2021-05-01"
    assert _text(child, "ChildIdentifiers/Sex") == "F"
    details = child.find("CINdetails")
    assert details is not None
    assert _text(details, "CINreferralDate") == "2025-06-02"
    assert _text(details, "ReferralSource") == "6"  # the police record the referral names
    assert _text(details, "PrimaryNeedCode") == "N1"
    assert _text(details, "ReferralNFA") == "false"
    assert details.find("CINclosureDate") is None
    assert _text(details, "Assessments/AssessmentAuthorisationDate") == "2025-06-20"
    assert [f.text for f in details.iterfind("Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors")] == [
        "4A",
        "3A",
    ]
    assert _text(details, "Section47/S47ActualStartDate") == "2025-06-23"
    assert _text(details, "Section47/DateOfInitialCPC") == "2025-07-10"
    assert _text(details, "Section47/ICPCnotRequired") == "false"
    assert _text(details, "Section47/InitialCPCtarget") is not None
    assert _text(details, "ChildProtectionPlans/CPPstartDate") == "2025-07-10"
    assert _text(details, "ChildProtectionPlans/InitialCategoryOfAbuse") == "NEG"
    assert _text(details, "ChildProtectionPlans/NumberOfPreviousCPP") == "0"
    # What Lantern does not hold is reported by the validator, not invented.
    assert {i.rule for i in issues if not i.is_query} == {"4220", "8540", "schema"}
    assert {i.element for i in issues if i.rule == "schema"} == {"AssessmentActualStartDate"}
    assert all(i.child == "CSC123" for i in issues)


def test_child_referred_before_the_year_and_open_is_included(client, login, db) -> None:  # type: ignore[no-untyped-def]
    family(client, login)
    census, _ = service.cin_census_export(db=db, actor=MANAGER, year=2027, la_code="931")
    ids = [c.text for c in ET.fromstring(census.xml).iterfind("Children/Child/ChildIdentifiers/LAchildID")]
    assert len(ids) == 2 and "CSC123" in ids
