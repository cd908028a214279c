"""A per-client-address cap on failed sign-ins: an in-process sliding window.

Each server process keeps its own window, so behind several servers an address gets the limit
once per process; a shared store (the database or Redis) would be needed there (ADR 35).
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timedelta

from fastapi import Request

from lantern.common import clock
from lantern.config import Settings


class SlidingWindow:
    """Counts failures per key over the last `seconds`; `blocked` once `limit` are in the window."""

    def __init__(self, limit: int, seconds: int) -> None:
        self.limit = limit
        self.window = timedelta(seconds=seconds)
        self._hits: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def blocked(self, key: str) -> bool:
        """Whether the key has used up its failures in the current window."""
        with self._lock:
            return len(self._prune(key, clock.now())) >= self.limit

    def fail(self, key: str) -> None:
        """Count one failure for the key now."""
        now = clock.now()
        with self._lock:
            self._prune(key, now).append(now)
            if len(self._hits) > 10_000:  # forget idle keys so that memory stays bounded
                for idle in [k for k, hits in self._hits.items() if not hits]:
                    del self._hits[idle]

    def retry_after(self, key: str) -> int:
        """Seconds until the oldest failure in the window leaves it."""
        with self._lock:
            hits = self._prune(key, clock.now())
            if not hits:
                return 0
            return max(1, int((hits[0] + self.window - clock.now()).total_seconds()) + 1)

    def _prune(self, key: str, now: datetime) -> deque[datetime]:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits


_creating = threading.Lock()


def login_limiter(request: Request) -> SlidingWindow:
    """The app's failed sign-in window, made on first use from its settings."""
    state = request.app.state
    with _creating:
        if getattr(state, "login_limiter", None) is None:
            settings: Settings = state.settings
            state.login_limiter = SlidingWindow(settings.login_rate_limit, settings.login_rate_window_seconds)
    limiter: SlidingWindow = state.login_limiter
    return limiter


def client_address(request: Request) -> str:
    """The address the request came from (behind a proxy, run uvicorn with --proxy-headers)."""
    return request.client.host if request.client else "unknown"
