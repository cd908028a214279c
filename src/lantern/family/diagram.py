"""A readable network diagram as server-rendered SVG: the child in the middle, the people who
care for them on the inner ring, everyone else on the outer ring; past links dashed."""

from __future__ import annotations

import math
from html import escape

from lantern.family.schemas import MemberRead

WIDTH, HEIGHT = 760, 560
INNER, OUTER = 150, 245
COLOURS = {
    "parent": "#1d70b8",
    "step_parent": "#1d70b8",
    "carer": "#1d70b8",
    "partner": "#d4351c",
    "parents_partner": "#d4351c",
    "ex_partner": "#d4351c",
    "household_member": "#f47738",
    "sibling": "#00703c",
    "half_sibling": "#00703c",
    "other_child": "#00703c",
    "grandparent": "#4c2c92",
}


def svg(child_name: str, members: list[MemberRead]) -> str:
    """The diagram; every node and line also appears in the table beside it (the accessible view)."""
    inner = [m for m in members if m.via_person_id is None]
    outer = [m for m in members if m.via_person_id is not None]
    cx, cy = WIDTH / 2, HEIGHT / 2
    positions = _ring(inner, INNER, cx, cy) | _ring(outer, OUTER, cx, cy, offset=0.5)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="network-title" class="lantern-network"><title id="network-title">Network around '
        f"{escape(child_name)}: {len(members)} people</title>"
    ]
    for m in members:
        x, y = positions[m.person_id]
        fx, fy = positions.get(m.via_person_id or "", (cx, cy))
        dash = "" if m.is_current else ' stroke-dasharray="6 4"'
        colour = COLOURS.get(m.relation, "#505a5f")
        parts.append(
            f'<line x1="{fx:.0f}" y1="{fy:.0f}" x2="{x:.0f}" y2="{y:.0f}" stroke="{colour}" stroke-width="2"{dash}/>'
        )
    parts.append(_node(cx, cy, child_name, "", "#0b0c0c", is_child=True))
    for m in members:
        x, y = positions[m.person_id]
        parts.append(
            _node(x, y, m.name, m.relation_label.split(" (")[0], COLOURS.get(m.relation, "#505a5f"), status=m.status)
        )
    parts.append("</svg>")
    return "".join(parts)


def _ring(
    members: list[MemberRead], radius: float, cx: float, cy: float, offset: float = 0.0
) -> dict[str, tuple[float, float]]:
    count = max(len(members), 1)
    return {
        m.person_id: (
            cx + radius * math.cos(2 * math.pi * (i + offset) / count - math.pi / 2),
            cy + radius * math.sin(2 * math.pi * (i + offset) / count - math.pi / 2),
        )
        for i, m in enumerate(members)
    }


def _node(
    x: float, y: float, name: str, relation: str, colour: str, *, is_child: bool = False, status: str | None = None
) -> str:
    radius = 11 if is_child else 8
    label = escape(name if len(name) <= 26 else name[:25] + "…")
    extra = f" ({escape(status)})" if status else ""
    weight = 700 if is_child else 400
    return (
        f'<g class="lantern-node"><circle cx="{x:.0f}" cy="{y:.0f}" r="{radius}" fill="{colour}"/>'
        f'<text x="{x:.0f}" y="{y + radius + 13:.0f}" text-anchor="middle" font-size="12" '
        f'font-weight="{weight}">{label}</text><text x="{x:.0f}" y="{y + radius + 26:.0f}" '
        f'text-anchor="middle" font-size="11" fill="#505a5f">{escape(relation)}{extra}</text></g>'
    )
