"""The audit chain: `verify` finds an edited, a deleted and a reordered entry."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from lantern.audit import service as audit
from lantern.audit.models import AuditEntry
from lantern.audit.service import SYSTEM


def _write(db: Session, n: int = 5) -> None:
    for i in range(n):
        audit.record(db=db, actor=SYSTEM, action="read", object_type="person", object_id=f"p{i}")
    db.commit()


def test_intact_chain_verifies(db: Session) -> None:
    _write(db)
    assert audit.verify(db=db) == []


def test_edited_entry_is_detected(db: Session) -> None:
    _write(db)
    db.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(actor="someone-else"))
    db.commit()
    assert audit.verify(db=db) == ["entry 3 was changed after it was written"]


def test_deleted_entry_is_detected(db: Session) -> None:
    _write(db)
    db.execute(delete(AuditEntry).where(AuditEntry.seq == 2))
    db.commit()
    problems = audit.verify(db=db)
    assert "entry 2 is missing or out of order (found 3)" in problems


def test_deleted_last_entry_is_detected(db: Session) -> None:
    _write(db)
    db.execute(delete(AuditEntry).where(AuditEntry.seq == 5))
    db.commit()
    assert audit.verify(db=db) == ["the last entries of the chain were removed"]


def test_reordered_entries_are_detected(db: Session) -> None:
    _write(db)
    db.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(seq=-2))
    db.execute(update(AuditEntry).where(AuditEntry.seq == 4).values(seq=2))
    db.execute(update(AuditEntry).where(AuditEntry.seq == -2).values(seq=4))
    db.commit()
    problems = audit.verify(db=db)
    assert any("entry 2" in p for p in problems) and any("entry 4" in p for p in problems)
