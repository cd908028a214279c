"""Password hashing (argon2) and signed bearer tokens."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    """True when the password matches the stored hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """Why a new password is unacceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be at least {MIN_PASSWORD_LENGTH} characters"
    if password.isalpha() or password.isdigit():
        return "Password must mix letters with digits or symbols"
    return None


class TokenSigner:
    """Issues and checks time-limited tokens naming a user id."""

    def __init__(self, secret: str, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="lantern-token")
        self._max_age = max_age_seconds

    def issue(self, user_id: str) -> str:
        """A token for the user."""
        return self._serializer.dumps({"sub": user_id})

    def user_id(self, token: str) -> str | None:
        """The user id inside a valid, unexpired token, else None."""
        try:
            data = self._serializer.loads(token, max_age=self._max_age)
        except BadSignature:
            return None
        sub = data.get("sub") if isinstance(data, dict) else None
        return sub if isinstance(sub, str) else None
