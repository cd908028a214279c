"""Time-based one-time passwords (RFC 6238) for the optional second factor, with pyotp.

Enrolment holds the new secret in a signed, short-lived token (shown on the page and returned by
the API) until the user confirms it with a code; only then is it stored on the user, sealed by the
Vault: a copy of the database alone does not give anyone's codes.
"""

from __future__ import annotations

import base64
from datetime import datetime
from hmac import compare_digest

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
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


SEALED = "sealed:v1:"  # marks a stored secret as sealed; one stored before sealing is plain base32


class Vault:
    """Seals TOTP secrets for storage and opens them again: Fernet (AES-128-CBC with an HMAC-SHA256)
    under a key derived from LANTERN_SECRET_KEY by HKDF, so the database holds no usable secret."""

    def __init__(self, secret_key: str) -> None:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"lantern-totp-secrets")
        self._fernet = Fernet(base64.urlsafe_b64encode(derived.derive(secret_key.encode())))

    def seal(self, secret: str) -> str:
        """The secret as it is stored."""
        return SEALED + self._fernet.encrypt(secret.encode()).decode()

    def open(self, stored: str) -> str | None:
        """The secret from what is stored (a secret stored before sealing is returned as it is), or None
        if it was sealed under another LANTERN_SECRET_KEY: that user's second factor must be reset."""
        if not is_sealed(stored):
            return stored
        try:
            return self._fernet.decrypt(stored.removeprefix(SEALED).encode()).decode()
        except InvalidToken:
            return None


def is_sealed(stored: str) -> bool:
    """Whether a stored secret was sealed (those stored before sealing are sealed at their next use)."""
    return stored.startswith(SEALED)
