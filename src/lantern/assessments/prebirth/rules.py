"""The pre-birth assessment's questions, what makes one answered, and what agencies' records suggest (pure).

Every background question is mandatory for every parent and partner: the seed reviews found
assessments signed off with them blank. An answer is "yes" (with what), "no", or "not known" with
the reason and the action that will find out (an owner and a due date, tracked as a duty). A record
held by an agency can suggest "yes" and cite itself; nothing held never suggests "no".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from lantern.events.vocabulary import EVENT_TYPES

SLOTS: dict[str, str] = {"mother": "Mother", "father": "Father", "partner": "Mother's partner"}
SLOT_ORDER = tuple(SLOTS)

ADULT_QUESTIONS: dict[str, str] = {
    "previous_children": "Previous children, and where each of them is now",
    "convictions": "Convictions, especially for violence or offences against children",
    "domestic_abuse": "Domestic abuse, as a victim or as a perpetrator",
    "mental_health": "Mental health, including self-harm and overdoses",
    "drugs_alcohol": "Drug or alcohol misuse",
    "care_history": "Their own care history (looked after as a child, a care leaver)",
    "under_20": "Under 20 years old when the baby is due",
    "learning_needs": "Learning needs or a learning disability",
}
BABY_QUESTIONS: dict[str, str] = {
    "vulnerability": "The baby's own vulnerability (prematurity, twins, withdrawal, health needs, an only carer)",
    "first_weeks_plan": "The plan for the baby's first weeks: who cares for the baby, where, and who visits when",
}
# Questions answered in words rather than yes or no.
TEXT_QUESTIONS = frozenset({"baby.first_weeks_plan"})
ANSWERS = ("yes", "no", "not_known")
TEENAGE_PARENT_AGE = 20

Answer = Literal["yes", "no", "not_known"]


def question_keys(slots: list[str]) -> list[str]:
    """Every question of the form for these people, in the form's order: each adult's, then the baby's."""
    keys = [f"{slot}.{code}" for slot in sorted(slots, key=SLOT_ORDER.index) for code in ADULT_QUESTIONS]
    return [*keys, *(f"baby.{code}" for code in BABY_QUESTIONS)]


def label_of(key: str) -> str:
    """The question's words for a key such as "father.convictions"."""
    slot, code = key.split(".", 1)
    return BABY_QUESTIONS[code] if slot == "baby" else ADULT_QUESTIONS[code]


@dataclass(frozen=True)
class Problem:
    """Why the form cannot go for sign-off: one question and what is missing from it."""

    key: str
    message: str


def problems(answers: dict[str, dict[str, Any]], people: dict[str, str], today: date) -> list[Problem]:
    """Everything that stops sign-off, in the form's order; `people` maps each slot to a name."""
    found = []
    for key in question_keys(list(people)):
        slot, _ = key.split(".", 1)
        who = "The baby" if slot == "baby" else f"{people[slot]} ({SLOTS[slot].lower()})"
        missing = _missing(key, answers.get(key) or {}, today)
        if missing:
            found.append(Problem(key, f"{who}: {label_of(key).split(',')[0].split('(')[0].strip()} — {missing}"))
    return found


def _missing(key: str, answer: dict[str, Any], today: date) -> str | None:
    choice, detail = answer.get("answer"), (answer.get("detail") or "").strip()
    if choice is None:
        return "not answered"
    if choice == "not_known":
        return _not_known_missing(answer, today)
    if key in TEXT_QUESTIONS and not detail:
        return "write the plan"
    if choice == "yes" and not detail:
        return "say what: a 'yes' needs the detail"
    return None


def _not_known_missing(answer: dict[str, Any], today: date) -> str | None:
    action = answer.get("action") or {}
    if not (answer.get("reason") or "").strip():
        return "'not known' needs the reason it is not known"
    if not (action.get("description") or "").strip():
        return "'not known' needs the action that will find out"
    if not (action.get("owner") or "").strip() or not action.get("owner_agency"):
        return "the action needs an owner (a named person and their agency)"
    due = action.get("due_on")
    if not due:
        return "the action needs a due date"
    if date.fromisoformat(str(due)) < today:
        return "the action's due date has passed: set a new one"
    return None


@dataclass(frozen=True)
class Held:
    """One agency record a suggested answer rests on."""

    event_id: str | None
    agency: str
    ref: str
    on: date | None
    text: str


@dataclass
class Suggestion:
    """What the records say about one question for one person: the answer they support and why."""

    answer: Answer
    sources: list[Held] = field(default_factory=list)

    def detail(self) -> str:
        return "; ".join(f"{s.text} ({_cite(s)})" for s in self.sources)


def _cite(held: Held) -> str:
    when = f", {held.on:%-d %B %Y}" if held.on else ""
    return f"{held.agency} {held.ref}{when}" if held.ref else f"{held.agency}{when}"


# Words in an agency's own record of the person (summary or payload) that bear on a question; a
# trailing "*" matches any word starting so ("depress*": depressed, depression).
KEYWORDS: dict[str, tuple[str, ...]] = {
    "mental_health": (
        "depress*", "anxiety", "anxious", "self-harm*", "self harm*", "overdose*", "suicid*", "psychosis",
        "psychiatr*", "bipolar", "schizophren*", "mental health", "perinatal mh", "low mood", "eating disorder",
        "phq*",
    ),
    "drugs_alcohol": (
        "alcohol*", "drunk", "intoxicat*", "drug", "drugs", "cannabis", "cocaine", "heroin", "methadone",
        "opiate*", "substance misuse", "substance use", "amphetamine*",
    ),
    "care_history": ("looked after child", "care leaver", "in care", "foster*", "children's home"),
    "learning_needs": ("learning disab*", "learning difficult*", "special educational needs", "ehcp"),
}  # fmt: skip
_PATTERNS = {
    code: re.compile(
        r"\b(?:"
        + "|".join(re.escape(w[:-1]) + r"[\w-]*" if w.endswith("*") else re.escape(w) + r"\b" for w in words)
        + ")",
        re.I,
    )
    for code, words in KEYWORDS.items()
}
# Whose record it is: the words of a record are the person's own only in these roles (a referral
# about the mother that names the father says nothing of the father's mental health).
OWN_ROLES = ("patient", "subject")
MOTHERS_OWN_TYPES = ("midwife.booking", "pregnancy.notification", "csc.referral", "csc.assessment")
CHILD_RELATIONS = ("son", "daughter", "child", "stepson", "stepdaughter", "step-son", "step-daughter")


@dataclass(frozen=True)
class Record:
    """What prefilling reads of one agency record naming the person."""

    event_id: str
    type: str
    role: str
    agency: str
    ref: str
    on: date
    summary: str
    payload: dict[str, Any]


def suggest(records: list[Record]) -> dict[str, Suggestion]:
    """Question code -> the "yes" the person's agency records support, each record cited."""
    found: dict[str, Suggestion] = {}
    for record in records:
        for code, text in _findings(record):
            found.setdefault(code, Suggestion("yes")).sources.append(
                Held(record.event_id, record.agency, record.ref, record.on, text)
            )
    return found


def _findings(record: Record) -> list[tuple[str, str]]:
    p = record.payload
    found: list[tuple[str, str]] = []
    if record.type == "police.conviction" and record.role == "offender":
        sentence = f"; {p['sentence']}" if p.get("sentence") else ""
        found.append(("convictions", f"Convicted of {p.get('offence_description', 'an offence')}{sentence}"))
        if p.get("victim_is_child") and str(p.get("victim_relationship", "")).lower() in CHILD_RELATIONS:
            age = f", then aged {p['victim_age_years']}" if p.get("victim_age_years") is not None else ""
            found.append(("previous_children", f"A {p['victim_relationship']}{age}, the victim of that offence"))
    if record.type == "police.domestic_abuse_incident" and record.role in ("victim", "perpetrator", "suspect"):
        role = "victim" if record.role == "victim" else "alleged perpetrator"
        found.append(("domestic_abuse", f"Domestic abuse incident, named as the {role}"))
    if record.type == "dash.assessment" and record.role == "victim":
        found.append(("domestic_abuse", "DASH risk checklist completed as the victim"))
    own = record.role in OWN_ROLES or (record.role == "mother" and record.type in MOTHERS_OWN_TYPES)
    text = " ".join([record.summary, *_strings(p)]) if own else ""
    for code, pattern in _PATTERNS.items():
        words = sorted({m.group(0).lower() for m in pattern.finditer(text)})
        if words:
            found.append((code, f'{_label(record.type)}: "{_clip(record.summary)}" (mentions {", ".join(words)})'))
    return found


def _label(event_type: str) -> str:
    known = EVENT_TYPES.get(event_type)
    return known.label if known else event_type


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _strings(payload: dict[str, Any]) -> list[str]:
    return [v if isinstance(v, str) else " ".join(map(str, v)) for v in payload.values() if isinstance(v, str | list)]


def under_20(date_of_birth: date | None, due: date) -> Answer | None:
    """Whether the person is under 20 on the day the baby is due (None: no date of birth held)."""
    if date_of_birth is None:
        return None
    birthday_passed = (due.month, due.day) >= (date_of_birth.month, date_of_birth.day)
    age = due.year - date_of_birth.year - (0 if birthday_passed else 1)
    return "yes" if age < TEENAGE_PARENT_AGE else "no"
