"""Token endpoint (OAuth2 password flow) and the current user."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm

from lantern.access import service
from lantern.access.schemas import Token, UserRead
from lantern.deps import ApiUser, DbDep, SignerDep

router = APIRouter(prefix="/api/v1", tags=["access"])


@router.post("/auth/token", response_model=Token)
def issue_token(form: Annotated[OAuth2PasswordRequestForm, Depends()], db: DbDep, signer: SignerDep) -> Token:
    """Exchange a username and password for a bearer token."""
    user = service.authenticate(db=db, username=form.username, password=form.password)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "Incorrect username or password", headers={"WWW-Authenticate": "Bearer"}
        )
    return Token(access_token=signer.issue(user.id))


@router.get("/users/me", response_model=UserRead)
def read_me(user: ApiUser) -> UserRead:
    """The signed-in user."""
    return UserRead.model_validate(user, from_attributes=True)
