"""The DASH checklist at its boundaries: 13/14 "yes", "not known" not counted, the professional
judgement override, and 2/3 police call-outs for escalation."""

from __future__ import annotations

import pytest

from lantern.assessments.dash import rules


def _answers(yes: int, not_known: int = 0) -> dict[str, str]:
    codes = list(rules.QUESTIONS)
    return {c: "yes" if i < yes else "not_known" if i < yes + not_known else "no" for i, c in enumerate(codes)}


def test_the_checklist_has_the_27_dash_2009_questions() -> None:
    assert len(rules.QUESTIONS) == 27
    assert rules.QUESTIONS["injury"] == "Has the current incident resulted in injury?"
    assert "strangle" in rules.QUESTIONS["strangled"]


@pytest.mark.parametrize(("yes", "high"), [(13, False), (14, True), (27, True)])
def test_high_risk_at_14_yes(yes: int, high: bool) -> None:
    risk = rules.assess(answers=_answers(yes), professional_judgement=False, judgement_reason=None, callouts=0)
    assert (risk.yes_count, risk.high, risk.marac) == (yes, high, high)
    assert ("visible high risk" in rules.explain(risk)) is high


def test_not_known_is_not_counted() -> None:
    risk = rules.assess(answers=_answers(13, 5), professional_judgement=False, judgement_reason=None, callouts=None)
    assert risk.yes_count == 13 and not risk.marac


def test_professional_judgement_overrides_the_count_with_its_reason() -> None:
    risk = rules.assess(
        answers=_answers(3), professional_judgement=True, judgement_reason="new partner, threats", callouts=0
    )
    assert risk.high and risk.marac and not risk.visible_high_risk
    assert "professional judgement that the risk is high: new partner, threats" in rules.explain(risk)


@pytest.mark.parametrize(("callouts", "escalation"), [(None, False), (2, False), (3, True)])
def test_escalation_at_three_police_callouts(callouts: int | None, escalation: bool) -> None:
    risk = rules.assess(answers=_answers(5), professional_judgement=False, judgement_reason=None, callouts=callouts)
    assert risk.escalation is escalation and risk.marac is escalation and not risk.high
