"""`lantern serve --workers 2`: several server processes that accept each other's tokens."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable

import httpx
import pytest

from lantern.access.models import User
from lantern.config import Settings
from tests.conftest import PASSWORD


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited"
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.3)
    pytest.fail("the server did not start within 60 s")


def test_two_server_processes_share_the_secret_key(settings: Settings, make_user: Callable[..., User]) -> None:
    make_user("wendy")
    port = _free_port()
    env = os.environ | {"LANTERN_DATABASE_URL": settings.database_url, "LANTERN_COOKIE_SECURE": "false"}
    env.pop("LANTERN_SECRET_KEY", None)  # each process would make its own: `serve` must hand them one
    command = [sys.executable, "-m", "lantern.cli", "serve", "--workers", "2", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        token = httpx.post(f"{base}/api/v1/auth/token", data={"username": "wendy", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        answers = {httpx.get(f"{base}/api/v1/duties", headers=headers).status_code for _ in range(30)}
        assert answers == {200}  # 30 requests over fresh connections reach both processes
    finally:
        server.terminate()
        server.wait(timeout=30)
