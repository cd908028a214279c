"""Standing multi-agency meetings (S3: e.g. twice weekly): the series, each sitting's agenda built
from the alerts raised and the duties gone overdue since the last sitting, attendance by agency,
and an actions log with owners and due days."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.access import policy
from lantern.access.vocabulary import AGENCIES
from lantern.alerts import service as alerts_service
from lantern.alerts.models import Alert
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.casework import rules, service, supervision
from lantern.casework.models import CaseAction, MeetingSeries, MeetingSitting
from lantern.casework.schemas import SeriesIn, SeriesRead, SittingRead, SittingUpdate
from lantern.common import clock, workdays
from lantern.common.errors import Conflict, InvalidInput
from lantern.db.rows import found
from lantern.db.types import new_id
from lantern.duties import service as duties_service
from lantern.register import alerting as register_alerting
from lantern.register.rules import ACTION as REGISTER_ACTION


def create_series(*, db: Session, actor: Actor, series_in: SeriesIn) -> MeetingSeries:
    """Set up a standing meeting (weekdays and time default to casework.toml: twice weekly)."""
    policy.require(actor, "meeting:write")
    unknown = [a for a in series_in.agencies if a not in AGENCIES]
    if unknown or any(not 0 <= d <= 6 for d in series_in.weekdays or []):
        raise InvalidInput([{"loc": ["agencies"], "msg": f"unknown agency or weekday: {unknown}"}])
    defaults = rules.config().meeting
    series = MeetingSeries(
        id=new_id(),
        title=series_in.title,
        weekdays=sorted(set(series_in.weekdays or defaults.weekdays)),
        at_time=series_in.at_time or defaults.time,
        agencies=series_in.agencies,
        created_at=clock.now(),
        created_by=actor.name,
    )
    db.add(series)
    db.flush()
    audit.record(db=db, actor=actor, action="create", object_type="casework_meeting_series", object_id=series.id)
    return series


def list_series(*, db: Session, actor: Actor) -> list[SeriesRead]:
    """Standing meetings with their next three sittings."""
    policy.require(actor, "meeting:read")
    rows = db.execute(select(MeetingSeries).order_by(MeetingSeries.title)).scalars()
    return [series_read(s) for s in rows]


def series_read(series: MeetingSeries) -> SeriesRead:
    shown = SeriesRead.model_validate(series)
    shown.next_sittings = rules.next_sittings(series.weekdays, series.at_time, clock.now(), 3)
    return shown


def open_sitting(*, db: Session, actor: Actor, series_id: str, starts_at: datetime | None = None) -> MeetingSitting:
    """Open a sitting (by default today's or the next): its agenda covers the time since the last."""
    policy.require(actor, "meeting:write")
    series = _series(db, series_id)
    starts = starts_at or rules.next_sittings(series.weekdays, series.at_time, clock.now() - timedelta(hours=12), 1)[0]
    last = db.execute(
        select(MeetingSitting)
        .where(MeetingSitting.series_id == series.id)
        .order_by(MeetingSitting.starts_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    if last is not None and last.starts_at >= starts:
        raise Conflict("a sitting at or after this time is already open")
    sitting = MeetingSitting(
        id=new_id(),
        series_id=series.id,
        starts_at=starts,
        since=last.starts_at if last else series.created_at,
        agenda=[],
        attendance=[],
        status="open",
        created_at=clock.now(),
        created_by=actor.name,
    )
    db.add(sitting)
    db.flush()
    _evaluate_patterns(db, sitting.since)
    audit.record(db=db, actor=actor, action="create", object_type="casework_meeting", object_id=sitting.id)
    return sitting


def _evaluate_patterns(db: Session, since: datetime) -> None:
    """Pattern alerts are evaluated on read (ADR 16): evaluate them for every child named in a record
    received since the last sitting, once, when the sitting opens."""
    for person_id in alerts_service.about_people_seen_since(db=db, since=since):
        alerts_service.evaluate(db=db, person_id=person_id)


def agenda(db: Session, since: datetime, until: datetime) -> list[dict[str, Any]]:
    """Alerts raised or updated since the last sitting, and open duties past their deadline (new when
    the deadline passed since the last sitting), the children named."""
    alerts = db.execute(
        select(Alert)
        .where(Alert.status == "open", Alert.updated_at > since, Alert.updated_at <= until)
        .order_by(Alert.updated_at)
    ).scalars()
    items: list[dict[str, Any]] = [
        {
            "kind": "alert",
            "title": a.title,
            "detail": a.explanation,
            "person_id": a.person_id,
            "ref": a.id,
            "is_new": True,
        }
        for a in alerts
    ]
    for r in register_alerting.list_alerts(db=db):
        if r.status == "open" and since < r.raised_at <= until:
            child = next((m["person_id"] for m in r.members if m["is_child"]), None)
            items.append(
                {
                    "kind": "register_alert",
                    "title": "Household alert",
                    "detail": r.explanation,
                    "person_id": child,
                    "ref": r.id,
                    "is_new": True,
                }
            )
    duties = duties_service.list_duties(db=db, statuses=duties_service.OPEN, limit=2000)
    overdue = [d for d in duties if d.due_at < until]
    items += [
        {
            "kind": "duty",
            "title": d.title,
            "detail": f"{AGENCIES.get(d.recipient_agency, d.recipient_agency)}, "
            f"{d.recipient_team}: due {d.due_at.astimezone(workdays.LONDON):%-d %b %Y %H:%M}",
            "person_id": d.person_id,
            "ref": d.id,
            "is_new": d.due_at > since,
        }
        for d in overdue
    ]
    names = service.names_of(db, [str(i["person_id"]) for i in items if i["person_id"]])
    return [{**i, "name": names.get(str(i["person_id"]), "")} for i in items]


def update_sitting(*, db: Session, actor: Actor, sitting_id: str, change: SittingUpdate) -> MeetingSitting:
    """Record attendance by agency, notes and actions; closing keeps the agenda as it stood."""
    policy.require(actor, "meeting:write")
    sitting = _get(db, sitting_id)
    if sitting.status != "open":
        raise Conflict("this sitting is closed")
    if change.attendance is not None:
        if unknown := [a.agency for a in change.attendance if a.agency not in AGENCIES]:
            raise InvalidInput([{"loc": ["attendance"], "msg": f"unknown agency: {', '.join(unknown)}"}])
        sitting.attendance = [a.model_dump() for a in change.attendance]
    if change.notes is not None:
        sitting.notes = change.notes
    supervision.add_actions(db, "meeting", sitting.id, change.actions)
    if change.close:
        sitting.agenda, sitting.status = agenda(db, sitting.since, max(sitting.starts_at, clock.now())), "closed"
    db.flush()
    audit.record(db=db, actor=actor, action="update", object_type="casework_meeting", object_id=sitting.id)
    return sitting


def read(*, db: Session, actor: Actor, sitting_id: str) -> SittingRead:
    """A sitting with its agenda (live until closed), attendance and actions; register alerts show
    their action only to those who may not read the register. Audited naming the children."""
    policy.require(actor, "meeting:read")
    sitting = _get(db, sitting_id)
    until = max(sitting.starts_at, clock.now())
    items = sitting.agenda if sitting.status == "closed" else agenda(db, sitting.since, until)
    if not policy.can(actor, "register:read"):
        items = [{**i, "detail": REGISTER_ACTION} if i["kind"] == "register_alert" else i for i in items]
    actions = db.execute(
        select(CaseAction)
        .where(CaseAction.source == "meeting", CaseAction.source_id == sitting.id)
        .order_by(CaseAction.due_on)
    ).scalars()
    today = rules.local_day(clock.now())
    audit.record(
        db=db,
        actor=actor,
        action="read",
        object_type="casework_meeting",
        object_id=sitting.id,
        detail={"person_ids": sorted({i["person_id"] for i in items if i["person_id"]})},
    )
    shown = SittingRead.model_validate(sitting)
    shown.agenda, shown.actions = items, [supervision.action_read(a, today) for a in actions]
    return shown


def sittings_of(*, db: Session, actor: Actor, series_id: str) -> list[MeetingSitting]:
    """A series' sittings, newest first."""
    policy.require(actor, "meeting:read")
    stmt = select(MeetingSitting).where(MeetingSitting.series_id == series_id)
    return list(db.execute(stmt.order_by(MeetingSitting.starts_at.desc())).scalars())


def get_series(*, db: Session, actor: Actor, series_id: str) -> MeetingSeries:
    """One standing meeting, or NotFound."""
    policy.require(actor, "meeting:read")
    return _series(db, series_id)


def _series(db: Session, series_id: str) -> MeetingSeries:
    return found(db, MeetingSeries, series_id, "meeting")


def _get(db: Session, sitting_id: str) -> MeetingSitting:
    return found(db, MeetingSitting, sitting_id, "sitting")
