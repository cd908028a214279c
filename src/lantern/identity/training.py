"""Retraining the matching model on the person records Lantern holds; each run a new version."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lantern.common import clock
from lantern.demo import person_records
from lantern.identity.models import LinkageModel, PersonRecord
from lantern.linkage.training import train_on_records


def retrain(*, db: Session, trained_by: str, out: Path | None = None) -> tuple[int, int]:
    """Train on every distinct person record (no labels); store it as the newest version."""
    rows = db.execute(
        select(
            PersonRecord.given_name,
            PersonRecord.family_name,
            PersonRecord.dob,
            PersonRecord.sex,
            PersonRecord.address_line1,
            PersonRecord.town,
            PersonRecord.postcode,
            PersonRecord.phone,
            PersonRecord.nhs_number,
            PersonRecord.identifier,
        )
    )
    fields = ("given_name", "family_name", "date_of_birth", "sex", "address_line1", "town", "postcode", "phone")
    records = [dict(zip((*fields, "nhs_number", "identifier"), row, strict=True)) for row in rows]
    settings, count = train_on_records(records)
    version = (db.execute(select(func.max(LinkageModel.version))).scalar() or 0) + 1
    db.add(
        LinkageModel(version=version, trained_at=clock.now(), trained_by=trained_by, records=count, settings=settings)
    )
    if out is not None:
        out.write_text(json.dumps(settings, indent=1), encoding="utf-8")
    return version, count


def train_synthetic(*, size: int, out: Path, seed: int = 2026) -> int:
    """Train on generated person records (the shipped default model is made this way)."""
    settings, count = train_on_records(person_records.records(size, seed))
    out.write_text(json.dumps(settings, indent=1), encoding="utf-8")
    return count
