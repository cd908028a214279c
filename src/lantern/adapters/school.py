"""School census extract (CSV, in the spirit of the DfE school census) with a safeguarding concern
on the same row: a pupil with a concern becomes a school concern; a pupil without one records
nothing and is counted (layout: docs/adapters.md, "School census extract")."""

from __future__ import annotations

import re
from typing import ClassVar

from lantern.adapters.base import Adapter, Mapped, Row, iso

# DfE common basic data set: a check letter, LA number (3), establishment (4), year (2), serial (3);
# the last may be a letter in a temporary UPN. The check letter itself is not verified.
_UPN = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")
PUPIL = {
    "given_name": "forename",
    "family_name": "surname",
    "other_names": "preferred_surname",
    "date_of_birth": "dob",
    "sex": "sex",
    "local_id": "upn",
    "address.line1": "address_line1",
    "address.town": "town",
    "address.postcode": "postcode",
}
SEXES = {"m", "f", "u", "i", "male", "female", "unknown", "indeterminate"}


class SchoolCensus(Adapter):
    """School census extract."""

    name = "school"
    agency = "education"
    reference = "upn"
    columns: ClassVar[tuple[str, ...]] = (
        "upn",
        *PUPIL.values(),
        "school_urn",
        "enrol_status",
        "entry_date",
        "concern_ref",
        "concern_on",
        "concern_category",
        "concern_note",
        "is_disclosure",
    )

    def map_row(self, row: Row) -> list[Mapped]:
        """A concern on the row becomes a school concern (`UPN:concern_ref`, or `UPN:date:category`)."""
        upn = (row.text("upn", required=True) or "").upper()
        if upn and not _UPN.match(upn):
            row.reject("upn", "not a UPN (a letter, 11 digits, then a digit or letter)", upn)
        row.text("surname", required=True)
        row.date("dob", required=True)
        row.date("entry_date")
        sex = row.text("sex")
        if sex is not None and sex.lower() not in SEXES:
            row.reject("sex", "sex must be M, F, U or I", sex)
        on = row.date("concern_on")
        category, note = row.text("concern_category"), row.text("concern_note")
        if on is None and not (category or note or row.text("concern_ref")):
            return []
        if on is None:
            row.reject("concern_on", "a concern needs the date it was raised")
            return []
        ref = row.text("concern_ref") or f"{on.isoformat()}:{category or 'concern'}"
        event = Mapped({"source_agency": "education", "source_ref": f"{upn}:{ref}"}, reference=upn)
        event.columns.update(source_ref="concern_ref")
        event.field("type", "school.concern", "concern_category")
        event.field("occurred_at", iso(on), "concern_on")
        event.subject(row, "pupil", PUPIL)
        event.field("summary", note or f"School concern: {category or 'welfare'}", "concern_note")
        event.field("payload.category", category, "concern_category")
        event.field("payload.is_disclosure", row.flag("is_disclosure"), "is_disclosure")
        return [event]
