"""`lantern bench load`: many people browsing at once, and what the audit trail adds to each request.

A generated population (`--size` events) is ingested as `lantern ingest` does, then the app is
served by uvicorn on loopback in `--workers` processes of its own, as `lantern serve` runs it.
`--users` simulated users (asyncio + httpx), signed in through the token endpoint, each open a
person page or a chronology of someone in the population, think for about a second, and go on, for
`--seconds`. Every request is timed from the client. Inside the server, the time spent in
`audit.service.record`, `write_pending` and `write_after_read` (queueing the entries every read
makes, then chaining and writing them, on SQLite in a transaction of their own, its commit
included) is summed per request; auditing is never switched off, so its cost is measured directly
rather than by comparison.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
from fastapi import FastAPI, Request, Response
from rich.console import Console
from rich.progress import Progress
from sqlalchemy import insert, select

from lantern.access import security
from lantern.access.models import User
from lantern.audit import service as audit_service
from lantern.audit.service import Actor
from lantern.common.local_server import free_port, wait_until_up
from lantern.config import Settings
from lantern.db.engine import make_engine, make_session_factory
from lantern.db.migrate import upgrade
from lantern.demo import population
from lantern.events import flows
from lantern.events.models import EventSubject

Metric = tuple[str, object]
THINK_SECONDS = 1.0  # mean pause between a user's clicks (uniform 0.5 to 1.5 s)
PASSWORD = "bench-load-password-1"
PEOPLE = 2000
AUDIT_FILE = "LANTERN_BENCH_AUDIT_FILE"  # where the server processes write each request's audit milliseconds
_audit_ms: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar("audit_ms", default=None)
_timing: contextvars.ContextVar[bool] = contextvars.ContextVar("timing", default=False)


def bench_load(
    *, db_url: str | None, size: int, console: Console, seconds: float = 60.0, users: int = 100, workers: int = 1
) -> Iterator[Metric]:
    """Load `size` events, serve them, and let `users` browse for `seconds`; client and audit timings."""
    with tempfile.TemporaryDirectory(prefix="lantern-bench-load-") as tmp:
        url = db_url or f"sqlite:///{tmp}/load.db"
        upgrade(url)
        _ingest(url, size, Path(tmp), console)
        people = _people_and_users(url, users)
        port, secret = free_port(), secrets.token_urlsafe(48)
        server = _serve(url, port, secret, workers, Path(tmp) / "audit-ms.txt")
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base, server)
            console.print(f"Browsing with {users} users for {seconds:g} s")
            # A thread of its own: the caller may already run an event loop (a test beside a browser).
            with ThreadPoolExecutor(1) as pool:
                timings, failures = pool.submit(asyncio.run, _browse(base, people, users, seconds)).result()
            audit_ms = [float(line) for line in (Path(tmp) / "audit-ms.txt").read_text().split()]
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    yield "backend", url.split(":", 1)[0]
    yield "machine", f"{os.uname().machine}-{len(os.sched_getaffinity(0))}cpu"
    yield "events", size
    yield "users", users
    yield "server_processes", workers
    yield "seconds", seconds
    yield "think_seconds", THINK_SECONDS
    errors = sum(failures.values())
    yield "requests", len(timings) + errors
    yield "errors", errors
    yield "error_kinds", ",".join(f"{kind}:{count}" for kind, count in sorted(failures.items())) or "none"
    yield "requests_per_second", round((len(timings) + errors) / seconds, 1)
    yield "load_p50_ms", _quantile(timings, 50)
    yield "load_p95_ms", _quantile(timings, 95)
    yield "load_max_ms", round(max(timings), 1) if timings else 0
    yield "audit_ms_per_request_median", round(statistics.median(audit_ms), 3) if audit_ms else 0
    yield "audit_ms_per_request_p95", _quantile(audit_ms, 95, digits=3)


def _quantile(values: list[float], percent: int, digits: int = 1) -> float:
    if len(values) < 2:
        return round(values[0], digits) if values else 0.0
    return round(statistics.quantiles(values, n=100, method="inclusive")[percent - 1], digits)


def _ingest(url: str, size: int, tmp: Path, console: Console) -> None:
    path = tmp / "events.jsonl"
    with path.open("wb") as out:
        for record in population.events(size, prefix=f"LOAD{int(time.time())}"):
            out.write(orjson.dumps(record) + b"\n")
    factory = make_session_factory(make_engine(url))
    actor = Actor(id=None, name="bench", agency=None, role="system")
    with Progress(console=console) as progress, (tmp / "rejects.jsonl").open("wb") as rejects:
        task = progress.add_task("Ingesting the population", total=size)
        flows.ingest_file(
            session_factory=factory,
            path=path,
            actor=actor,
            rejects=rejects,
            batch_size=10_000,
            max_bytes=64 * 1024,
            on_progress=lambda n: progress.advance(task, n),
        )


def _people_and_users(url: str, users: int) -> list[str]:
    """Up to 2,000 people named in records, and `users` CSC practitioners sharing one password hash."""
    factory = make_session_factory(make_engine(url))
    password_hash = security.hash_password(PASSWORD)
    now = datetime.now(UTC)
    with factory.begin() as db:
        people = list(db.execute(select(EventSubject.person_id).distinct().limit(PEOPLE)).scalars())
        rows = [
            {"username": f"load{n}", "full_name": f"Load {n}", "agency": "csc", "role": "practitioner"}
            | {"password_hash": password_hash, "created_at": now, "is_active": True}
            for n in range(users)
        ]
        db.execute(insert(User), rows)
    return people


def _serve(url: str, port: int, secret: str, workers: int, audit_file: Path) -> subprocess.Popen[bytes]:
    """`uvicorn` in processes of its own (`workers` of them), so that the simulated users do not share its
    interpreter; as `lantern serve --workers` runs them, with the secret key shared and no scheduler."""
    audit_file.touch()
    env = os.environ | {
        "LANTERN_DATABASE_URL": url,
        "LANTERN_SECRET_KEY": secret,
        "LANTERN_COOKIE_SECURE": "false",
        "LANTERN_SCHEDULER_SECONDS": "0",
        AUDIT_FILE: str(audit_file),
    }
    command = [sys.executable, "-m", "uvicorn", f"{__name__}:server_app", "--factory", "--workers", str(workers)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"]
    return subprocess.Popen(command, env=env)


async def _browse(base: str, people: list[str], users: int, seconds: float) -> tuple[list[float], Counter[str]]:
    """Sign every user in, then let them all browse until the time is up."""
    limits = httpx.Limits(max_connections=users + 10, max_keepalive_connections=users + 10)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as signer:
        gate = asyncio.Semaphore(4)
        tokens = await asyncio.gather(*(_token(signer, gate, n) for n in range(users)))
    timings: list[float] = []
    failures: Counter[str] = Counter()
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(_user(base, token, people, deadline, timings, failures) for token in tokens))
    return timings, failures


async def _token(client: httpx.AsyncClient, gate: asyncio.Semaphore, number: int) -> str:
    async with gate:
        response = await client.post("/api/v1/auth/token", data={"username": f"load{number}", "password": PASSWORD})
    response.raise_for_status()
    return str(response.json()["access_token"])


async def _user(
    base: str, token: str, people: list[str], deadline: float, timings: list[float], failures: Counter[str]
) -> None:
    """One person at a keyboard: a person page or a chronology, a pause, again."""
    chooser = random.Random(token)
    async with httpx.AsyncClient(base_url=base, timeout=60, cookies={"lantern_session": token}) as client:
        await asyncio.sleep(chooser.uniform(0, 2 * THINK_SECONDS))  # users arrive spread out, not in lockstep
        while time.monotonic() < deadline:
            person = chooser.choice(people)
            path = f"/people/{person}" if chooser.random() < 0.5 else f"/people/{person}/chronology"
            started = time.perf_counter()
            try:
                response = await client.get(path)
                failure = None if response.status_code == 200 else str(response.status_code)
            except httpx.HTTPError as error:  # a timeout (60 s) or a refused connection
                failure = type(error).__name__
            if failure is None:
                timings.append((time.perf_counter() - started) * 1000)
            else:
                failures[failure] += 1
            await asyncio.sleep(chooser.uniform(0.5, 1.5) * THINK_SECONDS)


def server_app() -> FastAPI:
    """The app as `lantern serve` builds it, plus the time each request spent on its audit entries: queueing
    them (`record`) and chaining and writing them (`write_pending`, at commit)."""
    from lantern.main import create_app

    app = create_app(Settings())
    for name in ("record", "write_pending", "write_after_read"):
        setattr(audit_service, name, _timed(getattr(audit_service, name)))
    audit_file = Path(os.environ[AUDIT_FILE])

    async def measure(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        spent: list[float] = []
        _audit_ms.set(spent)  # handlers and dependencies run in threads with a copy of this context: the same list
        response = await call_next(request)  # the request's transaction has committed by now (deps.DbDep)
        if spent and request.url.path.startswith("/people/"):
            with audit_file.open("a") as out:  # one line, appended: server processes share the file
                out.write(f"{sum(spent):.4f}\n")
        return response

    app.middleware("http")(measure)
    return app


def _timed(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add the call's time to the request's audit time, unless a timed call is already counting it (the chain
    written inside `write_after_read`'s transaction)."""

    def timed(*args: Any, **kwargs: Any) -> Any:
        if _timing.get():
            return function(*args, **kwargs)
        token = _timing.set(True)
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _timing.reset(token)
            spent = _audit_ms.get()
            if spent is not None:
                spent.append((time.perf_counter() - started) * 1000)

    return timed
