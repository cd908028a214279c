"""Which disclosures by a child are referred, and the sentence that says why, pure.

The seed review found a 14-year-old's disclosure treated as an adult's choice. Under the Children
Act 1989 everyone under 18 is a child, so a disclosure of suicidal plans, self-harm, exploitation or
abuse is referred to children's social care at 17 as at 7 (Working Together 2023, para. 1.4 and
chapter 2); a young person's wish that no one be told is recorded and weighed, but does not remove
the referral. Ages are whole years from the birthday (a child born on 29 February is a year older
on 1 March in other years), so the boundaries fall on the birthday itself.
"""

from __future__ import annotations

from datetime import date

CONCERNS: dict[str, str] = {
    "suicidal_plans": "suicidal plans or thoughts of ending their life",
    "self_harm": "self-harm",
    "exploitation": "exploitation (criminal or sexual, including county lines and grooming)",
    "abuse": "abuse (physical, sexual or emotional abuse, neglect, or domestic abuse at home)",
}
LABELS = {
    "suicidal_plans": "suicidal plans",
    "self_harm": "self-harm",
    "exploitation": "exploitation",
    "abuse": "abuse",
}
ADULT_AT = 18
ADOLESCENT_FROM = 14  # the seed review's child was 14: from here the form says a young person is still a child


def age_years(born_on: date, on: date) -> int:
    """Age in whole years on a day, counting from the birthday."""
    return on.year - born_on.year - ((on.month, on.day) < (born_on.month, born_on.day))


def is_child(age: int | None, named_as_child: bool) -> bool:
    """Under 18, or, with no date of birth known, named in the record as a child."""
    return age < ADULT_AT if age is not None else named_as_child


def is_adolescent(age: int | None) -> bool:
    """14 to 17: old enough to be treated as an adult by mistake, still a child in law."""
    return age is not None and ADOLESCENT_FROM <= age < ADULT_AT


def referral(*, concerns: list[str], age: int | None, named_as_child: bool, asked_not_to_tell: bool) -> str:
    """Why the disclosure is referred to children's social care, in plain English ("" when it is not:
    the person was 18 or over, or nothing in the referred categories was disclosed)."""
    told = [CONCERNS[c] for c in concerns if c in CONCERNS]
    if not told or not is_child(age, named_as_child):
        return ""
    who = f"aged {age}" if age is not None else "named as a child (no date of birth is known)"
    text = f"A child {who} disclosed {_join(told)}: a referral to children's social care is owed, as for any child."
    if is_adolescent(age):
        text += " At 14 to 17 a young person is still a child; this is not an adult's choice to make alone."
    if asked_not_to_tell:
        text += " They asked that no one be told: record their wish and tell them who will be told, but refer."
    return text


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else "; ".join(items[:-1]) + "; and " + items[-1]
