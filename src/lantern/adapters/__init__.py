"""Agency adapters: each agency's own export layout mapped to canonical events (docs/adapters.md)."""

from __future__ import annotations

from lantern.adapters.base import Adapter
from lantern.adapters.hospital import HospitalDischarges
from lantern.adapters.police import PoliceIncidents
from lantern.adapters.probation import ProbationCases
from lantern.adapters.school import SchoolCensus

ADAPTERS: dict[str, Adapter] = {
    adapter.name: adapter for adapter in (PoliceIncidents(), ProbationCases(), SchoolCensus(), HospitalDischarges())
}
