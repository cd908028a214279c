"""`lantern demo`: migrate, load the five scenarios and a small population, create demo users."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson
from rich.console import Console
from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.access import service as access_service
from lantern.access.models import User
from lantern.access.security import hash_password
from lantern.audit.service import SYSTEM, Actor
from lantern.config import Settings
from lantern.db.engine import make_engine, make_session_factory
from lantern.db.migrate import upgrade
from lantern.demo import population
from lantern.duties import service as duties_service
from lantern.events import flows, service

SCENARIOS = Path(__file__).parent / "scenarios"
LOADER = Actor(id=None, name="demo-loader", agency=None, role="system")

DEMO_USERS = [
    ("csc.worker", "csc", "practitioner", "Sam Okafor", "Social worker, children's social care"),
    ("csc.manager", "csc", "manager", "Priya Nair", "Team manager, children's social care"),
    ("police.ppu", "police", "practitioner", "DC Alex Byrne", "Public protection unit officer"),
    ("hv.nurse", "health_visiting", "practitioner", "Jo Whitfield", "Health visitor"),
    ("school.dsl", "education", "practitioner", "Mr Tom Hale", "School designated safeguarding lead"),
    ("panel.reviewer", "panel", "reviewer", "Dr Ruth Ames", "Safeguarding partnership reviewer"),
    ("admin", "panel", "admin", "Lantern Administrator", "Administrator"),
]


def scenario_files() -> list[Path]:
    """The scenario event files, S1 to S5."""
    return sorted(SCENARIOS.glob("s*.jsonl"))


def load_records(*, db: Session, records: Iterable[dict[str, Any]], max_bytes: int) -> tuple[int, int]:
    """Validate and store records as the demo loader; returns (stored, rejected)."""
    valid, rejected = flows.validate(enumerate(records), max_bytes=max_bytes)
    if rejected:
        raise ValueError(f"demo data has invalid records: {rejected[0].errors}")
    results = service.store(db=db, events=valid, actor=LOADER)
    duties_service.create_for_events(
        db=db, event_ids=[r.event_id for r in results if r.event_id and r.status == "accepted"]
    )
    return sum(r.status == "accepted" for r in results), len(rejected)


def seed_demo(*, settings: Settings, families: int, console: Console) -> list[tuple[str, str, str]]:
    """Set up the demo database; returns (username, password, description) for each demo user."""
    upgrade(settings.database_url)
    factory = make_session_factory(make_engine(settings.database_url))
    for path in scenario_files():
        with factory.begin() as db, path.open("rb") as handle:
            stored, _ = load_records(
                db=db,
                records=(orjson.loads(line) for line in handle if line.strip()),
                max_bytes=settings.max_event_bytes,
            )
        console.print(f"Scenario {path.stem}: {stored} new records")
    with factory.begin() as db:
        stored, _ = load_records(db=db, records=population_events(families), max_bytes=settings.max_event_bytes)
    console.print(f"Synthetic population: {stored} new records")
    with factory.begin() as db:
        return [_reset_demo_user(db, *user) for user in DEMO_USERS]


def population_events(families: int) -> Iterable[dict[str, Any]]:
    """About ten records a family, deterministic."""
    return population.events(families * 10, seed=7, prefix="DEMO")


def _reset_demo_user(db: Session, username: str, agency: str, role: str, name: str, about: str) -> tuple[str, str, str]:
    """Create the demo user, or give them a fresh random password."""
    password = f"{secrets.token_urlsafe(9)}-7a"
    user = db.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        access_service.create_user(
            db=db, username=username, password=password, agency=agency, role=role, full_name=name, actor=SYSTEM
        )
    else:
        user.password_hash, user.is_active = hash_password(password), True
    return username, password, about
