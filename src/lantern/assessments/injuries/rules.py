"""The bruising rule, pure: any bruise in a child who is not independently mobile, and TEN-4-FACESp
(Pierce et al., Pediatrics 2021;147(1)): bruising to the Torso, Ears or Neck, or to the Frenulum,
Angle of the jaw, Cheek, Eyelids or Subconjunctivae, or Patterned bruising, in a child under 4 years;
or any bruise anywhere in an infant of 4.99 months or younger. NICE CG89 and the RCPCH Child
Protection Companion ask for a referral and a child protection medical when it fires."""

from __future__ import annotations

from lantern.assessments.injuries.vocabulary import NOT_INDEPENDENTLY_MOBILE, REGIONS, TERMS

DAYS_PER_MONTH = 365.25 / 12
UNDER_MONTHS = 5  # TEN-4-FACESp: "4.99 months and younger", i.e. not yet 5 months old
TEN_FOUR_YEARS = 4
GROUP_LABELS = {
    "torso": "the torso",
    "ears": "an ear",
    "neck": "the neck",
    "frenulum": "the mouth (frenulum)",
    "angle_of_jaw": "the angle of the jaw",
    "cheek": "a cheek",
    "eyelids": "an eyelid",
    "subconjunctiva": "the white of an eye (subconjunctival)",
}


def bruising(*, term: str, region: str, age_days: int | None, mobility: str | None, patterned: bool) -> list[str]:
    """Why the bruising rule fires for one injury, in plain English (empty when it does not)."""
    if TERMS[term].injury_type != "bruise":
        return []
    called = "a bruise" if term == "bruise" else f"a {term} (counted as a bruise: {TERMS[term].definition.lower()})"
    reasons = []
    if mobility in NOT_INDEPENDENTLY_MOBILE:
        reasons.append(f"{called} on a child who is not independently mobile ({mobility.replace('_', '-')})")
    if age_days is not None:
        months = age_days / DAYS_PER_MONTH
        if months < UNDER_MONTHS:
            reasons.append(f"a bruise at {months:.1f} months old (TEN-4-FACESp: any bruise at 4.99 months or younger)")
        if age_days < TEN_FOUR_YEARS * 365.25:
            group = REGIONS[region].group
            if group is not None:
                reasons.append(f"bruising to {GROUP_LABELS[group]} under 4 years (TEN-4-FACESp)")
            if patterned:
                reasons.append("a patterned bruise under 4 years (TEN-4-FACESp)")
    return reasons


def explain(reasons: list[str]) -> str:
    """One sentence naming every reason the rule fired."""
    return "The bruising rule fires: " + "; ".join(reasons) + "." if reasons else ""
