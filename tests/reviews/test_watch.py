"""The death watch costs no query for a batch without a death: the writer tells it each event's type."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from lantern.db.types import new_id
from lantern.events.batch import NewEvent
from lantern.reviews import watch


def _statements(db: Session, events: list[NewEvent]) -> int:
    seen: list[Any] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    db.execute(select(1))  # the connection's own set-up statements are not the watch's
    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert watch.on_batch(db=db, events=events) == 0
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_a_batch_without_a_death_costs_no_query(db: Session) -> None:
    assert _statements(db, [NewEvent(new_id(), "gp.consultation", (new_id(),)) for _ in range(50)]) == 0
    assert _statements(db, []) == 0


def test_a_death_is_looked_up(db: Session) -> None:
    """A death the database does not hold (here: never stored) is read for, and opens nothing."""
    assert _statements(db, [NewEvent(new_id(), "child.death", (new_id(),))]) == 1
