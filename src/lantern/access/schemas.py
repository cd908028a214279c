"""Request and response shapes for users and tokens."""

from __future__ import annotations

from pydantic import BaseModel


class Token(BaseModel):
    """OAuth2 bearer token response."""

    access_token: str
    token_type: str = "bearer"


class UserRead(BaseModel):
    """A user as shown to administrators and to the user."""

    id: str
    username: str
    full_name: str
    agency: str
    role: str
    is_active: bool
