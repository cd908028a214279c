"""Users of Lantern: each belongs to one agency and holds one role."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lantern.db.base import Base
from lantern.db.types import UTCDateTime, new_id


class User(Base):
    """A person who signs in; the password is stored only as an argon2 hash."""

    __tablename__ = "app_user"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    agency: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Sign-in hardening: consecutive failed sign-ins, the lockout they caused, an optional TOTP secret
    # and the time step of the last code accepted from it (a code is good once: RFC 6238 5.2).
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_secret: Mapped[str | None] = mapped_column(String(200))  # sealed (`totp.Vault`)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)


class BreakGlass(Base):
    """Emergency access to one person's record by a user with no relationship to them: the stated
    reason, until when it lasts, and the review by the agency's Caldicott guardian or data protection lead."""

    __tablename__ = "break_glass"
    __table_args__ = (Index("ix_break_glass_user_person", "user_id", "person_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"))
    username: Mapped[str] = mapped_column(String(100))
    agency: Mapped[str] = mapped_column(String(40), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_outcome: Mapped[str | None] = mapped_column(String(20))  # justified, not_justified
    review_note: Mapped[str | None] = mapped_column(Text)
