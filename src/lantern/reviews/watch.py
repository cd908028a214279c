"""The death watch: every stored batch is checked for a child's death, which opens a review at once.

`on_batch` runs once per stored batch, in the batch's transaction, after identity resolution. The
writer tells it each event's type, so a batch with no death costs no query.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.db.portable import chunks
from lantern.events.batch import NewEvent
from lantern.events.models import Event
from lantern.reviews import rules


def on_batch(*, db: Session, events: Sequence[NewEvent]) -> int:
    """Open a review for each child whose death the batch records; return how many were opened."""
    death_ids = [event.id for event in events if event.type == rules.DEATH_TYPE]
    deaths: list[Event] = []
    for chunk in chunks(death_ids):
        deaths += db.execute(select(Event).where(Event.id.in_(chunk))).scalars()
    deaths.sort(key=lambda event: (event.occurred_at, event.id))
    if not deaths:
        return 0
    # Imported here: the review service reads through chronology, family and plans, which import events.
    from lantern.reviews import service

    return sum(service.open_for_death(db=db, event=event) is not None for event in deaths)
