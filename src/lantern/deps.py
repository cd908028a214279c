"""FastAPI dependencies: a transaction per request, and who is asking."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from lantern.access import service as access_service
from lantern.access.models import User
from lantern.access.security import TokenSigner
from lantern.audit import service as audit_service
from lantern.config import Settings
from lantern.db.engine import READS_ONLY, is_sqlite

SESSION_COOKIE = "lantern_session"
READ_METHODS = frozenset({"GET", "HEAD"})
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the handler succeeds, else rolled back.

    On SQLite, a request that only looks (GET, HEAD) reads in a transaction that takes no write lock, and
    the audit entries of what it read are written after it, in a short transaction of their own: readers
    then queue for SQLite's one write lock for a millisecond, not for the whole request."""
    reads = request.method in READ_METHODS and is_sqlite(request.app.state.engine)
    with request.app.state.session_factory(execution_options={READS_ONLY: True} if reads else None) as db:
        try:
            yield db
            if reads:
                audit_service.write_after_read(db)
            else:
                db.commit()
        except BaseException:
            db.rollback()
            raise


def get_signer(request: Request) -> TokenSigner:
    """Signs and checks bearer tokens and session cookies."""
    signer: TokenSigner = request.app.state.signer
    return signer


SettingsDep = Annotated[Settings, Depends(get_settings)]
# Closed when the handler returns, before the response is sent: a client told "done" (or redirected to read it
# back) must find the transaction committed, and a commit that fails must answer as a failure.
DbDep = Annotated[Session, Depends(get_db, scope="function")]
SignerDep = Annotated[TokenSigner, Depends(get_signer)]


def api_user(db: DbDep, signer: SignerDep, token: Annotated[str | None, Depends(oauth2_scheme)]) -> User:
    """The active user named by the bearer token, or 401."""
    user_id = signer.user_id(token) if token else None
    user = access_service.get_active_user(db=db, user_id=user_id) if user_id else None
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "Not signed in or token expired", headers={"WWW-Authenticate": "Bearer"}
        )
    return user


class LoginRequired(Exception):
    """Raised by page dependencies; the app redirects to the login page."""


def page_user(request: Request, db: DbDep, signer: SignerDep) -> User:
    """The active user of the session cookie, or a redirect to sign in."""
    token = request.cookies.get(SESSION_COOKIE)
    user_id = signer.user_id(token) if token else None
    user = access_service.get_active_user(db=db, user_id=user_id) if user_id else None
    if user is None:
        raise LoginRequired()
    return user


ApiUser = Annotated[User, Depends(api_user)]
PageUser = Annotated[User, Depends(page_user)]
# A row number in a path: bounded to the databases' 64-bit integers, so an absurd one is a 422, not a 500.
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]
