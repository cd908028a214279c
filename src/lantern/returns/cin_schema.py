"""The structure of a CIN census file, as the schema COLLECT checks it against: which elements each
module holds, in which order, how many times, and the header's LA code and collection year.

Sequences: the DfE CIN census XML schema (CIN_schema_2024.xsd, as used by
github.com/SocialFinanceDigitalLabs/liia-tools), with `Sex` in place of `GenderCurrent` from
2024-25. Written here from that schema, not copied. An element missing, out of order, repeated,
unknown, or a container left empty is an issue of rule "schema".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree as ET

MANY = None  # maxOccurs="unbounded"
# Module -> its child elements in schema order: (tag, minOccurs, maxOccurs).
SEQUENCES: dict[str, tuple[tuple[str, int, int | None], ...]] = {
    "Message": (("Header", 0, 1), ("Children", 1, 1)),
    "Header": (("CollectionDetails", 0, 1), ("Source", 0, MANY)),
    "CollectionDetails": (("Collection", 0, 1), ("Year", 0, 1), ("ReferenceDate", 0, 1)),
    "Source": (
        *(("SourceLevel", 0, 1), ("LEA", 1, 1), ("SoftwareCode", 0, 1)),
        *(("Release", 0, 1), ("SerialNo", 0, 1), ("DateTime", 0, 1)),
    ),
    "Children": (("Child", 1, MANY),),
    "Child": (("ChildIdentifiers", 1, 1), ("ChildCharacteristics", 1, 1), ("CINdetails", 1, MANY)),
    "ChildIdentifiers": (
        *(("LAchildID", 1, 1), ("UPN", 0, 1), ("FormerUPN", 0, 1), ("UPNunknown", 0, 1)),
        *(("PersonBirthDate", 0, 1), ("ExpectedPersonBirthDate", 0, 1), ("Sex", 1, 1), ("PersonDeathDate", 0, 1)),
    ),
    "ChildCharacteristics": (("Ethnicity", 1, 1), ("Disabilities", 0, 1)),
    "Disabilities": (("Disability", 1, MANY),),
    "CINdetails": (
        *(("CINreferralDate", 1, 1), ("ReferralSource", 1, 1), ("PrimaryNeedCode", 0, 1)),
        *(("CINclosureDate", 0, 1), ("ReasonForClosure", 0, 1), ("DateOfInitialCPC", 0, 1)),
        *(("Assessments", 0, MANY), ("CINPlanDates", 0, MANY), ("Section47", 0, MANY)),
        *(("ReferralNFA", 1, 1), ("ChildProtectionPlans", 0, MANY)),
    ),
    "Assessments": (
        *(("AssessmentActualStartDate", 1, 1), ("AssessmentInternalReviewDate", 0, 1)),
        *(("AssessmentAuthorisationDate", 0, 1), ("FactorsIdentifiedAtAssessment", 0, 1)),
    ),
    "FactorsIdentifiedAtAssessment": (("AssessmentFactors", 1, MANY),),
    "CINPlanDates": (("CINPlanStartDate", 1, 1), ("CINPlanEndDate", 0, 1)),
    "Section47": (
        *(("S47ActualStartDate", 1, 1), ("InitialCPCtarget", 0, 1)),
        *(("DateOfInitialCPC", 0, 1), ("ICPCnotRequired", 1, 1)),
    ),
    "ChildProtectionPlans": (
        *(("CPPstartDate", 1, 1), ("CPPendDate", 0, 1), ("InitialCategoryOfAbuse", 1, 1)),
        *(("LatestCategoryOfAbuse", 1, 1), ("NumberOfPreviousCPP", 1, 1), ("Reviews", 0, 1)),
    ),
    "Reviews": (("CPPreviewDate", 1, MANY),),
}
# Required elements whose absence a numbered DfE rule reports instead (cin_validation).
MISSING_BY_RULE = frozenset(
    {
        *("LAchildID", "Sex", "Ethnicity", "CINdetails", "CINreferralDate", "ReferralSource", "ReferralNFA"),
        *("CPPstartDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse", "NumberOfPreviousCPP"),
        *("S47ActualStartDate", "CINPlanStartDate"),
    }
)
FIRST_YEAR, LAST_YEAR = 2000, 2100  # collection years accepted (API, CLI and validation alike)
LA_CODE = re.compile(r"\d{3}")  # Source/LEA: the DfE three-digit LA code


@dataclass(frozen=True)
class Issue:
    rule: str
    child: str | None
    element: str
    message: str

    @property
    def is_query(self) -> bool:
        return self.rule.endswith("Q")

    def __str__(self) -> str:
        return f"{self.rule} {self.child or '-'} <{self.element}>: {self.message}"


def check_header(root: ET.Element) -> list[Issue]:
    """The message's own structure (not its children's), the LA code and at least one child."""
    issues = structure(root, None, stop_at="Child")
    lea = root.findtext("Header/Source/LEA")
    if lea is not None and not LA_CODE.fullmatch(lea.strip()):
        issues.append(Issue("schema", None, "LEA", f"LA code {lea!r} is not three digits"))
    if root.find("Header/Source") is None:
        issues.append(Issue("schema", None, "LEA", "required element missing (Header/Source/LEA)"))
    return issues


def year_issue(text: str | None) -> Issue | None:
    """An issue unless the collection year is a number from FIRST_YEAR to LAST_YEAR."""
    value = (text or "").strip()
    if value.isdigit() and len(value) <= 4 and FIRST_YEAR <= int(value) <= LAST_YEAR:
        return None
    return Issue("schema", None, "Year", f"collection year {value!r} is not between {FIRST_YEAR} and {LAST_YEAR}")


def structure(element: ET.Element, who: str | None, stop_at: str | None = None) -> list[Issue]:
    """Issues in the element's children and below: unknown, out of order, too few or too many;
    elements tagged `stop_at` are not looked into."""
    sequence = SEQUENCES.get(element.tag)
    if sequence is None or element.tag == stop_at:
        return []
    issues: list[Issue] = []
    order = {tag: n for n, (tag, _, _) in enumerate(sequence)}
    place = -1
    for child in element:
        if child.tag not in order:
            issues.append(Issue("schema", who, child.tag, f"not an element of <{element.tag}> in the CIN schema"))
            continue
        if order[child.tag] < place:
            issues.append(Issue("schema", who, child.tag, f"out of the schema's order in <{element.tag}>"))
        place = max(place, order[child.tag])
    for tag, least, most in sequence:
        count = len(element.findall(tag))
        if count < least and tag not in MISSING_BY_RULE:
            issues.append(Issue("schema", who, tag, f"required element missing in <{element.tag}>"))
        if most is not None and count > most:
            issues.append(Issue("schema", who, tag, f"more than {most} in <{element.tag}>"))
    for child in element:
        issues += structure(child, who, stop_at)
    return issues
