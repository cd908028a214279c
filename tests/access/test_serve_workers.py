"""`lantern serve --workers 2`: several server processes that accept each other's tokens."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

import httpx

from lantern.access.models import User
from lantern.common.local_server import free_port, wait_until_up
from lantern.config import Settings
from tests.conftest import PASSWORD


def test_two_server_processes_share_the_secret_key(settings: Settings, make_user: Callable[..., User]) -> None:
    make_user("wendy")
    port = free_port()
    env = os.environ | {"LANTERN_DATABASE_URL": settings.database_url, "LANTERN_COOKIE_SECURE": "false"}
    env.pop("LANTERN_SECRET_KEY", None)  # each process would make its own: `serve` must hand them one
    command = [sys.executable, "-m", "lantern.cli", "serve", "--workers", "2", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server)
        token = httpx.post(f"{base}/api/v1/auth/token", data={"username": "wendy", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        answers = {httpx.get(f"{base}/api/v1/duties", headers=headers).status_code for _ in range(30)}
        assert answers == {200}  # 30 requests over fresh connections reach both processes
    finally:
        server.terminate()
        server.wait(timeout=30)
