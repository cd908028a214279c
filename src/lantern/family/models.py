"""Relationships recorded by hand: what practitioners know that no agency record says."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lantern.db.base import Base
from lantern.db.types import UTCDateTime


class Relationship(Base):
    """`person_id` is the `relation` of `related_person_id` (e.g. a grandparent of a child), from one
    date to another; derived relationships are not stored, they are read from the records."""

    __tablename__ = "family_relationship"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    related_person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    relation: Mapped[str] = mapped_column(String(30))
    from_on: Mapped[date | None] = mapped_column(Date)
    to_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_agency: Mapped[str | None] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
