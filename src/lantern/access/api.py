"""Token endpoint (OAuth2 password flow, with a TOTP code for enrolled users), the current user and
their second factor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request, status
from fastapi.responses import JSONResponse, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from lantern.access import access_log, service, subject_access, totp
from lantern.access.access_log import AccessLogRead
from lantern.access.ratelimit import SlidingWindow, client_address, login_limiter
from lantern.access.schemas import Token, UserRead
from lantern.deps import ApiUser, DbDep, SettingsDep, SignerDep

router = APIRouter(prefix="/api/v1", tags=["access"])
LimiterDep = Annotated[SlidingWindow, Depends(login_limiter)]


class TotpSetupRead(BaseModel):
    """A new TOTP secret to add to an authenticator app, and the token that confirms it."""

    secret: str
    otpauth_uri: str
    token: str


class TotpConfirmIn(BaseModel):
    """The set-up token and a current code from the app."""

    token: str = Field(min_length=1, max_length=500)
    code: str = Field(min_length=6, max_length=8)


@router.post("/auth/token", response_model=Token, responses={401: {}, 429: {}})
def issue_token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    db: DbDep,
    signer: SignerDep,
    settings: SettingsDep,
    limiter: LimiterDep,
    code: Annotated[str | None, Form(description="Current TOTP code, for users who enrolled one")] = None,
) -> Token | Response:
    """Exchange a username, password (and TOTP code, once enrolled) for a bearer token."""
    signed = service.authenticate(
        db=db,
        username=form.username,
        password=form.password,
        code=code,
        client=client_address(request),
        settings=settings,
        limiter=limiter,
    )
    if signed.user is not None:
        return Token(access_token=signer.issue(signed.user.id))
    # A response, not an exception, so that the failure count and audit entries are committed.
    if signed.refusal == "throttled":
        headers = {"Retry-After": str(limiter.retry_after(client_address(request)))}
        return JSONResponse({"detail": service.THROTTLED_MESSAGE}, status.HTTP_429_TOO_MANY_REQUESTS, headers)
    headers = {"WWW-Authenticate": "Bearer"}
    return JSONResponse({"detail": service.refusal_message(settings)}, status.HTTP_401_UNAUTHORIZED, headers)


@router.get("/users/me", response_model=UserRead)
def read_me(user: ApiUser) -> UserRead:
    """The signed-in user."""
    return UserRead.model_validate(user, from_attributes=True)


@router.post("/users/me/totp", response_model=TotpSetupRead)
def start_totp(user: ApiUser, settings: SettingsDep) -> TotpSetupRead:
    """Start setting up a second factor: a new secret, stored only once a code from it is confirmed."""
    setup = service.start_totp(user=user, enrolment=totp.Enrolment(settings.secret_key.get_secret_value()))
    return TotpSetupRead(secret=setup.secret, otpauth_uri=setup.uri, token=setup.token)


@router.post("/users/me/totp/confirm", status_code=status.HTTP_204_NO_CONTENT)
def confirm_totp(body: TotpConfirmIn, user: ApiUser, db: DbDep, settings: SettingsDep) -> Response:
    """Confirm the second factor with a current code; from now on signing in needs a code."""
    key = settings.secret_key.get_secret_value()
    enrolment, vault = totp.Enrolment(key), totp.Vault(key)
    service.confirm_totp(db=db, user=user, token=body.token, code=body.code, enrolment=enrolment, vault=vault)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/people/{person_id}/access-log", response_model=AccessLogRead)
def read_access_log(person_id: str, db: DbDep, user: ApiUser, limit: int = Query(500, ge=1, le=5000)) -> AccessLogRead:
    """Who has looked at this person's records (reads, changes, exports): for CSC managers, partnership
    reviewers and auditors; the look is itself audited."""
    return access_log.read(db=db, actor=service.actor_for(user), person_id=person_id, limit=limit)


@router.get("/people/{person_id}/subject-access")
def export_subject_access(person_id: str, db: DbDep, user: ApiUser) -> JSONResponse:
    """Everything Lantern holds about the person, as one JSON document (subject access); audited."""
    document = subject_access.export(db=db, actor=service.actor_for(user), person_id=person_id)
    disposition = f'attachment; filename="subject-access-{person_id}.json"'
    return JSONResponse(document, headers={"Content-Disposition": disposition})
