"""Duties: who must be told what about which event, by when; their transitions and deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lantern.db.base import Base
from lantern.db.types import BigId, JSONType, UTCDateTime


class Duty(Base):
    """One statutory notification owed to a recipient about one event (and one person)."""

    __tablename__ = "duty"
    __table_args__ = (
        UniqueConstraint("rule_code", "event_id", "person_key"),
        # No index holds `status`: the scheduler rewrites it on many rows at once.
        Index("ix_duty_open_due", "is_open", "due_at"),  # also finds those past their grace (ADR 55)
        Index("ix_duty_recipient_due", "recipient_agency", "due_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    rule_code: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(300))
    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), index=True)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"), index=True)
    person_key: Mapped[str] = mapped_column(String(36))  # person id or "" (unique key needs a value)
    from_agency: Mapped[str] = mapped_column(String(40))
    recipient_agency: Mapped[str] = mapped_column(String(40))
    recipient_team: Mapped[str] = mapped_column(String(100))
    content: Mapped[dict[str, Any]] = mapped_column(JSONType)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    is_open: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    escalate_at: Mapped[datetime] = mapped_column(UTCDateTime())
    escalate_to: Mapped[str] = mapped_column(String(100))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))
    actioned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    action_note: Mapped[str | None] = mapped_column(Text)
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DutyTransition(Base):
    """Every change of a duty's status, when, by whom and why."""

    __tablename__ = "duty_transition"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    duty_id: Mapped[str] = mapped_column(ForeignKey("duty.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)


class QuotedReference(Base):
    """An event that quotes another agency's record (payload.referrer_ref), so evidence that
    arrives before the record it answers can still be found by an indexed look-up."""

    __tablename__ = "duty_quoted_reference"

    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), primary_key=True)
    referrer_ref: Mapped[str] = mapped_column(String(200), index=True)


class DutyDelivery(Base):
    """One sending of a duty over an outside channel: an outbox row written in the duty's own
    transaction, sent after commit, retried with back-off until sent or given up ("failed")."""

    __tablename__ = "duty_delivery"
    __table_args__ = (
        UniqueConstraint("duty_id", "channel", "target"),
        Index("ix_duty_delivery_due", "status", "next_attempt_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    duty_id: Mapped[str] = mapped_column(ForeignKey("duty.id"))
    channel: Mapped[str] = mapped_column(String(20))  # "email" | "webhook"
    target: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20))  # "pending" | "sent" | "failed"
    attempts: Mapped[int]
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DutyBacklog(Base):
    """A stored event whose duty rules have not run yet: written in the event's own transaction by
    file ingestion on PostgreSQL, removed in the transaction that runs the rules (`duties.backlog`)."""

    __tablename__ = "duty_backlog"

    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), primary_key=True)
