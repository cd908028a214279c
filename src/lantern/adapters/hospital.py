"""Hospital discharge feed (CSV or JSON): one hospital stay a row, mapped to its admission and its
discharge (layout: docs/adapters.md, "Hospital discharge feed")."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from lantern.adapters.base import Adapter, Mapped, Row, iso

PATIENT = {
    "nhs_number": "nhs_number",
    "given_name": "given_name",
    "family_name": "family_name",
    "date_of_birth": "date_of_birth",
    "sex": "sex",
    "local_id": "hospital_number",
    "address.line1": "address_line1",
    "address.town": "town",
    "address.postcode": "postcode",
}
FLAGGED = "Safeguarding flag raised by the ward"


class HospitalDischarges(Adapter):
    """Hospital discharge feed."""

    name = "hospital"
    agency = "hospital"
    reference = "spell_id"
    columns: ClassVar[tuple[str, ...]] = (
        "spell_id",
        *PATIENT.values(),
        "admitted_at",
        "discharged_at",
        "ward",
        "diagnosis",
        "discharge_destination",
        "safeguarding_flag",
        "safeguarding_note",
    )

    def map_row(self, row: Row) -> list[Mapped]:
        """An admission (`SPELL:admission`) and a discharge (`SPELL:discharge`)."""
        spell = row.text("spell_id", required=True) or ""
        row.nhs_number("nhs_number", required=True)
        admitted = row.datetime("admitted_at", required=True)
        discharged = row.datetime("discharged_at", required=True)
        if admitted and discharged and discharged < admitted:
            row.reject("discharged_at", "discharged before admitted", row.cells["discharged_at"])
        flagged = row.flag("safeguarding_flag")
        concerns = row.text("safeguarding_note") or (FLAGGED if flagged else None)
        return [
            self._event(row, spell, "admission", admitted, "admitted_at", concerns),
            self._event(row, spell, "discharge", discharged, "discharged_at", concerns),
        ]

    def _event(
        self, row: Row, spell: str, stage: str, at: datetime | None, column: str, concerns: str | None
    ) -> Mapped:
        event = Mapped({"source_agency": "hospital", "source_ref": f"{spell}:{stage}"}, reference=spell)
        event.columns.update(source_ref="spell_id")
        event.field("type", f"hospital.{stage}", column)
        event.field("occurred_at", iso(at) if at else None, column)
        event.subject(row, "patient", PATIENT)
        ward = row.cells.get("ward")
        event.field("summary", f"{stage.capitalize()}" + (f", {ward}" if ward else ""), "ward")
        event.field("payload.complaint", row.text("diagnosis"), "diagnosis")
        if stage == "discharge":
            event.field("payload.outcome", row.text("discharge_destination"), "discharge_destination")
        event.field(
            "payload.concerns",
            concerns,
            "safeguarding_note" if row.cells.get("safeguarding_note") else "safeguarding_flag",
        )
        return event
