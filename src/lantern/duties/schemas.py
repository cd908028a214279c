"""Duties as the API returns them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class TransitionRead(BaseModel):
    at: datetime
    from_status: str | None
    to_status: str
    actor: str
    note: str | None


class DeliveryRead(BaseModel):
    """One sending of the duty outside Lantern and what became of it."""

    channel: str
    target: str
    status: str = Field(description="pending, sent, or failed (given up after repeated attempts)")
    attempts: int
    last_error: str | None
    sent_at: datetime | None


class DutyRead(BaseModel):
    """A duty; `content` is shown only to the sending and receiving agencies and reviewers."""

    id: str
    rule_code: str
    title: str
    event_id: str
    person_id: str | None
    about_name: str | None = Field(default=None, description="Who the duty is about, when the viewer may know")
    from_agency: str
    recipient: str = Field(description="Receiving agency and team")
    recipient_agency: str
    recipient_team: str
    status: str
    due_at: datetime
    created_at: datetime
    delivered_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    actioned_at: datetime | None
    overdue_at: datetime | None
    escalated_at: datetime | None
    escalate_to: str
    is_late: bool
    reason: str
    content: dict[str, Any] | None
    history: list[TransitionRead] = []
    deliveries: list[DeliveryRead] = []


class DutyNote(BaseModel):
    note: str = Field(default="", max_length=2000)
