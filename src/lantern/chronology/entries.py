"""Chronology entries: each record's entry is written once, in plain English, as the JSON the API
returns, and kept (`chronology_text`) with what a read sorts and filters by (when it happened, its
type and agency, its significance), whom it names and with whom it was shared, under a random stamp.
A read lists those keys for every record naming anyone in scope, sorts, filters and decides what the
reader may see in Python, then takes the entries shown from this process's cache where it holds them
under the stamp listed, and from the database where not (`chronology.cache`). A merge or unmerge of
two people drops the kept entries of the records it moved (`forget`); a duty raised, changed or
removed drops its record's kept entry (the database's triggers on `duty`, migration 0017), so with
whom a record was shared is never older than its duties.

Reading 10,000 entries again is then one query of short rows, with no per-entry work beyond a tuple
and joining text (docs/decisions.md, ADR 48, 51 and 52).
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any, NamedTuple, cast

import orjson
from sqlalchemy import Select, case, delete, func, select
from sqlalchemy.orm import Session

from lantern.access.records import Decision, Viewer
from lantern.access.visibility import notice_text
from lantern.access.vocabulary import AGENCIES
from lantern.chronology import rules, writer
from lantern.chronology.cache import ROW_BYTES, STAMP_SPLIT, EntryCache, Fingerprint, ListingCache, fingerprint
from lantern.chronology.glossary import Glossary
from lantern.chronology.models import EntryText, SignificanceSet
from lantern.db.engine import writing
from lantern.db.portable import (
    among,
    as_utf8,
    driver_rows,
    insert_ignoring_conflicts,
    json_object,
    json_time,
    session_bindings,
)
from lantern.duties.models import Duty
from lantern.events.models import Event, EventSubject
from lantern.events.vocabulary import EVENT_TYPES
from lantern.family.service import display_name

CHUNK = 500
TIMES = ("occurred_at", "recorded_at", "received_at")
SHARED_TIMES = ("shared_at", "acknowledged_at")
KEPT_COLUMNS = (
    "event_id", "occurred_at", "type", "source_agency", "version", "significance", "unexplained", "entry", "stamp",
)  # fmt: skip
CACHE, LISTINGS = EntryCache(), ListingCache()  # sized at start-up: `size_caches`


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


def size_caches(megabytes: int) -> None:
    """Bound what this process holds of entries and listings (`LANTERN_CHRONOLOGY_CACHE_MB`; 0: nothing)."""
    CACHE.limit = megabytes * 2**20
    LISTINGS.limit = megabytes * 2**20 // ROW_BYTES


def entry_dict(entry: bytes) -> dict[str, Any]:
    """An entry's JSON as a page or an export uses it, with times as datetimes."""
    kept: dict[str, Any] = orjson.loads(entry)
    for key in TIMES:
        kept[key] = datetime.fromisoformat(kept[key])
    for item in kept["shared"]:
        for key in SHARED_TIMES:
            item[key] = datetime.fromisoformat(item[key]) if item[key] else None
    return kept


def _with_shared(entry: str, shared: bytes | None) -> str:
    """A composed entry (which ends `"shared":[]}`) with the duties that passed it on."""
    return f"{entry[:-3]}{shared.decode()}}}" if shared else entry


@dataclass(frozen=True)
class Listing:
    """How many entries match, the jargon the lint found in them, those shown (one page, or all: each as
    the API's JSON), and how many records of each agency exist that the reader may not read (whatever the
    filters)."""

    count: int
    unexplained: list[str]
    shown: list[bytes]
    withheld: dict[str, int] = field(default_factory=dict)


def listing(
    *, db: Session, scope: Sequence[str], filters: Filters, glossary: Glossary, version: str, window: slice | None
) -> Listing:
    """Every record naming anyone in `scope`, filtered, oldest first; entries written where missing
    or made with another glossary, rules or writer; `window` picks the entries shown (None: all)."""
    rows = _listed(db, scope, glossary, version)
    chosen, notices, withheld = _choose(db, rows, filters)
    words = {row[_WORDS] for row in chosen if row[_ID] not in notices} if notices else set(map(_WORDS_OF, chosen))
    unexplained = sorted({token for text in words if text for token in text.split("\n")})
    shown = chosen if window is None else chosen[window]
    texts = _entries_of(db, shown, glossary, version)
    if notices:
        texts = [_notice(text) if row[_ID] in notices else text for row, text in zip(shown, texts, strict=True)]
    return Listing(len(chosen), unexplained, texts, withheld)


def _listed(db: Session, scope: Sequence[str], glossary: Glossary, version: str) -> list[tuple[Any, ...]]:
    """The kept rows of every record in scope, oldest first, each written first where missing or made with
    another glossary, rules or writer: the rows this process listed last time for the scope when the database
    gives the same fingerprint for them now, else read (and held for next time)."""
    key = tuple(sorted(scope))
    held = LISTINGS.get(key, version)
    if held is not None and held[0] == _fingerprint_now(db, scope):
        return held[1]
    rows = _kept_rows(db, scope)
    stale = [row[_ID] for row in rows if row[_VERSION] != version]
    if stale:
        write(db, stale, glossary, version)
        rows = _kept_rows(db, scope)
    dropped = [row[_ID] for row in rows if row[_VERSION] is None]  # by a merge elsewhere since they were written
    if dropped:
        write(db, dropped, glossary, version)
        rows = _kept_rows(db, scope)
    rows.sort(key=itemgetter(_ID))  # by time, then id: two stable sorts of one key are faster than one of two
    rows.sort(key=itemgetter(_WHEN))
    if all(row[_VERSION] == version for row in rows):  # none dropped or written by another version meanwhile
        LISTINGS.put(key, version, fingerprint(list(map(_STAMP_OF, rows))), rows)
    return rows


def _fingerprint_now(db: Session, scope: Sequence[str]) -> Fingerprint:
    """The fingerprint of the rows `_kept_rows` would read now (`chronology.cache.fingerprint`), one row."""
    about = _about(scope).subquery()
    stamp = EntryText.stamp
    stmt = (
        select(
            func.count(),
            func.count(stamp),
            func.coalesce(func.sum(stamp % STAMP_SPLIT), 0),
            func.coalesce(func.sum(stamp // STAMP_SPLIT), 0),
        )
        .select_from(about)
        .outerjoin(EntryText, EntryText.event_id == about.c.event_id)
    )
    listed, kept, low, high = db.execute(stmt).one()
    return int(listed), int(kept), int(low), int(high)


def _choose(
    db: Session, rows: list[tuple[Any, ...]], filters: Filters
) -> tuple[list[tuple[Any, ...]], set[str], dict[str, int]]:
    """The rows the reader may see that pass the filters, which of them only as a notice, and how many of
    each agency's the reader may not read at all (counted whatever the filters)."""
    decided, wanted = _Decisions(filters.reader), _wanted(db, filters)
    if wanted is None and all(decided[kind] == "full" for kind in set(map(_KIND_OF, rows))):
        return rows, set(), {}  # the reader reads every record in full, unfiltered: most reads
    withheld: Counter[str] = Counter()
    chosen: list[tuple[Any, ...]] = []
    notices: set[str] = set()
    for row in rows:
        decision = decided[row[_TYPE], row[_AGENCY]]
        if decision == "withheld":
            withheld[row[_AGENCY]] += 1
        elif wanted is None or wanted(row):
            chosen.append(row)
            if decision == "notice":
                notices.add(row[_ID])
    return chosen, notices, dict(withheld)


def _entries_of(db: Session, rows: list[tuple[Any, ...]], glossary: Glossary, version: str) -> list[bytes]:
    """The kept entries of these listed rows, in their order: from this process's cache where it holds an
    entry under the stamp listed, else from the database; any dropped since the listing was read (a merge
    elsewhere, a duty changed) written again."""
    texts = CACHE.take(list(map(_STAMP_OF, rows)))
    if None not in texts:
        return cast(list[bytes], texts)
    missing = [row[_ID] for row, text in zip(rows, texts, strict=True) if text is None]
    kept = _read_entries(db, missing)
    dropped = [event_id for event_id in missing if event_id not in kept]
    if dropped:
        write(db, dropped, glossary, version)
        kept.update(_read_entries(db, dropped))
    return [kept[row[_ID]] if text is None else text for row, text in zip(rows, texts, strict=True)]


def _read_entries(db: Session, event_ids: list[str]) -> dict[str, bytes]:
    """Kept entries read from the database, and held by the cache under the stamps read with them."""
    columns = (EntryText.event_id, EntryText.stamp, as_utf8(db, EntryText.entry))
    read = driver_rows(db, select(*columns).where(among(db, EntryText.event_id, event_ids)))
    CACHE.put((stamp, entry) for _, stamp, entry in read)
    return {event_id: entry for event_id, _, entry in read}


def _about(scope: Sequence[str]) -> Select[Any]:
    """The records naming anyone in scope, each once."""
    return select(EventSubject.event_id).where(EventSubject.person_id.in_(scope)).distinct()


# The columns of a kept row, read by position (the fastest way to a column of 10,000 rows).
_ID, _WHEN, _TYPE, _AGENCY, _VERSION, _LEVEL, _WORDS, _STAMP = range(8)
_KIND_OF, _WORDS_OF, _STAMP_OF = itemgetter(_TYPE, _AGENCY), itemgetter(_WORDS), itemgetter(_STAMP)


def _kept_rows(db: Session, scope: Sequence[str]) -> list[tuple[Any, ...]]:
    """Each record in scope with what was kept of it but the entry itself (nothing, for a record not yet
    written). Times come as stored: they are only sorted and compared."""
    about = _about(scope).subquery()
    columns = [
        about.c.event_id, EntryText.occurred_at, EntryText.type, EntryText.source_agency,
        EntryText.version, EntryText.significance, EntryText.unexplained, EntryText.stamp,
    ]  # fmt: skip
    stmt = select(*columns).select_from(about).outerjoin(EntryText, EntryText.event_id == about.c.event_id)
    return driver_rows(db, stmt)


class _Decisions(dict[tuple[str, str], Decision]):
    """How the reader reads a record of each (type, agency), decided the first time the pair is met."""

    def __init__(self, reader: Viewer | None) -> None:
        super().__init__()
        self.reader = reader

    def __missing__(self, key: tuple[str, str]) -> Decision:
        decision: Decision = self.reader.decide(*key) if self.reader else "full"
        self[key] = decision
        return decision


def _wanted(db: Session, filters: Filters) -> Callable[[tuple[Any, ...]], bool] | None:
    """Whether a kept entry passes the filters (times compared as stored); None: nothing is filtered out."""
    if not (filters.agencies or filters.types or filters.since or filters.until or filters.minimum != "routine"):
        return None
    stored = session_bindings(db).time
    since = stored(filters.since) if filters.since else None
    until = stored(filters.until) if filters.until else None
    levels = set(rules.LEVELS[: rules.LEVELS.index(filters.minimum) + 1])

    def wanted(row: tuple[Any, ...]) -> bool:
        return (
            (not filters.agencies or row[_AGENCY] in filters.agencies)
            and (not filters.types or row[_TYPE] in filters.types)
            and (since is None or row[_WHEN] >= since)
            and (until is None or row[_WHEN] <= until)
            and row[_LEVEL] in levels
        )

    return wanted


def _notice(entry: bytes) -> bytes:
    """A record the reader sees only as a notice: that it exists, when, and whom to ask (no narrative)."""
    kept = orjson.loads(entry)
    occurred = datetime.fromisoformat(kept["occurred_at"])
    plain = notice_text(kept["type"], kept["source_agency"], occurred, kept["type_label"])
    notice = {"plain": plain, "original": "", "unexplained": [], "notice": True, "shared": kept.pop("shared")}
    return orjson.dumps(kept | notice)  # "shared" stays last


def _shared(db: Session, event_ids: list[str]) -> dict[str, bytes]:
    """With whom each record was passed on (its duties), when, and whether they acknowledged it: per
    record, the JSON array an entry's "shared" holds, its objects built by the database."""
    agency_label = case(AGENCIES, value=Duty.recipient_agency, else_=Duty.recipient_agency)
    duty = json_object(
        db,
        {
            "with_agency": Duty.recipient_agency,
            "with_agency_label": agency_label,
            "team": Duty.recipient_team,
            "shared_at": json_time(db, Duty.delivered_at),
            "acknowledged_at": json_time(db, Duty.acknowledged_at),
            "status": Duty.status,
            "duty": Duty.title,
        },
    )
    grouped: dict[str, list[bytes]] = {}
    stmt = select(Duty.event_id, duty).where(among(db, Duty.event_id, event_ids)).order_by(Duty.created_at, Duty.id)
    for event_id, shared in driver_rows(db, stmt):
        grouped.setdefault(event_id, []).append(shared)
    return {event_id: b"[" + b",".join(duties) + b"]" for event_id, duties in grouped.items()}


def write(db: Session, event_ids: list[str], glossary: Glossary, version: str) -> None:
    """Write and keep the entries of these records (replacing any made with another version): composed while
    reading, then kept in a short write (`writing`), so a page that only reads holds the write lock briefly."""
    rows = compose(db, event_ids, glossary, version)
    with writing(db):
        keep(db, rows)


def compose(db: Session, event_ids: list[str], glossary: Glossary, version: str) -> list[tuple[Any, ...]]:
    """The kept rows of these records, written from the records (reads only)."""
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(event_ids), CHUNK):
        chunk = event_ids[start : start + CHUNK]
        subjects, judged = _subjects(db, chunk), _judgements(db, chunk)
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


def keep(db: Session, rows: list[tuple[Any, ...]]) -> None:
    """Keep composed rows, replacing what was kept of the same records (another reader may have kept them too),
    each with whom it was shared as its duties stand now: read here, in the write, since a duty that changed
    after the rows were composed dropped only what was kept then."""
    event_ids = [row[0] for row in rows]
    forget(db, event_ids)
    shared, bind = _shared(db, event_ids), session_bindings(db)
    stored = [
        (row[0], bind.time(row[1]), *row[2:-1], _with_shared(row[-1], shared.get(row[0])), secrets.randbits(62))
        for row in rows
    ]
    insert_ignoring_conflicts(db, EntryText.__table__, KEPT_COLUMNS, stored, ["event_id"])


def forget(db: Session, event_ids: Iterable[str]) -> None:
    """Drop these records' kept entries, so that the next read writes them again."""
    ids = sorted(set(event_ids))
    for start in range(0, len(ids), CHUNK):
        db.execute(delete(EntryText).where(EntryText.event_id.in_(ids[start : start + CHUNK])))


class _Subject(NamedTuple):
    person_id: str
    role: str
    name: str  # as the agency named them
    words: list[str]  # the words of their names, which the glossary must not expand


def _kept(
    row: Any, glossary: Glossary, version: str, subjects: list[_Subject], judged: tuple[str, str, str] | None
) -> tuple[Any, ...]:
    """The row kept for a record: its entry's JSON with significance (a practitioner's judgement
    over the rules') and whom it names, the jargon the lint found, and what a read sorts and filters by."""
    plain, level, reason, unexplained = plain_text(
        glossary, row.type, row.payload, row.location, row.summary, row.source_agency, subjects
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
        "people": [{"person_id": s.person_id, "role": s.role} for s in subjects],
        "shared": [],  # last: `keep` puts the duties that passed it on here
    }
    entry_json = orjson.dumps(entry).decode()
    return row.id, row.occurred_at, row.type, row.source_agency, version, level, "\n".join(unexplained), entry_json


def plain_text(
    glossary: Glossary,
    event_type: str,
    payload: dict[str, Any],
    location: dict[str, Any] | None,
    summary: str,
    agency: str,
    people: list[_Subject],
) -> tuple[str, str, str, list[str]]:
    """(plain text, significance, reason, unexplained tokens) of one record."""
    record = writer.Record(event_type, payload, location, [(p.role, p.name) for p in people])
    names = [word for p in people for word in p.words]
    said = glossary.expand(summary, names)
    text = f"{glossary.expand(writer.sentence(record), names)} {AGENCIES.get(agency, agency)} noted: {said}"
    level, reason = rules.significance(event_type, payload)
    return text, level, reason, glossary.unexplained(text)


def _subjects(db: Session, event_ids: list[str]) -> dict[str, list[_Subject]]:
    """Whom each record names, in which role, and as the agency named them."""
    grouped: dict[str, list[_Subject]] = {}
    stmt = (
        select(EventSubject.event_id, EventSubject.person_id, EventSubject.role, EventSubject.record)
        .where(EventSubject.event_id.in_(event_ids))
        .order_by(EventSubject.position)
    )
    for event_id, person_id, role, record in db.execute(stmt):
        given, family, other = record.get("given_name"), record.get("family_name"), record.get("other_names")
        words = " ".join(w for w in (given, family, other) if w).replace("-", " ").split()
        words += [w for w in (given, family) if w]
        grouped.setdefault(event_id, []).append(_Subject(person_id, role, display_name(given, family), words))
    return grouped


def _judgements(db: Session, event_ids: list[str]) -> dict[str, tuple[str, str, str]]:
    """Practitioners' significance judgements: (level, reason, who) per record."""
    stmt = select(SignificanceSet.event_id, SignificanceSet.level, SignificanceSet.reason, SignificanceSet.set_by)
    return {row[0]: (row[1], row[2], row[3]) for row in db.execute(stmt.where(SignificanceSet.event_id.in_(event_ids)))}
