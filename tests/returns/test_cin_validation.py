"""The CIN validator finds each kind of error it implements, in a complete file mutated one way at a time."""

from __future__ import annotations

import pytest

from lantern.returns.cin_validation import validate

CHILD = """<Child><ChildIdentifiers><LAchildID>CSC123</LAchildID>{upn}<PersonBirthDate>2021-05-01</PersonBirthDate>
<Sex>{sex}</Sex></ChildIdentifiers><ChildCharacteristics><Ethnicity>WBRI</Ethnicity>
{disabilities}</ChildCharacteristics>
<CINdetails><CINreferralDate>{referred}</CINreferralDate><ReferralSource>{source}</ReferralSource>
<PrimaryNeedCode>N1</PrimaryNeedCode>{closure}{top_icpc}
<Assessments><AssessmentActualStartDate>{assessed}</AssessmentActualStartDate>
<AssessmentAuthorisationDate>2025-06-20</AssessmentAuthorisationDate>
<FactorsIdentifiedAtAssessment><AssessmentFactors>4A</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>
{cin_plans}<Section47><S47ActualStartDate>2025-06-23</S47ActualStartDate><InitialCPCtarget>2025-07-14</InitialCPCtarget>
<DateOfInitialCPC>{icpc}</DateOfInitialCPC><ICPCnotRequired>{not_required}</ICPCnotRequired></Section47>
<ReferralNFA>{nfa}</ReferralNFA>
<ChildProtectionPlans><CPPstartDate>{plan_start}</CPPstartDate><InitialCategoryOfAbuse>{abuse}</InitialCategoryOfAbuse>
<LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>0</NumberOfPreviousCPP>
{reviews}</ChildProtectionPlans></CINdetails>{more}</Child>"""
GOOD = {
    "upn": "", "sex": "F", "referred": "2025-06-02", "source": "6", "closure": "", "assessed": "2025-06-03",
    "plan_start": "2025-07-10", "abuse": "NEG",
    "disabilities": "<Disabilities><Disability>NONE</Disability></Disabilities>",
    "top_icpc": "", "cin_plans": "", "icpc": "2025-07-10", "not_required": "false", "nfa": "false", "more": "",
    "reviews": "<Reviews><CPPreviewDate>2025-10-10</CPPreviewDate></Reviews>", "lea": "<LEA>931</LEA>",
    "children": None,
}  # fmt: skip
OPEN_CIN_PLAN = "<CINPlanDates><CINPlanStartDate>2025-06-21</CINPlanStartDate></CINPlanDates>"
NFA_EPISODE = """<CINdetails><CINreferralDate>2025-12-01</CINreferralDate><ReferralSource>6</ReferralSource>
<CINclosureDate>2025-12-01</CINclosureDate><ReasonForClosure>RC8</ReasonForClosure>{plans}<ReferralNFA>true</ReferralNFA>
</CINdetails>"""


def _file(year: str = "2026", **change: str) -> bytes:
    values = GOOD | change
    child = CHILD.format(**values) if values["children"] is None else values["children"]
    header = f"<Header><CollectionDetails><Collection>CIN</Collection><Year>{year}</Year>"
    return f"<Message>{header}<ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails>"\
        f"<Source>{values['lea']}</Source></Header><Children>{child}</Children></Message>".encode()  # fmt: skip


def test_a_complete_file_passes() -> None:
    assert validate(_file()) == []


@pytest.mark.parametrize(
    ("change", "rule", "element"),
    [
        ({"year": "2025"}, "100", "ReferenceDate"),
        ({"sex": "X"}, "4180", "ChildIdentifiers/Sex"),
        ({"source": "99"}, "8866", "ReferralSource"),
        ({"referred": "2026-04-02"}, "8600", "CINreferralDate"),
        ({"closure": "<CINclosureDate>2025-06-01</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>"},
         "8630", "CINclosureDate"),
        ({"closure": "<CINclosureDate>2025-12-01</CINclosureDate>"}, "8805", "ReasonForClosure"),
        ({"closure": "<CINclosureDate>2025-12-01</CINclosureDate><ReasonForClosure>RC0</ReasonForClosure>"},
         "8640", "ReasonForClosure"),
        ({"assessed": "2025-06-01"}, "1103", "AssessmentActualStartDate"),
        ({"assessed": "2025-06-25"}, "8608", "AssessmentActualStartDate"),
        ({"assessed": "June"}, "schema", "AssessmentActualStartDate"),
        ({"plan_start": "2025-07-11"}, "2885", "CPPstartDate"),
        ({"plan_start": "2025-10-10"}, "8841", "CPPreviewDate"),
        ({"abuse": "BAD"}, "8905", "InitialCategoryOfAbuse"),
        ({"upn": "<UPN>A123456789123</UPN>"}, "1510", "UPN"),
        ({"upn": "<UPN>P1234567X9123</UPN>"}, "1540", "UPN"),
        ({"upn": "<UPN>P12345678912</UPN>"}, "schema", "UPN"),
        # rule 2885: a plan starting in the year with no ICPC needed by its S47 and none at CIN level
        ({"not_required": "true"}, "2885", "CPPstartDate"),
        ({"top_icpc": "<DateOfInitialCPC>2025-07-10</DateOfInitialCPC>"}, "2884", "DateOfInitialCPC"),
        ({"cin_plans": OPEN_CIN_PLAN * 2}, "4004", "CINPlanEndDate"),
        ({"disabilities": ""}, "8540", "Disability"),
        ({"closure": "<CINclosureDate>2025-06-22</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>"},
         "8565", "S47ActualStartDate"),
        # what the schema rejects: order, empty containers, the LA code, no child
        ({"reviews": "<Reviews/>"}, "schema", "CPPreviewDate"),
        ({"disabilities": "<Disabilities/>"}, "schema", "Disability"),
        ({"nfa": "false</ReferralNFA><ReferralNFA>false"}, "schema", "ReferralNFA"),
        ({"lea": ""}, "schema", "LEA"),
        ({"lea": "<LEA>Oxfordshire</LEA>"}, "schema", "LEA"),
        ({"children": ""}, "schema", "Child"),
    ],
)  # fmt: skip
def test_each_rule_is_found_naming_child_element_and_rule(change: dict[str, str], rule: str, element: str) -> None:
    issues = validate(_file(**change))
    child = None if rule == "100" or element in ("LEA", "Child") else "CSC123"
    assert (rule, child, element) in {(i.rule, i.child, i.element) for i in issues}


def test_a_upn_with_its_check_letter_passes() -> None:
    assert validate(_file(upn="<UPN>P123456789123</UPN>")) == []


def test_a_file_that_is_not_xml_is_one_schema_issue() -> None:
    assert [i.rule for i in validate(b"<Message>")] == ["schema"]


def test_elements_out_of_the_schema_order_are_reported() -> None:
    moved = (
        _file(nfa="false")
        .replace(b"<ReferralNFA>false</ReferralNFA>", b"")
        .replace(
            b"<PrimaryNeedCode>N1</PrimaryNeedCode>",
            b"<PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA>",
        )
    )
    issues = validate(moved)
    assert [(i.rule, i.element) for i in issues] == [("schema", "Assessments"), ("schema", "Section47")]


@pytest.mark.parametrize("year", ["0", "10000", "abc", "99999999999", ""])
def test_a_year_out_of_range_is_one_schema_issue(year: str) -> None:
    assert [(i.rule, i.element) for i in validate(_file(year=year))] == [("schema", "Year")]


def test_rules_the_validator_limits_are_not_raised_beyond_it() -> None:
    # 4004 counts open CIN plans per episode: one open plan in each of two episodes passes.
    two_episodes = _file(cin_plans=OPEN_CIN_PLAN, more=NFA_EPISODE.format(plans=""))
    assert "4004" not in {i.rule for i in validate(two_episodes)}
    # 2884 only when the CIN-level ICPC is the S47's; 2885 only for plans starting in the year.
    assert "2884" not in {i.rule for i in validate(_file(top_icpc="<DateOfInitialCPC>2025-07-09</DateOfInitialCPC>"))}
    assert "2885" not in {i.rule for i in validate(_file(plan_start="2025-03-10", referred="2025-03-01"))}
    # 2885 falls back to the CIN-level ICPC when no S47 needs one.
    fallback = _file(not_required="true", top_icpc="<DateOfInitialCPC>2025-07-10</DateOfInitialCPC>")
    assert "2885" not in {i.rule for i in validate(fallback)}
    # 8540 not for a child whose referrals all had no further action.
    nfa_only = _file(disabilities="", nfa="true")
    assert "8540" not in {i.rule for i in validate(nfa_only)}
    # 1510 not for a temporary UPN (a letter at character 13).
    assert "1510" not in {i.rule for i in validate(_file(upn="<UPN>A12345678912B</UPN>"))}
