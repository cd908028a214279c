"""The current time, injectable so tests and scenario replays can set it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """The current time in UTC (aware)."""
    return _now()


def set_clock(func: Callable[[], datetime] | None) -> None:
    """Replace the clock (tests, replays); None restores the system clock."""
    global _now
    _now = func or (lambda: datetime.now(UTC))
