"""The duty rules as pure functions: which duties an event creates, for whom, due when."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from lantern.duties.facts import EventFacts, SubjectFacts
from lantern.duties.rules import default_rules, evaluate, load_rules

SATURDAY_NIGHT = datetime(2025, 5, 3, 22, 0, tzinfo=UTC)  # Monday 5 May 2025 is a bank holiday


def _subject(pid: str, role: str, age_years: float | None) -> SubjectFacts:
    days = None if age_years is None else int(age_years * 365.25)
    return SubjectFacts(pid, role, days, {"given_name": pid})


def _da(*subjects: SubjectFacts, **payload: object) -> EventFacts:
    return EventFacts(
        id="e1",
        type="police.domestic_abuse_incident",
        source_agency="police",
        source_ref="P1",
        occurred_at=SATURDAY_NIGHT,
        summary="DA",
        location=None,
        payload=dict(payload),
        subjects=list(subjects),
    )


def _by_rule(facts: EventFacts) -> dict[str, list]:
    drafts: dict[str, list] = {}
    for draft in evaluate(facts, default_rules()):
        drafts.setdefault(draft.rule.code, []).append(draft)
    return drafts


def test_shipped_rules_load_and_are_unique() -> None:
    assert len(load_rules()) >= 14


def test_da_with_school_age_child_and_baby() -> None:
    drafts = _by_rule(
        _da(
            _subject("mum", "victim", 30),
            _subject("dad", "perpetrator", 32),
            _subject("girl", "child_present", 7),
            _subject("baby", "child_present", 0.2),
        )
    )
    assert {d.about.person_id for d in drafts["police-da-to-csc"]} == {"girl", "baby"}
    assert [d.about.person_id for d in drafts["police-da-to-school"]] == ["girl"]
    assert [d.about.person_id for d in drafts["police-da-to-health-visitor"]] == ["baby"]
    assert "police-da-to-midwife" not in drafts
    # one working day after Saturday over the May Day bank holiday: end of Tuesday 6 May (BST)
    assert drafts["police-da-to-csc"][0].due_at == datetime(2025, 5, 6, 22, 59, 59, tzinfo=UTC)
    # next school day starts Tuesday 08:30 BST
    assert drafts["police-da-to-school"][0].due_at == datetime(2025, 5, 6, 7, 30, tzinfo=UTC)


def test_school_gets_the_encompass_notice_not_the_police_narrative() -> None:
    drafts = _by_rule(_da(_subject("mum", "victim", 30), _subject("girl", "child_present", 7), risk_level="high"))
    content = drafts["police-da-to-school"][0].content
    assert set(content) == {"when", "child", "encompass_notice"}
    assert "DA" not in str(content.values())


def test_da_with_pregnancy_and_no_children_goes_to_csc_and_midwife() -> None:
    drafts = _by_rule(_da(_subject("mum", "victim", 24), _subject("dad", "perpetrator", 26), pregnancy_known=True))
    assert [d.about.person_id for d in drafts["police-da-to-midwife"]] == ["mum"]
    assert [d.about.person_id for d in drafts["police-da-to-csc"]] == ["mum"]


def test_da_between_adults_only_creates_no_duty() -> None:
    assert _by_rule(_da(_subject("a", "victim", 40), _subject("b", "perpetrator", 41))) == {}


@pytest.mark.parametrize(("age", "school"), [(3.99, False), (4.0, True), (15.99, True), (16.0, False)])
def test_operation_encompass_age_boundaries(age: float, school: bool) -> None:
    drafts = _by_rule(_da(_subject("mum", "victim", 30), _subject("kid", "child_present", age)))
    assert ("police-da-to-school" in drafts) is school


def test_child_death_from_ambulance_is_immediate_to_police() -> None:
    call = EventFacts(
        id="e2",
        type="ambulance.call",
        source_agency="ambulance",
        source_ref="A1",
        occurred_at=SATURDAY_NIGHT,
        summary="Baby not breathing",
        location=None,
        payload={"outcome": "deceased"},
        subjects=[_subject("baby", "patient", 0.2)],
    )
    drafts = _by_rule(call)
    assert drafts["child-death-to-police"][0].due_at == SATURDAY_NIGHT
    assert "child-death-to-csc" in drafts


def test_rule_with_unknown_condition_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text(
        '[[rule]]\ncode="x"\ntitle="x"\nguidance="x"\non=["police.arrest"]\nwhen=["full_moon"]\nabout="subject"\n'
        'to={agency="csc", team="t"}\ndeadline={hours=1}\nescalate={to="manager", after_hours=1}\ncontent=["when"]\n'
    )
    with pytest.raises(ValueError, match="full_moon"):
        load_rules(tmp_path)
