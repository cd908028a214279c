"""Sending duties outside Lantern (email, webhook) through an outbox, with proof and retries.

`enqueue` writes one `duty_delivery` row per new duty and channel of the recipient agency, in
the transaction that creates the duty, so a duty is never stored without its deliveries.
`deliver_due` sends due rows after commit, each outside any transaction, and records the
outcome: sent, or retried with back-off, or after MAX_ATTEMPTS "failed" (kept and shown).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, model_validator
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from lantern.access.vocabulary import AGENCIES
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.config import Settings, get_settings
from lantern.db.types import new_id
from lantern.duties import channels
from lantern.duties.models import Duty, DutyDelivery, DutyTransition

MAX_ATTEMPTS = 10
MAX_BACKOFF_MINUTES = 60
# A claimed row is left alone this long: longer than any send, so a crash mid-send means one retry.
LEASE = timedelta(minutes=5)
BATCH = 100
INFO_KEY = "lantern.delivery"
ACTOR = Actor(id=None, name="delivery", agency=None, role="system")
LONDON = ZoneInfo("Europe/London")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Route(BaseModel):
    """One channel of an agency: `{channel = "email", target = "mash@council.example"}`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    channel: Literal["email", "webhook"]
    target: str

    @model_validator(mode="after")
    def target_fits_channel(self) -> Route:
        if self.channel == "email" and not _EMAIL.match(self.target):
            raise ValueError(f"{self.target!r} is not an email address")
        if self.channel == "webhook":
            url = urlsplit(self.target)
            local = url.hostname in {"localhost", "127.0.0.1", "::1"}
            if not url.hostname or not (url.scheme == "https" or (url.scheme == "http" and local)):
                raise ValueError(f"{self.target!r}: webhooks need an https:// URL (http:// only to this machine)")
        return self


@dataclass(frozen=True)
class DeliveryConfig:
    """Each agency's channels and the transport that sends over them."""

    routes: Mapping[str, tuple[Route, ...]]
    transport: channels.Transport


@lru_cache(maxsize=8)
def load_routes(path: Path | None) -> Mapping[str, tuple[Route, ...]]:
    """The delivery file's channels by agency code, read once per path (restart to reload)."""
    if path is None:
        return {}
    raw = tomllib.loads(path.read_text())
    unknown = sorted(set(raw) - set(AGENCIES))
    if unknown:
        raise ValueError(f"{path}: unknown agency codes {unknown}")
    if not all(isinstance(routes, list) for routes in raw.values()):
        raise ValueError(f"{path}: give each agency's channels as [[agency]] tables")
    return {agency: tuple(dict.fromkeys(Route.model_validate(r) for r in routes)) for agency, routes in raw.items()}


def config_from(settings: Settings) -> DeliveryConfig:
    """The delivery configuration the settings name; refuses unsigned webhooks."""
    routes = load_routes(settings.delivery_file)
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    if not secret and any(r.channel == "webhook" for agency in routes.values() for r in agency):
        raise ValueError("webhook targets are configured: set LANTERN_WEBHOOK_SECRET to sign them")
    transport = channels.Transport(settings.smtp_host, settings.smtp_port, settings.smtp_from, secret)
    return DeliveryConfig(routes=routes, transport=transport)


def carry(factory: sessionmaker[Session], config: DeliveryConfig) -> None:
    """Sessions from this factory carry the configuration, so the duties they create are enqueued."""
    factory.configure(info={**factory.kw.get("info", {}), INFO_KEY: config})


def config_of(source: Session | sessionmaker[Session]) -> DeliveryConfig:
    """The configuration the session (or factory) carries; else the process settings' (the CLI)."""
    info = source.info if isinstance(source, Session) else source.kw.get("info", {})
    config = info.get(INFO_KEY)
    return config if isinstance(config, DeliveryConfig) else config_from(get_settings())


def enqueue(*, db: Session, duties: Sequence[Mapping[str, Any]], config: DeliveryConfig) -> int:
    """One pending outbox row per new duty and channel of its recipient agency, in the caller's transaction."""
    rows = [
        {
            "id": new_id(),
            "duty_id": duty["id"],
            "channel": route.channel,
            "target": route.target,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": duty["created_at"],
            "last_error": None,
            "sent_at": None,
            "created_at": duty["created_at"],
        }
        for duty in duties
        for route in config.routes.get(duty["recipient_agency"], ())
    ]
    if rows:
        db.execute(insert(DutyDelivery), rows)
    return len(rows)


def backoff(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: 1, 2, 4, ... minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), MAX_BACKOFF_MINUTES))


def deliver_due(
    *, session_factory: sessionmaker[Session], config: DeliveryConfig, now: datetime | None = None, limit: int = BATCH
) -> dict[str, int]:
    """Send the deliveries that are due, each outside any transaction, and record every outcome.

    Each row is first claimed in a short transaction (its next attempt moved a lease ahead), so
    two schedulers never send it together; delivery is at least once, and the delivery id sent
    with it lets a receiver drop a repeat.
    """
    start = now or clock.now()
    with session_factory.begin() as db:
        due = db.execute(
            select(DutyDelivery.id)
            .where(DutyDelivery.status == "pending", DutyDelivery.next_attempt_at <= start)
            .order_by(DutyDelivery.next_attempt_at)
            .limit(limit)
        ).scalars()
        ids = list(due)
    outcomes = {"sent": 0, "retrying": 0, "failed": 0}
    for delivery_id in ids:
        with session_factory.begin() as db:
            message = _claim(db, delivery_id, now or clock.now())
        if message is None:
            continue
        error = channels.send(message, config.transport)
        with session_factory.begin() as db:
            outcomes[_record(db, delivery_id, error, now or clock.now())] += 1
    return outcomes


def _claim(db: Session, delivery_id: str, at: datetime) -> channels.Message | None:
    claimed = db.execute(
        update(DutyDelivery)
        .where(DutyDelivery.id == delivery_id, DutyDelivery.status == "pending", DutyDelivery.next_attempt_at <= at)
        .values(next_attempt_at=at + LEASE)
        .returning(DutyDelivery.id)
    ).scalar_one_or_none()
    if claimed is None:
        return None  # another scheduler has it
    row = db.get_one(DutyDelivery, delivery_id)
    return message_for(db.get_one(Duty, row.duty_id), row)


def _record(db: Session, delivery_id: str, error: str | None, at: datetime) -> str:
    row = db.get_one(DutyDelivery, delivery_id)
    row.attempts += 1
    if error is None:
        row.status, row.sent_at = "sent", at
        _note(db, row, "deliver", at, f"sent by {row.channel} to {row.target}")
        return "sent"
    row.last_error = error
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "failed"
        note = f"{row.channel} to {row.target} failed for good after {row.attempts} attempts: {error}"
        _note(db, row, "delivery_failed", at, note)
        return "failed"
    row.next_attempt_at = at + backoff(row.attempts)
    return "retrying"


def _note(db: Session, row: DutyDelivery, action: str, at: datetime, note: str) -> None:
    """The outcome in the duty's history, and in the audit chain: information left the system."""
    duty = db.get_one(Duty, row.duty_id)
    db.add(
        DutyTransition(
            duty_id=duty.id, at=at, from_status=duty.status, to_status=duty.status, actor=ACTOR.name, note=note
        )
    )
    detail = {"person_id": duty.person_id, "delivery_id": row.id, "channel": row.channel, "target": row.target}
    audit.record(db=db, actor=ACTOR, action=action, object_type="duty", object_id=duty.id, detail=detail)


def message_for(duty: Duty, row: DutyDelivery) -> channels.Message:
    """What is sent: title, due time, recipient, the duty's minimised content and a link; never the narrative."""
    recipient = f"{AGENCIES.get(duty.recipient_agency, duty.recipient_agency)}: {duty.recipient_team}"
    link = f"/people/{duty.person_id}/duties" if duty.person_id else "/duties"
    due = duty.due_at.astimezone(LONDON).strftime("%-d %b %Y %H:%M")
    document = {
        "delivery_id": row.id,
        "duty_id": duty.id,
        "title": duty.title,
        "due_at": duty.due_at.isoformat(),
        "recipient": recipient,
        "content": duty.content,
        "link": link,
    }
    text = "\n".join(
        [duty.title, f"Due: {due}", f"For: {recipient}", "", *_lines(duty.content), "", f"Open in Lantern: {link}"]
    )
    return channels.Message(row.id, row.channel, row.target, f"{duty.title} (due {due})", text, document)


def _lines(content: Mapping[str, Any], indent: str = "") -> list[str]:
    """The content as indented `Label: value` lines; empty values left out."""
    lines = []
    for key, value in content.items():
        label = f"{indent}{key.replace('_', ' ').capitalize()}"
        if isinstance(value, Mapping):
            lines += [f"{label}:", *_lines(value, indent + "  ")]
        elif isinstance(value, list):
            lines.append(f"{label}:")
            for item in value:
                item_lines = _lines(item, indent + "    ") if isinstance(item, Mapping) else [str(item)]
                lines += [f"{indent}  - {item_lines[0].lstrip()}", *item_lines[1:]] if item_lines else []
        elif value is not None:
            lines.append(f"{label}: {value}")
    return lines


def for_duties(*, db: Session, duty_ids: Sequence[str]) -> dict[str, list[DutyDelivery]]:
    """Each duty's deliveries, oldest first."""
    grouped: dict[str, list[DutyDelivery]] = {i: [] for i in duty_ids}
    if duty_ids:
        stmt = select(DutyDelivery).where(DutyDelivery.duty_id.in_(duty_ids))
        for row in db.execute(stmt.order_by(DutyDelivery.created_at, DutyDelivery.channel)).scalars():
            grouped[row.duty_id].append(row)
    return grouped
