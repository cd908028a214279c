"""The DASH risk checklist (ACPO DASH 2009, the 27-question police form; SafeLives' MARAC referral
criteria), pure.

A case is referred to MARAC on any of the three SafeLives criteria: visible high risk (14 or more
"yes"), professional judgement (the assessor's reasoned view that the risk is high whatever the
count), or potential escalation (police called out to the victim for domestic abuse 3 or more times
in the past 12 months). Only "yes" counts towards the threshold; "not known" is kept, not counted.
"""

from __future__ import annotations

from dataclasses import dataclass

QUESTIONS: dict[str, str] = {
    "injury": "Has the current incident resulted in injury?",
    "very_frightened": "Are you very frightened?",
    "afraid_of_further_harm": "Are you afraid of further injury or violence?",
    "isolated": "Do you feel isolated from family or friends?",
    "depressed_or_suicidal": "Are you feeling depressed or having suicidal thoughts?",
    "separated_past_year": "Have you separated or tried to separate from the abuser within the past year?",
    "child_contact_conflict": "Is there conflict over child contact?",
    "stalking": "Does the abuser constantly text, call, contact, follow, stalk or harass you?",
    "pregnant_or_new_baby": "Are you pregnant or have you had a baby in the past 18 months?",
    "other_children_dependants": "Are there children or dependants in the household who are not the abuser's?",
    "hurt_children": "Has the abuser ever hurt the children or dependants?",
    "threatened_children": "Has the abuser ever threatened to hurt or kill the children or dependants?",
    "more_often": "Is the abuse happening more often?",
    "getting_worse": "Is the abuse getting worse?",
    "controlling_jealous": "Does the abuser try to control everything you do and/or are they excessively jealous?",
    "weapons": "Has the abuser ever used weapons or objects to hurt you?",
    "threatened_to_kill": "Has the abuser ever threatened to kill you or someone else and you believed them?",
    "strangled": "Has the abuser ever attempted to strangle, choke, suffocate or drown you?",
    "sexual_abuse": (
        "Does the abuser do or say things of a sexual nature that make you feel bad or physically hurt you?"
    ),
    "other_person_threat": "Is there any other person who has threatened you or who you are afraid of?",
    "hurt_anyone_else": "Do you know if the abuser has hurt anyone else?",
    "animal_cruelty": "Has the abuser ever mistreated an animal or the family pet?",
    "financial_issues": "Are there any financial issues (dependence on the abuser for money, a lost job)?",
    "substances_mental_health": "Has the abuser had problems in the past year with drugs, alcohol or mental health?",
    "abuser_suicide": "Has the abuser ever threatened or attempted suicide?",
    "breached_bail": "Has the abuser ever breached bail, an injunction or an agreement about contact?",
    "criminal_history": "Do you know if the abuser has ever been in trouble with the police or has a criminal history?",
}
ANSWERS = ("yes", "no", "not_known")
HIGH_RISK_YES = 14
ESCALATION_CALLOUTS = 3


@dataclass(frozen=True)
class Risk:
    """What a completed checklist shows: the "yes" count and each MARAC criterion it meets."""

    yes_count: int
    visible_high_risk: bool
    professional_judgement: bool
    escalation: bool
    reasons: list[str]

    @property
    def high(self) -> bool:
        """High risk by the count or by the assessor's judgement."""
        return self.visible_high_risk or self.professional_judgement

    @property
    def marac(self) -> bool:
        """Referred to MARAC on any of the three criteria."""
        return self.high or self.escalation


def assess(
    *, answers: dict[str, str], professional_judgement: bool, judgement_reason: str | None, callouts: int | None
) -> Risk:
    """The checklist's result and, in plain English, why a MARAC referral is owed (no reasons: none is)."""
    yes = sum(answers.get(code) == "yes" for code in QUESTIONS)
    visible = yes >= HIGH_RISK_YES
    escalation = callouts is not None and callouts >= ESCALATION_CALLOUTS
    reasons = []
    if visible:
        reasons.append(f"visible high risk: {yes} of 27 answered yes (14 or more)")
    if professional_judgement:
        reasons.append(f"professional judgement that the risk is high: {judgement_reason}")
    if escalation:
        reasons.append(f"potential escalation: police called out {callouts} times in the past 12 months (3 or more)")
    return Risk(yes, visible, professional_judgement, escalation, reasons)


def explain(risk: Risk) -> str:
    """One sentence naming every MARAC criterion met."""
    return "Refer to MARAC: " + "; ".join(risk.reasons) + "." if risk.reasons else ""
