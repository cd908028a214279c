"""Scoring a handful of candidate pairs in milliseconds with a model trained by Splink.

Splink trains the model and links files in bulk; for one new record at ingestion its per-call
planning costs about 60 ms, more than the whole latency budget (ADR 14). The trained model is
plain data (each comparison level's SQL condition and m/u probabilities), so here the same SQL
conditions are evaluated by DuckDB on the candidate pairs and the level weights summed, exactly as
Splink's Fellegi-Sunter scoring does (without term-frequency adjustments). The per-level weights
also make the plain-English explanation.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from lantern.linkage import model, prepare


@dataclass(frozen=True)
class Level:
    """One level of a comparison: when it applies and the evidence (log2 Bayes factor) it gives."""

    label: str
    sql: str
    weight: float  # 0 for the null level (no evidence either way)


@dataclass(frozen=True)
class Comparison:
    name: str
    description: str
    levels: tuple[Level, ...]


@dataclass(frozen=True)
class Contribution:
    """How one field compared and how much that moved the score."""

    comparison: str  # the model's name for it (given_name, dob, ...)
    field: str
    outcome: str
    weight: float

    def sentence(self) -> str:
        """A plain-English line: "Date of birth: the same (strong evidence for, +10.8)"."""
        return f"{self.field}: {self.outcome} ({strength(self.weight)}, {self.weight:+.1f})"


@dataclass(frozen=True)
class Score:
    """A scored pair: probability, weight and the contributions that make it up."""

    match_probability: float
    match_weight: float
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True)
class TrainedModel:
    """The parts of a Splink model that scoring needs."""

    prior_weight: float
    comparisons: tuple[Comparison, ...]

    @classmethod
    def from_splink(cls, settings: Mapping[str, Any]) -> TrainedModel:
        """Read a model saved by Splink (`linker.misc.save_model_to_json()`)."""
        prior = float(settings["probability_two_random_records_match"])
        described = {c["output_column_name"]: c["comparison_description"] for c in model.comparisons()}
        return cls(
            prior_weight=math.log2(prior / (1 - prior)),
            comparisons=tuple(
                Comparison(
                    name=comparison["output_column_name"],
                    description=described.get(comparison["output_column_name"], comparison["output_column_name"]),
                    levels=tuple(_level(level) for level in comparison["comparison_levels"]),
                )
                for comparison in settings["comparisons"]
            ),
        )

    def scoring_sql(self) -> str:
        """SELECT, for each row of `pairs`, the index of the level each comparison falls in."""
        cases = [
            "CASE "
            + " ".join(
                f"WHEN {level.sql} THEN {index}" for index, level in enumerate(comparison.levels) if level.sql != "ELSE"
            )
            + f' ELSE {len(comparison.levels) - 1} END AS "{comparison.name}"'
            for comparison in self.comparisons
        ]
        return f"SELECT pair, {', '.join(cases)} FROM pairs ORDER BY pair"

    def score(self, levels: Sequence[int]) -> Score:
        """Combine the level each comparison fell in into a probability and its explanation."""
        contributions = tuple(
            Contribution(
                comparison.name, comparison.description, comparison.levels[index].label, comparison.levels[index].weight
            )
            for comparison, index in zip(self.comparisons, levels, strict=True)
        )
        weight = self.prior_weight + sum(c.weight for c in contributions)
        return Score(probability(weight), weight, contributions)


def _level(level: Mapping[str, Any]) -> Level:
    m, u = level.get("m_probability"), level.get("u_probability")
    weight = 0.0 if level.get("is_null_level") or not m or not u else math.log2(m / u)
    sql = level["sql_condition"]
    return Level(label=level.get("label_for_charts") or sql, sql=sql, weight=weight)


def probability(weight: float) -> float:
    """Match probability from a match weight (log2 odds)."""
    return float(1.0 / (1.0 + 2.0 ** (-weight)))


def strength(weight: float) -> str:
    """Words for a weight, as a practitioner would say it."""
    size = abs(weight)
    word = "no evidence" if size < 0.5 else "weak" if size < 3 else "moderate" if size < 7 else "strong"
    if word == "no evidence":
        return word
    return f"{word} evidence {'for' if weight > 0 else 'against'}"


class Scorer:
    """Scores prepared-feature pairs; one DuckDB connection, used by one thread at a time."""

    def __init__(self, trained: TrainedModel) -> None:
        self.model = trained
        self._sql = trained.scoring_sql()
        self._con = model.connect({"threads": 1})  # small queries: no scheduling overhead
        self._lock = threading.Lock()

    def prepare(self, records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Prepared features for records in Lantern's person fields (plus `unique_id`, `postcodes`)."""
        if not records:
            return []
        raw = pa.table(
            {
                "unique_id": pa.array([str(i) for i in range(len(records))]),
                **{field: pa.array([r.get(field) for r in records], pa.string()) for field in prepare.FIELDS},
                "postcodes": pa.array([r.get("postcodes") or [] for r in records], _LIST),
            }
        )
        with self._lock:
            known = ([r.get("given_name") for r in records], [r.get("family_name") for r in records])
            rows = prepare.prepare(self._con, self._con.from_arrow(raw), names_in=known).to_arrow_table().to_pylist()
        return sorted(rows, key=lambda row: int(row["unique_id"]))

    def score(self, pairs: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]]) -> list[Score]:
        """Score each (left, right) pair of prepared records (dicts with model.FEATURES)."""
        if not pairs:
            return []
        arrays: dict[str, pa.Array] = {"pair": pa.array(range(len(pairs)), pa.int64())}
        for side, position in (("l", 0), ("r", 1)):
            for feature in model.FEATURES:
                values = [pair[position].get(feature) for pair in pairs]
                arrays[f"{feature}_{side}"] = pa.array(values, _TYPES.get(feature, pa.string()))
        table = pa.table(arrays)
        with self._lock:
            self._con.register("pairs", table)
            rows = self._con.sql(self._sql).fetchall()
            self._con.unregister("pairs")
        return [self.model.score(row[1:]) for row in rows]


_LIST = pa.list_(pa.string())
_TYPES: dict[str, pa.DataType] = {"given_forms": _LIST, "family_parts": _LIST, "postcodes": _LIST}
