"""API shapes of serious-incident reviews, snapshots, staff notices, findings and the themes dashboard."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

# A chosen time for a snapshot: with its offset, and not before records could exist.
AsAt = Annotated[AwareDatetime, Field(ge=datetime(1900, 1, 1, tzinfo=UTC))]


class ReviewIn(BaseModel):
    """A review opened by hand for serious harm (or a death), citing the record of the incident."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    child_id: str
    event_id: str = Field(description="the record of the death or serious harm; its time is the incident's")
    kind: Literal["serious_harm", "death"] = "serious_harm"
    reason: str = Field(min_length=1, max_length=2000)
    snapshot_at: AsAt | None = Field(default=None, description="default: the moment of the incident")


class SnapshotIn(BaseModel):
    """Another snapshot of the record, as it stood at a chosen time."""

    as_at: AsAt


class FindingIn(BaseModel):
    """A reviewer's finding, with its learning themes (codes of the controlled list) and agencies."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str = Field(min_length=1, max_length=5000)
    themes: list[str] = Field(min_length=1)
    agencies: list[str] = Field(default_factory=list)


class UpdateIn(BaseModel):
    """What the review tells the staff involved."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    message: str = Field(min_length=1, max_length=2000)


class UpdateRead(BaseModel):
    """An update to the staff involved, who posted it and when."""

    message: str
    posted_by: str
    posted_at: datetime


class DeadlineRead(BaseModel):
    """A statutory deadline of the review, owed as a duty."""

    duty_id: str
    title: str
    due_at: datetime
    status: str


class SnapshotSummary(BaseModel):
    """A snapshot, without its content."""

    id: str
    as_at: datetime
    taken_at: datetime
    taken_by: str
    digest: str


class SnapshotRead(SnapshotSummary):
    """A snapshot with the record as it stood; `is_intact` checks the content against the digest."""

    review_id: str
    is_intact: bool
    content: dict[str, Any]


class StaffRead(BaseModel):
    """A member of staff told of the review, and what they did with the record."""

    username: str
    agency: str
    involvement: list[str]
    notified_at: datetime
    seen_at: datetime | None


class FindingRead(BaseModel):
    """A finding with its themes (codes and labels) and the agencies concerned."""

    id: str
    text: str
    themes: list[str]
    theme_labels: list[str]
    agencies: list[str]
    recorded_by: str
    recorded_at: datetime


class ReviewRead(BaseModel):
    """A review: the incident, its deadlines, snapshots, staff told and findings."""

    id: str
    child_id: str
    child_name: str
    kind: str
    kind_label: str
    status: str
    trigger_event_id: str
    incident_at: datetime
    aware_at: datetime
    opened_by: str
    reason: str
    deadlines: list[DeadlineRead]
    snapshots: list[SnapshotSummary]
    staff: list[StaffRead]
    updates: list[UpdateRead]
    findings: list[FindingRead]


class ContactRead(BaseModel):
    """Someone to talk to about the review."""

    name: str
    role: str
    phone: str
    email: str


class NoticeRead(BaseModel):
    """What a member of staff involved is told: what is happening, why them, who to talk to."""

    review_id: str
    child_name: str
    kind_label: str
    incident_at: datetime
    opened_at: datetime
    message: str
    involvement: list[str]
    updates: list[UpdateRead]
    contacts: list[ContactRead]
    notified_at: datetime
    seen_at: datetime | None


class ThemeCountRead(BaseModel):
    """A learning theme: how many findings and reviews, per period and per agency."""

    theme: str
    label: str
    findings: int
    reviews: int
    by_period: dict[str, int]
    by_agency: dict[str, int]


class DashboardRead(BaseModel):
    """Recurring learning themes across reviews and agencies over time."""

    by: Literal["quarter", "year"]
    periods: list[str]
    agencies: list[str]
    themes: list[ThemeCountRead]
