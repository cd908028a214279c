"""Serious-incident reviews: the review, its read-only snapshots, the notices to staff involved, findings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lantern.db.base import Base
from lantern.db.types import JSONType, UTCDateTime


class Review(Base):
    """A serious-incident review of one child: a death (opened at ingestion) or serious harm (by hand).

    `child_id` moves with identity merges (identity.merge.OWNED). `aware_at` starts the statutory
    clocks (panel notification, rapid review); `incident_at` is when the death or harm happened.
    """

    __tablename__ = "review"
    __table_args__ = (Index("ix_review_child_status", "child_id", "status"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    child_id: Mapped[str] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(20))  # death, serious_harm
    status: Mapped[str] = mapped_column(String(20))  # open, closed
    trigger_event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), unique=True)
    incident_at: Mapped[datetime] = mapped_column(UTCDateTime())
    aware_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    panel_duty_id: Mapped[str | None] = mapped_column(ForeignKey("duty.id"))
    rapid_review_duty_id: Mapped[str | None] = mapped_column(ForeignKey("duty.id"))


class ReviewSnapshot(Base):
    """The whole record as it stood at `as_at`, kept as JSON and never changed; `digest` (SHA-256 of
    the canonical JSON) shows that it was not."""

    __tablename__ = "review_snapshot"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    review_id: Mapped[str] = mapped_column(ForeignKey("review.id"), index=True)
    as_at: Mapped[datetime] = mapped_column(UTCDateTime())
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
    taken_by: Mapped[str] = mapped_column(String(100))
    content: Mapped[dict[str, Any]] = mapped_column(JSONType)
    digest: Mapped[str] = mapped_column(String(64))


class ReviewNotice(Base):
    """A member of staff who worked on the child's record, told of the review and whom to talk to."""

    __tablename__ = "review_notice"
    __table_args__ = (UniqueConstraint("review_id", "user_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    review_id: Mapped[str] = mapped_column(ForeignKey("review.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"), index=True)
    username: Mapped[str] = mapped_column(String(100))
    agency: Mapped[str] = mapped_column(String(40))
    involvement: Mapped[list[Any]] = mapped_column(JSONType)  # plain-English lines: what they did
    notified_at: Mapped[datetime] = mapped_column(UTCDateTime())
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReviewFinding(Base):
    """A reviewer's finding, tagged with learning themes (data/themes.toml) and the agencies concerned."""

    __tablename__ = "review_finding"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    review_id: Mapped[str] = mapped_column(ForeignKey("review.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    themes: Mapped[list[Any]] = mapped_column(JSONType)
    agencies: Mapped[list[Any]] = mapped_column(JSONType)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_agency: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReviewUpdate(Base):
    """What the review tells the staff involved as it goes on (seed 003: staff were "not told anything
    further"); shown on every notice of the review."""

    __tablename__ = "review_update"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    review_id: Mapped[str] = mapped_column(ForeignKey("review.id"), index=True)
    message: Mapped[str] = mapped_column(Text)
    posted_by: Mapped[str] = mapped_column(String(100))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime())
