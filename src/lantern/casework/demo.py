"""Demo casework for `lantern demo`: the S4 baby's case held by the demo social worker, the S3 baby's
case waiting for allocation, the worker's supervision (due), and a twice-weekly meeting. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.audit.service import Actor
from lantern.casework import meetings, rules, service, supervision
from lantern.casework.models import MeetingSeries, WorkerSetting
from lantern.casework.schemas import CaseIn, SeriesIn, WorkerSettingIn
from lantern.common import clock
from lantern.config import Settings
from lantern.db.engine import make_engine, make_session_factory
from lantern.events.models import Event, EventSubject

MANAGER = Actor(id=None, name="csc.manager", agency="csc", role="manager")
MEETING = "Twice-weekly multi-agency safeguarding meeting"


def seed(*, settings: Settings) -> None:
    """Add the demo casework to the configured database (once)."""
    engine = make_engine(settings.database_url)
    with make_session_factory(engine).begin() as db:
        seed_into(db)
    engine.dispose()


def seed_into(db: Session) -> None:
    """The demo cases, supervision setting and meeting, where not already there."""
    for ref, worker in (("S4-CSC-007", "csc.worker"), ("S3-CSC-004", None)):
        child = _child_in(db, ref)
        if child is not None and not service.list_cases(db=db, actor=MANAGER, person_id=child):
            case_in = CaseIn(person_id=child, manager=MANAGER.name, worker=worker, is_complex=worker is not None)
            service.open_case(db=db, actor=MANAGER, case_in=case_in)
    if db.get(WorkerSetting, "csc.worker") is None:
        started = rules.local_day(clock.now()) - timedelta(days=42)
        setting = WorkerSettingIn(supervisor=MANAGER.name, started_on=started)
        supervision.set_worker(db=db, actor=MANAGER, worker="csc.worker", setting_in=setting)
    if db.execute(select(MeetingSeries.id).where(MeetingSeries.title == MEETING)).first() is None:
        series_in = SeriesIn(title=MEETING, agencies=["csc", "police", "health_visiting", "hospital", "education"])
        meetings.create_series(db=db, actor=MANAGER, series_in=series_in)


def _child_in(db: Session, source_ref: str) -> str | None:
    """The child named in a scenario's CSC record, if the scenarios are loaded."""
    stmt = (
        select(EventSubject.person_id)
        .join(Event, Event.id == EventSubject.event_id)
        .where(Event.source_agency == "csc", Event.source_ref == source_ref, EventSubject.role == "child")
        .order_by(EventSubject.position)
        .limit(1)
    )
    return db.execute(stmt).scalar_one_or_none()
