"""Jinja2 rendering with GOV.UK Frontend templates; HTMX requests get just the named block."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from lantern.access.vocabulary import AGENCIES, ROLES
from lantern.events.vocabulary import EVENT_TYPES

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
LONDON = ZoneInfo("Europe/London")


def _when(value: datetime | None) -> str:
    """A time as people in England read it: local time, day month year."""
    return "" if value is None else value.astimezone(LONDON).strftime("%-d %b %Y %H:%M")


def _day(value: date | None) -> str:
    return "" if value is None else value.strftime("%-d %b %Y")


TEMPLATES.env.auto_reload = False  # templates ship with the package: no stat of each one on every page
TEMPLATES.env.filters.update(when=_when, day=_day)
TEMPLATES.env.globals.update(agencies=AGENCIES, roles=ROLES, event_types=EVENT_TYPES)


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a full page, or only the `content` block's fragment for an HTMX request."""
    block = request.headers.get("HX-Target")
    name = template
    if block and request.headers.get("HX-Request") == "true":
        name = template.replace(".html", f"_{block}.html")
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)
