"""The growth read in the API's shape (shared by the API and the page)."""

from __future__ import annotations

from lantern.assessments.growth import rules
from lantern.assessments.growth.service import Growth
from lantern.assessments.schemas import ConcernRead, GrowthRead, PlottedRead


def as_read(growth: Growth) -> GrowthRead:
    """The API shape of a child's growth."""
    child = growth.child
    measurements = [
        PlottedRead(
            kind=p.reading.kind,
            measured_on=p.reading.measured_on,
            value=p.reading.value,
            unit=rules.KINDS[p.reading.kind][1],
            age_days=p.age_days,
            corrected_age_years=p.corrected_age_years,
            sds=p.sds,
            centile=p.centile,
            note=p.note,
            event_id=p.reading.event_id,
            source_agency=p.reading.source_agency,
            source_ref=p.reading.source_ref,
        )
        for plotted in growth.plotted.values()
        for p in plotted
    ]
    return GrowthRead(
        person_id=growth.person_id,
        born_on=child.born_on if child else None,
        sex=child.sex if child else None,
        gestation_weeks=child.gestation_weeks if child else None,
        gestation_days=child.gestation_days if child else 0,
        gestation_source=growth.gestation_source,
        missing=growth.missing,
        measurements=sorted(measurements, key=lambda m: (m.measured_on, m.kind)),
        concerns=[ConcernRead(**{**c.__dict__, "event_ids": list(c.event_ids)}) for c in growth.concerns],
    )
