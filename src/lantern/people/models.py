"""People as Lantern knows them: one row per resolved person, with identifiers, names and addresses."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lantern.db.base import Base
from lantern.db.types import BigId, UTCDateTime, new_id


class Person(Base):
    """A resolved person; display fields hold the best-known values."""

    __tablename__ = "person"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    given_name: Mapped[str | None] = mapped_column(String(100))
    family_name: Mapped[str | None] = mapped_column(String(100))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(10))
    nhs_number: Mapped[str | None] = mapped_column(String(10), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    merged_into: Mapped[str | None] = mapped_column(String(36), index=True)  # set while merged into another


class PersonIdentifier(Base):
    """A strong identifier (NHS number, PNC id, an agency's local id) held by one person."""

    __tablename__ = "person_identifier"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(80))
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PersonName(Base):
    """A name a person has been recorded under, by which agency; aliases and history alike."""

    __tablename__ = "person_name"
    __table_args__ = (
        UniqueConstraint("person_id", "given_lower", "family_lower", "source_agency"),
        Index("ix_person_name_family_given", "family_lower", "given_lower"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"))  # indexed first in the unique key
    given_name: Mapped[str | None] = mapped_column(String(100))
    family_name: Mapped[str | None] = mapped_column(String(100))
    other_names: Mapped[str | None] = mapped_column(String(200))
    given_lower: Mapped[str] = mapped_column(String(100))
    family_lower: Mapped[str] = mapped_column(String(100))
    source_agency: Mapped[str] = mapped_column(String(40))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PersonAddress(Base):
    """An address a person was recorded at; first and last seen come from event times."""

    __tablename__ = "person_address"
    __table_args__ = (UniqueConstraint("person_id", "postcode", "line1_lower"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"))  # indexed first in the unique key
    line1: Mapped[str | None] = mapped_column(String(200))
    line1_lower: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str | None] = mapped_column(String(200))
    town: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str] = mapped_column(String(10), index=True)
    uprn: Mapped[str | None] = mapped_column(String(12))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
