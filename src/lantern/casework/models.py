"""Casework: cases and their allocated worker, handovers, supervision, conferences, standing meetings
and the actions they set."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lantern.db.base import Base
from lantern.db.types import JSONType, UTCDateTime


class Case(Base):
    """A children's social care case about one child, with its allocated worker and their manager.

    `person_id` moves with identity merges (identity.merge.OWNED). An open case with no worker
    carries `unallocated_since` and the allocation duty it opened to the team manager.
    """

    __tablename__ = "casework_case"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))  # open, closed
    team: Mapped[str] = mapped_column(String(100))
    worker: Mapped[str | None] = mapped_column(String(100), index=True)  # a username
    manager: Mapped[str] = mapped_column(String(100), index=True)  # a username
    is_complex: Mapped[bool] = mapped_column(default=False)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_by: Mapped[str] = mapped_column(String(100))
    allocated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    unallocated_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    allocation_duty_id: Mapped[str | None] = mapped_column(ForeignKey("duty.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Handover(Base):
    """A change of worker: the checklist sent to the receiving worker, who must acknowledge each
    section before the allocation changes. `event_id` is the `csc.allocation` record it made."""

    __tablename__ = "casework_handover"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("casework_case.id"), index=True)
    from_worker: Mapped[str | None] = mapped_column(String(100))
    to_worker: Mapped[str] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(20))  # sent, acknowledged, withdrawn
    checklist: Mapped[dict[str, Any]] = mapped_column(JSONType)  # section -> text
    note: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_by: Mapped[str] = mapped_column(String(100))
    confirmed: Mapped[list[Any]] = mapped_column(JSONType)  # sections the receiving worker confirmed
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledgement_note: Mapped[str | None] = mapped_column(Text)
    event_id: Mapped[str | None] = mapped_column(ForeignKey("event.id"))


class WorkerSetting(Base):
    """A worker's supervisor and, where set, their own supervision interval."""

    __tablename__ = "casework_worker"

    worker: Mapped[str] = mapped_column(String(100), primary_key=True)
    supervisor: Mapped[str] = mapped_column(String(100), index=True)
    frequency_days: Mapped[int | None]
    started_on: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(100))


class SupervisionRecord(Base):
    """One supervision session: who, when, and the decision on each case discussed."""

    __tablename__ = "casework_supervision"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    worker: Mapped[str] = mapped_column(String(100), index=True)
    supervisor: Mapped[str] = mapped_column(String(100))
    held_on: Mapped[date] = mapped_column(Date)
    decisions: Mapped[list[Any]] = mapped_column(JSONType)  # [{case_id, decision}]
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(100))


class CaseAction(Base):
    """An action with an owner and a due day, set in supervision or at a standing meeting."""

    __tablename__ = "casework_action"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source: Mapped[str] = mapped_column(String(20), index=True)  # supervision, meeting
    source_id: Mapped[str] = mapped_column(String(36), index=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("casework_case.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))  # open, done
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ConferenceRecord(Base):
    """A child protection conference, initial or review, with its due day (computed), the day it is
    set for and held, invitations and attendance, decisions and minutes. One initial conference per
    child named in a strategy discussion; `held_event_id` is CSC's own record of holding it."""

    __tablename__ = "casework_conference"
    __table_args__ = (UniqueConstraint("strategy_event_id", "person_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # initial, review
    due_on: Mapped[date] = mapped_column(Date, index=True)
    strategy_event_id: Mapped[str | None] = mapped_column(ForeignKey("event.id"))
    held_event_id: Mapped[str | None] = mapped_column(ForeignKey("event.id"))
    previous_id: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(20))  # due, held, cancelled
    scheduled_for: Mapped[datetime | None] = mapped_column(UTCDateTime())
    held_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(40))  # rules.CONFERENCE_OUTCOMES
    decisions: Mapped[str | None] = mapped_column(Text)
    minutes: Mapped[str | None] = mapped_column(Text)
    invitations: Mapped[list[Any]] = mapped_column(JSONType)  # [{agency, name, attended}]
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(100))


class MeetingSeries(Base):
    """A standing multi-agency meeting: its weekdays and local time (e.g. Tuesday and Friday 10:00)."""

    __tablename__ = "casework_meeting_series"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    weekdays: Mapped[list[Any]] = mapped_column(JSONType)
    at_time: Mapped[str] = mapped_column(String(5))
    agencies: Mapped[list[Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(100))


class MeetingSitting(Base):
    """One sitting of a standing meeting: the agenda as it stood (alerts and overdue duties since
    the last sitting), who attended for which agency, and notes; actions are CaseAction rows."""

    __tablename__ = "casework_meeting"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    series_id: Mapped[str] = mapped_column(ForeignKey("casework_meeting_series.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    since: Mapped[datetime] = mapped_column(UTCDateTime())
    agenda: Mapped[list[Any]] = mapped_column(JSONType)  # [{kind, title, detail, person_id, ref, is_new}]
    attendance: Mapped[list[Any]] = mapped_column(JSONType)  # [{agency, name}]
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # open, closed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(100))
