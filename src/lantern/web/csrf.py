"""Double-submit CSRF protection for HTML forms."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Request, Response, status

CSRF_COOKIE = "lantern_csrf"


async def ensure_csrf_cookie(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Give every browser a CSRF token in a cookie; forms echo it in a hidden field."""
    token = request.cookies.get(CSRF_COOKIE)
    request.state.csrf = token or secrets.token_urlsafe(32)
    response = await call_next(request)
    if token is None:
        response.set_cookie(
            CSRF_COOKIE,
            request.state.csrf,
            httponly=True,
            samesite="strict",
            secure=request.app.state.settings.cookie_secure,
        )
    return response


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse a form whose token does not match the cookie."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted or not secrets.compare_digest(cookie, submitted):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "The form has expired; go back and try again")
