"""Incremental matching: which known person is this new record most likely about?

Candidates come from the person_record table by the same blocking rules the batch model uses
(each an indexed equality), plus records met earlier in the same batch; the trained model scores
them (linkage.scoring) and the best person's score decides: link, ask a person, or keep apart.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from lantern.config import get_settings
from lantern.identity.models import LinkageModel, PersonRecord
from lantern.linkage import model
from lantern.linkage.scoring import Score, Scorer, TrainedModel

# Blocking rules for one record, as the columns that must all be equal (see model.blocking_rules).
RULES: tuple[tuple[str, ...], ...] = (
    ("nhs_number",),
    ("identifier",),
    ("phone",),
    ("dob", "family_key"),
    ("dob", "given_key"),
    ("postcode", "given_key"),
    ("postcode", "family_key"),
    ("postcode", "dob"),
)
# What person_record keeps of a prepared record: everything but what is derived again from the
# postcode when a candidate is read back (see _candidate).
STORED = tuple(feature for feature in model.FEATURES if feature not in ("postcode_area", "postcodes"))
MAX_CANDIDATES = 50  # per record and rule


@dataclass
class Candidate:
    """A known record of a known person, as prepared features."""

    person_id: str
    features: dict[str, Any]
    record_id: int | None = None
    source_agency: str | None = None


@dataclass
class Decision:
    """The outcome for one record: the best person found and whether to link."""

    person_id: str | None
    score: Score | None
    action: str  # link, review, new
    reason: str = ""
    record: Candidate | None = None
    also: list[tuple[str, Score]] = field(default_factory=list)  # other people linked as surely: the same one


def blocking_keys(features: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """(rule number, values) for each rule whose fields are all present in `features`."""
    keys = []
    for number, rule in enumerate(RULES):
        values = tuple(features.get(column) for column in rule)
        if all(values):
            keys.append((number, *values))
    return keys


def _settings_of(db: Session, version: int | None) -> dict[str, Any]:
    """Splink settings of a trained version, else the configured file, else the shipped model."""
    if version is not None:
        return dict(db.execute(select(LinkageModel.settings).where(LinkageModel.version == version)).scalar_one())
    configured = get_settings().linkage_model_file
    if configured is not None:
        return dict(json.loads(configured.read_text(encoding="utf-8")))
    return model.shipped()


_scorers: dict[tuple[Any, ...], Scorer] = {}


def scorer(db: Session) -> Scorer:
    """A scorer for the newest model: trained versions never change, so only the newest version's
    key is read on each call and the model itself only when it is new."""
    newest = db.execute(
        select(LinkageModel.version, LinkageModel.trained_at).order_by(LinkageModel.version.desc()).limit(1)
    ).first()
    key = (str(db.get_bind().engine.url), *newest) if newest else ("untrained", get_settings().linkage_model_file)
    if key not in _scorers:
        _scorers.clear()
        _scorers[key] = Scorer(TrainedModel.from_splink(_settings_of(db, newest[0] if newest else None)))
    return _scorers[key]


def fingerprint(agency: str, features: Mapping[str, Any]) -> str:
    """Identifies one agency's distinct rendering of a person."""
    text = json.dumps([agency, *(features.get(column) for column in STORED)])
    return hashlib.md5(text.encode()).hexdigest()


def stored_candidates(db: Session, features: Sequence[Mapping[str, Any]]) -> list[list[Candidate]]:
    """For each record, the known records sharing a blocking key with it (one query per rule)."""
    found: list[dict[int, Candidate]] = [{} for _ in features]
    for rule in RULES:
        wanted: dict[tuple[Any, ...], list[int]] = {}
        for index, feature in enumerate(features):
            values = tuple(feature.get(column) for column in rule)
            if all(values):
                wanted.setdefault(values, []).append(index)
        columns = [getattr(PersonRecord, column) for column in rule]
        keys = list(wanted)
        for start in range(0, len(keys), 400):
            chunk = keys[start : start + 400]
            match = columns[0].in_([v[0] for v in chunk]) if len(rule) == 1 else tuple_(*columns).in_(chunk)
            per_key: dict[tuple[Any, ...], int] = {}
            for row in db.execute(select(PersonRecord).where(match)).scalars():
                key = tuple(getattr(row, column) for column in rule)
                per_key[key] = per_key.get(key, 0) + 1
                if per_key[key] <= MAX_CANDIDATES:
                    for index in wanted[key]:
                        found[index].setdefault(row.id, _candidate(row))
    return [list(candidates.values()) for candidates in found]


def _candidate(row: PersonRecord) -> Candidate:
    stored: dict[str, Any] = {column: getattr(row, column) for column in STORED}
    for column in ("given_forms", "family_parts"):
        stored[column] = (stored[column] or "").split()
    postcode = stored["postcode"]
    stored["postcodes"] = [postcode] if postcode else []
    stored["postcode_area"] = postcode_area(postcode)
    return Candidate(row.person_id, stored, row.id, row.source_agency)


def postcode_area(postcode: str | None) -> str | None:
    """As linkage.prepare computes it: the outward code of a UK postcode."""
    if not postcode:
        return None
    return postcode[:-3] if len(postcode) >= 5 else postcode[:2]


def stored_values(features: Mapping[str, Any]) -> tuple[Any, ...]:
    """The STORED columns of prepared features, as person_record keeps them (lists as words)."""
    return tuple(
        (" ".join(features.get(column) or []) or None) if column in _LISTS else features.get(column)
        for column in STORED
    )


_LISTS = ("given_forms", "family_parts")


def decide(
    scored: Iterable[tuple[Candidate, Score]], features: Mapping[str, Any], nhs_of: Mapping[str, str | None]
) -> Decision:
    """Link to the best-scoring person, send the pair for review, or keep the record apart.

    A candidate person holding a different NHS number is never linked automatically. Other
    people the record links to just as surely are the same person too (`also`): as in batch
    linkage, records joined at the threshold form one cluster.
    """
    best: dict[str, tuple[Score, Candidate]] = {}
    for candidate, score in scored:
        held = best.get(candidate.person_id)
        if held is None or score.match_weight > held[0].match_weight:
            best[candidate.person_id] = (score, candidate)
    ranked = sorted(best.items(), key=lambda item: -item[1][0].match_weight)
    if not ranked:
        return Decision(None, None, "new")
    decisions = [_judge(person_id, score, record, features, nhs_of) for person_id, (score, record) in ranked]
    first = decisions[0]
    first.also = [(d.person_id, d.score) for d in decisions[1:] if d.action == "link" and d.person_id and d.score]
    if first.action == "new":
        first.person_id = None
    return first


def _judge(
    person_id: str, score: Score, record: Candidate, features: Mapping[str, Any], nhs_of: Mapping[str, str | None]
) -> Decision:
    nhs, held_nhs = features.get("nhs_number"), nhs_of.get(person_id)
    if score.match_probability >= model.AUTO_LINK:
        if nhs and held_nhs and nhs != held_nhs:
            return Decision(person_id, score, "review", "different NHS numbers: never linked automatically", record)
        if household_look_alike(score):
            reason = "another given name or birth date: possibly a twin, sibling or parent"
            return Decision(person_id, score, "review", reason, record)
        return Decision(person_id, score, "link", "", record)
    if score.match_probability >= model.REVIEW:
        return Decision(person_id, score, "review", "the model is not sure enough to link", record)
    return Decision(person_id, score, "new")


def household_look_alike(score: Score) -> bool:
    """A wholly different given name or birth date, and no NHS number or PNC id in common.

    Twins, and a father and son of one name at one address, agree on everything else; the model
    adds up the household's shared surname, address and phone as if they were separate evidence
    (ADR 18). Such pairs go to a person, never linked automatically.
    """
    outcomes = {c.comparison: c.outcome for c in score.contributions}
    conflict = outcomes.get("given_name") == "different" or outcomes.get("dob") == "different"
    vouched = outcomes.get("nhs_number") == "the same" or outcomes.get("identifier") in model.VOUCHING
    return conflict and not vouched


def explanation(score: Score) -> list[dict[str, Any]]:
    """The score's contributions as JSON for storage and pages."""
    return [
        {"field": c.field, "outcome": c.outcome, "weight": round(c.weight, 2), "sentence": c.sentence()}
        for c in score.contributions
    ]
