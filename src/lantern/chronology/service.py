"""The merged chronology: every record about a set of people, in time order, in plain English,
with who recorded it, when, and with whom it was shared (the entries themselves: `entries.py`);
practitioners' significance judgements and the administrator's glossary terms.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.audit.service import Actor
from lantern.chronology import entries, rules
from lantern.chronology import glossary as glossary_module
from lantern.chronology.entries import Filters
from lantern.chronology.glossary import Glossary
from lantern.chronology.models import GlossaryTerm, SignificanceSet
from lantern.common import clock
from lantern.common.errors import InvalidInput, NotFound
from lantern.events.models import Event

WRITER_VERSION = "4"


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


def listing(
    *, db: Session, person_ids: Sequence[str], filters: Filters, window: slice | None = None
) -> entries.Listing:
    """Every record naming any of the people (or the one person filtered on), oldest first, filtered,
    in plain English; `window` picks the entries shown, as a page does (None: all of them)."""
    glossary = current_glossary(db)
    scope = [filters.person_id] if filters.person_id else list(person_ids)
    return entries.listing(
        db=db, scope=scope, filters=filters, glossary=glossary, version=version_of(glossary), window=window
    )


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
    entries.forget(db, [event_id])  # its kept entry carries the rules' level: write it again
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
