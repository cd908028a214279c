"""Validation of a CIN census XML file: structure, types, code sets and the DfE validation rules
most often failed, each issue naming the child (LAchildID), the element and the rule number.

Rule numbers and meanings: DfE "Children in need census 2025 to 2026: validation rules" as encoded
by github.com/data-to-insight/csc-validator-be-cin (rules/cin2022_23 to cin2025_26); written here
from their descriptions. Rules ending in Q are queries (to check or explain), the others errors.
Structural problems (cin_schema: an element missing, out of order or empty; a date that is not a
date) are rule "schema".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from datetime import date
from xml.etree import ElementTree as ET

from lantern.returns import cin_schema, codes
from lantern.returns.cin_schema import Issue
from lantern.returns.episodes import Period


class _Check:
    """Collects issues for one file; `who` is the child being checked."""

    def __init__(self, period: Period) -> None:
        self.period = period
        self.who: str | None = None
        self.issues: list[Issue] = []

    def flag(self, rule: str, element: str, message: str, failed: object = True) -> None:
        if failed:
            self.issues.append(Issue(rule, self.who, element, message))

    def date(self, parent: ET.Element | None, tag: str, required: bool = False) -> dt.date | None:
        text = _text(parent, tag)
        self.flag("schema", tag, "required element missing", required and text is None)
        return self.parse(text, tag)

    def parse(self, text: str | None, tag: str) -> dt.date | None:
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.flag("schema", tag, f"{text!r} is not a date (YYYY-MM-DD)")
            return None

    def code(self, parent: ET.Element, tag: str, allowed: Iterable[str], rule: str, what: str, required: bool) -> None:
        text = _text(parent, tag)
        self.flag(rule, tag, f"{what} missing", required and text is None)
        self.flag(rule, tag, f"{what} {text!r} is not in the code set", text is not None and text not in allowed)

    def in_year(self, day: dt.date | None, rule: str, tag: str, what: str) -> None:
        self.flag(rule, tag, f"{what} must fall within the census year", day and not self.period.overlaps(day, day))


def validate(xml: bytes) -> list[Issue]:
    """Every issue found in the file, in document order."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as error:
        return [Issue("schema", None, "Message", f"not well-formed XML: {error}")]
    if root.tag != "Message":
        return [Issue("schema", None, "Message", f"<{root.tag}> is not a CIN census message")]
    year_text = _text(root.find("Header/CollectionDetails"), "Year")
    if bad_year := cin_schema.year_issue(year_text):
        return [bad_year]
    check = _Check(Period.census(int(year_text or "")))
    check.issues += cin_schema.check_header(root)
    reference = check.date(root.find("Header/CollectionDetails"), "ReferenceDate", required=True)
    check.flag("100", "ReferenceDate", "Reference Date is incorrect", reference and reference != check.period.end)
    seen: set[str] = set()
    for child in root.iterfind("Children/Child"):
        check.who = _text(child, "ChildIdentifiers/LAchildID")
        check.issues += cin_schema.structure(child, check.who)
        _child(check, child, seen)
    return check.issues


def _child(check: _Check, child: ET.Element, seen: set[str]) -> None:
    ids, who = child.find("ChildIdentifiers"), check.who or ""
    check.flag("8500", "LAchildID", "LA Child ID missing", not who)
    check.flag("8510", "LAchildID", "More than one child record with the same LA Child ID", who in seen)
    check.flag("1570", "LAchildID", "LA Child ID must not be longer than 20 characters", len(who) > 20)
    check.flag(
        "1580", "LAchildID", "LA Child ID must not contain non-alphanumeric characters", who and not who.isalnum()
    )
    seen.add(who)
    _upn(check, _text(ids, "UPN"))
    check.code(child, "ChildIdentifiers/Sex", codes.SEX, "4180", "Sex", required=True)
    born, expected = check.date(ids, "PersonBirthDate"), check.date(ids, "ExpectedPersonBirthDate")
    check.flag(
        "8525Q",
        "PersonBirthDate",
        "Either Date of Birth or Expected Date of Birth (not both)",
        (born is None) == (expected is None),
    )
    check.flag(
        "8520", "PersonBirthDate", "Date of Birth is after data collection period", born and born > check.period.end
    )
    died = check.date(ids, "PersonDeathDate")
    check.flag(
        "8535Q",
        "PersonDeathDate",
        "Date of death should not be prior to the date of birth",
        died and born and died < born,
    )
    check.in_year(died, "8545Q", "PersonDeathDate", "Date of death")
    characteristics = child.find("ChildCharacteristics")
    check.code(child, "ChildCharacteristics/Ethnicity", codes.ETHNICITY, "4220", "Ethnicity", required=True)
    disabilities = [d.text or "" for d in child.iterfind("ChildCharacteristics/Disabilities/Disability")]
    further_action = any(
        (_text(d, "ReferralNFA") or "").lower() in {"false", "0"} for d in child.iterfind("CINdetails")
    )
    check.flag(
        "8540",
        "Disability",
        "Child's disability is missing",
        characteristics is not None and born and further_action and not disabilities,
    )
    for code in disabilities:
        check.flag("8540", "Disability", f"disability {code!r} is not in the code set", code not in codes.DISABILITY)
    check.flag(
        "8790",
        "Disability",
        "Disability includes both NONE and other values",
        "NONE" in disabilities and len(disabilities) > 1,
    )
    check.flag(
        "8794", "Disability", "Two or more disabilities with the same code", len(set(disabilities)) < len(disabilities)
    )
    details = child.findall("CINdetails")
    check.flag("8590", "CINdetails", "Child does not have a recorded CIN episode", not details)
    open_episodes = 0
    for episode in details:
        open_episodes += _episode(check, episode, died)
    check.flag(
        "8815",
        "CINclosureDate",
        "More than one open CIN episode that is not a referral with no further action",
        open_episodes > 1,
    )
    _open_plans(check, child)


def _upn(check: _Check, upn: str | None) -> None:
    """Rules 1510, 1540, 1550: a UPN is a check letter, an LA code, 8 digits and a final digit or letter."""
    if upn is None:
        return
    check.flag("schema", "UPN", "UPN must be 13 characters", len(upn) != 13)
    check.flag("1540", "UPN", "UPN invalid (characters 5-12 not all numeric)", not upn[4:12].isdigit())
    check.flag(
        "1550",
        "UPN",
        "UPN invalid (character 13 not a recognised value)",
        len(upn) == 13 and not (upn[12].isdigit() or upn[12] in codes.UPN_LETTERS),
    )
    letter = codes.upn_check_letter(upn) if upn[1:].isdigit() else None  # not for temporary UPNs
    check.flag(
        "1510", "UPN", "UPN invalid (wrong check letter at character 1)", letter is not None and upn[0] != letter
    )


def _episode(check: _Check, episode: ET.Element, died: date | None) -> int:
    """Check one CINdetails module; 1 when it is open and not a referral with no further action."""
    period = check.period
    referred = check.date(episode, "CINreferralDate")
    check.flag(
        "8600",
        "CINreferralDate",
        "Child referral date missing or after data collection period",
        referred is None or referred > period.end,
    )
    check.flag(
        "8555Q",
        "CINreferralDate",
        "Child cannot be referred after its recorded date of death",
        referred and died and referred > died,
    )
    check.code(episode, "ReferralSource", codes.REFERRAL_SOURCE, "8866", "Source of Referral", required=True)
    nfa = _text(episode, "ReferralNFA")
    check.flag(
        "8568", "ReferralNFA", "RNFA flag is missing or invalid", (nfa or "").lower() not in {"true", "false", "1", "0"}
    )
    is_nfa = (nfa or "").lower() in {"true", "1"}
    check.code(episode, "PrimaryNeedCode", codes.PRIMARY_NEED, "8650", "Primary Need Code", required=False)
    check.flag(
        "8610",
        "PrimaryNeedCode",
        "Primary Need code is missing for a referral which led to further action",
        not is_nfa and _text(episode, "PrimaryNeedCode") is None,
    )
    closed, reason = check.date(episode, "CINclosureDate"), _text(episode, "ReasonForClosure")
    check.in_year(closed, "8620", "CINclosureDate", "CIN Closure Date")
    check.flag(
        "8630",
        "CINclosureDate",
        "CIN Closure Date is before CIN Referral Date",
        closed and referred and closed < referred,
    )
    check.code(episode, "ReasonForClosure", codes.REASON_FOR_CLOSURE, "8640", "Reason for Closure", required=False)
    check.flag("8805", "ReasonForClosure", "A CIN closure date without a Reason for Closure", closed and reason is None)
    check.flag("8810", "CINclosureDate", "A Reason for Closure without a CIN Closure Date", reason and closed is None)
    _assessments(check, episode, referred)
    icpc_dates = _section47(check, episode, referred)
    _cp_plans(check, episode, referred, died, icpc_dates)
    _cin_plans(check, episode, referred, died)
    _after_closure(check, episode, closed)
    return int(closed is None and not is_nfa)


ACTIVITY = (
    *("Assessments/AssessmentActualStartDate", "Assessments/AssessmentAuthorisationDate"),
    *("Section47/S47ActualStartDate", "Section47/DateOfInitialCPC", "ChildProtectionPlans/CPPendDate"),
    *("CINPlanDates/CINPlanStartDate", "CINPlanDates/CINPlanEndDate"),
)


def _after_closure(check: _Check, episode: ET.Element, closed: date | None) -> None:
    """Rule 8565: no activity dated after the episode's CIN closure date."""
    if closed is None:
        return
    for path in ACTIVITY:
        for found in episode.iterfind(path):
            day = _day(found.text)
            check.flag("8565", path.split("/")[-1], "Activity shown after a case has been closed", day and day > closed)


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _assessments(check: _Check, episode: ET.Element, referred: date | None) -> None:
    for module in episode.iterfind("Assessments"):
        started = check.date(module, "AssessmentActualStartDate")  # required: cin_schema
        authorised = check.date(module, "AssessmentAuthorisationDate")
        check.flag(
            "1103",
            "AssessmentActualStartDate",
            "The assessment start date cannot be before the referral date",
            started and referred and started < referred,
        )
        check.flag(
            "8608",
            "AssessmentActualStartDate",
            "Assessment Start Date cannot be later than its End Date",
            started and authorised and started > authorised,
        )
        check.in_year(authorised, "8696", "AssessmentAuthorisationDate", "Assessment end date")
        if authorised is None:
            check.in_year(started, "8736", "AssessmentActualStartDate", "An uncompleted assessment's start date")
        factors = [f.text or "" for f in module.iterfind("FactorsIdentifiedAtAssessment/AssessmentFactors")]
        check.flag(
            "8897Q",
            "AssessmentFactors",
            "Factors at assessment missing from a completed assessment",
            authorised and not factors,
        )
        check.flag(
            "8898", "AssessmentFactors", "More than one factor with the same code", len(set(factors)) < len(factors)
        )
        for code in factors:
            check.flag(
                "schema",
                "AssessmentFactors",
                f"factor {code!r} is not in the code set",
                code not in codes.ASSESSMENT_FACTORS,
            )


def _section47(check: _Check, episode: ET.Element, referred: date | None) -> set[date]:
    """Check the section 47 modules and the ICPC; return the ICPC dates a CP plan may start on
    (rule 2885): those of the S47 modules that need an ICPC, or the CIN-level date when none does."""
    top = check.date(episode, "DateOfInitialCPC")
    _icpc(check, top, referred)
    modules = episode.findall("Section47")
    icpc_dates: set[date] = set()
    needing = 0
    for module in modules:
        held = check.date(module, "DateOfInitialCPC")
        _icpc(check, held, referred)
        not_required = (_text(module, "ICPCnotRequired") or "").lower() in {"true", "1"}
        needing += not not_required
        icpc_dates |= {held} if held and not not_required else set()
        started = check.date(module, "S47ActualStartDate")
        check.flag(
            "8615",
            "S47ActualStartDate",
            "Section 47 start date must be present and not after the ICPC",
            started is None or (held and started > held),
        )
        check.flag(
            "2889",
            "S47ActualStartDate",
            "The S47 start date cannot be before the referral date",
            started and referred and started < referred,
        )
        target = check.date(module, "InitialCPCtarget")
        check.flag(
            "8870Q",
            "InitialCPCtarget",
            "The target date for the ICPC should not be a weekend",
            target and target.weekday() >= 5,
        )
        check.flag(
            "2884",
            "DateOfInitialCPC",
            "The same ICPC recorded at both the S47 and CIN details level",
            top and held == top,
        )
    return icpc_dates if needing or top is None else {top}


def _icpc(check: _Check, held: date | None, referred: date | None) -> None:
    """Rules 8715, 1104 and 8875 on an ICPC date (the validator checks them on Section47 only; the
    CIN-level date is checked alike here)."""
    check.in_year(held, "8715", "DateOfInitialCPC", "Date of Initial Child Protection Conference")
    check.flag(
        "1104",
        "DateOfInitialCPC",
        "The ICPC cannot be before the referral date",
        held and referred and held < referred,
    )
    check.flag(
        "8875",
        "DateOfInitialCPC",
        "The Date of Initial Child Protection Conference cannot be a weekend",
        held and held.weekday() >= 5,
    )


def _cp_plans(check: _Check, episode: ET.Element, referred: date | None, died: date | None, icpcs: set[date]) -> None:
    for plan in episode.iterfind("ChildProtectionPlans"):
        start, end = check.date(plan, "CPPstartDate"), check.date(plan, "CPPendDate")
        check.flag(
            "8720",
            "CPPstartDate",
            "Child Protection Plan Start Date missing or out of data collection period",
            start is None or start > check.period.end,
        )
        check.flag(
            "1105",
            "CPPstartDate",
            "The child protection plan start date cannot be before the referral date",
            start and referred and start < referred,
        )
        check.flag(
            "2885",
            "CPPstartDate",
            "Child protection plan starting in the year on a different day to the ICPC",
            start and check.period.overlaps(start, start) and start not in icpcs,
        )
        check.flag(
            "8925",
            "CPPendDate",
            "Child Protection Plan End Date earlier than Start Date",
            start and end and end < start,
        )
        check.flag(
            "8840", "CPPendDate", "Child Protection Plan cannot start and end on the same day", start and end == start
        )
        check.in_year(end, "8930", "CPPendDate", "Child Protection Plan End Date")
        check.flag(
            "8915",
            "CPPstartDate",
            "Child Protection Plan starting after the child's Date of Death",
            start and died and start > died,
        )
        check.flag(
            "8920",
            "CPPendDate",
            "Child Protection Plan cannot end after the child's Date of Death",
            end and died and end > died,
        )
        check.code(
            plan, "InitialCategoryOfAbuse", codes.CATEGORY_OF_ABUSE, "8905", "Initial Category of Abuse", required=True
        )
        check.code(
            plan, "LatestCategoryOfAbuse", codes.CATEGORY_OF_ABUSE, "8910", "Latest Category of Abuse", required=True
        )
        previous = _text(plan, "NumberOfPreviousCPP")
        check.flag(
            "8730",
            "NumberOfPreviousCPP",
            "Total Number of previous Child Protection Plans missing",
            not (previous or "").isdigit(),
        )
        for review in plan.iterfind("Reviews/CPPreviewDate"):
            day = check.parse((review.text or "").strip() or None, "CPPreviewDate")
            check.flag("8842Q", "CPPreviewDate", "Review Record has a missing date", day is None)
            check.flag(
                "8841",
                "CPPreviewDate",
                "The review date cannot be on or before the plan's start date",
                day and start and day <= start,
            )


def _cin_plans(check: _Check, episode: ET.Element, referred: date | None, died: date | None) -> None:
    for plan in episode.iterfind("CINPlanDates"):
        start, end = check.date(plan, "CINPlanStartDate"), check.date(plan, "CINPlanEndDate")
        check.flag(
            "4010",
            "CINPlanStartDate",
            "CIN Plan start date is missing or out of data collection period",
            start is None or start > check.period.end,
        )
        check.flag("4011", "CINPlanEndDate", "CIN Plan End Date earlier than Start Date", start and end and end < start)
        check.in_year(end, "4013", "CINPlanEndDate", "CIN Plan end date")
        check.flag(
            "4015",
            "CINPlanStartDate",
            "The CIN Plan start date cannot be before the referral date",
            start and referred and start < referred,
        )
        check.flag(
            "4008",
            "CINPlanStartDate",
            "CIN Plan shown as starting after the child's Date of Death",
            start and died and start > died,
        )


def _open_plans(check: _Check, child: ET.Element) -> None:
    """Rule 8935: at most one open (no end date) CP plan per child; rule 4004: at most one open CIN
    plan per CIN details module."""
    open_cp = [p for p in child.iterfind("CINdetails/ChildProtectionPlans") if _text(p, "CPPendDate") is None]
    check.flag("8935", "CPPendDate", "More than one open Child Protection plan", len(open_cp) > 1)
    for episode in child.iterfind("CINdetails"):
        open_cin = [p for p in episode.iterfind("CINPlanDates") if _text(p, "CINPlanEndDate") is None]
        check.flag("4004", "CINPlanEndDate", "More than one open CIN Plan in a CIN episode", len(open_cin) > 1)


def _text(parent: ET.Element | None, path: str) -> str | None:
    found = parent.find(path) if parent is not None else None
    return found.text.strip() if found is not None and found.text and found.text.strip() else None
