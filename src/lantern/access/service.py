"""Users: creation, sign-in (lockout, second factor), deactivation, lookup."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from lantern.access import policy, security, totp
from lantern.access.models import User
from lantern.access.ratelimit import SlidingWindow
from lantern.access.vocabulary import AGENCIES, ROLES
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.common.errors import InvalidInput, NotFound
from lantern.config import Settings


def actor_for(user: User) -> Actor:
    """The audit/policy identity of a signed-in user."""
    return Actor(id=user.id, name=user.username, agency=user.agency, role=user.role)


def create_user(
    *,
    db: Session,
    username: str,
    password: str,
    agency: str,
    role: str,
    full_name: str | None,
    actor: Actor,
) -> User:
    """Create a user after checking agency, role, password policy and uniqueness."""
    errors: list[dict[str, object]] = []
    if agency not in AGENCIES:
        errors.append({"loc": ["agency"], "msg": f"unknown agency {agency!r}; one of {', '.join(AGENCIES)}"})
    if role not in ROLES:
        errors.append({"loc": ["role"], "msg": f"unknown role {role!r}; one of {', '.join(ROLES)}"})
    if problem := security.password_problem(password):
        errors.append({"loc": ["password"], "msg": problem})
    if db.execute(select(User.id).where(User.username == username)).first():
        errors.append({"loc": ["username"], "msg": f"user {username!r} already exists"})
    if errors:
        raise InvalidInput(errors)
    user = User(
        username=username,
        full_name=full_name or username,
        agency=agency,
        role=role,
        password_hash=security.hash_password(password),
        created_at=clock.now(),
    )
    db.add(user)
    db.flush()
    audit.record(
        db=db,
        actor=actor,
        action="create",
        object_type="user",
        object_id=user.id,
        detail={"username": username, "agency": agency, "role": role},
    )
    return user


SIGN_IN = Actor(id=None, name="sign-in", agency=None, role="anonymous")


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the user, or why not ("refused" or "throttled"), never which check failed."""

    user: User | None
    refusal: Literal["refused", "throttled"] | None = None


def refusal_message(settings: Settings) -> str:
    """The one message for every refused sign-in: it says nothing about whether the username exists."""
    return (
        "Enter a correct username and password, and your security code if you have set one up. After "
        f"{settings.login_max_failures} failed sign-ins in a row an account is locked for "
        f"{settings.login_lockout_minutes} minutes; an administrator can unlock it sooner."
    )


THROTTLED_MESSAGE = "There have been too many failed sign-ins from your network. Wait a few minutes and try again."


def authenticate(
    *,
    db: Session,
    username: str,
    password: str,
    code: str | None = None,
    client: str,
    settings: Settings,
    limiter: SlidingWindow,
) -> SignIn:
    """Check credentials (and the TOTP code of an enrolled user); count, lock and audit failures."""
    if limiter.blocked(client):
        throttled = {"username": username, "client": client}
        audit.record(db=db, actor=SIGN_IN, action="login_throttled", object_type="user", detail=throttled)
        return SignIn(None, "throttled")
    user = db.execute(select(User).where(User.username == username)).scalar_one_or_none()
    reason = _refusal(db, user, password, code, totp.Vault(settings.secret_key.get_secret_value()))
    if user is not None and reason is None:
        user.failed_logins, user.locked_until = 0, None
        signed_in = {"client": client, "second_factor": user.totp_secret is not None}
        audit.record(
            db=db, actor=actor_for(user), action="login", object_type="user", object_id=user.id, detail=signed_in
        )
        return SignIn(user)
    limiter.fail(client)
    detail: dict[str, object] = {"username": username, "client": client, "reason": reason}
    about = user.id if user is not None else None
    audit.record(db=db, actor=SIGN_IN, action="login_failed", object_type="user", object_id=about, detail=detail)
    if user is not None and reason in ("password", "code"):
        _count_failure(db, user, settings)
    return SignIn(None, "refused")


def _refusal(db: Session, user: User | None, password: str, code: str | None, vault: totp.Vault) -> str | None:
    """Why the sign-in is refused, or None; every path does one argon2 check, so timing does not tell."""
    if user is None or not user.is_active:
        security.password_matches(_DUMMY_HASH, password)
        return "unknown" if user is None else "inactive"
    if user.locked_until is not None and user.locked_until > clock.now():
        security.password_matches(_DUMMY_HASH, password)  # not the real hash: guesses while locked learn nothing
        return "locked"
    if not security.password_matches(user.password_hash, password):
        return "password"
    if user.totp_secret is not None and not _use_code(db, user, user.totp_secret, code, vault):
        return "code"
    return None


def _use_code(db: Session, user: User, stored: str, code: str | None, vault: totp.Vault) -> bool:
    """Whether the code is right now and newer than the last one accepted; if so it is used up, in one
    statement, so that two sign-ins racing with one code cannot both pass (RFC 6238 5.2). A secret
    stored before secrets were sealed is sealed by the same statement."""
    secret = vault.open(stored)
    if secret is None:  # sealed under another LANTERN_SECRET_KEY
        return False
    step = totp.matching_step(secret, code, clock.now())
    if step is None:
        return False
    fresh = or_(User.totp_last_step.is_(None), User.totp_last_step < step)
    sealed = {} if totp.is_sealed(stored) else {"totp_secret": vault.seal(secret)}
    used = db.connection().execute(update(User).where(User.id == user.id, fresh).values(totp_last_step=step, **sealed))
    return used.rowcount == 1


def _count_failure(db: Session, user: User, settings: Settings) -> None:
    """One more consecutive failure (counted in the database, so parallel guesses all count); lock at the limit."""
    user.failed_logins = User.failed_logins + 1
    db.flush()
    if user.failed_logins < settings.login_max_failures:
        return
    user.failed_logins = 0
    user.locked_until = clock.now() + timedelta(minutes=settings.login_lockout_minutes)
    detail = {"until": user.locked_until.isoformat(), "failures": settings.login_max_failures}
    audit.record(db=db, actor=SIGN_IN, action="lockout", object_type="user", object_id=user.id, detail=detail)


def get_active_user(*, db: Session, user_id: str) -> User | None:
    """The user if they exist and are still active (deactivation takes effect at once)."""
    user = db.get(User, user_id)
    return user if user is not None and user.is_active else None


def list_users(*, db: Session) -> list[User]:
    """All users, by agency then name."""
    return list(db.execute(select(User).order_by(User.agency, User.username)).scalars())


def deactivate(*, db: Session, username: str, actor: Actor) -> User:
    """Stop a user signing in; their sessions and tokens stop working on the next request."""
    user = _managed(db, username, actor)
    user.is_active = False
    audit.record(db=db, actor=actor, action="deactivate", object_type="user", object_id=user.id)
    return user


def unlock(*, db: Session, username: str, actor: Actor) -> User:
    """Lift a lockout and clear the failure count before the lockout runs out."""
    user = _managed(db, username, actor)
    user.failed_logins, user.locked_until = 0, None
    audit.record(db=db, actor=actor, action="unlock", object_type="user", object_id=user.id)
    return user


def reset_totp(*, db: Session, username: str, actor: Actor) -> User:
    """Remove a user's second factor (a lost phone): they sign in with the password until they enrol again."""
    user = _managed(db, username, actor)
    user.totp_secret, user.totp_last_step = None, None
    audit.record(db=db, actor=actor, action="totp_reset", object_type="user", object_id=user.id)
    return user


def _managed(db: Session, username: str, actor: Actor) -> User:
    policy.require(actor, "user:manage")
    user = db.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


@dataclass(frozen=True)
class TotpEnrolment:
    """A new secret waiting for its first code: as text, as an otpauth:// URI, and signed for the confirmation."""

    secret: str
    uri: str
    token: str


def start_totp(*, user: User, enrolment: totp.Enrolment) -> TotpEnrolment:
    """A new secret for the user to add to an authenticator app; nothing is stored until confirmed."""
    secret = totp.new_secret()
    return TotpEnrolment(secret, totp.provisioning_uri(secret, user.username), enrolment.token(user.id, secret))


def again_totp(*, user: User, token: str, enrolment: totp.Enrolment) -> TotpEnrolment:
    """The same pending secret after a wrong code (a new one if the set-up has expired)."""
    secret = enrolment.secret(token, user.id)
    if secret is None:
        return start_totp(user=user, enrolment=enrolment)
    return TotpEnrolment(secret, totp.provisioning_uri(secret, user.username), token)


def confirm_totp(
    *, db: Session, user: User, token: str, code: str, enrolment: totp.Enrolment, vault: totp.Vault
) -> None:
    """Store the pending secret, sealed, once the user shows a current code from it; from then on sign-in
    needs a code."""
    secret = enrolment.secret(token, user.id)
    if secret is None:
        raise InvalidInput([{"loc": ["token"], "msg": "the set-up has expired; start again"}])
    step = totp.matching_step(secret, code, clock.now())
    if step is None:
        raise InvalidInput([{"loc": ["code"], "msg": "Enter the 6-digit code your authenticator app shows now"}])
    user.totp_secret, user.totp_last_step = vault.seal(secret), step  # the code that confirmed it cannot sign in
    audit.record(db=db, actor=actor_for(user), action="totp_enrol", object_type="user", object_id=user.id)
    db.flush()


_DUMMY_HASH = security.hash_password("not-a-real-password-0")
