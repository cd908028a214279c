"""Supervision: each worker's required frequency, sessions with case-by-case decisions and actions,
overdue supervision computed per worker, and the team report a manager reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.access import policy
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.casework import rules, service
from lantern.casework.models import Case, CaseAction, SupervisionRecord, WorkerSetting
from lantern.casework.schemas import ActionIn, ActionRead, SupervisionIn, TeamReport, WorkerSettingIn, WorkerSupervision
from lantern.common import clock
from lantern.common.errors import Conflict, InvalidInput
from lantern.db.rows import found
from lantern.db.types import new_id


def set_worker(*, db: Session, actor: Actor, worker: str, setting_in: WorkerSettingIn) -> WorkerSetting:
    """A manager sets a worker's supervisor and, optionally, their own interval (None: the default)."""
    policy.require(actor, "supervision:manage")
    setting = db.get(WorkerSetting, worker)
    today = rules.local_day(clock.now())
    if setting is None:
        setting = WorkerSetting(worker=worker, started_on=setting_in.started_on or _started(db, worker) or today)
        db.add(setting)
    elif setting_in.started_on:
        setting.started_on = setting_in.started_on
    setting.supervisor, setting.frequency_days = setting_in.supervisor, setting_in.frequency_days
    setting.updated_at, setting.updated_by = clock.now(), actor.name
    db.flush()
    detail = {"supervisor": setting.supervisor, "frequency_days": setting.frequency_days}
    audit.record(db=db, actor=actor, action="update", object_type="casework_worker", object_id=worker, detail=detail)
    return setting


def _started(db: Session, worker: str) -> date | None:
    first = service.opened_before(db, worker)
    return rules.local_day(first) if first else None


def record(*, db: Session, actor: Actor, supervision_in: SupervisionIn) -> SupervisionRecord:
    """Record a session held with a worker: a decision per case discussed, and actions with owners."""
    policy.require(actor, "supervision:manage")
    if supervision_in.held_on > rules.local_day(clock.now()):
        raise InvalidInput([{"loc": ["held_on"], "msg": "a supervision is recorded once it has been held"}])
    for decision in supervision_in.decisions:
        service.get(db=db, case_id=decision.case_id)
    row = SupervisionRecord(
        id=new_id(),
        worker=supervision_in.worker,
        supervisor=actor.name,
        held_on=supervision_in.held_on,
        decisions=[d.model_dump() for d in supervision_in.decisions],
        notes=supervision_in.notes,
        recorded_at=clock.now(),
        recorded_by=actor.name,
    )
    db.add(row)
    db.flush()
    add_actions(db, "supervision", row.id, supervision_in.actions)
    audit.record(
        db=db,
        actor=actor,
        action="supervise",
        object_type="casework_supervision",
        object_id=row.id,
        detail={"worker": row.worker, "cases": [d.case_id for d in supervision_in.decisions]},
    )
    return row


def add_actions(db: Session, source: str, source_id: str, actions: Sequence[ActionIn]) -> list[CaseAction]:
    """Store actions set in a supervision or a meeting."""
    rows = [
        CaseAction(
            id=new_id(),
            source=source,
            source_id=source_id,
            case_id=a.case_id,
            description=a.description,
            owner=a.owner,
            due_on=a.due_on,
            status="open",
            created_at=clock.now(),
        )
        for a in actions
    ]
    db.add_all(rows)
    db.flush()
    return rows


def complete_action(*, db: Session, actor: Actor, action_id: str) -> CaseAction:
    """Mark an action done."""
    policy.require(actor, "meeting:write")
    action = found(db, CaseAction, action_id, "action")
    if action.status != "open":
        raise Conflict("this action is already done")
    action.status, action.done_at, action.done_by = "done", clock.now(), actor.name
    db.flush()
    audit.record(db=db, actor=actor, action="complete", object_type="casework_action", object_id=action.id)
    return action


def action_read(action: CaseAction, today: date) -> ActionRead:
    """An action with whether it is past its due day."""
    shown = ActionRead.model_validate(action)
    shown.is_overdue = action.status == "open" and today > action.due_on
    return shown


def history(*, db: Session, worker: str) -> list[SupervisionRecord]:
    """A worker's sessions, newest first."""
    stmt = select(SupervisionRecord).where(SupervisionRecord.worker == worker)
    return list(db.execute(stmt.order_by(SupervisionRecord.held_on.desc())).scalars())


def worker_line(db: Session, worker: str, today: date) -> WorkerSupervision:
    """One worker's frequency, last session, due day and whether overdue (pure rules over their rows)."""
    setting = db.get(WorkerSetting, worker)
    cases = list(db.execute(select(Case).where(Case.worker == worker, Case.status == "open")).scalars())
    complex_cases = sum(c.is_complex for c in cases)
    frequency = rules.supervision_frequency_days(setting.frequency_days if setting else None, complex_cases > 0)
    source = "worker's own" if setting and setting.frequency_days else "default"
    if complex_cases and frequency == rules.config().supervision.complex_days:
        source = "complex case"
    held = [r.held_on for r in history(db=db, worker=worker)]
    started = (setting.started_on if setting else None) or _started(db, worker) or today
    due = rules.supervision_due(max(held) if held else None, started, frequency)
    open_actions = _open_actions(db, [worker])
    return WorkerSupervision(
        worker=worker,
        supervisor=setting.supervisor if setting else None,
        frequency_days=frequency,
        frequency_source=source,
        open_cases=len(cases),
        complex_cases=complex_cases,
        last_held_on=max(held) if held else None,
        due_on=due,
        is_overdue=rules.is_supervision_overdue(due, today),
        days_overdue=max((today - due).days, 0),
        frequency_met=rules.frequency_met(held, frequency, started, today),
        open_actions=len(open_actions),
    )


def due_on(*, db: Session, worker: str) -> date:
    """The day the worker's next supervision is due."""
    return worker_line(db, worker, rules.local_day(clock.now())).due_on


def _open_actions(db: Session, workers: Sequence[str]) -> list[CaseAction]:
    """Open actions from supervision sessions with these workers, soonest due first."""
    sessions = select(SupervisionRecord.id).where(SupervisionRecord.worker.in_(workers))
    stmt = select(CaseAction).where(
        CaseAction.source == "supervision", CaseAction.status == "open", CaseAction.source_id.in_(sessions)
    )
    return list(db.execute(stmt.order_by(CaseAction.due_on)).scalars())


def team_of(db: Session, manager: str) -> list[str]:
    """The manager's team: workers they supervise, and workers of the open cases they manage."""
    supervised = db.execute(select(WorkerSetting.worker).where(WorkerSetting.supervisor == manager)).scalars()
    allocated = db.execute(
        select(Case.worker).where(Case.manager == manager, Case.status == "open", Case.worker.is_not(None))
    ).scalars()
    return sorted({*supervised, *(w for w in allocated if w)})


def team_report(*, db: Session, actor: Actor, manager: str | None = None) -> TeamReport:
    """Each worker's supervision frequency and whether it is met or overdue, and the open actions."""
    policy.require(actor, "supervision:manage")
    manager = manager or actor.name
    today = rules.local_day(clock.now())
    workers = team_of(db, manager)
    lines = sorted((worker_line(db, w, today) for w in workers), key=lambda w: (not w.is_overdue, w.due_on))
    actions = [action_read(a, today) for a in _open_actions(db, workers)]
    audit.record(
        db=db,
        actor=actor,
        action="read",
        object_type="casework_team_report",
        object_id=manager,
        detail={"workers": workers},
    )
    return TeamReport(manager=manager, today=today, workers=lines, open_actions=actions)
