"""The growth chart, drawn on the server as SVG geometry: the nine UK-WHO centile lines computed by
rcpchgrowth from its reference data, and the child's measurements. The template draws the shapes."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from rcpchgrowth.global_functions import measurement_from_sds

from lantern.assessments.growth import rules
from lantern.assessments.growth.rules import Plotted

WIDTH, HEIGHT = 720, 420
LEFT, RIGHT, TOP, BOTTOM = 56, 64, 16, 40
# Cole's nine centiles, 2/3 SDS apart, as printed on UK-WHO charts.
CENTILES = (
    (0.4, -8 / 3),
    (2, -2),
    (9, -4 / 3),
    (25, -2 / 3),
    (50, 0),
    (75, 2 / 3),
    (91, 4 / 3),
    (98, 2),
    (99.6, 8 / 3),
)
# UK-WHO uses the UK90 birth data until 2 weeks and WHO from then on: the lines break there.
TWO_WEEKS = 14 / 365.25
DAY = 1 / 365.25
Scale = Callable[[float], float]


@dataclass(frozen=True)
class Line:
    """One centile line as SVG path data, with its label and where the label sits."""

    centile: str
    path: str
    label_y: float
    is_major: bool


@dataclass(frozen=True)
class Point:
    """A measurement on the chart; `concern` marks one that an NG75 concern names."""

    x: float
    y: float
    title: str
    concern: bool


@dataclass(frozen=True)
class Chart:
    """Everything the template draws: axes, centile lines, the child's points joined in time order."""

    kind: str
    title: str
    unit: str
    width: int
    height: int
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    lines: list[Line]
    points: list[Point]
    trace: str


def build(kind: str, sex: str, plotted: Sequence[Plotted], flagged: set[str]) -> Chart:
    """The chart of one kind of measurement, from birth to a little past the latest one."""
    shown = [p for p in plotted if p.sds is not None]
    oldest = max((p.corrected_age_years for p in shown), default=0.0)
    end = 1.0 if oldest < 0.9 else min(4.0, math.ceil((oldest + 0.1) * 2) / 2)
    start = min(0.0, min((p.corrected_age_years for p in shown), default=0.0))
    reference = _reference(kind, sex, round(start, 3), end)
    values = [v for _, _, pts in reference for _, v in pts] + [p.reading.value for p in shown]
    low, high = _nice_range(min(values), max(values))

    def x(age: float) -> float:
        return LEFT + (age - start) / (end - start) * (WIDTH - LEFT - RIGHT)

    def y(value: float) -> float:
        return HEIGHT - BOTTOM - (value - low) / (high - low) * (HEIGHT - TOP - BOTTOM)

    lines = [
        Line(
            label, " ".join(_path(seg, x, y) for seg in _segments(pts)), y(pts[-1][1]), label in ("2nd", "50th", "98th")
        )
        for label, _, pts in reference
    ]
    points = [
        Point(x(p.corrected_age_years), y(p.reading.value), _title(p), p.reading.event_id in flagged) for p in shown
    ]
    trace = " ".join(f"{'M' if i == 0 else 'L'}{pt.x:.1f},{pt.y:.1f}" for i, pt in enumerate(points))
    title, unit = rules.KINDS[kind]
    return Chart(
        kind, title, unit, WIDTH, HEIGHT, _x_ticks(start, end, x), _y_ticks(low, high, y), lines, points, trace
    )


@cache
def _reference(kind: str, sex: str, start: float, end: float) -> list[tuple[str, float, list[tuple[float, float]]]]:
    """Each centile's (age, value) points from rcpchgrowth; cached, as the reference never changes."""
    step = 1 / 26 if end <= 1 else 1 / 12
    ages = sorted(
        {
            start,
            *(a * DAY for a in range(0, 14, 3)),
            TWO_WEEKS - DAY / 4,
            TWO_WEEKS + DAY / 4,
            *(TWO_WEEKS + i * step for i in range(1, int((end - TWO_WEEKS) / step) + 1)),
            end,
        }
    )
    ages = [a for a in ages if start <= a <= end]
    found = []
    for centile, sds in CENTILES:
        pts = []
        for age in ages:
            value = measurement_from_sds(
                reference=rules.REFERENCE, requested_sds=sds, measurement_method=kind, sex=sex, age=age
            )
            if value is not None:
                pts.append((age, float(value)))
        found.append((_ordinal(centile), sds, pts))
    return found


def _segments(pts: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    before = [p for p in pts if p[0] < TWO_WEEKS]
    after = [p for p in pts if p[0] >= TWO_WEEKS]
    return [s for s in (before, after) if len(s) > 1]


def _path(pts: list[tuple[float, float]], x: Scale, y: Scale) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{x(a):.1f},{y(v):.1f}" for i, (a, v) in enumerate(pts))


def _nice_range(low: float, high: float) -> tuple[float, float]:
    step = _step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step


def _step(span: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 20):
        if span / step <= 12:
            return step
    return 50.0


def _x_ticks(start: float, end: float, x: Scale) -> list[tuple[float, str]]:
    months = range(math.ceil(start * 12), int(end * 12) + 1, 1 if end <= 1 else 3)
    return [(x(m / 12), f"{m}m" if m < 12 or m % 12 else f"{m // 12}y") for m in months]


def _y_ticks(low: float, high: float, y: Scale) -> list[tuple[float, str]]:
    step = _step(high - low)
    count = round((high - low) / step)
    return [(y(low + i * step), f"{low + i * step:g}") for i in range(count + 1)]


def _ordinal(centile: float) -> str:
    if centile != int(centile):
        return f"{centile:g}th"
    value = int(centile)
    suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


def _title(p: Plotted) -> str:
    r = p.reading
    unit = rules.KINDS[r.kind][1]
    return f"{r.measured_on:%-d %b %Y}: {r.value:g} {unit}, {_ordinal(round(p.centile or 0))} centile ({r.source_ref})"
