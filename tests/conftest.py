"""Fixtures: every database test runs on SQLite and on a real throwaway PostgreSQL cluster.

Each test gets a fresh, migrated database: SQLite copies a migrated template file,
PostgreSQL creates a database from a migrated template database.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.orm import ORMExecuteState, Session

from lantern.access import security
from lantern.access import service as access_service
from lantern.access.models import User
from lantern.audit.service import SYSTEM
from lantern.common import clock
from lantern.config import Settings
from lantern.db.engine import make_engine, make_session_factory, reads_only
from lantern.db.migrate import upgrade
from lantern.main import create_app
from tests.support.postgres import Cluster

BACKENDS = ["sqlite", "postgres"]
PASSWORD = "correct-horse-9-battery"
_counter = itertools.count()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", default="all", choices=["all", *BACKENDS], help="database backends to test")


@event.listens_for(Session, "before_flush")
def _no_flush_in_a_read(db: Session, *_: object) -> None:
    """A GET that changes something must do it inside `db.engine.writing`: on SQLite it reads without the write lock."""
    if (db.new or db.dirty or db.deleted) and reads_only(db):
        raise AssertionError(f"a read-only request wrote: {list(db.new) + list(db.dirty) + list(db.deleted)}")


@event.listens_for(Session, "do_orm_execute")
def _no_dml_in_a_read(state: ORMExecuteState) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and reads_only(state.session):
        raise AssertionError(f"a read-only request wrote: {state.statement}")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        chosen = metafunc.config.getoption("--db")
        metafunc.parametrize("backend", BACKENDS if chosen == "all" else [chosen], scope="session")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster for the session; failing to start fails the suite (never skips)."""
    cluster = Cluster()
    try:
        cluster.start()
    except Exception as exc:  # noqa: BLE001 - report why, then fail loudly
        cluster.stop()
        pytest.fail(f"PostgreSQL could not start: {exc}; stderr: {getattr(exc, 'stderr', '')}")
    engine = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("CREATE DATABASE lantern_template"))
    engine.dispose()
    upgrade(cluster.url("lantern_template"))
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "lantern.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh migrated database on the backend under test."""
    if backend == "sqlite":
        path = tmp_path / "lantern.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    name = f"test_{next(_counter)}"
    engine = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE lantern_template"))
    engine.dispose()
    return cluster.url(name)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url, secret_key="test-secret-" + "x" * 40, cookie_secure=False, scheduler_seconds=0
    )


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def db(settings: Settings) -> Iterator[Session]:
    """A session on the test database, for arranging and checking state directly."""
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


@pytest.fixture
def make_user(settings: Settings) -> Callable[..., User]:
    """Create a user (committed) with the shared test password."""

    def create(username: str, agency: str = "csc", role: str = "practitioner") -> User:
        engine = make_engine(settings.database_url)
        with make_session_factory(engine).begin() as session:
            user = access_service.create_user(
                db=session,
                username=username,
                password=PASSWORD,
                agency=agency,
                role=role,
                full_name=username.title(),
                actor=SYSTEM,
            )
        engine.dispose()
        return user

    return create


@pytest.fixture
def login(client: TestClient, make_user: Callable[..., User]) -> Callable[..., dict[str, str]]:
    """Create a user and return bearer headers for them."""

    def headers(username: str, agency: str = "csc", role: str = "practitioner") -> dict[str, str]:
        make_user(username, agency, role)
        response = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    return headers


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing() -> Iterator[None]:
    """Argon2 with minimal cost: production parameters cost ~0.1 s per hash, thousands of times."""
    production = security._hasher
    security._hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    yield
    security._hasher = production


@pytest.fixture(autouse=True)
def system_clock() -> Iterator[None]:
    yield
    clock.set_clock(None)
