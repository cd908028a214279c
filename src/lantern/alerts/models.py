"""Pattern alerts: stored once per pattern, child and cause, updated as evidence grows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lantern.db.base import Base
from lantern.db.types import JSONType, UTCDateTime


class Alert(Base):
    """An explained alert about a child: which pattern, which records, which threshold.

    (`rule_code`, `person_id`, `cause_key`) is its identity, so evaluating the patterns again
    updates the alert instead of raising a second one.
    """

    __tablename__ = "alert"
    __table_args__ = (UniqueConstraint("rule_code", "person_id", "cause_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    rule_code: Mapped[str] = mapped_column(String(60))
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    cause_key: Mapped[str] = mapped_column(String(36))  # the adult or episode the pattern is about, or ""
    title: Mapped[str] = mapped_column(String(300))
    explanation: Mapped[str] = mapped_column(Text)
    threshold: Mapped[str] = mapped_column(String(300))
    event_ids: Mapped[list[Any]] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(20))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
