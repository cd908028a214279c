"""Pure rules of the chronology: significance levels from `data/significance.toml`."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SIGNIFICANCE_FILE = Path(__file__).parent / "data" / "significance.toml"
LEVELS = ("significant", "notable", "routine")


@dataclass(frozen=True)
class SignificanceRule:
    """Records of these types (and payload values) have this level, for this reason."""

    level: str
    types: frozenset[str]
    payload: dict[str, list[Any]]
    reason: str


@cache
def significance_rules(path: Path = SIGNIFICANCE_FILE) -> tuple[tuple[SignificanceRule, ...], str]:
    """The rules in order, and a fingerprint of the file (part of the cached text's version)."""
    raw = path.read_bytes()
    rules = tuple(
        SignificanceRule(r["level"], frozenset(r["types"]), r.get("payload", {}), r["reason"])
        for r in tomllib.loads(raw.decode())["rule"]
    )
    unknown = [r.level for r in rules if r.level not in LEVELS]
    if unknown:
        raise ValueError(f"unknown significance levels {unknown}")
    return rules, hashlib.sha256(raw).hexdigest()[:8]


def significance(event_type: str, payload: dict[str, Any]) -> tuple[str, str]:
    """(level, reason) by the first matching rule; routine when none matches."""
    for rule in significance_rules()[0]:
        if event_type in rule.types and all(payload.get(k) in allowed for k, allowed in rule.payload.items()):
            return rule.level, rule.reason
    return "routine", "no rule marks it"


def at_least(level: str, minimum: str) -> bool:
    """Whether `level` is `minimum` or more significant."""
    return LEVELS.index(level) <= LEVELS.index(minimum)
