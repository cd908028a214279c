"""The register of violent offenders against children: entries, offences, addresses, alerts, disclosures."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lantern.db.base import Base
from lantern.db.types import BigId, JSONType, UTCDateTime


class RegisterEntry(Base):
    """One registration: a resolved person, the conviction, the monitoring period and who manages it.

    `person_id` moves with identity merges (identity.merge.OWNED), so the watch finds the person
    under whichever id resolution settles on. "Expired" is derived from `monitoring_ends_on`.
    """

    __tablename__ = "register_entry"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))  # active, under_appeal, deceased
    conviction_on: Mapped[date] = mapped_column(Date)
    sentence: Mapped[str | None] = mapped_column(String(200))
    sentence_months: Mapped[int | None]
    court: Mapped[str | None] = mapped_column(String(200))
    monitoring_years: Mapped[int | None]  # None: indefinite
    monitoring_ends_on: Mapped[date | None] = mapped_column(Date)  # last day monitored; None: indefinite
    managing_agency: Mapped[str] = mapped_column(String(40))
    managing_officer: Mapped[str | None] = mapped_column(String(100), index=True)  # a username
    source_event_id: Mapped[str | None] = mapped_column(ForeignKey("event.id"), unique=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    registered_by: Mapped[str] = mapped_column(String(100))
    status_note: Mapped[str | None] = mapped_column(Text)


class RegisterOffence(Base):
    """An offence of the registering conviction, with its statutory code and the child victim."""

    __tablename__ = "register_offence"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("register_entry.id"), index=True)
    code: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(500))
    statute: Mapped[str | None] = mapped_column(String(200))
    victim_age_years: Mapped[int | None]
    victim_relationship: Mapped[str | None] = mapped_column(String(100))


class RegisterAddress(Base):
    """An address of a registered person: notified by them, or seen in another agency's record.

    An address seen but not notified carries the notification duty it opened (`duty_id`).
    """

    __tablename__ = "register_address"
    __table_args__ = (UniqueConstraint("entry_id", "postcode", "line1_lower"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("register_entry.id"), index=True)
    line1: Mapped[str | None] = mapped_column(String(200))
    line1_lower: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str | None] = mapped_column(String(200))
    town: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str] = mapped_column(String(10))
    moved_in_at: Mapped[datetime] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(200))
    source_event_id: Mapped[str | None] = mapped_column(ForeignKey("event.id"))
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notified_by: Mapped[str | None] = mapped_column(String(100))
    duty_id: Mapped[str | None] = mapped_column(ForeignKey("duty.id"))


class RegisterAlert(Base):
    """A registered person linked to a household with a child, a pregnancy, a birth, a housing
    application or a partner with children; one per household, re-raised when it grows."""

    __tablename__ = "register_alert"
    __table_args__ = (UniqueConstraint("entry_id", "household_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("register_entry.id"), index=True)
    household_key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(40))
    trigger_event_id: Mapped[str] = mapped_column(ForeignKey("event.id"))
    members: Mapped[list[Any]] = mapped_column(JSONType)  # [{person_id, name, role, is_child}]
    event_ids: Mapped[list[Any]] = mapped_column(JSONType)  # every record seen for this household
    explanation: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[Any]] = mapped_column(JSONType)  # how the record was resolved to the person
    status: Mapped[str] = mapped_column(String(20))  # open, superseded
    replaces_id: Mapped[str | None] = mapped_column(String(36))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime())
    csc_duty_id: Mapped[str | None] = mapped_column(ForeignKey("duty.id"))
    officer_duty_id: Mapped[str | None] = mapped_column(ForeignKey("duty.id"))


class DisclosureRequest(Base):
    """A request under the child sex offender (CSODS) or domestic violence (DVDS) disclosure
    scheme pattern: who asked about whom, the checks, the decision and what was disclosed to whom."""

    __tablename__ = "disclosure_request"
    __table_args__ = (Index("ix_disclosure_request_status_due", "status", "due_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(10))  # csods, dvds
    route: Mapped[str] = mapped_column(String(20))  # right_to_ask, right_to_know
    subject_person_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"), index=True)
    subject_name: Mapped[str] = mapped_column(String(200))
    requester_name: Mapped[str] = mapped_column(String(200))
    requester_relation: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # received, checked, decided, disclosed, closed
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_by: Mapped[str] = mapped_column(String(100))
    checks_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    checks: Mapped[list[Any]] = mapped_column(JSONType)  # [{check, finding, by, at}]
    entry_id: Mapped[str | None] = mapped_column(ForeignKey("register_entry.id"))
    decision: Mapped[str | None] = mapped_column(String(20))  # disclose, no_disclosure
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disclosed_to: Mapped[str | None] = mapped_column(String(200))
    disclosed_what: Mapped[str | None] = mapped_column(Text)
    disclosed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disclosed_by: Mapped[str | None] = mapped_column(String(100))
