"""The glossary: expands abbreviations and jargon into plain English, and lists what it cannot.

Pure: built from the shipped data file plus the terms an administrator added (passed in), so
it is tested without a database. Its `version` fingerprints every term, so cached plain text
written with an older glossary is written again.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

GLOSSARY_FILE = Path(__file__).parent / "data" / "glossary.toml"
# Words that look like jargon: two or more capitals (DA, PPN1, A&E, PHQ-9), section numbers (s47),
# clinical fractions (16/40, 7/52), gestations (38+0), and the fracture sign.
JARGON = re.compile(
    r"(?<![\w&#/+.-])(?:[A-Z][A-Z0-9&]*[A-Z][A-Z0-9&]*(?:-\d+)?|s\.?\d+|\d{1,2}/(?:40|52)|\d{2}\+\d|#s?)(?![\w&#/+-])"
)
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")
CODE = re.compile(r"\d{3,}")  # references, crime numbers, practice codes: identifiers, not jargon
NAME_WORD = re.compile(r"(?<![\w'])[A-Z][A-Z'-]*[A-Z](?![\w'])")


@dataclass(frozen=True)
class Glossary:
    """Terms (exact, whole words), patterns, and words kept as they are."""

    terms: Mapping[str, str]
    patterns: tuple[tuple[re.Pattern[str], str], ...]
    keep: frozenset[str]
    version: str
    _terms_re: re.Pattern[str] | None

    def expand(self, text: str, names: Iterable[str] = ()) -> str:
        """Plain English: names written normally, clinical numbers and abbreviations spelt out."""
        text = _normal_names(text, {n.lower() for n in names})
        for pattern, plain in self.patterns:
            text = pattern.sub(plain, text)
        if self._terms_re is None:
            return text
        return self._terms_re.sub(lambda m: _fit(self.terms[m.group(0)], m.string, m.start()), text)

    def unexplained(self, text: str) -> list[str]:
        """Tokens in (already expanded) text that still look like jargon: the lint."""
        text = POSTCODE.sub(" ", text)
        found = [
            token
            for token in JARGON.findall(text)
            if token not in self.keep and token not in self.terms and not CODE.search(token)
        ]
        return sorted(set(found))


def build(extra_terms: Mapping[str, str] | None = None, path: Path = GLOSSARY_FILE) -> Glossary:
    """The shipped glossary with an administrator's terms on top."""
    data = _load(path)
    terms = {**data["terms"], **(extra_terms or {})}
    patterns = tuple((re.compile(p["match"]), p["plain"]) for p in data.get("pattern", []))
    keep = frozenset(data.get("keep", []))
    alternation = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    terms_re = re.compile(rf"(?<![\w&#/+.-])(?:{alternation})(?![\w&#/+-])") if terms else None
    fingerprint = repr((sorted(terms.items()), [(p.pattern, s) for p, s in patterns], sorted(keep)))
    version = hashlib.sha256(fingerprint.encode()).hexdigest()[:12]
    return Glossary(terms, patterns, keep, version, terms_re)


@cache
def _load(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text())


def shipped_terms() -> dict[str, str]:
    """The terms in the data file, for the administrator's page."""
    return dict(_load(GLOSSARY_FILE)["terms"])


def _fit(plain: str, text: str, at: int) -> str:
    """Capitalise an expansion that starts a sentence."""
    before = text[:at].rstrip(" -")
    return plain[:1].upper() + plain[1:] if not before or before.endswith((".", "!", "?", ":")) else plain


def _normal_names(text: str, names: set[str]) -> str:
    """Police systems write family names in capitals; write the people named in the record normally."""
    if not names:
        return text
    return NAME_WORD.sub(lambda m: m.group(0).title() if m.group(0).lower() in names else m.group(0), text)
