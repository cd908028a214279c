"""Duty rules for file ingestion: queued with the events, raised before `ingest_file` returns,
and caught up by the scheduler after a stopped run."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from lantern.audit.service import SYSTEM
from lantern.db.engine import make_engine, make_session_factory
from lantern.demo import population
from lantern.duties import backlog, service
from lantern.duties.models import Duty
from lantern.events import flows
from lantern.events import service as events_service
from lantern.events.schemas import parse_event
from tests.duties.test_api import _incident
from tests.support.duties import owed, raised


def _factory(database_url: str) -> sessionmaker[Session]:
    return make_session_factory(make_engine(database_url))


def test_ingested_file_raises_every_owed_duty_and_leaves_no_backlog(database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in population.events(600, seed=5, prefix="BACK")))
    factory = _factory(database_url)
    summary = flows.ingest_file(
        session_factory=factory, path=path, actor=SYSTEM, rejects=io.BytesIO(), batch_size=200, max_bytes=65536
    )
    with factory() as db:
        assert summary.duties == db.execute(select(func.count()).select_from(Duty)).scalar_one() > 0
        assert raised(db) == owed(db)
        assert backlog.pending(db=db) == 0


def test_scheduler_pass_raises_the_duties_a_stopped_ingestion_left_queued(database_url: str) -> None:
    factory = _factory(database_url)
    with factory.begin() as db:  # a file batch committed, then the process was killed
        stored = events_service.store(db=db, events=[(0, parse_event(_incident()))], actor=SYSTEM)
        service.defer(db=db, events=[(stored[0].event_id, "police.domestic_abuse_incident")])
    with factory() as db:
        assert (raised(db), backlog.pending(db=db)) == (set(), 1)
    with factory.begin() as db:
        service.scheduler_pass(db=db)
    with factory() as db:
        assert raised(db) == owed(db) != set()
        assert backlog.pending(db=db) == 0


def test_running_the_rules_again_for_an_event_raises_nothing_new(database_url: str) -> None:
    factory = _factory(database_url)
    with factory.begin() as db:
        stored = events_service.store(db=db, events=[(0, parse_event(_incident()))], actor=SYSTEM)
        service.defer(db=db, events=[(stored[0].event_id, "police.domestic_abuse_incident")])
    first = service.catch_up(session_factory=factory)
    with factory.begin() as db:
        service.defer(db=db, events=[(stored[0].event_id, "police.domestic_abuse_incident")])
    assert (first > 0, service.catch_up(session_factory=factory)) == (True, 0)
