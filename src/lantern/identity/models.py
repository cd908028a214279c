"""Identity resolution's records: how each agency knew a person, decisions, merges and models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lantern.db.base import Base
from lantern.db.types import BigId, JSONType, UTCDateTime


class PersonRecord(Base):
    """One agency's distinct rendering of a person, as prepared features for matching.

    A person is the cluster of their records; `linked_by` and `evidence` say why each record
    belongs (a strong identifier, the model's score, or a reviewer's decision).
    """

    __tablename__ = "person_record"
    __table_args__ = (
        UniqueConstraint("person_id", "fingerprint"),
        Index("ix_person_record_dob_family", "dob", "family_key"),
        Index("ix_person_record_dob_given", "dob", "given_key"),
        Index("ix_person_record_names", "family_key", "given_key"),
        Index("ix_person_record_postcode_given", "postcode", "given_key"),
        Index("ix_person_record_postcode_dob", "postcode", "dob"),
        Index("ix_person_record_nhs", "nhs_number"),
        Index("ix_person_record_identifier", "identifier"),
        Index("ix_person_record_phone", "phone"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(32))
    source_agency: Mapped[str] = mapped_column(String(40))
    given_name: Mapped[str | None] = mapped_column(String(100))
    given_forms: Mapped[str | None] = mapped_column(String(400))  # the name and what it may be short for
    given_key: Mapped[str | None] = mapped_column(String(40))
    family_name: Mapped[str | None] = mapped_column(String(100))
    family_parts: Mapped[str | None] = mapped_column(String(200))  # the parts of a double name
    family_key: Mapped[str | None] = mapped_column(String(40))
    dob: Mapped[str | None] = mapped_column(String(10))
    sex: Mapped[str | None] = mapped_column(String(1))
    postcode: Mapped[str | None] = mapped_column(String(10))
    address_line1: Mapped[str | None] = mapped_column(String(200))
    town: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(30))
    nhs_number: Mapped[str | None] = mapped_column(String(10))
    identifier: Mapped[str | None] = mapped_column(String(80))
    linked_by: Mapped[str] = mapped_column(String(40))
    match_probability: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[Any] = mapped_column(JSONType, nullable=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MatchReview(Base):
    """A pair the model was unsure about, waiting for (or settled by) a person's decision."""

    __tablename__ = "match_review"
    __table_args__ = (UniqueConstraint("person_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    candidate_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    match_probability: Mapped[float] = mapped_column(Float)
    match_weight: Mapped[float] = mapped_column(Float)
    explanation: Mapped[Any] = mapped_column(JSONType)
    reason: Mapped[str] = mapped_column(String(200))  # why it is here rather than linked
    status: Mapped[str] = mapped_column(String(20), index=True)  # open, linked, kept_apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text)


class PersonMerge(Base):
    """Two people joined into one, with exactly which rows moved, so that it can be undone."""

    __tablename__ = "person_merge"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kept_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    merged_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text)
    match_probability: Mapped[float | None] = mapped_column(Float)
    moved: Mapped[Any] = mapped_column(JSONType)  # {table: [primary key, ...]}
    undone_by: Mapped[str | None] = mapped_column(String(100))
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    undo_reason: Mapped[str | None] = mapped_column(Text)


class LinkageModel(Base):
    """A trained model, versioned; the newest is used for matching."""

    __tablename__ = "linkage_model"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    trained_at: Mapped[datetime] = mapped_column(UTCDateTime())
    trained_by: Mapped[str] = mapped_column(String(100))
    records: Mapped[int] = mapped_column(Integer)
    settings: Mapped[Any] = mapped_column(JSONType)
