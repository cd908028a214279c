"""The canonical event stream: one row per agency record, with its subjects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lantern.db.base import Base
from lantern.db.types import BigId, JSONType, UTCDateTime


class Event(Base):
    """An agency record in canonical form; (source_agency, source_ref) is its idempotency key."""

    __tablename__ = "event"
    __table_args__ = (UniqueConstraint("source_agency", "source_ref"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source_agency: Mapped[str] = mapped_column(String(40))
    source_ref: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(60), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_by: Mapped[str] = mapped_column(String(100))
    location: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    summary: Mapped[str] = mapped_column(Text)
    narrative: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)


class EventSubject(Base):
    """A person named in an event, in a role, with the details exactly as the agency sent them."""

    __tablename__ = "event_subject"
    __table_args__ = (Index("ix_event_subject_person_event", "person_id", "event_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"))
    role: Mapped[str] = mapped_column(String(40))
    position: Mapped[int]
    record: Mapped[dict[str, Any]] = mapped_column(JSONType)
