"""The CIN validator finds each kind of error it implements, in a complete file mutated one way at a time."""

from __future__ import annotations

import pytest

from lantern.returns.cin_validation import validate

CHILD = """<Child><ChildIdentifiers><LAchildID>CSC123</LAchildID>{upn}<PersonBirthDate>2021-05-01</PersonBirthDate>
<Sex>{sex}</Sex></ChildIdentifiers><ChildCharacteristics><Ethnicity>WBRI</Ethnicity>
<Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
<CINdetails><CINreferralDate>{referred}</CINreferralDate><ReferralSource>{source}</ReferralSource>
<PrimaryNeedCode>N1</PrimaryNeedCode>{closure}
<Assessments><AssessmentActualStartDate>{assessed}</AssessmentActualStartDate>
<AssessmentAuthorisationDate>2025-06-20</AssessmentAuthorisationDate>
<FactorsIdentifiedAtAssessment><AssessmentFactors>4A</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>
<Section47><S47ActualStartDate>2025-06-23</S47ActualStartDate><InitialCPCtarget>2025-07-14</InitialCPCtarget>
<DateOfInitialCPC>2025-07-10</DateOfInitialCPC><ICPCnotRequired>false</ICPCnotRequired></Section47>
<ReferralNFA>false</ReferralNFA>
<ChildProtectionPlans><CPPstartDate>{plan_start}</CPPstartDate><InitialCategoryOfAbuse>{abuse}</InitialCategoryOfAbuse>
<LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>0</NumberOfPreviousCPP>
<Reviews><CPPreviewDate>2025-10-10</CPPreviewDate></Reviews></ChildProtectionPlans></CINdetails></Child>"""
GOOD = {
    "upn": "", "sex": "F", "referred": "2025-06-02", "source": "6", "closure": "", "assessed": "2025-06-03",
    "plan_start": "2025-07-10", "abuse": "NEG",
}  # fmt: skip


def _file(year: str = "2026", **change: str) -> bytes:
    child = CHILD.format(**(GOOD | change))
    header = f"<Header><CollectionDetails><Collection>CIN</Collection><Year>{year}</Year>"
    return f"<Message>{header}<ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails>"\
        f"<Source><LEA>931</LEA></Source></Header><Children>{child}</Children></Message>".encode()  # fmt: skip


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
    ],
)  # fmt: skip
def test_each_rule_is_found_naming_child_element_and_rule(change: dict[str, str], rule: str, element: str) -> None:
    issues = validate(_file(**change))
    assert (rule, "CSC123" if rule != "100" else None, element) in {(i.rule, i.child, i.element) for i in issues}


def test_a_upn_with_its_check_letter_passes() -> None:
    assert validate(_file(upn="<UPN>P123456789123</UPN>")) == []


def test_a_file_that_is_not_xml_is_one_schema_issue() -> None:
    assert [i.rule for i in validate(b"<Message>")] == ["schema"]
