"""Child-protection and child-in-need plans: conditions as structured rules, actions, breaches and
new-household-member tasks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lantern.db.base import Base
from lantern.db.types import JSONType, UTCDateTime


class Plan(Base):
    """One plan for one child: kind, category, who leads it, the core group and outcomes.

    `child_id` moves with identity merges (identity.merge.OWNED); the watch finds open plans by
    (child_id, status) in one indexed query per stored batch.
    """

    __tablename__ = "plan"
    __table_args__ = (Index("ix_plan_child_status", "child_id", "status"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    child_id: Mapped[str] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(10))  # cp, cin
    category: Mapped[str | None] = mapped_column(String(20))  # neglect, physical, emotional, sexual (cp)
    lead_professional: Mapped[str] = mapped_column(String(100), index=True)  # a username
    manager: Mapped[str] = mapped_column(String(100))  # a username
    home_address: Mapped[dict[str, Any]] = mapped_column(JSONType)  # line1, line2, town, postcode
    core_group: Mapped[list[Any]] = mapped_column(JSONType)  # [{name, agency, role, person_id}]
    outcomes: Mapped[list[Any]] = mapped_column(JSONType)  # [text]
    status: Mapped[str] = mapped_column(String(10))  # active, ended
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(100))


class PlanCondition(Base):
    """A condition of a plan as a typed rule; `person_id` is person X or Y where the kind names one."""

    __tablename__ = "plan_condition"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plan.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"), index=True)
    wording: Mapped[str] = mapped_column(Text)
    is_open: Mapped[bool]  # false once the plan ends


class PlanAction(Base):
    """An action of a plan, with its owner and due date."""

    __tablename__ = "plan_action"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plan.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)


class PlanBreach(Base):
    """A breach of a condition: found in an agency's event by the watch, or recorded by hand.

    One row per condition and evidence event; later records of the same night and address join its
    `event_ids` instead of alerting again.
    """

    __tablename__ = "plan_breach"
    __table_args__ = (UniqueConstraint("condition_id", "event_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plan.id"), index=True)
    condition_id: Mapped[str] = mapped_column(ForeignKey("plan_condition.id"), index=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"))
    event_ids: Mapped[list[Any]] = mapped_column(JSONType)  # every record of this breach
    source: Mapped[str] = mapped_column(String(20))  # watch, by_hand
    explanation: Mapped[str] = mapped_column(Text)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(100))
    lead_duty_id: Mapped[str | None] = mapped_column(ForeignKey("duty.id"))
    manager_duty_id: Mapped[str | None] = mapped_column(ForeignKey("duty.id"))


class HouseholdMemberTask(Base):
    """An adult seen with a child on a plan who is not on the plan nor known around the child: the
    checks (identify, register, police history, CSC history) and the result."""

    __tablename__ = "household_member_task"
    __table_args__ = (UniqueConstraint("plan_id", "person_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plan.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"))
    checklist: Mapped[dict[str, Any]] = mapped_column(JSONType)  # step -> {done_by, done_at, finding}
    result: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))  # open, done
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duty_id: Mapped[str | None] = mapped_column(ForeignKey("duty.id"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by: Mapped[str | None] = mapped_column(String(100))


class StayNotice(Base):
    """An overnight stay the parents told the social worker of in advance: a night-time record at
    that address within those dates keeps the condition rather than breaching it."""

    __tablename__ = "plan_stay_notice"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plan.id"), index=True)
    address: Mapped[dict[str, Any]] = mapped_column(JSONType)
    with_whom: Mapped[str | None] = mapped_column(String(200))
    from_on: Mapped[date] = mapped_column(Date)
    to_on: Mapped[date] = mapped_column(Date)
    notified_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(100))
