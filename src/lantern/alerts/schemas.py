"""Alerts as the API returns them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class AlertRead(BaseModel):
    """An explained alert: the pattern, the records that raised it, the threshold it crossed."""

    id: str
    rule_code: str
    person_id: str
    cause_key: str
    title: str
    explanation: str
    threshold: str
    event_ids: list[str]
    status: str
    raised_at: datetime
    updated_at: datetime
