"""Writing and verifying the hash-chained audit log."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from lantern.audit.models import AuditEntry, AuditHead
from lantern.common import clock

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user or a named system process."""

    id: str | None
    name: str
    agency: str | None
    role: str


SYSTEM = Actor(id=None, name="system", agency=None, role="system")


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the entry's canonical JSON."""
    canonical = orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(prev_hash.encode() + canonical).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor": entry.actor,
        "agency": entry.agency,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "reason": entry.reason,
        "detail": entry.detail,
    }


def record(
    *,
    db: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str | None = None,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain, in the caller's transaction."""
    head = db.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS_HASH)
        db.add(head)
    entry = AuditEntry(
        seq=head.seq + 1,
        at=clock.now().replace(microsecond=0),
        actor_id=actor.id,
        actor=actor.name,
        agency=actor.agency,
        action=action,
        object_type=object_type,
        object_id=object_id,
        reason=reason,
        detail=detail or {},
        prev_hash=head.hash,
        hash="",
    )
    entry.hash = entry_hash(head.hash, _hashed_fields(entry))
    head.seq, head.hash = entry.seq, entry.hash
    db.add(entry)
    db.flush()
    return entry


def verify(*, db: Session) -> list[str]:
    """Walk the chain; return a description of every break (empty when intact)."""
    problems: list[str] = []
    expected_prev, expected_seq = GENESIS_HASH, 1
    for entry in _entries_in_order(db):
        if entry.seq != expected_seq:
            problems.append(f"entry {expected_seq} is missing or out of order (found {entry.seq})")
        if entry.prev_hash != expected_prev:
            problems.append(f"entry {entry.seq} does not follow the entry before it")
        if entry_hash(entry.prev_hash, _hashed_fields(entry)) != entry.hash:
            problems.append(f"entry {entry.seq} was changed after it was written")
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    head = db.get(AuditHead, 1)
    if head is not None and (head.seq != expected_seq - 1 or head.hash != expected_prev):
        problems.append("the last entries of the chain were removed")
    return problems


def _entries_in_order(db: Session) -> Iterator[AuditEntry]:
    yield from db.execute(select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=5000)).scalars()


def for_object(*, db: Session, object_type: str, object_id: str, limit: int = 100) -> list[AuditEntry]:
    """The latest entries about one record, newest first."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .order_by(AuditEntry.seq.desc())
        .limit(limit)
    )
    return list(db.execute(stmt).scalars())


def about(*, db: Session, objects: Mapping[str, Sequence[str]], limit: int = 500) -> list[AuditEntry]:
    """The latest entries about any of these records (object type -> ids), newest first (the access log)."""
    clauses = [
        and_(AuditEntry.object_type == kind, AuditEntry.object_id.in_(ids[start : start + _IN_CHUNK]))
        for kind, ids in objects.items()
        for start in range(0, len(ids), _IN_CHUNK)
    ]
    if not clauses:
        return []
    stmt = select(AuditEntry).where(or_(*clauses)).order_by(AuditEntry.seq.desc()).limit(limit)
    return list(db.execute(stmt).scalars())


_IN_CHUNK = 5000  # ids per IN list: SQLite's limit on bound parameters
