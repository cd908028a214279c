"""docs/adapters.md and the adapters agree: each layout's table names exactly the columns its
adapter reads, and each layout's sample file uses only those columns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lantern.adapters import ADAPTERS
from lantern.adapters.reading import header

ROOT = Path(__file__).parents[2]
SAMPLES = ROOT / "src" / "lantern" / "adapters" / "samples"


def _documented_columns(kind: str) -> set[str]:
    text = (ROOT / "docs" / "adapters.md").read_text()
    section = re.search(rf"^## [^\n]*\(`{kind}`\)\n(.*?)(?=^## )", text, flags=re.S | re.M)
    assert section, f"no section for {kind}"
    first_cells = re.findall(r"^\| ([^|]+) \|", section.group(1), flags=re.M)
    return {name for cell in first_cells for name in re.findall(r"`([a-z0-9_]+)`", cell)}


@pytest.mark.parametrize("kind", sorted(ADAPTERS))
def test_documented_columns_are_the_columns_read(kind: str) -> None:
    assert _documented_columns(kind) == set(ADAPTERS[kind].columns)


@pytest.mark.parametrize("kind", sorted(ADAPTERS))
def test_sample_uses_only_the_layouts_columns(kind: str) -> None:
    (sample,) = [p for p in SAMPLES.iterdir() if p.name.startswith(kind)]
    assert set(header(sample)) <= set(ADAPTERS[kind].columns)
