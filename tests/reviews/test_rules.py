"""The pure rules of serious-incident reviews: deadlines, the child of a death record, what a snapshot
keeps, who counts as involved, learning themes and their counts. No database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lantern.reviews import rules
from lantern.reviews.rules import Tagged, Touch


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("aware", "due"),
    [
        (_utc(2022, 9, 9, 5, 0), _utc(2022, 9, 16, 22, 59, 59)),  # Friday: over one weekend
        (_utc(2023, 4, 5, 14, 0), _utc(2023, 4, 14, 22, 59, 59)),  # Good Friday and Easter Monday skipped
        (_utc(2022, 12, 23, 10, 0), _utc(2023, 1, 4, 23, 59, 59)),  # Christmas, Boxing Day, 2 Jan (GMT)
        (_utc(2022, 9, 10, 23, 30), _utc(2022, 9, 16, 22, 59, 59)),  # 00:30 BST on Sunday: counted from Monday
    ],
)
def test_panel_notification_due_in_5_working_days_skipping_weekends_and_bank_holidays(
    aware: datetime, due: datetime
) -> None:
    assert rules.panel_notification_due(aware) == due


def test_rapid_review_due_in_15_working_days_skipping_the_state_funeral() -> None:
    assert rules.rapid_review_due(_utc(2022, 9, 9, 5, 0)) == _utc(2022, 10, 3, 22, 59, 59)


def test_escalation_comes_a_working_day_after_the_deadline() -> None:
    due = rules.panel_notification_due(_utc(2022, 9, 9, 5, 0))  # Friday 16th
    assert rules.escalate_at(due) == _utc(2022, 9, 20, 22, 59, 59)  # Monday 19th was a bank holiday


def test_child_of_a_death_record_prefers_the_child_role() -> None:
    assert rules.child_of([("m", "mother"), ("c", "child")]) == "c"
    assert rules.child_of([("m", "mother"), ("p", "patient")]) == "p"
    assert rules.child_of([("m", "mother")]) is None


def test_as_of_leaves_out_records_written_up_after_the_time() -> None:
    at = _utc(2022, 9, 9, 4, 31)
    entries = [
        {"source_ref": "before", "recorded_at": "2022-09-09T04:18:00+00:00"},
        {"source_ref": "at", "recorded_at": at.isoformat()},
        {"source_ref": "written-up-later", "recorded_at": "2022-09-09T06:00:00+00:00"},
    ]
    assert [e["source_ref"] for e in rules.as_of(entries, at)] == ["before", "at"]


def test_status_at_replays_transitions_up_to_the_time() -> None:
    history = [(_utc(2022, 9, 1), "delivered"), (_utc(2022, 9, 5), "overdue"), (_utc(2022, 9, 7), "acknowledged")]
    assert rules.status_at(history, _utc(2022, 8, 31)) is None
    assert rules.status_at(history, _utc(2022, 9, 6)) == "overdue"
    assert rules.status_at(history, _utc(2022, 9, 8)) == "acknowledged"


def test_involvement_counts_what_each_did_until_the_review_opened() -> None:
    until = _utc(2022, 9, 9, 6, 0)
    touches = [
        Touch("priya", "read the child's record", _utc(2022, 8, 20)),
        Touch("priya", "read the child's record", _utc(2022, 8, 30)),
        Touch("priya", "leads the child's plan", None),
        Touch("nadia", "acknowledged a duty about the child", _utc(2022, 8, 17)),
        Touch("late", "read the child's record", _utc(2022, 9, 10)),
    ]
    assert rules.involvement(touches, until) == {
        "nadia": ["acknowledged a duty about the child"],
        "priya": ["leads the child's plan", "read the child's record (2 times)"],
    }


def test_themes_are_a_controlled_list_with_the_issue_themes() -> None:
    codes = set(rules.themes())
    assert {"pre_birth_assessment", "focus_on_mother", "da_not_shared", "conviction_not_shared"} <= codes
    assert {"records_not_transferred", "terminology", "growth_not_plotted", "adolescent_as_adult"} <= codes
    assert {"supervision", "handover"} <= codes
    assert rules.unknown_themes(["handover", "bad luck"]) == ["bad luck"]


def test_support_contacts_put_the_agencys_own_first_then_the_partnership() -> None:
    config = {
        "partnership": [{"name": "P", "role": "r", "phone": "1", "email": "p@x"}],
        "agencies": {"csc": [{"name": "PSW", "role": "r", "phone": "2", "email": "s@x"}]},
    }
    assert [c.name for c in rules.support_contacts("csc", config)] == ["PSW", "P"]
    assert [c.name for c in rules.support_contacts("police", config)] == ["P"]
    assert rules.support_contacts("gp")  # the shipped file names the partnership's contacts


def test_period_is_the_quarter_or_year_in_england() -> None:
    assert rules.period_of(_utc(2022, 9, 30, 23, 30), "quarter") == "2022 Q4"  # 00:30 BST on 1 October
    assert rules.period_of(_utc(2022, 9, 9), "quarter") == "2022 Q3"
    assert rules.period_of(_utc(2022, 12, 31, 23, 59), "year") == "2022"


def test_theme_counts_rank_by_reviews_then_findings_per_period_and_agency() -> None:
    findings = [
        Tagged("r1", _utc(2022, 9, 9), ("handover", "supervision"), ("csc",)),
        Tagged("r1", _utc(2022, 9, 9), ("handover",), ("csc", "health_visiting")),
        Tagged("r2", _utc(2023, 4, 4), ("supervision", "supervision"), ("csc", "csc")),
        Tagged("r3", _utc(2023, 5, 1), ("growth_not_plotted",), ("health_visiting", "gp")),
    ]
    counts = rules.theme_counts(findings, "quarter")
    assert [c.theme for c in counts] == ["supervision", "handover", "growth_not_plotted"]
    supervision, handover = counts[0], counts[1]
    assert (supervision.reviews, supervision.findings) == (2, 2)
    assert supervision.by_period == {"2022 Q3": 1, "2023 Q2": 1}
    assert supervision.by_agency == {"csc": 2}
    assert (handover.reviews, handover.findings) == (1, 2)
    assert handover.by_agency == {"csc": 2, "health_visiting": 1}
    assert rules.theme_counts(findings, "year")[0].by_period == {"2022": 1, "2023": 1}
