"""Chronology entries: each record's entry is written once, in plain English, as the JSON the API
returns, and kept (`chronology_text`); a read lists the kept entries in time order and adds,
fresh from the records, who each one names and with whom it was shared, since both can change
after the entry was written (a merge of two people, a duty delivered or acknowledged).

Reading 10,000 entries is then one indexed query for the entries and two for the people and
duties, with no per-entry Python work beyond joining bytes (docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

import orjson
from sqlalchemy import Select, and_, delete, or_, select
from sqlalchemy.orm import Session, aliased

from lantern.access.records import Viewer, category_of
from lantern.access.visibility import notice_text
from lantern.access.vocabulary import AGENCIES
from lantern.chronology import rules, writer
from lantern.chronology.glossary import Glossary
from lantern.chronology.models import EntryText, SignificanceSet
from lantern.db.engine import writing
from lantern.db.json_rows import json_objects
from lantern.db.portable import insert_ignoring_conflicts
from lantern.duties.models import Duty
from lantern.events.models import Event, EventSubject
from lantern.events.vocabulary import EVENT_TYPES
from lantern.family.service import display_name

CHUNK = 500
TIMES = ("occurred_at", "recorded_at", "received_at")
SHARED_TIMES = ("shared_at", "acknowledged_at")
KEPT_COLUMNS = ("event_id", "version", "significance", "unexplained", "entry")
_Query = TypeVar("_Query", bound="Select[*tuple[Any, ...]]")


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
    reader: Viewer | None = None  # who reads: their records only, others' as the access matrix allows


class Shown(NamedTuple):
    """A kept entry (JSON) with the people it names (JSON, built by the database) and with whom it
    was shared, as read now."""

    entry: str
    people: str
    shared: list[dict[str, Any]]

    def as_json(self) -> bytes:
        """The entry as the API returns it: the kept JSON with the fresh parts joined on."""
        shared = orjson.dumps(self.shared) if self.shared else b"[]"
        return b"".join((self.entry[:-1].encode(), b',"people":', self.people.encode(), b',"shared":', shared, b"}"))

    def as_dict(self) -> dict[str, Any]:
        """The entry for a page or an export, with times as datetimes."""
        entry: dict[str, Any] = orjson.loads(self.entry)
        for key in TIMES:
            entry[key] = datetime.fromisoformat(entry[key])
        return entry | {"people": orjson.loads(self.people), "shared": self.shared}


@dataclass(frozen=True)
class Listing:
    """How many entries match, the jargon the lint found in them, and those shown (one page, or all)."""

    count: int
    unexplained: list[str]
    shown: list[Shown]


def listing(
    *, db: Session, scope: Sequence[str], filters: Filters, glossary: Glossary, version: str, window: slice | None
) -> Listing:
    """Every record naming anyone in `scope`, filtered, oldest first; entries written where missing
    or made with another glossary, rules or writer; `window` picks the entries shown (None: all)."""
    about = select(EventSubject.event_id).where(EventSubject.person_id.in_(scope))
    rows = list(db.execute(_listed(db, about, filters, full=window is None)))
    stale = [row.id for row in rows if row.version != version]
    if stale:
        write(db, stale, glossary, version)
        rows = list(db.execute(_listed(db, about, filters, full=window is None)))
    chosen = [row for row in rows if rules.at_least(row.significance, filters.minimum)]
    notices = {row.id for row in chosen if filters.reader and filters.reader.decide(row.type, row.agency) == "notice"}
    count = len(chosen)
    words = [row.unexplained for row in chosen if row.unexplained and row.id not in notices]
    unexplained = sorted({token for text in words for token in text.split("\n")})
    which: Select[Any] | list[str] = about
    if window is not None:
        which = [row.id for row in chosen[window]]
        kept = {row.id: row for row in db.execute(_kept_of(db, which))}
        chosen = [kept[event_id] for event_id in which]
    shared = _shared(db, which) if chosen else {}
    shown = [
        Shown(_notice(row.entry) if row.id in notices else row.entry, row.people, shared.get(row.id, []))
        for row in chosen
    ]
    return Listing(count, unexplained, shown)


def _notice(entry: str) -> str:
    """A record the reader sees only as a notice: that it exists, when, and whom to ask (no narrative)."""
    kept = orjson.loads(entry)
    occurred = datetime.fromisoformat(kept["occurred_at"])
    plain = notice_text(kept["type"], kept["source_agency"], occurred, kept["type_label"])
    return orjson.dumps(kept | {"plain": plain, "original": "", "unexplained": [], "notice": True}).decode()


def _people_json(db: Session, event_id: Any) -> Any:
    """Who a record names, in which role, as identity resolution places them now (JSON text)."""
    subject = aliased(EventSubject)
    fields = {"person_id": subject.person_id, "role": subject.role}
    # SQLite reads a record's subjects by ix_event_subject_event_id, in the order they were stored.
    people = json_objects(db, fields, subject.position)
    return select(people).where(subject.event_id == event_id).scalar_subquery()


def _listed(db: Session, about: Select[Any], filters: Filters, *, full: bool) -> Select[*tuple[Any, ...]]:
    columns = [
        Event.id, Event.type, Event.source_agency.label("agency"), EntryText.version, EntryText.significance,
        EntryText.unexplained,
    ]  # fmt: skip
    if full:
        columns += [EntryText.entry, _people_json(db, Event.id).label("people")]
    stmt: Select[*tuple[Any, ...]] = (
        select(*columns)
        .outerjoin(EntryText, EntryText.event_id == Event.id)
        .where(Event.id.in_(about))
        .order_by(Event.occurred_at, Event.id)
    )
    return _filtered(stmt, filters)


def _kept_of(db: Session, event_ids: list[str]) -> Select[*tuple[Any, ...]]:
    people = _people_json(db, EntryText.event_id).label("people")
    return select(EntryText.event_id.label("id"), EntryText.entry, people).where(EntryText.event_id.in_(event_ids))


def _filtered(stmt: _Query, filters: Filters) -> _Query:
    if filters.agencies:
        stmt = stmt.where(Event.source_agency.in_(filters.agencies))
    if filters.types:
        stmt = stmt.where(Event.type.in_(filters.types))
    if filters.since:
        stmt = stmt.where(Event.occurred_at >= filters.since)
    if filters.until:
        stmt = stmt.where(Event.occurred_at <= filters.until)
    if filters.reader:
        full, notice = filters.reader.readable_types(list(EVENT_TYPES))
        sealed = [t for t in EVENT_TYPES if category_of(t) == "sealed"]
        own = and_(Event.source_agency == filters.reader.agency, Event.type.not_in(sealed))
        stmt = stmt.where(or_(Event.type.in_(full | notice), own))
    return stmt


def _shared(db: Session, which: Select[Any] | list[str]) -> dict[str, list[dict[str, Any]]]:
    """With whom each record was passed on (its duties), when, and whether they acknowledged it."""
    stmt = select(
        Duty.event_id,
        Duty.recipient_agency,
        Duty.recipient_team,
        Duty.delivered_at,
        Duty.acknowledged_at,
        Duty.status,
        Duty.title,
    ).where(Duty.event_id.in_(which))
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


def write(db: Session, event_ids: list[str], glossary: Glossary, version: str) -> None:
    """Write and keep the entries of these records (replacing any made with another version): composed while
    reading, then kept in a short write (`writing`), so a page that only reads holds the write lock briefly."""
    rows = compose(db, event_ids, glossary, version)
    with writing(db):
        keep(db, rows)


def compose(db: Session, event_ids: list[str], glossary: Glossary, version: str) -> list[tuple[str, ...]]:
    """The kept rows of these records, written from the records (reads only)."""
    rows: list[tuple[str, ...]] = []
    for start in range(0, len(event_ids), CHUNK):
        chunk = event_ids[start : start + CHUNK]
        subjects, judged = _subject_names(db, chunk), _judgements(db, chunk)
        stmt = select(
            Event.id,
            Event.source_agency,
            Event.source_ref,
            Event.type,
            Event.occurred_at,
            Event.recorded_at,
            Event.received_at,
            Event.received_by,
            Event.summary,
            Event.payload,
            Event.location,
        ).where(Event.id.in_(chunk))
        rows += [
            _kept(row, glossary, version, subjects.get(row.id, []), judged.get(row.id)) for row in db.execute(stmt)
        ]
    return rows


def keep(db: Session, rows: list[tuple[str, ...]]) -> None:
    """Keep composed rows, replacing what was kept of the same records (another reader may have kept them too)."""
    for start in range(0, len(rows), CHUNK):
        db.execute(delete(EntryText).where(EntryText.event_id.in_([row[0] for row in rows[start : start + CHUNK]])))
    insert_ignoring_conflicts(db, EntryText.__table__, KEPT_COLUMNS, rows, ["event_id"])


def forget(db: Session, event_id: str) -> None:
    """Drop a record's kept entry, so that the next read writes it again."""
    db.execute(delete(EntryText).where(EntryText.event_id == event_id))


def _kept(
    row: Any,
    glossary: Glossary,
    version: str,
    people: list[tuple[str, str, list[str]]],
    judged: tuple[str, str, str] | None,
) -> tuple[str, str, str, str, str]:
    """The row kept for a record: its entry's JSON with significance (a practitioner's judgement
    over the rules'), and the jargon the lint found."""
    plain, level, reason, unexplained = plain_text(
        glossary, row.type, row.payload, row.location, row.summary, row.source_agency, people
    )
    level, reason, set_by = judged or (level, reason, "rules")
    entry = {
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
        "significance": level,
        "significance_reason": reason,
        "significance_set_by": set_by,
        "unexplained": unexplained,
    }
    return row.id, version, level, "\n".join(unexplained), orjson.dumps(entry).decode()


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


def _judgements(db: Session, event_ids: list[str]) -> dict[str, tuple[str, str, str]]:
    """Practitioners' significance judgements: (level, reason, who) per record."""
    stmt = select(SignificanceSet.event_id, SignificanceSet.level, SignificanceSet.reason, SignificanceSet.set_by)
    return {row[0]: (row[1], row[2], row[3]) for row in db.execute(stmt.where(SignificanceSet.event_id.in_(event_ids)))}
