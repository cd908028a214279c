"""Team duty board and agency compliance: on time means acknowledged by the deadline."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.common import clock
from lantern.duties.models import Duty

LONDON = ZoneInfo("Europe/London")


@dataclass
class Board:
    """A team's open duties, in the three piles a manager works through."""

    overdue: list[Duty] = field(default_factory=list)
    escalated: list[Duty] = field(default_factory=list)
    due_today: list[Duty] = field(default_factory=list)


def board(*, db: Session, agency: str, now: datetime | None = None) -> Board:
    """Open duties owed to the agency: escalated, overdue, and due before the end of today."""
    now = now or clock.now()
    end_of_today = datetime.combine(now.astimezone(LONDON).date() + timedelta(days=1), datetime.min.time(), LONDON)
    stmt = (
        select(Duty)
        .where(Duty.recipient_agency == agency, Duty.is_open.is_(True), Duty.due_at < end_of_today)
        .order_by(Duty.due_at)
    )
    result = Board()
    for duty in db.execute(stmt).scalars():
        pile = {"escalated": result.escalated, "overdue": result.overdue}.get(duty.status, result.due_today)
        pile.append(duty)
    return result


@dataclass(frozen=True)
class ComplianceCell:
    due: int
    on_time: int

    @property
    def percent(self) -> float:
        return round(100 * self.on_time / self.due, 1) if self.due else 0.0


@dataclass
class Compliance:
    """Duties an agency owed, fallen due, by rule and month; on time = acknowledged by the deadline."""

    months: list[str]
    by_rule: dict[str, dict[str, ComplianceCell]]
    titles: dict[str, str]
    by_month: dict[str, ComplianceCell]


def compliance(*, db: Session, agency: str, now: datetime | None = None) -> Compliance:
    """The compliance report for duties the agency had to meet (it sent the triggering record)."""
    now = now or clock.now()
    stmt = select(Duty.rule_code, Duty.title, Duty.due_at, Duty.acknowledged_at).where(
        Duty.from_agency == agency, Duty.due_at < now
    )
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    titles: dict[str, str] = {}
    for rule_code, title, due_at, acknowledged_at in db.execute(stmt):
        month = due_at.astimezone(LONDON).strftime("%Y-%m")
        cell = counts[rule_code][month]
        cell[0] += 1
        cell[1] += acknowledged_at is not None and acknowledged_at <= due_at
        titles[rule_code] = title
    months = sorted({m for per_rule in counts.values() for m in per_rule})
    by_rule = {r: {m: ComplianceCell(*c) for m, c in per.items()} for r, per in counts.items()}
    by_month = {
        m: ComplianceCell(
            sum(by_rule[r][m].due for r in by_rule if m in by_rule[r]),
            sum(by_rule[r][m].on_time for r in by_rule if m in by_rule[r]),
        )
        for m in months
    }
    return Compliance(months=months, by_rule=by_rule, titles=titles, by_month=by_month)


def bar_chart_svg(cells: dict[str, ComplianceCell], width: int = 640, height: int = 200) -> str:
    """A plain SVG bar chart of percent on time per month (server-rendered, no JavaScript)."""
    if not cells:
        return ""
    months = list(cells)[-24:]
    gap, left, bottom = 4, 36, 30
    bar = max(4, (width - left) // len(months) - gap)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'aria-label="Percentage of duties met on time by month">'
    ]
    for pct in (0, 50, 100):
        y = height - bottom - pct * (height - bottom - 10) / 100
        parts.append(
            f'<line x1="{left}" x2="{width}" y1="{y:.0f}" y2="{y:.0f}" stroke="#b1b4b6"/>'
            f'<text x="0" y="{y + 4:.0f}" font-size="11">{pct}%</text>'
        )
    for i, month in enumerate(months):
        cell = cells[month]
        h = max(2.0, cell.percent * (height - bottom - 10) / 100)  # a 0% month still shows as a red line
        x = left + i * (bar + gap)
        colour = "#00703c" if cell.percent >= 90 else "#f47738" if cell.percent >= 50 else "#d4351c"
        parts.append(
            f'<rect x="{x}" y="{height - bottom - h:.0f}" width="{bar}" height="{h:.0f}" fill="{colour}">'
            f"<title>{month}: {cell.percent}% of {cell.due} on time</title></rect>"
        )
        if len(months) <= 12 or i % 3 == 0:
            parts.append(f'<text x="{x}" y="{height - 12}" font-size="10">{month}</text>')
    parts.append("</svg>")
    return "".join(parts)
