"""Probation case export (JSON or CSV): one case a row, mapped to the start of supervision and, when
it has ended, its end (layout: docs/adapters.md, "Probation case export")."""

from __future__ import annotations

from typing import ClassVar

from lantern.adapters.base import Adapter, Mapped, Row, iso

OFFENDER = {
    "given_name": "given_name",
    "family_name": "family_name",
    "date_of_birth": "date_of_birth",
    "local_id": "crn",
    "pnc_id": "pnc_id",
    "address.line1": "address_line1",
    "address.town": "town",
    "address.postcode": "postcode",
}


class ProbationCases(Adapter):
    """Probation case export."""

    name = "probation"
    agency = "probation"
    reference = "case_reference"
    columns: ClassVar[tuple[str, ...]] = (
        "case_reference",
        *OFFENDER.values(),
        "supervision_start",
        "supervision_end",
        "order_type",
        "offence",
        "end_reason",
    )

    def map_row(self, row: Row) -> list[Mapped]:
        """A start event (`CASE:start`) and, with an end date, an end event (`CASE:end`)."""
        case = row.text("case_reference", required=True) or ""
        row.text("crn", required=True)
        row.text("family_name", required=True)
        start = row.date("supervision_start", required=True)
        end = row.date("supervision_end")
        if start and end and end < start:
            row.reject("supervision_end", "supervision ends before it starts", row.cells["supervision_end"])
        events = [self._event(row, case, "start", iso(start) if start else None, "supervision_start")]
        if end is not None:
            events.append(self._event(row, case, "end", iso(end), "supervision_end"))
        return events

    def _event(self, row: Row, case: str, stage: str, occurred: str | None, column: str) -> Mapped:
        event = Mapped({"source_agency": "probation", "source_ref": f"{case}:{stage}"}, reference=case)
        event.columns.update(source_ref="case_reference")
        event.field("type", f"probation.supervision_{stage}", column)
        event.field("occurred_at", occurred, column)
        event.subject(row, "offender", OFFENDER)
        order = row.cells.get("order_type") or "supervision"
        event.field("summary", f"Probation {order} {'started' if stage == 'start' else 'ended'}", column)
        event.field("payload.order_type", row.text("order_type"), "order_type")
        event.field("payload.offence", row.text("offence"), "offence")
        if stage == "end":
            event.field("payload.end_reason", row.text("end_reason"), "end_reason")
        return event
