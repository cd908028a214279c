"""Relationships recorded by hand (what practitioners know that no agency record says), and the
summary of who is named with whom in the records, kept as records arrive."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lantern.db.base import Base
from lantern.db.types import BigId, UTCDateTime


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


class LinkSummary(Base):
    """People named together in records: `person_id` in `role` with `other_id` in `other_role`, in
    `records` records of `event_type` between `first_at` and `last_at`.

    Written at ingestion, one row per pair for each batch of records (there is deliberately no
    unique key: a merge moves rows by id (identity/merge.py, OWNED) and an unmerge moves exactly
    those back, so readers sum rows per pair instead of relying on one row per pair).
    """

    __tablename__ = "family_link"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    other_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    other_role: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(60))
    first_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_at: Mapped[datetime] = mapped_column(UTCDateTime())
    records: Mapped[int]
