"""Disclosure requests on the pattern of the Child Sex Offender Disclosure Scheme (CSODS) and the
Domestic Violence Disclosure Scheme (DVDS): a parent or an agency asks whether a named person
poses a risk to a child; checks, a decision and any disclosure are recorded against deadlines.

Every step is audited; the scheme's deadlines (`register.toml` [disclosure]) are shown on the
register's pages as due or overdue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.access import policy
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.common.errors import InvalidInput
from lantern.db.rows import found
from lantern.db.types import new_id
from lantern.register import rules
from lantern.register import service as register_service
from lantern.register.models import DisclosureRequest

OPEN = ("received", "checked", "decided")


class RequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    scheme: Literal["csods", "dvds"]
    route: Literal["right_to_ask", "right_to_know"]
    subject_person_id: str | None = None
    subject_name: str = Field(min_length=1, max_length=200)
    requester_name: str = Field(min_length=1, max_length=200)
    requester_relation: str = Field(min_length=1, max_length=100, description="e.g. mother of the child, school")
    reason: str = Field(min_length=1, max_length=5000)


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    check: str = Field(min_length=1, max_length=200, description="e.g. PNC, register, CSC records, probation")
    finding: str = Field(min_length=1, max_length=5000)


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    decision: Literal["disclose", "no_disclosure"]
    reason: str = Field(min_length=1, max_length=5000)


class DisclosedIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    disclosed_to: str = Field(min_length=1, max_length=200)
    disclosed_what: str = Field(min_length=1, max_length=5000)


def receive(*, db: Session, request_in: RequestIn, actor: Actor) -> DisclosureRequest:
    """Record a request; the register is checked at once for the named person."""
    policy.require(actor, "disclosure:manage")
    received = clock.now()
    checks_due, due = rules.disclosure_deadlines(received)
    request = DisclosureRequest(
        id=new_id(),
        status="received",
        received_at=received,
        received_by=actor.name,
        checks_due_at=checks_due,
        due_at=due,
        checks=[],
        **request_in.model_dump(),
    )
    if request_in.subject_person_id:
        entries = register_service.list_entries(db=db, person_id=request_in.subject_person_id)
        request.entry_id = entries[0].id if entries else None
        finding = f"on the register (entry {entries[0].id})" if entries else "not on the register"
        request.checks = [_check("register", finding, "register", received)]
    db.add(request)
    db.flush()
    _audit(db, actor, "receive", request)
    return request


def add_check(*, db: Session, request_id: str, check: CheckIn, actor: Actor) -> DisclosureRequest:
    """A check made (PNC, CSC records, probation...) and what it found."""
    policy.require(actor, "disclosure:manage")
    request = _open(db, request_id)
    request.checks = [*request.checks, _check(check.check, check.finding, actor.name, clock.now())]
    request.status = "checked"
    _audit(db, actor, "check", request)
    return request


def decide(*, db: Session, request_id: str, decision: DecisionIn, actor: Actor) -> DisclosureRequest:
    """The decision, with its reason; only after at least one check."""
    policy.require(actor, "disclosure:manage")
    request = _open(db, request_id)
    if not request.checks:
        raise InvalidInput([{"loc": ["checks"], "msg": "record the checks before deciding"}])
    request.decision, request.decision_reason = decision.decision, decision.reason
    request.decided_by, request.decided_at = actor.name, clock.now()
    request.status = "decided" if decision.decision == "disclose" else "closed"
    _audit(db, actor, "decide", request)
    return request


def record_disclosure(*, db: Session, request_id: str, disclosed: DisclosedIn, actor: Actor) -> DisclosureRequest:
    """What was disclosed, to whom and when; only after a decision to disclose."""
    policy.require(actor, "disclosure:manage")
    request = _open(db, request_id)
    if request.decision != "disclose":
        raise InvalidInput([{"loc": ["decision"], "msg": "disclosure needs a decision to disclose first"}])
    request.disclosed_to, request.disclosed_what = disclosed.disclosed_to, disclosed.disclosed_what
    request.disclosed_at, request.disclosed_by, request.status = clock.now(), actor.name, "disclosed"
    _audit(db, actor, "disclose", request)
    return request


def list_requests(*, db: Session, actor: Actor, open_only: bool = False) -> list[DisclosureRequest]:
    """Requests, the soonest due first; audited."""
    policy.require(actor, "disclosure:manage")
    audit.record(db=db, actor=actor, action="read", object_type="disclosure_requests", detail={"open": open_only})
    stmt = select(DisclosureRequest).order_by(DisclosureRequest.due_at)
    if open_only:
        stmt = stmt.where(DisclosureRequest.status.in_(OPEN))
    return list(db.execute(stmt).scalars())


def read(*, db: Session, actor: Actor, request_id: str) -> DisclosureRequest:
    """One request; audited."""
    policy.require(actor, "disclosure:manage")
    request = get(db=db, request_id=request_id)
    _audit(db, actor, "read", request)
    return request


def get(*, db: Session, request_id: str) -> DisclosureRequest:
    """One request, or NotFound."""
    return found(db, DisclosureRequest, request_id, "disclosure request")


def timeliness(request: DisclosureRequest, now: datetime) -> str:
    """on time, checks overdue, overdue, or done (late) for a finished request."""
    finished = request.disclosed_at or (request.decided_at if request.status == "closed" else None)
    if finished is not None:
        return "done late" if finished > request.due_at else "done on time"
    if now > request.due_at:
        return "overdue"
    if now > request.checks_due_at and len(request.checks) <= 1:
        return "checks overdue"
    return "on time"


def _open(db: Session, request_id: str) -> DisclosureRequest:
    request = get(db=db, request_id=request_id)
    if request.status not in OPEN:
        raise InvalidInput([{"loc": ["status"], "msg": f"the request is {request.status}"}])
    return request


def _check(name: str, finding: str, by: str, at: datetime) -> dict[str, str]:
    return {"check": name, "finding": finding, "by": by, "at": at.isoformat()}


def _audit(db: Session, actor: Actor, action: str, request: DisclosureRequest) -> None:
    detail = {"status": request.status, "subject_person_id": request.subject_person_id}
    audit.record(
        db=db, actor=actor, action=action, object_type="disclosure_request", object_id=request.id, detail=detail
    )
