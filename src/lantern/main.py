"""The application factory."""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from anyio import to_thread
from fastapi import FastAPI, Request, Response, status
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from lantern import __version__
from lantern.access.security import TokenSigner
from lantern.api import API_ROUTERS, PAGE_ROUTERS
from lantern.chronology import entries as chronology_entries
from lantern.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from lantern.config import Settings, get_settings
from lantern.db.engine import make_engine, make_session_factory
from lantern.deps import LoginRequired
from lantern.duties import delivery
from lantern.duties.scheduler import Scheduler
from lantern.events.schemas import EventIn
from lantern.web.csrf import ensure_csrf_cookie
from lantern.web.render import page

STATIC = Path(__file__).parent / "web" / "static"


def create_app(settings: Settings) -> FastAPI:
    """Build the app around the given settings (database, secrets, limits)."""
    app = FastAPI(title="Lantern", version=__version__, docs_url="/api/docs", redoc_url=None, lifespan=_lifespan)
    app.state.settings = settings
    # Each request admitted holds at most two pooled connections (ADR 45): the pool never makes one wait.
    threads = settings.request_threads
    app.state.engine = make_engine(settings.database_url, pool_size=threads, max_overflow=threads)
    app.state.session_factory = make_session_factory(app.state.engine)
    delivery.carry(app.state.session_factory, delivery.config_from(settings))
    app.state.signer = TokenSigner(settings.secret_key.get_secret_value(), settings.token_minutes * 60)
    chronology_entries.size_caches(settings.chronology_cache_mb)
    for router in [*API_ROUTERS, *PAGE_ROUTERS]:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    app.mount(
        "/assets", StaticFiles(directory=STATIC / "vendor" / "govuk" / "assets", check_dir=False), name="govuk-assets"
    )
    app.middleware("http")(ensure_csrf_cookie)
    app.middleware("http")(_limit_body_size)
    _add_error_handlers(app)
    _document_event_schema(app)
    app.add_middleware(Admission, limit=threads)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    return app


class Admission:
    """Let in at most `limit` requests at a time; the rest wait their turn, in order, in the event loop.

    A sync handler's dependencies, body and clean-up each wait for a thread of the pool, and its session
    holds a pooled connection from the first query to the clean-up. Let in more requests than threads, and
    the threads can all be taken by requests waiting for a connection that requests waiting for a thread
    hold: the server stops until the pool's timeout. Let in no more than there are threads, and every
    request admitted finds a thread and a connection when it needs one."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.gate = asyncio.Semaphore(limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async with self.gate:
            await self.app(scope, receive, send)


def app_from_environment() -> FastAPI:
    """The app of one of several server processes, configured by the environment (`serving_processes`)."""
    return create_app(get_settings())


@contextmanager
def serving_processes(settings: Settings) -> Iterator[None]:
    """Around several server processes: they share this process's secret key (a token signed by one is good
    in all), and the one duty scheduler runs here, not in each of them."""
    secret = settings.secret_key.get_secret_value()
    saved = {key: os.environ.get(key) for key in ("LANTERN_SECRET_KEY", "LANTERN_SCHEDULER_SECONDS")}
    os.environ.update(LANTERN_SECRET_KEY=secret, LANTERN_SCHEDULER_SECONDS="0")
    interval = settings.scheduler_seconds
    scheduler = Scheduler(make_session_factory(make_engine(settings.database_url)), interval) if interval > 0 else None
    if scheduler:
        scheduler.start()
    try:
        yield
    finally:
        if scheduler:
            scheduler.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Size the request thread pool; run the duty scheduler while the app serves (unless scheduler_seconds is 0).
    What exists once the app is built (modules, templates, the pool) lives as long as the process: frozen out
    of the garbage collector, so that its full collections walk only what requests made (ADR 48)."""
    gc.freeze()
    to_thread.current_default_thread_limiter().total_tokens = app.state.settings.request_threads
    interval = app.state.settings.scheduler_seconds
    scheduler = Scheduler(app.state.session_factory, interval) if interval > 0 else None
    if scheduler:
        scheduler.start()
    yield
    if scheduler:
        scheduler.stop()
    gc.unfreeze()


async def _limit_body_size(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    limit = request.app.state.settings.max_request_bytes
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        return JSONResponse({"detail": f"request body over {limit} bytes"}, status_code=413)
    return await call_next(request)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


def _add_error_handlers(app: FastAPI) -> None:
    def handler(code: int, title: str) -> Callable[[Request, Exception], Response]:
        def respond(request: Request, exc: Exception) -> Response:
            if _wants_html(request):
                return page(request, "error.html", status_code=code, title=title, message=str(exc), user=None)
            return JSONResponse({"detail": str(exc)}, status_code=code)

        return respond

    app.add_exception_handler(NotFound, handler(404, "Not found"))
    app.add_exception_handler(Forbidden, handler(403, "You do not have access"))
    app.add_exception_handler(Conflict, handler(409, "This record has changed"))

    def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, InvalidInput)
        return JSONResponse({"detail": exc.errors}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)

    def login_required(request: Request, exc: Exception) -> Response:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if _wants_html(request) and exc.status_code >= 400:
            return page(
                request,
                "error.html",
                status_code=exc.status_code,
                title="There is a problem",
                message=str(exc.detail),
                user=None,
            )
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    def busy(request: Request, exc: Exception) -> Response:
        """The database's write lock or a pooled connection was not had within its timeout: the server is
        overloaded. Say so (503, try again shortly) rather than report a fault; any other error is one."""
        if isinstance(exc, OperationalError) and "database is locked" not in str(exc.orig):
            raise exc
        message = "Lantern is busy: please try again in a few seconds."
        if _wants_html(request):
            return page(request, "error.html", status_code=503, title="Busy", message=message, user=None)
        return JSONResponse({"detail": message}, status_code=503, headers={"Retry-After": "5"})

    def unstorable(request: Request, exc: Exception) -> Response:
        """The database refused a value it cannot hold (a NUL character, a number out of its range): the
        request was invalid, whichever route took it."""
        message = "A value in the request cannot be stored (a NUL character, or a number out of range)."
        if _wants_html(request):
            return page(request, "error.html", status_code=422, title="There is a problem", message=message, user=None)
        return JSONResponse({"detail": [{"loc": ["request"], "msg": message}]}, status_code=422)

    app.add_exception_handler(InvalidInput, invalid)
    app.add_exception_handler(DataError, unstorable)
    app.add_exception_handler(OperationalError, busy)
    app.add_exception_handler(PoolTimeout, busy)
    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(HTTPException, http_error)


def _document_event_schema(app: FastAPI) -> None:
    """POST /events reads its body by hand (for per-record results); publish EventIn anyway."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
            event_schema = EventIn.model_json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(event_schema.pop("$defs", {}))
            components["EventIn"] = event_schema
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
