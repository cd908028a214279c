"""What every agency adapter shares: reading a row's cells with the reasons they cannot be mapped,
and the mapped event with the column behind each field (files are read in `reading.py`).

An adapter maps one row of an agency's own export to zero or more canonical events
(docs/events.md). A row that cannot be mapped is a `Reject` naming its row, column and reason;
nothing is dropped without a line in the reject report (docs/adapters.md).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

from lantern.people import rules as people_rules

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
_TIME_FORMATS = ("%H:%M:%S", "%H:%M")
_TRUE = frozenset({"y", "yes", "true", "1"})
_FALSE = frozenset({"n", "no", "false", "0"})
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Reject:
    """Why one row (or one of its events) was not stored."""

    row: int
    column: str
    reason: str
    value: str = ""
    reference: str = ""  # the row's own reference


@dataclass
class Mapped:
    """One canonical event made from a row; `columns` says which source column filled which field
    (a dotted path such as `subjects.0.person.nhs_number`), so a refusal by the canonical
    validation can name the column."""

    event: dict[str, Any]
    columns: dict[str, str] = field(default_factory=dict)
    reference: str = ""  # the row's own reference, for the reject report

    def field(self, path: str, value: Any, column: str) -> None:
        """Set a dotted field of the event (when the value is not empty), noting its column."""
        if value in (None, "", {}, []):
            return
        *parents, last = path.split(".")
        node = self.event
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
        self.columns[path] = column

    def subject(self, row: Row, role: str, fields: dict[str, str]) -> None:
        """Add a subject read from the row; `fields` maps person fields (`given_name`,
        `address.postcode`) to columns. A person with nothing in any column is left out."""
        person = read_person(row, fields)
        if not person:
            return
        index = len(self.event.setdefault("subjects", []))
        self.event["subjects"].append({"role": role, "person": person})
        for name, column in fields.items():
            self.columns[f"subjects.{index}.person.{name}"] = column

    def column_for(self, loc: list[Any]) -> str:
        """The source column behind a validation error's field path (longest known prefix)."""
        parts = [str(part) for part in loc]
        for end in range(len(parts), 0, -1):
            if column := self.columns.get(".".join(parts[:end])):
                return column
        return ".".join(parts)


class Row:
    """One source row: cells read by column name, each problem kept (so a row's rejects name every
    column at fault, not only the first)."""

    def __init__(self, number: int, cells: dict[str, Any]) -> None:
        self.number = number
        self.cells = {str(k).strip().lower(): ("" if v is None else str(v).strip()) for k, v in cells.items() if k}
        self.problems: list[Reject] = []

    def reject(self, column: str, reason: str, value: str = "") -> None:
        """Record a problem with one column of this row (once, however often the column is read)."""
        problem = Reject(self.number, column, reason, value)
        if problem not in self.problems:
            self.problems.append(problem)

    def text(self, column: str, *, required: bool = False) -> str | None:
        """The cell's text with runs of spaces collapsed, or None when empty."""
        if column not in self.cells:
            if required:
                self.reject(column, "required column is missing")
            return None
        value = _SPACES.sub(" ", self.cells[column])
        if not value:
            if required:
                self.reject(column, "required value is empty")
            return None
        return value

    def date(self, column: str, *, required: bool = False) -> date | None:
        """A date as ISO (2024-05-01) or as UK systems print it (01/05/2024)."""
        value = self.text(column, required=required)
        if value is None:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.reject(column, "not a date (use YYYY-MM-DD or DD/MM/YYYY)", value)
        return parsed

    def datetime(self, column: str, *, required: bool = False) -> datetime | None:
        """A date and time (no offset: local time in England), ISO or `DD/MM/YYYY HH:MM`."""
        value = self.text(column, required=required)
        if value is None:
            return None
        parsed = parse_datetime(value)
        if parsed is None:
            self.reject(column, "not a date and time (use YYYY-MM-DDTHH:MM or DD/MM/YYYY HH:MM)", value)
        return parsed

    def flag(self, column: str) -> bool | None:
        """Y/N, yes/no, true/false or 1/0."""
        value = self.text(column)
        if value is None:
            return None
        if value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        self.reject(column, "not a yes/no value (use Y or N)", value)
        return None

    def integer(self, column: str) -> int | None:
        """A whole number, not negative."""
        value = self.text(column)
        if value is None:
            return None
        if not value.isdigit():
            self.reject(column, "not a whole number", value)
            return None
        return int(value)

    def nhs_number(self, column: str, *, required: bool = False) -> str | None:
        """An NHS number (spaces or dashes allowed) passing the modulus-11 check (people.rules)."""
        value = self.text(column, required=required)
        if value is None:
            return None
        normalised = people_rules.normalise_nhs_number(value)
        if problem := people_rules.nhs_number_problem(normalised):
            self.reject(column, problem, value)
            return None
        return normalised

    def pnc_id(self, column: str) -> str | None:
        """A Police National Computer id (YY/NNNNNNNA)."""
        value = self.text(column)
        if value is None:
            return None
        normalised = people_rules.normalise_pnc_id(value)
        if normalised is None:
            self.reject(column, "not a PNC id (YY/NNNNNNNA)", value)
        return normalised


def parse_date(value: str) -> date | None:
    """A date in one of the accepted formats, or None."""
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def parse_datetime(value: str) -> datetime | None:
    """A date and time in one of the accepted formats (ISO 8601, or a UK date, a space and a time)."""
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    day, _, time = value.partition(" ")
    on = parse_date(day)
    if on is None or not time:
        return None
    for fmt in _TIME_FORMATS:
        try:
            return datetime.combine(on, datetime.strptime(time.strip(), fmt).time())
        except ValueError:
            continue
    return None


def iso(value: date | datetime) -> str:
    """A date as midnight that day, or a date-time, in ISO form for the canonical event."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    return value.isoformat()


def read_person(row: Row, fields: dict[str, str]) -> dict[str, Any]:
    """A canonical person from the row's columns (dates, NHS numbers and PNC ids checked here)."""
    readers: dict[str, Callable[[str], Any]] = {
        "date_of_birth": row.date,
        "nhs_number": row.nhs_number,
        "pnc_id": row.pnc_id,
    }
    person: dict[str, Any] = {}
    for name, column in fields.items():
        value = readers.get(name, row.text)(column)
        if value is None:
            continue
        if "." in name:
            group, part = name.split(".", 1)
            person.setdefault(group, {})[part] = value
        else:
            person[name] = value.isoformat() if isinstance(value, date) else value
    return person


class Adapter(ABC):
    """One agency layout: its columns and how a row becomes canonical events."""

    name: ClassVar[str]
    agency: ClassVar[str]
    columns: ClassVar[tuple[str, ...]]  # every column the layout reads (others are reported, then ignored)
    reference: ClassVar[str]  # the column holding the row's own reference

    @abstractmethod
    def map_row(self, row: Row) -> list[Mapped]:
        """The events of one row; problems go on `row.problems` (then nothing of the row is stored)."""
