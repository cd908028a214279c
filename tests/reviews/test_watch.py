"""The death watch costs one query for a batch without a death, and nothing for an empty batch."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from lantern.db.types import new_id
from lantern.reviews import watch


def _statements(db: Session, event_ids: list[str]) -> int:
    seen: list[Any] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    db.execute(select(1))  # the connection's own set-up statements are not the watch's
    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert watch.on_batch(db=db, event_ids=event_ids) == 0
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_a_batch_without_a_death_costs_one_query(db: Session) -> None:
    assert _statements(db, [new_id() for _ in range(50)]) == 1
    assert _statements(db, []) == 0
