"""Police incident export (CSV): one incident a row, mapped to a domestic abuse incident, an
arrest or a child's death (layout: docs/adapters.md, "Police incident export")."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from lantern.adapters.base import Adapter, Mapped, Row, iso, parse_date

# The incident types of the export, as force systems spell them, and the event each becomes.
INCIDENT_TYPES = {
    "domestic abuse": "police.domestic_abuse_incident",
    "domestic": "police.domestic_abuse_incident",
    "da": "police.domestic_abuse_incident",
    "arrest": "police.arrest",
    "child death": "child.death",
    "sudden death of a child": "child.death",
}
RISK_LEVELS = {"standard": "standard", "low": "standard", "medium": "medium", "high": "high"}
_CHILD = re.compile(r"^(?P<given>[^()]+?)\s+(?P<family>\S+)\s*(?:\((?P<dob>[^)]*)\))?$")


def _person(prefix: str) -> dict[str, str]:
    return {
        "given_name": f"{prefix}_given_name",
        "family_name": f"{prefix}_family_name",
        "date_of_birth": f"{prefix}_dob",
        "pnc_id": f"{prefix}_pnc",
        "local_id": f"{prefix}_nominal_id",
        "address.line1": f"{prefix}_address",
        "address.postcode": f"{prefix}_postcode",
    }


VICTIM, SUSPECT = _person("victim"), _person("suspect")


class PoliceIncidents(Adapter):
    """Police incident export."""

    name = "police"
    agency = "police"
    reference = "incident_number"
    columns: ClassVar[tuple[str, ...]] = (
        "incident_number",
        "occurred_at",
        "incident_type",
        "location",
        "location_postcode",
        *VICTIM.values(),
        *SUSPECT.values(),
        "children_present",
        "children",
        "dash_risk",
        "dash_yes_count",
        "offence",
        "crime_number",
        "outcome",
        "officer_narrative",
    )

    def map_row(self, row: Row) -> list[Mapped]:
        """One incident, one event; the source reference is the incident number."""
        number = row.text("incident_number", required=True) or ""
        occurred = row.datetime("occurred_at", required=True)
        kind = self._type(row)
        event = Mapped({"source_agency": "police", "source_ref": number}, reference=number)
        event.columns.update(source_ref="incident_number", occurred_at="occurred_at", type="incident_type")
        event.field("type", kind, "incident_type")
        event.field("occurred_at", iso(occurred) if occurred else None, "occurred_at")
        event.field("location.line1", row.text("location"), "location")
        event.field("location.postcode", row.text("location_postcode"), "location_postcode")
        event.field("narrative", row.text("officer_narrative"), "officer_narrative")
        suspect_role = "perpetrator" if kind == "police.domestic_abuse_incident" else "suspect"
        victim_role = "child" if kind == "child.death" else "victim"
        event.subject(row, victim_role, VICTIM)
        event.subject(row, suspect_role, SUSPECT)
        self._children(row, event)
        payload = self._payload(row, kind)
        for name, (value, column) in payload.items():
            event.field(f"payload.{name}", value, column)
        event.field("summary", _summary(kind, row), "incident_type")
        if "subjects" not in event.event:
            row.reject("victim_family_name", "no one is named (victim, suspect or children)")
        return [event]

    def _type(self, row: Row) -> str | None:
        value = row.text("incident_type", required=True)
        if value is None:
            return None
        kind = INCIDENT_TYPES.get(value.lower().replace("_", " "))
        if kind is None:
            row.reject("incident_type", f"unknown incident type; known: {', '.join(sorted(INCIDENT_TYPES))}", value)
            return None
        return kind

    def _children(self, row: Row, event: Mapped) -> None:
        """`children`: people separated by `;`, each `Given Family (DD/MM/YYYY)`."""
        for entry in filter(None, (part.strip() for part in (row.text("children") or "").split(";"))):
            match = _CHILD.match(entry)
            dob = parse_date(match.group("dob").strip()) if match and match.group("dob") else None
            if match is None or (match.group("dob") and dob is None):
                row.reject("children", "each child must be written Given Family (DD/MM/YYYY)", entry)
                continue
            person = {"given_name": match.group("given").strip(), "family_name": match.group("family")}
            if dob:
                person["date_of_birth"] = dob.isoformat()
            index = len(event.event.setdefault("subjects", []))
            event.event["subjects"].append({"role": "child_present", "person": person})
            event.columns[f"subjects.{index}"] = "children"

    def _payload(self, row: Row, kind: str | None) -> dict[str, tuple[Any, str]]:
        if kind == "police.domestic_abuse_incident":
            risk = row.text("dash_risk")
            if risk is not None and risk.lower() not in RISK_LEVELS:
                row.reject("dash_risk", "DASH risk must be standard, medium or high", risk)
            return {
                "risk_level": (RISK_LEVELS.get((risk or "").lower()), "dash_risk"),
                "dash_yes_count": (row.integer("dash_yes_count"), "dash_yes_count"),
                "children_present": (row.integer("children_present"), "children_present"),
                "crime_number": (row.text("crime_number"), "crime_number"),
                "outcome": (row.text("outcome"), "outcome"),
            }
        if kind == "police.arrest":
            return {
                "offence": (row.text("offence", required=True), "offence"),
                "outcome": (row.text("outcome"), "outcome"),
            }
        if kind == "child.death":
            return {"place": (row.text("location"), "location"), "circumstances": (row.text("outcome"), "outcome")}
        return {}


def _summary(kind: str | None, row: Row) -> str:
    where = f" at {row.cells.get('location')}" if row.cells.get("location") else ""
    if kind == "police.arrest":
        return f"Arrest for {row.cells.get('offence') or 'an offence'}{where}"
    if kind == "child.death":
        return f"Death of a child reported to police{where}"
    return f"Domestic abuse incident{where}"
