"""Training a model for incremental matching from person records (Lantern's own, or generated)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa
from splink import DuckDBAPI, Linker

from lantern.linkage import model, prepare


def train_on_records(records: Iterable[Mapping[str, Any]]) -> tuple[dict[str, Any], int]:
    """Train a dedupe model (no labels) on records in Lantern's person fields; (Splink JSON, records)."""
    rows = [{"unique_id": str(i), **{f: _text(r.get(f)) for f in prepare.FIELDS}} for i, r in enumerate(records)]
    if len(rows) < 100:
        raise ValueError(f"{len(rows)} records are too few to train a model on (at least 100)")
    con = model.connect()
    raw = con.from_arrow(pa.Table.from_pylist(rows, schema=_SCHEMA))
    prepare.prepare(con, raw).create("records")
    if not model.trainable(model.pairs_blocked_on(con, ["records"], *model.PRIOR_RULE_COMPARISONS)):
        raise ValueError(
            "too few records share a name and date of birth to train a model on (nothing to learn from): "
            "the model in use is kept"
        )
    db_api = DuckDBAPI(connection=con)
    linker = Linker(db_api.register(con.table("records")), model.settings("dedupe_only", prepare.FIELDS))
    model.train(linker)
    return as_used_for_prediction(linker), len(rows)


def as_used_for_prediction(linker: Linker) -> dict[str, Any]:
    """The saved model with every level's m and u as Splink's predict would use them.

    Splink saves an untrained m or u as missing and falls back to a default when it predicts
    (for example "NHS number different", never seen among matches in training); writing the
    values it would use keeps real-time scoring identical to Splink's own.
    """
    settings = dict(linker.misc.save_model_to_json())
    for saved, comparison in zip(settings["comparisons"], linker._settings_obj.comparisons, strict=True):
        for level_json, level in zip(saved["comparison_levels"], comparison.comparison_levels, strict=True):
            if not level.is_null_level:
                level_json["m_probability"], level_json["u_probability"] = level.m_probability, level.u_probability
    return settings


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


_SCHEMA = pa.schema([("unique_id", pa.string()), *((field, pa.string()) for field in prepare.FIELDS)])
