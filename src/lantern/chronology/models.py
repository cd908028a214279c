"""What the chronology keeps: each record's entry in plain English, significance set by
practitioners, and the glossary terms an administrator added."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lantern.db.base import Base
from lantern.db.types import UTCDateTime


class EntryText(Base):
    """One record's chronology entry, kept so that a 10,000-entry chronology is read, not written,
    on every read: its JSON (with whom it was shared included: a change to one of the record's
    duties removes the entry, ADR 51), its significance, the jargon the lint found in it, and the
    record's time, type and agency that a read sorts and filters by. `version` fingerprints the
    glossary, significance rules and writer that made it; a different fingerprint means it is
    written again. A practitioner's significance judgement and whom the record names are part of
    it: setting a judgement, or a merge or unmerge moving the record's subjects, removes the entry,
    so that it is written again."""

    __tablename__ = "chronology_text"

    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    type: Mapped[str] = mapped_column(String(60))
    source_agency: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(16))
    significance: Mapped[str] = mapped_column(String(12))  # the practitioner's, else the rules'
    unexplained: Mapped[str] = mapped_column(Text)  # one token per line
    entry: Mapped[str] = mapped_column(Text)  # JSON, as the API returns it
    # Random, drawn each time the entry is kept; one entry's at a time (`chronology.cache` takes entries by it).
    stamp: Mapped[int] = mapped_column(BigInteger, index=True, unique=True)


class SignificanceSet(Base):
    """A practitioner's judgement of a record's significance, which overrides the rules."""

    __tablename__ = "chronology_significance"

    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), primary_key=True)
    level: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(100))
    set_agency: Mapped[str | None] = mapped_column(String(40))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GlossaryTerm(Base):
    """A term an administrator added to (or changed in) the shipped glossary."""

    __tablename__ = "glossary_term"

    term: Mapped[str] = mapped_column(String(60), primary_key=True)
    plain: Mapped[str] = mapped_column(String(300))
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
