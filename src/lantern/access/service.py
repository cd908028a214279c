"""Users: creation, authentication, lookup."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.access import security
from lantern.access.models import User
from lantern.access.vocabulary import AGENCIES, ROLES
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.common.errors import InvalidInput


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


def authenticate(*, db: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = db.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or not user.is_active:
        security.password_matches(_DUMMY_HASH, password)  # same work, so timing does not tell
        return None
    return user if security.password_matches(user.password_hash, password) else None


def get_active_user(*, db: Session, user_id: str) -> User | None:
    """The user if they exist and are still active (deactivation takes effect at once)."""
    user = db.get(User, user_id)
    return user if user is not None and user.is_active else None


def list_users(*, db: Session) -> list[User]:
    """All users, by agency then name."""
    return list(db.execute(select(User).order_by(User.agency, User.username)).scalars())


_DUMMY_HASH = security.hash_password("not-a-real-password-0")
