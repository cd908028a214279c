"""The Children in Need census return as XML, from Lantern's records.

Element names: DfE CIN census XML specification for the collection year ending 31 March 2026
(Message / Header / Children / Child: ChildIdentifiers, ChildCharacteristics, CINdetails). Element
order: the CIN census schema's sequences (cin_schema.SEQUENCES). What Lantern does not hold is left
out, never invented; docs/returns.md lists it. Values that do not map are reported in `notes`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from xml.etree import ElementTree as ET

from sqlalchemy.orm import Session

import lantern
from lantern.common import clock
from lantern.plans.models import Plan
from lantern.returns import codes, records
from lantern.returns.episodes import Episode, Period, episodes
from lantern.returns.records import Child


@dataclass
class Census:
    xml: bytes
    children: int
    notes: list[str] = field(default_factory=list)


def build(*, db: Session, year: int, la_code: str, progress: Callable[[int], None] | None = None) -> Census:
    """The census for the year ending 31 March `year` (2000-2100): every child with a CIN episode
    open in it; `la_code` is the DfE three-digit LA code (Source/LEA)."""
    period = Period.census(year)
    children = records.load(db=db)
    sources = records.referral_sources(db=db, children=children)
    root = ET.Element("Message")
    root.append(_header(period, la_code))
    listed = ET.SubElement(root, "Children")
    notes: list[str] = []
    for n, child in enumerate(children, start=1):
        found = episodes(child, period)
        if found:
            listed.append(_child(child, found, period, sources, notes))
        if progress:
            progress(n)
    ET.indent(root)
    return Census(ET.tostring(root, encoding="utf-8", xml_declaration=True), len(listed), notes)


def la_child_id(child: Child) -> str:
    """CSC's own id for the child where it fits the census (alphanumeric, 20 characters at most,
    rules 1570/1580), else the last 20 hex digits of Lantern's person id (random, stable)."""
    local = child.csc_local_id or ""
    if local.isalnum() and local.isascii() and len(local) <= 20:
        return local
    return child.person.id.replace("-", "")[-20:].upper()


def _header(period: Period, la_code: str) -> ET.Element:
    header = ET.Element("Header")
    details = ET.SubElement(header, "CollectionDetails")
    _add(details, "Collection", "CIN")
    _add(details, "Year", str(period.year))
    _add(details, "ReferenceDate", period.end.isoformat())
    source = ET.SubElement(header, "Source")
    _add(source, "SourceLevel", "L")
    _add(source, "LEA", la_code)
    _add(source, "SoftwareCode", "Lantern")
    _add(source, "Release", lantern.__version__)
    _add(source, "SerialNo", "001")
    _add(source, "DateTime", clock.now().replace(microsecond=0, tzinfo=None).isoformat())
    return header


def _child(child: Child, found: list[Episode], period: Period, sources: dict[str, str], notes: list[str]) -> ET.Element:
    element = ET.Element("Child")
    person, who = child.person, la_child_id(child)
    ids = ET.SubElement(element, "ChildIdentifiers")
    _add(ids, "LAchildID", who)
    _add(ids, "PersonBirthDate", person.date_of_birth)
    sex = codes.SEX_FROM_LANTERN.get(person.sex or "unknown")
    if sex is None:
        notes.append(f"{who}: sex {person.sex!r} has no census code")
    _add(ids, "Sex", sex)
    deaths = child.of("child.death")
    _add(ids, "PersonDeathDate", deaths[0].on if deaths and deaths[0].on <= period.end else None)
    ET.SubElement(element, "ChildCharacteristics")  # ethnicity and disabilities: not held by Lantern
    previous = [p for p in child.plans if p.kind == "cp"]
    for episode in found:
        element.append(_details(child, episode, period, sources, previous, notes))
    return element


def _details(
    child: Child,
    episode: Episode,
    period: Period,
    sources: dict[str, str],
    cp_plans: list[Plan],
    notes: list[str],
) -> ET.Element:
    who, referral = la_child_id(child), episode.referral
    details = ET.Element("CINdetails")
    _add(details, "CINreferralDate", referral.on)
    _add(details, "ReferralSource", sources[referral.event_id])
    need = codes.primary_need(referral.payload.get("category"))
    if need is None:
        notes.append(
            f"{who}: referral {referral.source_ref} category {referral.payload.get('category')!r} has no Primary Need"
        )
    _add(details, "PrimaryNeedCode", need)
    closed = episode.closed_on if episode.closed_on and episode.closed_on <= period.end else None
    _add(details, "CINclosureDate", closed)
    _add(details, "ReasonForClosure", episode.reason if closed else None)
    for assessment in episode.assessments:
        details.append(_assessment(assessment.on, assessment.payload.get("category")))
    for plan in episode.cin_plans:
        dates = ET.SubElement(details, "CINPlanDates")
        _add(dates, "CINPlanStartDate", plan.start_on)
        _add(dates, "CINPlanEndDate", _in(plan.end_on, period))
    for enquiry in episode.enquiries:
        s47, conference = ET.SubElement(details, "Section47"), enquiry.conference
        _add(s47, "S47ActualStartDate", enquiry.strategy.on)
        _add(s47, "InitialCPCtarget", conference.due_on if conference else None)
        held = conference.held_on if conference and conference.status == "held" else None
        _add(s47, "DateOfInitialCPC", _in(held, period))
        _add(s47, "ICPCnotRequired", "true" if conference and conference.status == "cancelled" else "false")
    _add(details, "ReferralNFA", "true" if episode.nfa else "false")
    for plan in episode.cp_plans:
        details.append(_cp_plan(child, plan, period, cp_plans, notes))
    return details


def _assessment(on: date, category: str | None) -> ET.Element:
    """Lantern records an assessment when it is completed: its authorisation date; the start is not held."""
    element = ET.Element("Assessments")
    _add(element, "AssessmentAuthorisationDate", on)
    found = [c for c in re.split(r"[,\s]+", (category or "").upper()) if c in codes.ASSESSMENT_FACTORS]
    if found:  # the container needs at least one factor; none recorded is rule 8897Q's to report
        factors = ET.SubElement(element, "FactorsIdentifiedAtAssessment")
        for code in dict.fromkeys(found):
            _add(factors, "AssessmentFactors", code)
    return element


def _cp_plan(child: Child, plan: Plan, period: Period, cp_plans: list[Plan], notes: list[str]) -> ET.Element:
    element = ET.Element("ChildProtectionPlans")
    _add(element, "CPPstartDate", plan.start_on)
    _add(element, "CPPendDate", _in(plan.end_on, period))
    abuse = codes.ABUSE_FROM_CATEGORY.get(plan.category or "")
    if abuse is None:
        notes.append(f"{la_child_id(child)}: plan {plan.id} category {plan.category!r} has no Category of Abuse")
    _add(element, "InitialCategoryOfAbuse", abuse)
    _add(element, "LatestCategoryOfAbuse", abuse)  # Lantern holds one category per plan
    _add(element, "NumberOfPreviousCPP", str(sum(p.start_on < plan.start_on for p in cp_plans)))
    end = plan.end_on or period.end
    held = sorted(
        {c.held_on for c in child.conferences if c.kind == "review" and c.held_on and plan.start_on <= c.held_on <= end}
    )
    in_period = [day for day in held if period.overlaps(day, day)]
    if in_period:  # the container needs at least one review date
        reviews = ET.SubElement(element, "Reviews")
        for day in in_period:
            _add(reviews, "CPPreviewDate", day)
    return element


def _in(day: date | None, period: Period) -> date | None:
    """A date only when it has happened by the end of the census year."""
    return day if day and day <= period.end else None


def _add(parent: ET.Element, tag: str, value: str | date | None) -> None:
    if value is not None:
        ET.SubElement(parent, tag).text = value.isoformat() if isinstance(value, date) else value
