"""`lantern demo` casework on both backends: the S4 baby's case held by the demo social worker, the S3
baby's case unallocated, supervision and a meeting, added once however often the demo starts."""

from __future__ import annotations

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lantern.casework import demo
from lantern.casework.models import Case, MeetingSeries, WorkerSetting
from lantern.config import Settings
from lantern.demo import seed


def test_demo_casework_is_seeded_once(settings: Settings, db: Session) -> None:
    for path in (p for p in seed.scenario_files() if p.stem[:2] in ("s3", "s4")):
        records = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
        seed.load_records(db=db, records=records, max_bytes=settings.max_event_bytes)
    db.commit()
    demo.seed(settings=settings)
    demo.seed(settings=settings)
    cases = list(db.execute(select(Case).order_by(Case.opened_at)).scalars())
    assert [(c.worker, c.manager, c.is_complex) for c in cases] == [
        ("csc.worker", "csc.manager", True),
        (None, "csc.manager", False),
    ]
    assert cases[1].allocation_duty_id is not None
    assert db.execute(select(func.count()).select_from(MeetingSeries)).scalar_one() == 1
    assert db.get(WorkerSetting, "csc.worker") is not None
