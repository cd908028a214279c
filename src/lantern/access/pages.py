"""Sign in, sign out, and the home dashboard for each role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.access import dashboard, service
from lantern.audit import service as audit
from lantern.deps import SESSION_COOKIE, DbDep, PageUser, SettingsDep, SignerDep
from lantern.web.csrf import check_csrf
from lantern.web.render import page

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    """The sign-in page."""
    return page(request, "access/login.html")


@router.post("/login")
def login(
    request: Request,
    db: DbDep,
    signer: SignerDep,
    settings: SettingsDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()],
) -> Response:
    """Check credentials, set the session cookie and go home."""
    check_csrf(request, csrf_token)
    user = service.authenticate(db=db, username=username, password=password)
    if user is None:
        return page(
            request,
            "access/login.html",
            status_code=401,
            username=username,
            error="Enter a correct username and password",
        )
    audit.record(db=db, actor=service.actor_for(user), action="login", object_type="user", object_id=user.id)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signer.issue(user.id),
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        max_age=settings.token_minutes * 60,
    )
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form()]) -> Response:
    """Forget the session."""
    check_csrf(request, csrf_token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, db: DbDep, user: PageUser) -> Response:
    """The dashboard for the signed-in user's role."""
    return page(request, "access/home.html", user=user, board=dashboard.for_user(db=db, user=user))
