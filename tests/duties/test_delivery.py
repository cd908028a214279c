"""Duties sent outside Lantern: a real local SMTP server and webhook receiver, retries, restarts."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError
from sqlalchemy import select

from lantern.common.local_server import free_port
from lantern.config import Settings
from lantern.deps import SESSION_COOKIE
from lantern.duties import channels, delivery
from lantern.duties.models import DutyDelivery
from lantern.main import create_app
from tests.duties.test_api import _incident, _person_of, _post

SECRET = "webhook-secret-" + "w" * 32
CSC_TITLE = "Tell children's social care about a domestic abuse incident involving a child or a pregnancy"


class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


class Hooks:
    """A webhook receiver on a free loopback port: keeps each request, answers with `status`."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        hooks = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hooks.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(hooks.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/lantern"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def webhook() -> Iterator[Hooks]:
    hooks = Hooks()
    thread = threading.Thread(target=hooks.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield hooks
    hooks.server.shutdown()
    hooks.server.server_close()


@pytest.fixture
def settings(settings: Settings, tmp_path: Path, smtp: tuple[Inbox, int], webhook: Hooks) -> Settings:
    """CSC gets email and webhook, schools email; other agencies only the in-app inbox."""
    routes = tmp_path / "delivery.toml"
    routes.write_text(
        '[[csc]]\nchannel = "email"\ntarget = "mash@council.example"\n\n'
        f'[[csc]]\nchannel = "webhook"\ntarget = "{webhook.url}"\n\n'
        '[[education]]\nchannel = "email"\ntarget = "dsl@school.example"\n'
    )
    update = {
        "delivery_file": routes,
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp[1],
        "smtp_from": "lantern@partnership.example",
        "webhook_secret": SecretStr(SECRET),
    }
    return settings.model_copy(update=update)


def _deliver(app: FastAPI, now: datetime | None = None) -> dict[str, int]:
    factory = app.state.session_factory
    return delivery.deliver_due(session_factory=factory, config=delivery.config_of(factory), now=now)


def _rows(app: FastAPI, channel: str) -> list[DutyDelivery]:
    with app.state.session_factory() as db:
        return list(db.execute(select(DutyDelivery).where(DutyDelivery.channel == channel)).scalars())


def _csc_duties(client: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    return [d for d in client.get("/api/v1/duties", headers=headers).json() if d["recipient_agency"] == "csc"]


def test_email_and_signed_webhook_are_sent_after_commit(client, login, app, smtp) -> None:  # type: ignore[no-untyped-def]
    inbox = smtp[0]
    police = login("pc", agency="police")
    event_id = _post(client, police, _incident())["results"][0]["event_id"]
    ruby = _person_of(client, police, event_id, "Ruby")
    queued = _csc_duties(client, police)
    assert [s["status"] for d in queued for s in d["deliveries"]] == ["pending"] * 4
    assert not inbox.messages

    assert _deliver(app) == {"sent": 5, "retrying": 0, "failed": 0}

    to_csc = inbox.to("mash@council.example")
    assert len(to_csc) == 2 and all(m["Subject"] == f"{CSC_TITLE} (due 26 Aug 2025 23:59)" for m in to_csc)
    ruby_mail = next(m for m in to_csc if f"/people/{ruby}/duties" in m.get_content())
    assert "Due: 26 Aug 2025 23:59" in ruby_mail.get_content()
    assert "For: Children's social care: Multi-agency safeguarding hub" in ruby_mail.get_content()
    (to_school,) = inbox.to("dsl@school.example")
    assert "DA incident" not in to_school.get_content()  # the school's content leaves out the narrative
    assert "triggers rule" not in to_school.get_content()
    sent = _csc_duties(client, police)
    assert all(s["status"] == "sent" and s["sent_at"] for d in sent for s in d["deliveries"])
    assert any(h["actor"] == "delivery" and "sent by webhook" in (h["note"] or "") for h in sent[0]["history"])


def test_webhook_carries_a_valid_signature_and_no_narrative(client, login, app, webhook) -> None:  # type: ignore[no-untyped-def]
    _post(client, login("pc", agency="police"), _incident())
    _deliver(app)
    assert len(webhook.requests) == 2
    for headers, body in webhook.requests:
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["x-lantern-signature"], expected)
        document = json.loads(body)
        assert set(document) == {"delivery_id", "duty_id", "title", "due_at", "recipient", "content", "link"}
        assert headers["x-lantern-delivery"] == document["delivery_id"]
        assert document["due_at"] == "2025-08-26T22:59:59+00:00"
        assert "reason" not in document and "triggers rule" not in body.decode()


def test_failing_webhook_is_retried_with_back_off_and_email_still_goes(client, login, app, smtp, webhook) -> None:  # type: ignore[no-untyped-def]
    _post(client, login("pc", agency="police"), _incident())
    webhook.status = 500
    t0 = datetime.now(UTC)
    assert _deliver(app, t0) == {"sent": 3, "retrying": 2, "failed": 0}
    assert len(smtp[0].messages) == 3
    rows = _rows(app, "webhook")
    assert {(r.status, r.attempts, r.next_attempt_at) for r in rows} == {("pending", 1, t0 + timedelta(minutes=1))}
    assert all(r.last_error == "HTTP 500 Internal Server Error" for r in rows)

    assert _deliver(app, t0 + timedelta(seconds=59)) == {"sent": 0, "retrying": 0, "failed": 0}
    assert len(webhook.requests) == 2
    assert _deliver(app, t0 + timedelta(minutes=1)) == {"sent": 0, "retrying": 2, "failed": 0}
    assert {r.next_attempt_at for r in _rows(app, "webhook")} == {t0 + timedelta(minutes=3)}

    webhook.status = 200  # the receiver is fixed
    assert _deliver(app, t0 + timedelta(minutes=3)) == {"sent": 2, "retrying": 0, "failed": 0}
    assert {(r.status, r.attempts) for r in _rows(app, "webhook")} == {("sent", 3)}
    assert len(smtp[0].messages) == 3  # no email sent twice


def test_delivery_given_up_after_max_attempts_is_still_shown(client, login, app, webhook, make_user) -> None:  # type: ignore[no-untyped-def]
    police = login("pc", agency="police")
    event_id = _post(client, police, _incident())["results"][0]["event_id"]
    webhook.status = 503
    at = datetime.now(UTC)
    for _ in range(delivery.MAX_ATTEMPTS):
        _deliver(app, at)
        at += timedelta(minutes=delivery.MAX_BACKOFF_MINUTES)
    assert {(r.status, r.attempts) for r in _rows(app, "webhook")} == {("failed", delivery.MAX_ATTEMPTS)}
    _deliver(app, at + timedelta(days=1))
    assert len(webhook.requests) == 2 * delivery.MAX_ATTEMPTS  # given up: no more attempts

    listed = [s for d in _csc_duties(client, police) for s in d["deliveries"] if s["channel"] == "webhook"]
    assert [(s["status"], s["last_error"]) for s in listed] == [("failed", "HTTP 503 Service Unavailable")] * 2
    user = make_user("sw", agency="csc")
    client.cookies.set(SESSION_COOKIE, app.state.signer.issue(user.id))
    page = client.get(f"/people/{_person_of(client, police, event_id, 'Ruby')}/duties").text
    assert "Sent outside Lantern" in page and "failed for good after 10 attempts" in page
    assert "govuk-tag--red" in page


def test_pending_deliveries_are_sent_after_a_restart(client, login, settings, smtp, webhook) -> None:  # type: ignore[no-untyped-def]
    _post(client, login("pc", agency="police"), _incident())
    restarted = create_app(settings.model_copy(update={"scheduler_seconds": 0.05}))
    with TestClient(restarted):
        _wait_for(lambda: len(smtp[0].messages) == 3 and len(webhook.requests) == 2)
        time.sleep(0.2)  # further passes send nothing again
    restarted.state.engine.dispose()
    assert (len(smtp[0].messages), len(webhook.requests)) == (3, 2)


def test_a_second_scheduler_sends_only_what_the_first_has_not_claimed(
    client, login, app, smtp, webhook, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    _post(client, login("pc", agency="police"), _incident())
    sending, go_on = threading.Event(), threading.Event()
    real_send = channels.send

    def first_send_waits(message: channels.Message, transport: channels.Transport) -> str | None:
        if not sending.is_set():
            sending.set()
            go_on.wait(5)
        return real_send(message, transport)

    monkeypatch.setattr(channels, "send", first_send_waits)
    results: list[dict[str, int]] = []
    first = threading.Thread(target=lambda: results.append(_deliver(app)))
    first.start()
    assert sending.wait(5)
    results.append(_deliver(app))  # while the first is mid-send, holding no transaction
    go_on.set()
    first.join(5)
    assert sorted(r["sent"] for r in results) == [1, 4]
    assert (len(smtp[0].messages), len(webhook.requests)) == (3, 2)


def _wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_backoff_doubles_from_a_minute_up_to_an_hour() -> None:
    waits = [delivery.backoff(n) for n in range(1, 10)]
    assert [w.total_seconds() / 60 for w in waits] == [1, 2, 4, 8, 16, 32, 60, 60, 60]


@pytest.mark.parametrize(
    "toml",
    [
        '[[nobody]]\nchannel = "email"\ntarget = "a@b.example"\n',
        '[[csc]]\nchannel = "fax"\ntarget = "0123"\n',
        '[[csc]]\nchannel = "email"\ntarget = "not an address"\n',
        '[[csc]]\nchannel = "webhook"\ntarget = "http://csc.example/hook"\n',
        '[csc]\nchannel = "email"\ntarget = "a@b.example"\n',
    ],
)
def test_delivery_file_is_refused_when_invalid(tmp_path: Path, toml: str) -> None:
    path = tmp_path / "delivery.toml"
    path.write_text(toml)
    with pytest.raises((ValueError, ValidationError)):
        delivery.load_routes(path)


def test_webhooks_are_refused_without_a_secret(tmp_path: Path) -> None:
    path = tmp_path / "delivery.toml"
    path.write_text('[[csc]]\nchannel = "webhook"\ntarget = "https://csc.example/hook"\n')
    with pytest.raises(ValueError, match="LANTERN_WEBHOOK_SECRET"):
        delivery.config_from(Settings(secret_key="s" * 40, delivery_file=path))
