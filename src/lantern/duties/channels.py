"""The outside channels a duty is sent over: email (SMTP) and webhook (HTTP POST, HMAC-signed).

A sender reports the reason a message was not accepted instead of raising, so one bad target
cannot stop the others and every attempt has an outcome to record.
"""

from __future__ import annotations

import hashlib
import hmac
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import httpx
import orjson

CHANNELS = ("email", "webhook")
SIGNATURE_HEADER = "X-Lantern-Signature"
DELIVERY_HEADER = "X-Lantern-Delivery"


@dataclass(frozen=True)
class Transport:
    """Where and how messages leave: the SMTP relay, the webhook signing secret, the time limit."""

    smtp_host: str
    smtp_port: int
    smtp_from: str
    webhook_secret: str | None
    timeout: float = 5.0


@dataclass(frozen=True)
class Message:
    """One message for one target: a subject and text for email, a JSON document for webhooks."""

    delivery_id: str
    channel: str
    target: str
    subject: str
    text: str
    document: dict[str, Any]


def sign(secret: str, body: bytes) -> str:
    """HMAC-SHA256 of the exact body bytes, as `sha256=<hex>`; receivers recompute and compare."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send(message: Message, transport: Transport) -> str | None:
    """Send one message; None when accepted, else why not."""
    try:
        if message.channel == "email":
            _email(message, transport)
            return None
        if message.channel == "webhook":
            return _webhook(message, transport)
        return f"unknown channel {message.channel!r}"
    except Exception as exc:  # noqa: BLE001 - any failure is an outcome to record and retry
        return f"{type(exc).__name__}: {exc}"[:2000]


def _email(message: Message, transport: Transport) -> None:
    email = EmailMessage()
    email["From"] = transport.smtp_from
    email["To"] = message.target
    email["Subject"] = message.subject
    # The same Message-ID on every attempt lets a mail system drop a repeat after a lost reply.
    email["Message-ID"] = f"<{message.delivery_id}@lantern>"
    email.set_content(message.text)
    with smtplib.SMTP(transport.smtp_host, transport.smtp_port, timeout=transport.timeout) as smtp:
        smtp.send_message(email)


def _webhook(message: Message, transport: Transport) -> str | None:
    if not transport.webhook_secret:
        return "no webhook secret is configured (LANTERN_WEBHOOK_SECRET)"
    body = orjson.dumps(message.document)
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(transport.webhook_secret, body),
        DELIVERY_HEADER: message.delivery_id,
    }
    response = httpx.post(message.target, content=body, headers=headers, timeout=transport.timeout)
    if response.is_success:
        return None
    return f"HTTP {response.status_code} {response.reason_phrase}".strip()
