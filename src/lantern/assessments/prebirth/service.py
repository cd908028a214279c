"""Pre-birth assessments: started prefilled from every agency's records, saved as versions, refused
for sign-off while a background question is unanswered, signed off by a manager.

Each save writes a new version (`PrebirthVersion`) and never changes an old one. Submitting and
signing off each record a `csc.prebirth_assessment` event, so the assessment is in the chronology;
each "not known" answer's action becomes a duty to its owner when the assessment is submitted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from lantern.access import policy, visibility
from lantern.assessments.growth.service import subject_of
from lantern.assessments.prebirth import rules
from lantern.assessments.prebirth.models import PrebirthAssessment, PrebirthVersion
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock, workdays
from lantern.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from lantern.db.rows import found
from lantern.db.types import new_id
from lantern.duties import service as duties_service
from lantern.events import flows as events_flows
from lantern.events.models import Event, EventSubject
from lantern.family import network as family_network
from lantern.family.service import display_name
from lantern.people import service as people_service

LONDON = ZoneInfo("Europe/London")
PREGNANCY_TYPES = ("midwife.booking", "pregnancy.notification")
CHILD_RELATIONS = ("child", "step_child")
START_DUTY = "register-pre-birth-assessment"
NOT_KNOWN_DUTY = "prebirth-not-known"


@dataclass(frozen=True)
class Assessed:
    """A parent or partner on the form."""

    slot: str
    person_id: str
    name: str


@dataclass(frozen=True)
class View:
    """An assessment as the page and the API show it: the newest version and every version's summary."""

    assessment: PrebirthAssessment
    current: PrebirthVersion
    versions: list[PrebirthVersion]
    problems: list[rules.Problem]


def start(
    *,
    db: Session,
    actor: Actor,
    mother_id: str,
    expected_on: date | None,
    father_id: str | None = None,
    partner_id: str | None = None,
) -> PrebirthAssessment:
    """Start an assessment prefilled from what any agency holds (version 1); the register's "start a
    pre-birth assessment" duties about the mother are actioned."""
    policy.require(actor, "prebirth:write")
    mother = _person(db, mother_id)
    expected_on = expected_on or _expected_on(db, mother_id)
    father_id = father_id or _father_of_pregnancy(db, mother_id)
    partner_id = partner_id or _current_partner(db, mother_id, exclude={father_id})
    people = [Assessed("mother", mother_id, _name(mother))]
    for slot, person_id in (("father", father_id), ("partner", partner_id)):
        if person_id and person_id not in {p.person_id for p in people}:
            people.append(Assessed(slot, person_id, _name(_person(db, person_id))))
    now = clock.now()
    assessment = PrebirthAssessment(
        id=new_id(), mother_id=mother_id, expected_on=expected_on, status="draft", version=1,
        agency=actor.agency or "csc", created_by=actor.name, created_at=now,
    )  # fmt: skip
    db.add(assessment)
    answers = prefill(db=db, people=people, due=expected_on or now.astimezone(LONDON).date())
    db.add(_version(assessment, [p.__dict__ for p in people], answers, actor, "Started, prefilled from agency records"))
    db.flush()
    _action_start_duties(db, actor, mother_id)
    _audit(db, actor, "create", assessment, {"people": [p.person_id for p in people]})
    return assessment


def prefill(*, db: Session, people: list[Assessed], due: date) -> dict[str, dict[str, Any]]:
    """The answers agencies' records support, each citing its records; nothing held leaves a question blank."""
    answers: dict[str, dict[str, Any]] = {}
    for person in people:
        suggestions = rules.suggest(_records(db, person.person_id))
        children = _previous_children(db, person.person_id)
        if children:
            suggestions.setdefault("previous_children", rules.Suggestion("yes")).sources.extend(children)
        for code, suggestion in suggestions.items():
            answers[f"{person.slot}.{code}"] = _suggested(suggestion)
        teenage = _under_20(db, person.person_id, due)
        if teenage:
            answers[f"{person.slot}.under_20"] = _suggested(teenage)
    return answers


def _suggested(suggestion: rules.Suggestion) -> dict[str, Any]:
    sources = [
        {"event_id": s.event_id, "agency": s.agency, "ref": s.ref, "on": s.on.isoformat() if s.on else None,
         "text": s.text}
        for s in suggestion.sources
    ]  # fmt: skip
    return {"answer": suggestion.answer, "detail": suggestion.detail(), "sources": sources, "prefilled": True}


def _records(db: Session, person_id: str) -> list[rules.Record]:
    stmt = (
        select(Event.id, Event.type, EventSubject.role, Event.source_agency, Event.source_ref, Event.occurred_at,
               Event.summary, Event.payload)
        .join(EventSubject, EventSubject.event_id == Event.id)
        .where(EventSubject.person_id == person_id, Event.type != "csc.prebirth_assessment")
        .order_by(Event.occurred_at)
    )  # fmt: skip
    return [
        rules.Record(row[0], row[1], row[2], row[3], row[4], row[5].astimezone(LONDON).date(), row[6] or "", row[7])
        for row in db.execute(stmt)
    ]


def _previous_children(db: Session, person_id: str) -> list[rules.Held]:
    """Each child of the person in the family network, with where they are now, citing a record of both."""
    network = family_network.build(db, person_id)
    found = []
    for member in network.members_on(None):
        if member.relation not in CHILD_RELATIONS or member.via is not None:
            continue
        born = f", born {member.date_of_birth:%-d %B %Y}" if member.date_of_birth else ""
        now = f": {member.status}" if member.status else ": where the child is now is not recorded"
        text = f"{member.label.capitalize()} {member.name}{born}{now}"
        found.append(_cited(_shared_event(db, person_id, member.person_id), text))
    return found


def _cited(event: Event | None, text: str) -> rules.Held:
    """A finding cited by the record it rests on, or by the family network where no one record shows it."""
    if event is None:
        return rules.Held(None, "Lantern", "family network", None, text)
    return rules.Held(
        event.id, event.source_agency, event.source_ref, event.occurred_at.astimezone(LONDON).date(), text
    )


def _shared_event(db: Session, first: str, second: str) -> Event | None:
    other = aliased(EventSubject)
    stmt = (
        select(Event)
        .join(EventSubject, EventSubject.event_id == Event.id)
        .join(other, other.event_id == Event.id)
        .where(EventSubject.person_id == first, other.person_id == second)
        .order_by(Event.occurred_at)
        .limit(1)
    )
    return db.execute(stmt).scalars().first()


def _under_20(db: Session, person_id: str, due: date) -> rules.Suggestion | None:
    person = _person(db, person_id)
    answer = rules.under_20(person.date_of_birth, due)
    if answer is None or person.date_of_birth is None:
        return None
    text = f"Born {person.date_of_birth:%-d %B %Y}: {'under' if answer == 'yes' else 'over'} 20 on {due:%-d %B %Y}"
    return rules.Suggestion(answer, [rules.Held(None, "Lantern", "person record", None, text)])


def _expected_on(db: Session, mother_id: str) -> date | None:
    pregnancy = _latest_pregnancy(db, mother_id)
    due = (pregnancy.payload or {}).get("expected_delivery_on") if pregnancy else None
    return date.fromisoformat(due) if due else None


def _latest_pregnancy(db: Session, mother_id: str) -> Event | None:
    stmt = (
        select(Event)
        .join(EventSubject, EventSubject.event_id == Event.id)
        .where(EventSubject.person_id == mother_id, EventSubject.role == "mother", Event.type.in_(PREGNANCY_TYPES))
        .order_by(Event.occurred_at.desc())
        .limit(1)
    )
    return db.execute(stmt).scalars().first()


def _father_of_pregnancy(db: Session, mother_id: str) -> str | None:
    """The father named in the mother's latest booking or pregnancy notification."""
    pregnancy = _latest_pregnancy(db, mother_id)
    if pregnancy is None:
        return None
    stmt = select(EventSubject.person_id).where(EventSubject.event_id == pregnancy.id, EventSubject.role == "father")
    return db.execute(stmt).scalars().first()


def _current_partner(db: Session, mother_id: str, exclude: set[str | None]) -> str | None:
    """The mother's most recently seen current partner, other than the father."""
    network = family_network.build(db, mother_id, with_status=False)
    partners = [
        m
        for m in network.members_on(clock.now())
        if m.relation == "partner" and m.via is None and m.person_id not in exclude
    ]
    return max(partners, key=lambda m: m.last_seen).person_id if partners else None


def get(*, db: Session, actor: Actor, assessment_id: str) -> View:
    """The assessment with its newest answers and what still stops sign-off; audited against the mother."""
    policy.require(actor, "assessment:read")
    view = _view(db, assessment_id)
    visibility.require_category(db, actor, view.assessment.mother_id, "csc_record")
    _audit(db, actor, "read", view.assessment, {"version": view.assessment.version})
    return view


def version(*, db: Session, actor: Actor, assessment_id: str, number: int) -> tuple[View, PrebirthVersion]:
    """One kept version of an assessment, as it was saved."""
    view = get(db=db, actor=actor, assessment_id=assessment_id)
    found = next((v for v in view.versions if v.number == number), None)
    if found is None:
        raise NotFound(f"assessment {assessment_id} has no version {number}")
    return view, found


def list_for(*, db: Session, actor: Actor, mother_id: str) -> list[PrebirthAssessment]:
    """The mother's assessments, newest first; audited as a read of her record."""
    policy.require(actor, "assessment:read")
    _person(db, mother_id)
    visibility.require_category(db, actor, mother_id, "csc_record")
    stmt = select(PrebirthAssessment).where(PrebirthAssessment.mother_id == mother_id)
    found = list(db.execute(stmt.order_by(PrebirthAssessment.created_at.desc())).scalars())
    detail = {"view": "prebirth", "assessments": len(found)}
    audit.record(db=db, actor=actor, action="read", object_type="person", object_id=mother_id, detail=detail)
    return found


def save(
    *, db: Session, actor: Actor, assessment_id: str, base_version: int, answers: dict[str, dict[str, Any]]
) -> View:
    """Save changed answers as a new version of a draft; refused when someone saved since `base_version`."""
    policy.require(actor, "prebirth:write")
    view = _editable(db, assessment_id, base_version)
    slots = [p["slot"] for p in view.current.people]
    unknown = sorted(set(answers) - set(rules.question_keys(slots)))
    if unknown:
        raise InvalidInput([{"loc": ["answers", key], "msg": "not a question of this assessment"} for key in unknown])
    merged = {**view.current.answers}
    for key, given in answers.items():
        merged[key] = _merge_answer(view.current.answers.get(key) or {}, given)
    return _new_version(db, actor, view.assessment, merged, "draft", None)


def _merge_answer(held: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """The given answer, keeping the records held cited; still "prefilled" only if nothing was changed."""
    answer = {k: given.get(k) for k in ("answer", "detail", "reason", "action")}
    if answer["action"] is not None:
        due = answer["action"].get("due_on")
        answer["action"] = {**answer["action"], "due_on": str(due) if due else None}
    unchanged = all(answer.get(k) == held.get(k) for k in ("answer", "detail"))
    return {**answer, "sources": held.get("sources", []), "prefilled": bool(held.get("prefilled")) and unchanged}


def submit(*, db: Session, actor: Actor, assessment_id: str, base_version: int) -> View:
    """Send the assessment for a manager's sign-off: refused, with every gap listed, while any background
    question is unanswered or a "not known" lacks its reason or action. Each "not known" action becomes a
    duty to its owner; the submission is recorded in the chronology."""
    policy.require(actor, "prebirth:write")
    view = _editable(db, assessment_id, base_version)
    if view.problems:
        raise InvalidInput([{"loc": ["answers", p.key], "msg": p.message} for p in view.problems])
    view.assessment.submitted_at = clock.now()
    event_id = _record_event(db, actor, view, "submitted")
    _raise_not_known_duties(db, actor, view, event_id)
    return _new_version(db, actor, view.assessment, view.current.answers, "submitted", "Submitted for sign-off")


def sign_off(*, db: Session, actor: Actor, assessment_id: str, decision: str, note: str | None) -> View:
    """A manager approves the submitted assessment (recorded in the chronology) or returns it to the
    worker with what to change. The person who submitted it cannot sign it off."""
    policy.require(actor, "prebirth:sign_off")
    view = _view(db, assessment_id)
    if view.assessment.status != "submitted":
        raise Conflict(f"this assessment is {view.assessment.status.replace('_', ' ')}, not waiting for sign-off")
    if view.current.saved_by == actor.name:
        raise Forbidden("an assessment is signed off by a manager other than the person who submitted it")
    if decision == "return":
        if not (note or "").strip():
            raise InvalidInput([{"loc": ["note"], "msg": "say what needs to change before it can be signed off"}])
        return _new_version(db, actor, view.assessment, view.current.answers, "draft", note)
    view.assessment.signed_off_by, view.assessment.signed_off_at = actor.name, clock.now()
    _record_event(db, actor, view, "signed_off")
    return _new_version(db, actor, view.assessment, view.current.answers, "signed_off", note or "Signed off")


def _editable(db: Session, assessment_id: str, base_version: int) -> View:
    view = _view(db, assessment_id)
    if view.assessment.status != "draft":
        raise Conflict(f"this assessment is {view.assessment.status.replace('_', ' ')}: it cannot be changed")
    if base_version != view.assessment.version:
        raise Conflict(
            f"version {view.assessment.version} was saved by {view.current.saved_by} after you opened version "
            f"{base_version}: reload it and make your changes again"
        )
    return view


def _view(db: Session, assessment_id: str) -> View:
    assessment = found(db, PrebirthAssessment, assessment_id, "pre-birth assessment")
    stmt = select(PrebirthVersion).where(PrebirthVersion.assessment_id == assessment_id)
    versions = list(db.execute(stmt.order_by(PrebirthVersion.number)).scalars())
    current = versions[-1]
    names = {p["slot"]: p["name"] for p in current.people}
    return View(assessment, current, versions, rules.problems(current.answers, names, _today()))


def _new_version(
    db: Session, actor: Actor, assessment: PrebirthAssessment, answers: dict[str, Any], status: str, note: str | None
) -> View:
    current = _view(db, assessment.id).current
    assessment.version += 1
    assessment.status = status
    db.add(_version(assessment, current.people, answers, actor, note))
    db.flush()
    _audit(db, actor, "update", assessment, {"version": assessment.version, "status": status})
    return _view(db, assessment.id)


def _version(
    assessment: PrebirthAssessment,
    people: list[dict[str, Any]],
    answers: dict[str, Any],
    actor: Actor,
    note: str | None,
) -> PrebirthVersion:
    return PrebirthVersion(
        assessment_id=assessment.id, number=assessment.version, status=assessment.status, people=people,
        answers=answers, saved_by=actor.name, saved_at=clock.now(), note=note,
    )  # fmt: skip


def _record_event(db: Session, actor: Actor, view: View, status: str) -> str:
    """The assessment in the event stream, naming the parents and partner, so the chronology shows it."""
    answers = view.current.answers
    names = {p["slot"]: p["name"] for p in view.current.people}
    payload: dict[str, Any] = {
        "assessment_id": view.assessment.id,
        "version": view.assessment.version + 1,
        "status": status,
        "assessor": view.current.saved_by if status == "signed_off" else actor.name,
        "concerns": [_phrase(key, names) for key, a in answers.items() if a.get("answer") == "yes"],
        "not_known": [_phrase(key, names) for key, a in answers.items() if a.get("answer") == "not_known"],
    }
    if status == "signed_off":
        payload["signed_off_by"] = actor.name
    roles = {"mother": "mother", "father": "father", "partner": "partner"}
    people = [(p["person_id"], roles[p["slot"]]) for p in view.current.people]
    raw = {
        "source_agency": view.assessment.agency,
        "source_ref": f"LANTERN-PBA-{view.assessment.id}-v{view.assessment.version + 1}",
        "type": "csc.prebirth_assessment",
        "occurred_at": clock.now().astimezone(UTC).isoformat(),
        "subjects": [{"person": subject_of(_person(db, person_id)), "role": role} for person_id, role in people],
        "summary": f"Pre-birth assessment {status.replace('_', ' ')} in Lantern by {actor.name}.",
        "payload": payload,
    }
    return events_flows.record_known(db=db, raw=raw, person_ids=[p for p, _ in people], actor=actor)


def _phrase(key: str, names: dict[str, str]) -> str:
    slot, _ = key.split(".", 1)
    who = "the baby" if slot == "baby" else names[slot]
    return f"{who}: {rules.label_of(key).split(',')[0].split('(')[0].strip().lower()}"


def _raise_not_known_duties(db: Session, actor: Actor, view: View, event_id: str) -> list[str]:
    """One duty per "not known" answer to the action's owner, due at the end of its due day; escalated
    to the assessment team manager a working day later."""
    people = {p["slot"]: p for p in view.current.people}
    raised = []
    for key, answer in view.current.answers.items():
        if answer.get("answer") != "not_known":
            continue
        action, slot = answer["action"], key.split(".", 1)[0]
        due = datetime.combine(date.fromisoformat(action["due_on"]), time(17), LONDON).astimezone(UTC)
        about = people.get(slot, people["mother"])
        rule_code = f"{NOT_KNOWN_DUTY}:{key}"[:60]
        if any(
            d.content.get("assessment_id") == view.assessment.id
            for d in duties_service.open_duties_about(db=db, person_id=about["person_id"], rule_code=rule_code)
        ):
            continue  # resubmitted after a return: the action is already owed
        duty = duties_service.DirectDuty(
            rule_code=rule_code,
            title=f"Pre-birth assessment: find out {_phrase(key, {s: p['name'] for s, p in people.items()})}",
            event_id=event_id,
            person_id=about["person_id"],
            from_agency=view.assessment.agency,
            recipient_agency=action["owner_agency"],
            recipient_team=action["owner"],
            content={
                "assessment_id": view.assessment.id,
                "question": rules.label_of(key),
                "action": action["description"],
                "why_not_known": answer.get("reason"),
            },  # fmt: skip
            reason=f"Answered 'not known' in the pre-birth assessment because: {answer.get('reason')}. "
            f"Action: {action['description']}",
            due_at=due,
            escalate_at=workdays.end_of_working_days(due, 1),
            escalate_to="Assessment team manager",
        )
        raised.append(duties_service.raise_duty(db=db, duty=duty))
    return raised


def _action_start_duties(db: Session, actor: Actor, mother_id: str) -> None:
    for duty in duties_service.open_duties_about(db=db, person_id=mother_id, rule_code=START_DUTY):
        if duty.recipient_agency == actor.agency:
            duties_service.record_action(
                db=db, duty_id=duty.id, actor=actor, note="Pre-birth assessment started in Lantern"
            )


def _person(db: Session, person_id: str) -> Any:
    return people_service.require(db=db, person_id=person_id)


def _name(person: Any) -> str:
    return display_name(person.given_name, person.family_name)


def _today() -> date:
    return clock.now().astimezone(LONDON).date()


def _audit(db: Session, actor: Actor, action: str, assessment: PrebirthAssessment, detail: dict[str, Any]) -> None:
    """Audited against the mother's record, as every read or change of her assessment."""
    detail = {"view": "prebirth", "assessment_id": assessment.id, **detail}
    audit.record(db=db, actor=actor, action=action, object_type="person", object_id=assessment.mother_id, detail=detail)
