"""Errors that services raise and the web layer turns into clear responses."""

from __future__ import annotations


class LanternError(Exception):
    """Base of Lantern's own errors."""


class NotFound(LanternError):
    """The requested record does not exist (or the actor may not know that it does)."""


class Forbidden(LanternError):
    """The access policy refused the action."""


class Conflict(LanternError):
    """The record changed since the actor read it, or is not in a state that allows the action."""


class InvalidInput(LanternError):
    """Input failed validation; `errors` lists {loc, msg} items."""

    def __init__(self, errors: list[dict[str, object]]) -> None:
        super().__init__("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors))  # type: ignore[call-overload]
        self.errors = errors
