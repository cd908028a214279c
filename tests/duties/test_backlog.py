"""Duty rules for file ingestion: queued with the events, raised before `ingest_file` returns,
and caught up by the scheduler after a stopped run."""

from __future__ import annotations

import io
import time
from pathlib import Path

import orjson
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from lantern.audit.service import SYSTEM, Actor
from lantern.db.engine import make_engine, make_session_factory
from lantern.db.portable import session_bindings
from lantern.demo import population
from lantern.duties import backlog, creation, service
from lantern.duties.models import Duty, DutyTransition
from lantern.events import flows
from lantern.events import service as events_service
from lantern.events.schemas import parse_event
from lantern.identity import merge
from lantern.people.rules import with_check_digit
from tests.duties.test_api import _incident
from tests.factories import event, person
from tests.support.duties import owed, raised


def _factory(database_url: str) -> sessionmaker[Session]:
    return make_session_factory(make_engine(database_url))


def _queue_an_incident(factory: sessionmaker[Session]) -> str:
    """Store a police incident and queue it for the duty rules, as a file batch does; its event id."""
    with factory.begin() as db:
        stored = events_service.store(db=db, events=[(0, parse_event(_incident()))], actor=SYSTEM)
        event_id = str(stored[0].event_id)
        service.defer(db=db, events=[(event_id, "police.domestic_abuse_incident")])
    return event_id


def _population_file(tmp_path: Path, count: int, prefix: str) -> Path:
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in population.events(count, seed=5, prefix=prefix)))
    return path


@pytest.mark.parametrize("waiting", [backlog.Follower.WAITING, 0])
def test_ingested_file_raises_every_owed_duty_and_leaves_no_backlog(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, waiting: int
) -> None:
    """With `waiting` 0 the worker on PostgreSQL takes no batch: the catch-up after the file raises them all."""
    monkeypatch.setattr(backlog.Follower, "WAITING", waiting)
    path = _population_file(tmp_path, 600, "BACK")
    factory = _factory(database_url)
    summary = flows.ingest_file(
        session_factory=factory, path=path, actor=SYSTEM, rejects=io.BytesIO(), batch_size=200, max_bytes=65536
    )
    with factory() as db:
        assert summary.duties == db.execute(select(func.count()).select_from(Duty)).scalar_one() > 0
        assert raised(db) == owed(db)
        assert backlog.pending(db=db) == 0


def test_the_duties_of_a_batch_are_raised_while_the_file_is_still_being_stored(
    database_url: str, tmp_path: Path
) -> None:
    """ADR 54: the rules follow the file, batch by batch, from what the writer holds: on SQLite in the
    batch's own transaction, on PostgreSQL on a worker thread once it is committed."""
    path = _population_file(tmp_path, 600, "FOL")
    factory = _factory(database_url)
    during: list[int] = []  # duties raised once the first batch is stored, before the second is

    def after_first_batch(_: int) -> None:
        if during:
            return
        deadline = time.monotonic() + 20
        with factory() as db:
            while not _duties(db) and time.monotonic() < deadline:
                db.rollback()
                time.sleep(0.05)
            during.append(_duties(db))

    summary = flows.ingest_file(
        session_factory=factory,
        path=path,
        actor=SYSTEM,
        rejects=io.BytesIO(),
        batch_size=200,
        max_bytes=65536,
        on_progress=after_first_batch,
    )
    with factory() as db:
        assert during[0] > 0
        assert summary.duties == len(raised(db)) and raised(db) == owed(db)
        assert backlog.pending(db=db) == 0


def test_a_batch_whose_rules_fail_is_kept_whole_or_queued(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite a batch's events and their duties are committed together, so a failure in the rules stores
    neither; on PostgreSQL the batch is stored and queued before its rules run, so it waits in the backlog."""

    def failing(**_: object) -> int:
        raise RuntimeError("the rules failed")

    monkeypatch.setattr(creation, "create_for_facts", failing)
    path = _population_file(tmp_path, 100, "FAIL")
    factory = _factory(database_url)
    with pytest.raises(RuntimeError, match="the rules failed"):
        flows.ingest_file(
            session_factory=factory, path=path, actor=SYSTEM, rejects=io.BytesIO(), batch_size=50, max_bytes=65536
        )
    with factory() as db:
        stored, queued, duties = events_service.count(db=db), backlog.pending(db=db), _duties(db)
    if "sqlite" in database_url:
        assert (stored, queued, duties) == (0, 0, 0)
    else:
        assert stored == 100 and queued > 0 and duties == 0


def _duties(db: Session) -> int:
    return db.execute(select(func.count()).select_from(Duty)).scalar_one()


def _family_records(k: int, nhs_number: str) -> list[dict]:
    """A police incident with a child, and children's social care's referral of her four days later."""
    child = {"given_name": "Ruby", "family_name": f"Hale{k}", "nhs_number": nhs_number, "date_of_birth": "2017-03-01"}
    incident = {
        **_incident(f"DA-{k}"),
        "subjects": [
            {"role": "victim", "person": person("Kerry", f"Hale{k}", local_id=f"POL-{k}-1")},
            {"role": "child_present", "person": child},
        ],
    }
    referral = event(
        agency="csc",
        type_="csc.referral",
        ref=f"REF-{k}",
        occurred_at="2025-08-26T10:00:00+00:00",
        summary="Referral from police",
        payload={"decision": "strategy discussion"},
        subjects=[{"role": "child", "person": child}],
    )
    return [incident, referral] if k % 2 else [referral, incident]  # evidence may come first


def test_rules_run_in_many_batches_by_parallel_workers_raise_and_acknowledge_each_duty_once(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL two workers catch up on the batches (ADR 53): evidence in one batch meets duties raised
    in another, perhaps at the same moment, and each duty is still raised once and acknowledged once."""
    monkeypatch.setattr(backlog, "BATCH", 7)
    numbers = [number for n in range(700, 800) if (number := with_check_digit(f"999{n:06d}"))][:40]
    records = [r for k, number in enumerate(numbers) for r in _family_records(k, number)]
    factory = _factory(database_url)
    for start in range(0, len(records), 20):  # file batches that a killed ingestion left queued
        _stored(factory, records[start : start + 20])
    service.catch_up(session_factory=factory)
    acknowledged = (
        select(Duty.rule_code, func.count(DutyTransition.duty_id))
        .join(DutyTransition, DutyTransition.duty_id == Duty.id)
        .where(DutyTransition.to_status == "acknowledged")
        .group_by(Duty.id, Duty.rule_code)
    )
    with factory() as db:
        assert raised(db) == owed(db)
        assert sorted(map(tuple, db.execute(acknowledged))) == [("police-da-to-csc", 1)] * 40
        assert backlog.pending(db=db) == 0


def test_a_duty_closed_since_it_was_found_open_is_not_acknowledged_again(database_url: str) -> None:
    factory = _factory(database_url)
    _queue_an_incident(factory)
    service.catch_up(session_factory=factory)
    with factory.begin() as db:
        closed, still_open = sorted(db.execute(select(Duty.id).where(Duty.rule_code == "police-da-to-csc")).scalars())
        social_worker = Actor(id=None, name="sw", agency="csc", role="practitioner")
        service.acknowledge(db=db, duty_id=closed, actor=social_worker, note="read in the inbox")
    with factory.begin() as db:
        assert [duty.id for duty in creation._load_open(db, [closed, still_open])] == [still_open]


def test_scheduler_pass_raises_the_duties_a_stopped_ingestion_left_queued(database_url: str) -> None:
    factory = _factory(database_url)
    _queue_an_incident(factory)  # a file batch committed, then the process was killed
    with factory() as db:
        assert (raised(db), backlog.pending(db=db)) == (set(), 1)
    with factory.begin() as db:
        service.scheduler_pass(db=db)
    with factory() as db:
        assert raised(db) == owed(db) != set()
        assert backlog.pending(db=db) == 0


def test_running_the_rules_again_for_an_event_raises_nothing_new(database_url: str) -> None:
    factory = _factory(database_url)
    event_id = _queue_an_incident(factory)
    first = service.catch_up(session_factory=factory)
    with factory.begin() as db:
        service.defer(db=db, events=[(event_id, "police.domestic_abuse_incident")])
    assert (first > 0, service.catch_up(session_factory=factory)) == (True, 0)


def _stored(factory: sessionmaker[Session], records: list[dict]) -> list[events_service.StoredEvent]:
    """Store records as a file batch does (queued for the rules); the new events as the writer holds them."""
    valid, rejected = flows.validate(enumerate(records), max_bytes=65536)
    assert not rejected
    with factory.begin() as db:
        bind = session_bindings(db)
        prepared = [events_service.prepare(index, event, bind) for index, event in valid]
        stored = events_service.store_prepared(db=db, events=prepared, actor=SYSTEM)
        service.defer(db=db, events=[(new.id, new.event.values[2]) for new in stored.new])
    return stored.new


def test_facts_from_the_values_written_are_the_facts_read_back(database_url: str) -> None:
    """ADR 54: the rules that follow a file read what the writer holds; it must be exactly what they
    would read back, ages from a person's date of birth where the record gives none included."""
    factory = _factory(database_url)
    records = list(population.events(1200, seed=11, prefix="WR"))
    _stored(factory, records[:600])
    undated = _incident("WR-UNDATED")  # the same household, the dates of birth known from the first
    undated["subjects"] = [
        {**s, "person": {k: v for k, v in s["person"].items() if k != "date_of_birth"}} for s in undated["subjects"]
    ]
    _stored(factory, [_incident()])
    new = _stored(factory, [*records[600:], undated])
    with factory() as db:
        from_writer = creation.facts_of_written(
            db=db, written=events_service.written_for_duties(new, backlog.queued_types())
        )
        read_back = creation.facts_for(db=db, event_ids=[n.id for n in new], types=backlog.queued_types())
    assert len(from_writer) > 150
    assert sorted(from_writer, key=lambda f: f.id) == sorted(read_back, key=lambda f: f.id)
    ages_from_people = [s for f in from_writer for s in f.subjects if "date_of_birth" not in s.record and s.age_days]
    assert ages_from_people


def test_rules_for_a_stored_batch_leave_alone_the_events_a_catch_up_has_taken(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    factory = _factory(database_url)
    new = _stored(factory, [_incident()])
    first = service.catch_up(session_factory=factory)  # e.g. the scheduler's pass, between storing and following
    run_for: list[int] = []
    facts_of_written = creation.facts_of_written
    monkeypatch.setattr(
        creation, "facts_of_written", lambda **kw: run_for.append(len(kw["written"])) or facts_of_written(**kw)
    )
    with factory.begin() as db:
        again = backlog.run_written(db=db, written=events_service.written_for_duties(new, backlog.queued_types()))
    with factory() as db:
        assert (first > 0, again, run_for) == (True, 0, [0])
        assert raised(db) == owed(db)


def test_rules_run_after_a_merge_are_about_the_person_kept(database_url: str) -> None:
    """On PostgreSQL a batch's rules run after its commit: a merge in between moved its records."""
    factory = _factory(database_url)
    new = _stored(factory, [_incident()])
    child = next(
        person_id
        for person_id, subject in zip(new[0].person_ids, new[0].event.subjects, strict=True)
        if subject.role == "child_present"
    )
    stand_in = _stored(
        factory,
        [event(ref="GP-RUBY", subjects=[{"role": "patient", "person": person("Ruby", "Hale", local_id="GP-7")}])],
    )
    kept = stand_in[0].person_ids[0]
    with factory.begin() as db:
        merge.merge(db, kept_id=kept, merged_id=child, actor=SYSTEM, reason="the same child")
    with factory.begin() as db:
        backlog.run_written(db=db, written=events_service.written_for_duties(new, backlog.queued_types()))
    with factory() as db:
        about = set(db.execute(select(Duty.person_id)).scalars())
    assert kept in about and child not in about
