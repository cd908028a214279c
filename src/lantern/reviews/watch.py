"""The death watch: every stored batch is checked for a child's death, which opens a review at once.

`on_batch` runs once per stored batch, in the batch's transaction, after identity resolution. A
batch with no death costs one query on the event table's primary key and type index.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.events.models import Event
from lantern.reviews import rules

_CHUNK = 5000


def on_batch(*, db: Session, event_ids: Sequence[str]) -> int:
    """Open a review for each child whose death the batch records; return how many were opened."""
    deaths: list[Event] = []
    for start in range(0, len(event_ids), _CHUNK):
        chunk = event_ids[start : start + _CHUNK]
        stmt = select(Event).where(Event.id.in_(chunk), Event.type == rules.DEATH_TYPE)
        deaths += db.execute(stmt.order_by(Event.occurred_at)).scalars()
    if not deaths:
        return 0
    # Imported here: the review service reads through chronology, family and plans, which import events.
    from lantern.reviews import service

    return sum(service.open_for_death(db=db, event=event) is not None for event in deaths)
