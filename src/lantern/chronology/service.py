"""The merged chronology: every record about a set of people, in time order, in plain English,
with who recorded it, when, and with whom it was shared.

Plain text is written once per record and glossary version and kept (`chronology_text`), so a
read of thousands of entries is one indexed query plus a look-up of the duties that passed each
record on. Entries are plain dicts: they go straight to JSON or to a template.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from lantern.access.vocabulary import AGENCIES
from lantern.audit.service import Actor
from lantern.chronology import glossary as glossary_module
from lantern.chronology import rules, writer
from lantern.chronology.glossary import Glossary
from lantern.chronology.models import EntryText, GlossaryTerm, SignificanceSet
from lantern.common import clock
from lantern.common.errors import InvalidInput, NotFound
from lantern.db.portable import insert_ignoring_conflicts, session_bindings
from lantern.duties.models import Duty
from lantern.events.models import Event, EventSubject
from lantern.events.vocabulary import EVENT_TYPES
from lantern.family.service import display_name

WRITER_VERSION = "1"
CHUNK = 500
_Query = TypeVar("_Query", bound="Select[*tuple[Any, ...]]")
TEXT_COLUMNS = ("event_id", "version", "plain", "significance", "significance_reason", "unexplained")


@dataclass(frozen=True)
class Filters:
    """What to show: agencies, types, one person, a date range, a minimum significance."""

    agencies: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    person_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    minimum: str = "routine"
    asked: dict[str, Any] = field(default_factory=dict)


def current_glossary(db: Session) -> Glossary:
    """The shipped glossary with the administrator's terms on top."""
    extra = tuple(sorted((term, plain) for term, plain in db.execute(select(GlossaryTerm.term, GlossaryTerm.plain))))
    return _glossary(extra)


@lru_cache(maxsize=8)
def _glossary(extra: tuple[tuple[str, str], ...]) -> Glossary:
    return glossary_module.build(dict(extra))


def version_of(glossary: Glossary) -> str:
    """Fingerprint of everything the cached text depends on."""
    return f"{glossary.version}{rules.significance_rules()[1][:3]}{WRITER_VERSION}"


def entries(*, db: Session, person_ids: Sequence[str], filters: Filters, glossary: Glossary) -> list[dict[str, Any]]:
    """Every record naming any of the people, oldest first, filtered, in plain English."""
    scope = [filters.person_id] if filters.person_id else list(person_ids)
    about = select(EventSubject.event_id).where(EventSubject.person_id.in_(scope))
    rows = list(db.execute(_entry_query(about, filters)))
    version = version_of(glossary)
    stale = [row.id for row in rows if row.version != version]
    written = _write_texts(db, stale, glossary, version) if stale else {}
    shared = _shared(db, about, filters)
    people = _people(db, about, filters)
    found = []
    for row in rows:
        text = written.get(row.id)
        entry = _entry(row, text, shared.get(row.id, []), people.get(row.id, []))
        if rules.at_least(entry["significance"], filters.minimum):
            found.append(entry)
    return found


def _entry_query(about: Select[Any], filters: Filters) -> Select[*tuple[Any, ...]]:
    stmt = (
        select(
            Event.id,
            Event.source_agency,
            Event.source_ref,
            Event.type,
            Event.occurred_at,
            Event.recorded_at,
            Event.received_at,
            Event.received_by,
            Event.summary,
            EntryText.version,
            EntryText.plain,
            EntryText.significance,
            EntryText.significance_reason,
            EntryText.unexplained,
            SignificanceSet.level,
            SignificanceSet.reason,
            SignificanceSet.set_by,
        )
        .outerjoin(EntryText, EntryText.event_id == Event.id)
        .outerjoin(SignificanceSet, SignificanceSet.event_id == Event.id)
        .where(Event.id.in_(about))
        .order_by(Event.occurred_at, Event.id)
    )
    return _filtered(stmt, filters)


def _filtered(stmt: _Query, filters: Filters) -> _Query:
    if filters.agencies:
        stmt = stmt.where(Event.source_agency.in_(filters.agencies))
    if filters.types:
        stmt = stmt.where(Event.type.in_(filters.types))
    if filters.since:
        stmt = stmt.where(Event.occurred_at >= filters.since)
    if filters.until:
        stmt = stmt.where(Event.occurred_at <= filters.until)
    return stmt


def _entry(
    row: Any, text: tuple[str, str, str, list[str]] | None, shared: list[dict[str, Any]], people: list[dict[str, str]]
) -> dict[str, Any]:
    plain, level, reason, unexplained = text or (row.plain, row.significance, row.significance_reason, row.unexplained)
    return {
        "event_id": row.id,
        "occurred_at": row.occurred_at,
        "recorded_at": row.recorded_at,
        "received_at": row.received_at,
        "source_agency": row.source_agency,
        "source_agency_label": AGENCIES.get(row.source_agency, row.source_agency),
        "source_ref": row.source_ref,
        "type": row.type,
        "type_label": EVENT_TYPES[row.type].label,
        "recorded_by": row.received_by,
        "plain": plain,
        "original": row.summary,
        "significance": row.level or level,
        "significance_reason": row.reason or reason,
        "significance_set_by": row.set_by or "rules",
        "unexplained": unexplained,
        "shared": shared,
        "people": people,
    }


def _write_texts(
    db: Session, event_ids: list[str], glossary: Glossary, version: str
) -> dict[str, tuple[str, str, str, list[str]]]:
    """Write the plain text of records that have none for this version, and keep it."""
    written: dict[str, tuple[str, str, str, list[str]]] = {}
    for start in range(0, len(event_ids), CHUNK):
        chunk = event_ids[start : start + CHUNK]
        subjects = _subject_names(db, chunk)
        stmt = select(Event.id, Event.type, Event.payload, Event.location, Event.summary, Event.source_agency)
        for event_id, event_type, payload, location, summary, agency in db.execute(stmt.where(Event.id.in_(chunk))):
            written[event_id] = plain_text(
                glossary, event_type, payload, location, summary, agency, subjects.get(event_id, [])
            )
        db.execute(delete(EntryText).where(EntryText.event_id.in_(chunk)))
    bind = session_bindings(db)
    rows = [
        (event_id, version, plain, level, reason, bind.json(unexplained))
        for event_id, (plain, level, reason, unexplained) in written.items()
    ]
    insert_ignoring_conflicts(db, EntryText.__table__, TEXT_COLUMNS, rows, ["event_id"])
    return written


def plain_text(
    glossary: Glossary,
    event_type: str,
    payload: dict[str, Any],
    location: dict[str, Any] | None,
    summary: str,
    agency: str,
    people: list[tuple[str, str, list[str]]],
) -> tuple[str, str, str, list[str]]:
    """(plain text, significance, reason, unexplained tokens) of one record."""
    record = writer.Record(event_type, payload, location, [(role, name) for role, name, _ in people])
    names = [word for _, _, words in people for word in words]
    said = glossary.expand(summary, names)
    text = f"{glossary.expand(writer.sentence(record), names)} {AGENCIES.get(agency, agency)} noted: {said}"
    level, reason = rules.significance(event_type, payload)
    return text, level, reason, glossary.unexplained(text)


def _subject_names(db: Session, event_ids: list[str]) -> dict[str, list[tuple[str, str, list[str]]]]:
    """(role, display name, name words) of each subject as the agency named them."""
    grouped: dict[str, list[tuple[str, str, list[str]]]] = {}
    stmt = (
        select(EventSubject.event_id, EventSubject.role, EventSubject.record)
        .where(EventSubject.event_id.in_(event_ids))
        .order_by(EventSubject.position)
    )
    for event_id, role, record in db.execute(stmt):
        given, family, other = record.get("given_name"), record.get("family_name"), record.get("other_names")
        words = " ".join(w for w in (given, family, other) if w).replace("-", " ").split()
        words += [w for w in (given, family) if w]
        grouped.setdefault(event_id, []).append((role, display_name(given, family), words))
    return grouped


def _shared(db: Session, about: Select[Any], filters: Filters) -> dict[str, list[dict[str, Any]]]:
    """With whom each record was passed on (its duties), when, and whether they acknowledged it."""
    stmt = _filtered(
        select(
            Duty.event_id,
            Duty.recipient_agency,
            Duty.recipient_team,
            Duty.delivered_at,
            Duty.acknowledged_at,
            Duty.status,
            Duty.title,
        )
        .join(Event, Event.id == Duty.event_id)
        .where(Duty.event_id.in_(about)),
        filters,
    )
    grouped: dict[str, list[dict[str, Any]]] = {}
    for event_id, agency, team, delivered, acknowledged, status, title in db.execute(stmt):
        grouped.setdefault(event_id, []).append(
            {
                "with_agency": agency,
                "with_agency_label": AGENCIES.get(agency, agency),
                "team": team,
                "shared_at": delivered,
                "acknowledged_at": acknowledged,
                "status": status,
                "duty": title,
            }
        )
    return grouped


def _people(db: Session, about: Select[Any], filters: Filters) -> dict[str, list[dict[str, str]]]:
    stmt = _filtered(
        select(EventSubject.event_id, EventSubject.person_id, EventSubject.role)
        .join(Event, Event.id == EventSubject.event_id)
        .where(EventSubject.event_id.in_(about)),
        filters,
    )
    grouped: dict[str, list[dict[str, str]]] = {}
    for event_id, person_id, role in db.execute(stmt):
        grouped.setdefault(event_id, []).append({"person_id": person_id, "role": role})
    return grouped


def set_significance(*, db: Session, event_id: str, level: str, reason: str, actor: Actor) -> SignificanceSet:
    """A practitioner's judgement of a record's significance, with the reason (overrides the rules)."""
    if level not in rules.LEVELS:
        raise InvalidInput([{"loc": ["level"], "msg": f"one of {', '.join(rules.LEVELS)}"}])
    if not reason.strip():
        raise InvalidInput([{"loc": ["reason"], "msg": "say why"}])
    if db.get(Event, event_id) is None:
        raise NotFound(f"no record {event_id}")
    row = db.get(SignificanceSet, event_id) or SignificanceSet(event_id=event_id)
    row.level, row.reason, row.set_by, row.set_agency, row.set_at = (
        level,
        reason.strip(),
        actor.name,
        actor.agency,
        clock.now(),
    )
    db.add(row)
    db.flush()
    return row


def save_term(*, db: Session, term: str, plain: str, actor: Actor) -> None:
    """Add or change a glossary term (an empty meaning removes the administrator's entry)."""
    term, plain = term.strip(), plain.strip()
    if not term or len(term) > 60 or len(plain) > 300:
        raise InvalidInput([{"loc": ["term"], "msg": "a term of 1-60 characters and a meaning of up to 300"}])
    row = db.get(GlossaryTerm, term)
    if not plain:
        if row is not None:
            db.delete(row)
    else:
        row = row or GlossaryTerm(term=term)
        row.plain, row.updated_by, row.updated_at = plain, actor.name, clock.now()
        db.add(row)
    db.flush()


def admin_terms(*, db: Session) -> list[GlossaryTerm]:
    """Terms an administrator added or changed."""
    return list(db.execute(select(GlossaryTerm).order_by(GlossaryTerm.term)).scalars())
