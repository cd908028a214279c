"""What the chronology keeps: the plain-English text of each record, significance set by
practitioners, and the glossary terms an administrator added."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lantern.db.base import Base
from lantern.db.types import JSONType, UTCDateTime


class EntryText(Base):
    """The plain-English rendering of one record, kept so a 10,000-entry chronology is not
    rewritten on every read. `version` fingerprints the glossary, significance rules and
    writer that made it; a different fingerprint means it is written again."""

    __tablename__ = "chronology_text"

    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), primary_key=True)
    version: Mapped[str] = mapped_column(String(16))
    plain: Mapped[str] = mapped_column(Text)
    significance: Mapped[str] = mapped_column(String(12))
    significance_reason: Mapped[str] = mapped_column(String(300))
    unexplained: Mapped[list[Any]] = mapped_column(JSONType)


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
