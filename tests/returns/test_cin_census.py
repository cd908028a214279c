"""The CIN census built from a small family, field by field, and the period's inclusion rule."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from lantern.audit.service import Actor
from lantern.returns import service
from tests.casework.helpers import child_record, record
from tests.factories import nhs, person
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


# Child element order of each module, from the CIN census schema (CIN_schema_2024.xsd as used by
# SocialFinanceDigitalLabs/liia-tools, `Sex` for `GenderCurrent`); kept apart from cin_schema.SEQUENCES
# so that a wrong order there is caught too.
SCHEMA_ORDER = {
    "Message": ["Header", "Children"],
    "Header": ["CollectionDetails", "Source"],
    "CollectionDetails": ["Collection", "Year", "ReferenceDate"],
    "Source": ["SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime"],
    "Child": ["ChildIdentifiers", "ChildCharacteristics", "CINdetails"],
    "ChildIdentifiers": ["LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate",
                         "ExpectedPersonBirthDate", "Sex", "PersonDeathDate"],
    "ChildCharacteristics": ["Ethnicity", "Disabilities"],
    "CINdetails": ["CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate", "ReasonForClosure",
                   "DateOfInitialCPC", "Assessments", "CINPlanDates", "Section47", "ReferralNFA",
                   "ChildProtectionPlans"],
    "Assessments": ["AssessmentActualStartDate", "AssessmentInternalReviewDate", "AssessmentAuthorisationDate",
                    "FactorsIdentifiedAtAssessment"],
    "CINPlanDates": ["CINPlanStartDate", "CINPlanEndDate"],
    "Section47": ["S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"],
    "ChildProtectionPlans": ["CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse",
                             "NumberOfPreviousCPP", "Reviews"],
}  # fmt: skip
CONTAINERS = ("Children", "Reviews", "FactorsIdentifiedAtAssessment", "Disabilities")  # need at least one child


def _cin_plan(client, login, child_id: str) -> None:  # type: ignore[no-untyped-def]
    csc = login("csc.planner", agency="csc", role="manager")
    plan = {"child_id": child_id, "kind": "cin", "lead_professional": "sw.zed", "manager": "sw.ann",
            "home_address": {"line1": "1 Elm Road", "postcode": "OX14 3AB"}, "start_on": "2025-06-21"}  # fmt: skip
    assert client.post("/api/v1/plans", json=plan, headers=csc).status_code == 201


def test_every_module_holds_its_elements_in_the_schema_order(client, login, db) -> None:  # type: ignore[no-untyped-def]
    ids = family(client, login)
    _cin_plan(client, login, ids["lily"])
    census, issues = service.cin_census_export(db=db, actor=MANAGER, year=2026, la_code="931")
    root = ET.fromstring(census.xml)
    seen = set()
    for element in root.iter():
        if element.tag in SCHEMA_ORDER:
            order = SCHEMA_ORDER[element.tag]
            tags = [c.tag for c in element]
            assert set(tags) <= set(order), (element.tag, tags)
            assert tags == sorted(tags, key=order.index), (element.tag, tags)
            seen.add(element.tag)
        assert element.tag not in CONTAINERS or len(element), f"empty <{element.tag}>"
    assert {"CINdetails", "Assessments", "CINPlanDates", "Section47", "ChildProtectionPlans"} <= seen
    details = root.find("Children/Child/CINdetails")
    assert details is not None
    assert [c.tag for c in details][-3:] == ["Section47", "ReferralNFA", "ChildProtectionPlans"]
    assert root.find(".//Reviews") is None  # no review conference held: no empty container
    assert not [i for i in issues if i.rule == "schema" and i.element != "AssessmentActualStartDate"]


def test_an_assessment_with_no_factor_has_no_empty_container(client, login, db) -> None:  # type: ignore[no-untyped-def]
    family(client, login)
    csc = login("csc.assessor", agency="csc", role="manager")
    lily = person("Lily", "Hart", nhs_number=nhs(401), date_of_birth="2021-05-01", sex="female", local_id="CSC123")
    record(client, csc, "csc.assessment", lily, "2025-08-20T10:00:00+00:00", category="none recorded")
    census, issues = service.cin_census_export(db=db, actor=MANAGER, year=2026, la_code="931")
    assessments = ET.fromstring(census.xml).findall(".//Assessments")
    assert len(assessments) == 2 and assessments[1].find("FactorsIdentifiedAtAssessment") is None
    assert ("8897Q", "AssessmentFactors") in {(i.rule, i.element) for i in issues}


def test_a_referral_with_no_further_action_closes_on_its_day(client, login, db) -> None:  # type: ignore[no-untyped-def]
    csc = login("sw.ann", agency="csc", role="manager")
    amy = child_record(405, "Amy", "Nfa", born="2019-02-02")
    record(client, csc, "csc.referral", amy, "2024-11-05T10:00:00+00:00", decision="No further action")
    census, _ = service.cin_census_export(db=db, actor=MANAGER, year=2025, la_code="931")
    details = ET.fromstring(census.xml).find("Children/Child/CINdetails")
    assert details is not None
    assert [_text(details, t) for t in ("CINclosureDate", "ReasonForClosure", "ReferralNFA")] == [
        "2024-11-05", "RC8", "true",
    ]  # fmt: skip
    later, issues = service.cin_census_export(db=db, actor=MANAGER, year=2026, la_code="931")
    assert ET.fromstring(later.xml).find("Children/Child") is None  # not open for ever
    assert ("schema", "Child") in {(i.rule, i.element) for i in issues}  # an empty <Children> is reported
