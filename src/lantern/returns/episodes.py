"""CIN episodes from Lantern's records: a referral opens one, the child's case closing ends it; a
referral with no further action (NFA) ends on its own day, reason RC8 (docs/returns.md).

Census period and inclusion: DfE "Children in need census 2025 to 2026: guide", section 2 (the
census year runs 1 April to 31 March; a child is included when a CIN episode was open at any time
in it). Modules inside an episode are those dated between its referral and the next referral.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from lantern.casework.models import ConferenceRecord
from lantern.casework.rules import local_day
from lantern.plans.models import Plan
from lantern.returns import codes
from lantern.returns.cin_schema import FIRST_YEAR, LAST_YEAR
from lantern.returns.records import Child, Record

NFA_REASON = "RC8"  # a referral with no further action is closed on its referral day


@dataclass(frozen=True)
class Period:
    """A span of days; a census year runs 1 April to 31 March, named by the year it ends."""

    start: date
    end: date

    @classmethod
    def census(cls, year: int) -> Period:
        """The census year ending 31 March `year`; ValueError outside FIRST_YEAR..LAST_YEAR."""
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"census year {year} is not between {FIRST_YEAR} and {LAST_YEAR}")
        return cls(date(year - 1, 4, 1), date(year, 3, 31))

    @property
    def year(self) -> int:
        return self.end.year

    def overlaps(self, start: date, end: date | None) -> bool:
        return start <= self.end and (end is None or end >= self.start)


@dataclass
class S47:
    """A section 47 enquiry: Lantern counts it from the strategy discussion that opens it, as the
    initial conference's due day is (casework.conferences)."""

    strategy: Record
    conference: ConferenceRecord | None


@dataclass
class Episode:
    referral: Record
    closed_on: date | None
    reason: str | None
    nfa: bool
    assessments: list[Record] = field(default_factory=list)
    enquiries: list[S47] = field(default_factory=list)
    cin_plans: list[Plan] = field(default_factory=list)
    cp_plans: list[Plan] = field(default_factory=list)


def episodes(child: Child, period: Period) -> list[Episode]:
    """The child's CIN episodes open at some time in the period, with their modules in it."""
    referrals = child.of("csc.referral")
    found = []
    for n, referral in enumerate(referrals):
        until = referrals[n + 1].on if n + 1 < len(referrals) else None
        episode = _episode(child, referral, until)
        if period.overlaps(referral.on, episode.closed_on):
            _fill(episode, child, period, until)
            found.append(episode)
    return found


def _episode(child: Child, referral: Record, until: date | None) -> Episode:
    closures = sorted(
        local_day(c.closed_at)
        for c in child.cases
        if c.closed_at and _within(local_day(c.closed_at), referral.on, until)
    )
    closed_on = closures[0] if closures else None
    payload = referral.payload
    if codes.is_no_further_action(payload.get("decision"), payload.get("outcome")):
        return Episode(referral=referral, closed_on=referral.on, reason=NFA_REASON, nfa=True)
    return Episode(
        referral=referral,
        closed_on=closed_on,
        reason=_reason(child, referral.on, closed_on) if closed_on else None,
        nfa=False,
    )


def _reason(child: Child, start: date, closed_on: date) -> str | None:
    """RC2 (died) or RC1 (adopted) where Lantern holds the record; other reasons are not held."""
    for type_, reason in (("child.death", "RC2"), ("csc.adoption", "RC1")):
        if any(start <= r.on <= closed_on for r in child.of(type_)):
            return reason
    return None


def _fill(episode: Episode, child: Child, period: Period, until: date | None) -> None:
    # Activity dated after the closure but before the next referral stays in the episode, so the
    # census shows it and validation reports it (rule 8565) rather than dropping a record silently.
    start, end = episode.referral.on, until
    episode.assessments = [
        a for a in child.of("csc.assessment") if _within(a.on, start, end) and period.overlaps(a.on, a.on)
    ]
    initial = {c.strategy_event_id: c for c in child.conferences if c.kind == "initial"}
    for strategy in child.of("csc.strategy_discussion"):
        conference = initial.get(strategy.event_id)
        held = conference.held_on if conference and conference.status == "held" else None
        if _within(strategy.on, start, end) and period.overlaps(strategy.on, held):
            episode.enquiries.append(S47(strategy, conference))
    for plan in sorted(child.plans, key=lambda p: (p.start_on, p.id)):
        if _within(plan.start_on, start, end) and period.overlaps(plan.start_on, plan.end_on):
            (episode.cp_plans if plan.kind == "cp" else episode.cin_plans).append(plan)


def _within(day: date, start: date, until: date | None) -> bool:
    return day >= start and (until is None or day < until)
