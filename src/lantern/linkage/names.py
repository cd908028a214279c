"""Name knowledge for matching: nicknames and diminutives, and phonetic keys.

Nicknames come from the `nicknames` package (a hand-curated English list) plus a short shipped
supplement of names common in England that it lacks (data/nicknames_extra.csv, same format).
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib.resources import files

import jellyfish
from nicknames import NickNamer

_NOT_NAME = re.compile(r"[^a-z' -]")


def clean(name: str | None) -> str | None:
    """Lower case, letters, spaces, hyphens and apostrophes only; None when nothing is left."""
    if not name:
        return None
    cleaned = " ".join(_NOT_NAME.sub("", name.lower()).split())
    return cleaned or None


@cache
def nickname_lookup() -> dict[str, frozenset[str]]:
    """Formal name -> its nicknames and diminutives: the package's list plus our supplement."""
    lookup = {name: set(nicks) for name, nicks in NickNamer().nickname_lookup.items()}
    with files("lantern.linkage").joinpath("data/nicknames_extra.csv").open(encoding="utf-8") as extra:
        for row in csv.DictReader(extra):
            lookup.setdefault(row["name1"], set()).add(row["name2"])
    return {name: frozenset(nicks) for name, nicks in lookup.items()}


@cache
def _nicknamer() -> NickNamer:
    return NickNamer(nickname_lookup={name: set(nicks) for name, nicks in nickname_lookup().items()})


def given_name_forms(name: str | None) -> list[str]:
    """The name and every formal name it may be short for ("beth" -> beth, elizabeth, ...).

    Two given names are nickname-equivalent when their forms share a member.
    """
    cleaned = clean(name)
    if cleaned is None:
        return []
    first = cleaned.split()[0]
    return sorted({first} | _nicknamer().canonicals_of(first))


def phonetic_key(name: str | None) -> str | None:
    """Metaphone of the first word of a cleaned name: Smith/Smyth, Jayden/Jaydon agree."""
    cleaned = clean(name)
    if cleaned is None:
        return None
    return jellyfish.metaphone(cleaned.replace("'", "").split()[0].replace("-", "")) or None


def family_name_parts(name: str | None) -> list[str]:
    """The parts of a family name, so that Smith-Jones agrees with Smith and with Jones."""
    cleaned = clean(name)
    if cleaned is None:
        return []
    return sorted({part for part in re.split(r"[ -]+", cleaned.replace("'", "")) if len(part) > 1})
