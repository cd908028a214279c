"""Time-based one-time passwords (RFC 6238) for the optional second factor, with pyotp.

Enrolment holds the new secret in a signed, short-lived token (shown on the page and returned by
the API) until the user confirms it with a code; only then is it stored on the user.
"""

from __future__ import annotations

from datetime import datetime
from hmac import compare_digest

import pyotp
from itsdangerous import BadSignature, URLSafeTimedSerializer

ISSUER = "Lantern"
ENROLMENT_SECONDS = 10 * 60
# One 30-second step either side: phone clocks drift and people type slowly.
VALID_WINDOW = 1


def new_secret() -> str:
    """A random base32 secret (160 bits, as RFC 4226 recommends)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// URI an authenticator app reads (as a QR code or pasted)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def code_at(secret: str, at: datetime) -> str:
    """The 6-digit code for the time (tests and the load benchmark type it as a phone would)."""
    return pyotp.TOTP(secret).at(at)


def matching_step(secret: str, code: str | None, at: datetime) -> int | None:
    """The 30-second time step whose code this is (the one now, or one either side), or None. A code
    accepted once must not be accepted again (RFC 6238 5.2): callers keep the last step used."""
    cleaned = (code or "").replace(" ", "").strip()
    if not (cleaned.isdigit() and len(cleaned) == 6):
        return None
    otp = pyotp.TOTP(secret)
    now = otp.timecode(at)
    return next(
        (
            step
            for step in range(now - VALID_WINDOW, now + VALID_WINDOW + 1)
            if compare_digest(otp.generate_otp(step), cleaned)
        ),
        None,
    )


class Enrolment:
    """Signs a pending secret for one user, so that it needs no storage until confirmed."""

    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="lantern-totp-enrolment")

    def token(self, user_id: str, secret: str) -> str:
        """A token carrying the pending secret, bound to the user."""
        return self._serializer.dumps({"sub": user_id, "secret": secret})

    def secret(self, token: str, user_id: str) -> str | None:
        """The pending secret if the token is valid, recent and the user's; else None."""
        try:
            data = self._serializer.loads(token, max_age=ENROLMENT_SECONDS)
        except BadSignature:
            return None
        if not isinstance(data, dict) or data.get("sub") != user_id:
            return None
        secret = data.get("secret")
        return secret if isinstance(secret, str) else None
