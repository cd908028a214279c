"""Fixtures for identity tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lantern.config import get_settings


@pytest.fixture
def exact_matching(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Strong identifiers only (LANTERN_MATCHING=exact), as for a bulk load of trusted identifiers."""
    monkeypatch.setenv("LANTERN_MATCHING", "exact")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
