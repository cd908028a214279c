"""Sign in, sign out, the home dashboard for each role, and setting up a second factor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.access import access_log, dashboard, service, totp
from lantern.access.api import LimiterDep
from lantern.access.ratelimit import client_address
from lantern.common.errors import InvalidInput
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
    limiter: LimiterDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()],
    code: Annotated[str | None, Form()] = None,
) -> Response:
    """Check credentials (and the security code of an enrolled user), set the session cookie and go home."""
    check_csrf(request, csrf_token)
    client = client_address(request)
    signed = service.authenticate(
        db=db, username=username, password=password, code=code, client=client, settings=settings, limiter=limiter
    )
    if signed.user is None:
        throttled = signed.refusal == "throttled"
        error = service.THROTTLED_MESSAGE if throttled else service.refusal_message(settings)
        return page(request, "access/login.html", status_code=429 if throttled else 401, username=username, error=error)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signer.issue(signed.user.id),
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


@router.get("/account/security", response_class=HTMLResponse)
def security_page(request: Request, user: PageUser) -> Response:
    """Whether the user has a second factor, and a button to set one up."""
    return page(request, "access/security.html", user=user, done=request.query_params.get("done") == "1")


@router.post("/account/security/totp", response_class=HTMLResponse)
def start_totp(request: Request, user: PageUser, settings: SettingsDep, csrf_token: Annotated[str, Form()]) -> Response:
    """A new secret to add to an authenticator app, as text and as an otpauth:// link, and the code form."""
    check_csrf(request, csrf_token)
    setup = service.start_totp(user=user, enrolment=totp.Enrolment(settings.secret_key.get_secret_value()))
    return page(request, "access/totp_setup.html", user=user, setup=setup)


@router.post("/account/security/totp/confirm")
def confirm_totp(
    request: Request,
    db: DbDep,
    user: PageUser,
    settings: SettingsDep,
    csrf_token: Annotated[str, Form()],
    token: Annotated[str, Form()],
    code: Annotated[str, Form()] = "",
) -> Response:
    """Store the second factor once a current code from it is entered; else show the form again."""
    check_csrf(request, csrf_token)
    key = settings.secret_key.get_secret_value()
    enrolment, vault = totp.Enrolment(key), totp.Vault(key)
    try:
        service.confirm_totp(db=db, user=user, token=token, code=code, enrolment=enrolment, vault=vault)
    except InvalidInput as problem:
        setup = service.again_totp(user=user, token=token, enrolment=enrolment)
        error = str(problem.errors[0]["msg"])
        return page(request, "access/totp_setup.html", status_code=422, user=user, setup=setup, error=error)
    return RedirectResponse("/account/security?done=1", status_code=303)


@router.get("/people/{person_id}/access-log", response_class=HTMLResponse)
def access_log_page(request: Request, person_id: str, db: DbDep, user: PageUser) -> Response:
    """Who has looked at this child's records, when and what they saw."""
    log = access_log.read(db=db, actor=service.actor_for(user), person_id=person_id)
    return page(request, "access/access_log.html", user=user, log=log)
