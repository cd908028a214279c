"""Pre-birth assessments and every saved version of their answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lantern.db.base import Base
from lantern.db.types import BigId, JSONType, UTCDateTime


class PrebirthAssessment(Base):
    """One pre-birth assessment of an expected baby: who is assessed, where it stands, who signed it off.

    `mother_id` moves with identity merges (identity.merge.OWNED). The answers live in the versions.
    """

    __tablename__ = "prebirth_assessment"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    mother_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    expected_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))  # draft, submitted, signed_off
    version: Mapped[int]
    agency: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_off_by: Mapped[str | None] = mapped_column(String(100))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PrebirthVersion(Base):
    """A saved version: never changed once written. `people` is who was assessed in which slot
    (mother, father, partner), with their person id and name then; `answers` is keyed by slot and
    question ("father.convictions") or "baby.<question>"."""

    __tablename__ = "prebirth_version"
    __table_args__ = (UniqueConstraint("assessment_id", "number"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("prebirth_assessment.id"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(20))  # the assessment's status this version was saved with
    people: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)
    answers: Mapped[dict[str, Any]] = mapped_column(JSONType)
    saved_by: Mapped[str] = mapped_column(String(100))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text)
