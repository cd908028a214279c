"""What the watches are told of each event a batch has just stored, so that they need not read it back."""

from __future__ import annotations

from typing import NamedTuple


class NewEvent(NamedTuple):
    """A stored event: its id, its type, and the person each subject was resolved to."""

    id: str
    type: str
    person_ids: tuple[str, ...]
