"""The chronology as the API returns it (documentation of the JSON; entries are built as dicts
for speed and match these shapes)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Level = Literal["significant", "notable", "routine"]


class SharedRead(BaseModel):
    """A duty that passed the record on: to whom, when, and whether they acknowledged it."""

    with_agency: str
    with_agency_label: str
    team: str
    shared_at: datetime | None
    acknowledged_at: datetime | None
    status: str
    duty: str


class EntryPerson(BaseModel):
    """Someone named in the record, in a role."""

    person_id: str
    role: str


class EntryRead(BaseModel):
    """One record in the chronology: plain English, the agency's own words, and its provenance."""

    event_id: str
    occurred_at: datetime
    recorded_at: datetime
    received_at: datetime
    source_agency: str
    source_agency_label: str
    source_ref: str
    type: str
    type_label: str
    recorded_by: str
    plain: str
    original: str
    significance: Level
    significance_reason: str
    significance_set_by: str
    unexplained: list[str]
    shared: list[SharedRead]
    notice: bool = Field(default=False, description="Shown only as a notice: the reader may not read the narrative")
    people: list[EntryPerson]


class ScopePerson(BaseModel):
    """A person whose records the chronology covers, and how they relate to its subject."""

    person_id: str
    name: str
    relation: str


class WithheldRead(BaseModel):
    agency: str
    count: int
    sentence: str


class ChronologyRead(BaseModel):
    """A child's (or family's) chronology and what it covers."""

    person_id: str
    name: str
    scope: Literal["person", "family"]
    generated_at: datetime
    covers: str
    people: list[ScopePerson]
    count: int = Field(description="How many entries match the filters, on every page")
    page: int | None = Field(description="The page of 100 entries shown, or null: all of them")
    pages: int = Field(description="How many pages of 100 the matching entries fill")
    unexplained: list[str]
    entries: list[EntryRead]
    withheld: list[WithheldRead] = Field(
        description="Records that exist about the people in scope which the reader cannot read, by agency"
    )
    emergency: bool = Field(description="Read under an emergency opening (break-glass), reported for review")


class SignificanceIn(BaseModel):
    """A practitioner's judgement of a record's significance."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    level: Level
    reason: str = Field(min_length=1, max_length=2000)
