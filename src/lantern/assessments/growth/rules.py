"""Pure growth rules: centiles and SDS from rcpchgrowth (UK-WHO, gestation-corrected), and the
NICE NG75 (2017) thresholds for concern about faltering growth. No database here."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rcpchgrowth import Measurement

REFERENCE = "uk-who"
# rcpchgrowth's names for the three measurements, with the unit its figures are in.
KINDS: dict[str, tuple[str, str]] = {
    "weight": ("Weight", "kg"),
    "height": ("Length or height", "cm"),
    "ofc": ("Head circumference", "cm"),
}
TERM_WEEKS = 40
# UK-WHO charts draw nine centile lines two-thirds of a standard deviation apart (Cole 1994), so a
# "centile space" is 2/3 SDS; the "2nd centile" line is -2 SDS.
CENTILE_SPACE_SDS = 2 / 3
SECOND_CENTILE_SDS = -2.0
# NG75 thresholds for concern: a birth weight below the 9th centile allows a fall across 1 centile
# space, between the 9th and 91st 2, above the 91st 3.
NINTH, NINETY_FIRST = 9.0, 91.0
# NG75 1.1.1-1.1.2: some weight loss in the early days is normal; more than 10% of birth weight needs
# assessment. Most infants are back to birth weight by 3 weeks, so that is where "early days" ends.
EARLY_DAYS = 21
EARLY_LOSS_FRACTION = 0.10
# Under 2 weeks UK-WHO uses the UK90 birth data and weight loss is judged as above, so centile falls
# are measured from 2 weeks of age.
CENTILE_FALL_FROM_DAYS = 14
_EPSILON = 1e-9  # a fall of exactly two spaces is two spaces, whatever the floating point says


@dataclass(frozen=True)
class Child:
    """What the reference needs to know of the child: birth date, sex and gestation at birth."""

    born_on: date
    sex: str  # "male" | "female"
    gestation_weeks: int | None = None
    gestation_days: int = 0


@dataclass(frozen=True)
class Reading:
    """One measurement as recorded: kind (weight in kg, height or ofc in cm), where it came from."""

    kind: str
    value: float
    measured_on: date
    event_id: str
    source_ref: str
    source_agency: str


@dataclass(frozen=True)
class Plotted:
    """A reading placed on the reference: ages, SDS and centile (None when outside the reference)."""

    reading: Reading
    age_days: int
    corrected_age_years: float
    sds: float | None
    centile: float | None
    note: str | None


@dataclass(frozen=True)
class Concern:
    """A threshold for concern that a child's weights crossed, with the records and the guidance."""

    code: str
    title: str
    explanation: str
    threshold: str
    event_ids: tuple[str, ...]


def plot(child: Child, reading: Reading) -> Plotted:
    """Centile and SDS of one reading (UK-WHO, corrected for gestation below 37 weeks, as rcpchgrowth does)."""
    weeks = child.gestation_weeks or TERM_WEEKS
    age_days = (reading.measured_on - child.born_on).days
    try:
        result = Measurement(
            birth_date=child.born_on,
            measurement_method=reading.kind,
            observation_date=reading.measured_on,
            observation_value=reading.value,
            reference=REFERENCE,
            sex=child.sex,
            gestation_weeks=weeks,
            gestation_days=child.gestation_days if child.gestation_weeks else 0,
        ).measurement
    except (ValueError, LookupError, TypeError) as exc:
        return Plotted(reading, age_days, age_days / 365.25, None, None, str(exc))
    values = result["measurement_calculated_values"]
    age = result["measurement_dates"]["corrected_decimal_age"]
    sds = values["corrected_sds"]
    if sds is None or (isinstance(sds, float) and math.isnan(sds)):
        return Plotted(reading, age_days, age, None, None, values.get("corrected_measurement_error"))
    return Plotted(reading, age_days, age, float(sds), float(values["corrected_centile"]), None)


def spaces_allowed(birth_centile: float) -> int:
    """Centile spaces a weight may fall before NG75 calls it faltering growth, by birth-weight centile."""
    if birth_centile < NINTH:
        return 1
    if birth_centile > NINETY_FIRST:
        return 3
    return 2


def spaces_fallen(from_sds: float, to_sds: float) -> float:
    """How many centile spaces lie between two SDS, downwards (negative for a rise)."""
    return (from_sds - to_sds) / CENTILE_SPACE_SDS


def faltering(weights: Sequence[Plotted]) -> list[Concern]:
    """The NG75 thresholds for concern crossed by a child's weights (oldest first)."""
    plotted = sorted((w for w in weights if w.sds is not None), key=lambda w: w.reading.measured_on)
    birth = next((w for w in plotted if w.age_days == 0), None)
    found = [_centile_fall(plotted, birth), _below_second(plotted), _early_loss(weights, birth)]
    return [c for c in found if c is not None]


def _centile_fall(plotted: list[Plotted], birth: Plotted | None) -> Concern | None:
    """The largest fall from an earlier peak to a weight from 2 weeks on, against the allowance."""
    base = birth or (plotted[0] if plotted else None)
    if base is None or base.centile is None:
        return None
    allowed = spaces_allowed(base.centile)
    best: tuple[float, Plotted, Plotted] | None = None
    for i, current in enumerate(plotted):
        if current.age_days < CENTILE_FALL_FROM_DAYS or not i:
            continue
        peak = max(plotted[:i], key=lambda p: p.sds or 0.0)
        fallen = spaces_fallen(peak.sds or 0.0, current.sds or 0.0)
        if fallen + _EPSILON >= allowed and (best is None or fallen > best[0]):
            best = (fallen, peak, current)
    if best is None:
        return None
    fallen, peak, current = best
    basis = "Birth weight" if birth else "The first recorded weight (no birth weight is held)"
    explanation = (
        f"Weight fell from the {_nth(peak)} centile ({_where(peak)}) to the {_nth(current)} centile "
        f"({_where(current)}): {fallen:.1f} centile spaces. {basis} was on the {_nth(base)} centile, so a fall "
        f"across {allowed} or more centile {'space' if allowed == 1 else 'spaces'} is a concern."
    )
    threshold = f"NICE NG75: a fall across {allowed} or more weight centile spaces ({_band(base.centile or 0.0)})"
    ids = (peak.reading.event_id, current.reading.event_id)
    return Concern(
        "faltering_growth_centile_fall", "Faltering growth: weight falling across centiles", explanation, threshold, ids
    )


def _below_second(plotted: list[Plotted]) -> Concern | None:
    low = [w for w in plotted if (w.sds or 0.0) < SECOND_CENTILE_SDS]
    if not low:
        return None
    latest = low[-1]
    explanation = (
        f"Weight on {_where(latest)} was below the 2nd centile line ({latest.centile:.1f}th centile, "
        f"SDS {latest.sds:.2f}); {len(low)} weight{'s were' if len(low) > 1 else ' was'} below it."
    )
    threshold = "NICE NG75: current weight below the 2nd centile for age, whatever the birth weight"
    return Concern(
        "faltering_growth_below_2nd",
        "Faltering growth: weight below the 2nd centile",
        explanation,
        threshold,
        tuple(w.reading.event_id for w in low),
    )


def _early_loss(weights: Sequence[Plotted], birth: Plotted | None) -> Concern | None:
    if birth is None:
        return None
    born = birth.reading.value
    lost = [
        w
        for w in weights
        if 0 < w.age_days < EARLY_DAYS and (born - w.reading.value) / born > EARLY_LOSS_FRACTION + _EPSILON
    ]
    if not lost:
        return None
    worst = min(lost, key=lambda w: w.reading.value)
    share = (born - worst.reading.value) / born
    explanation = (
        f"Weight on {_where(worst)} was {worst.reading.value:.2f} kg, {share:.0%} below the birth weight of "
        f"{born:.2f} kg ({_where(birth)}), at {worst.age_days} days old."
    )
    threshold = "NICE NG75 1.1.2: loss of more than 10% of birth weight in the early days of life"
    return Concern(
        "faltering_growth_early_loss",
        "Weight loss of more than 10% after birth",
        explanation,
        threshold,
        (birth.reading.event_id, *(w.reading.event_id for w in lost)),
    )


def _band(centile: float) -> str:
    if centile < NINTH:
        return "birth weight below the 9th centile"
    if centile > NINETY_FIRST:
        return "birth weight above the 91st centile"
    return "birth weight between the 9th and 91st centiles"


def _nth(p: Plotted) -> str:
    value = round(p.centile or 0.0)
    if value < 1:
        return f"{p.centile:.1f}"
    suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


def _where(p: Plotted) -> str:
    r = p.reading
    return f"{r.measured_on:%-d %B %Y}, {r.value:.2f} kg, {r.source_agency} {r.source_ref}"
