"""Returns as use cases: the access check and the audit entry around each export."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from lantern.access import policy
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common.errors import InvalidInput
from lantern.returns import cin_census, cin_validation, ssd, ssd_validation
from lantern.returns.cin_schema import FIRST_YEAR, LA_CODE, LAST_YEAR, Issue


def cin_census_export(
    *, db: Session, actor: Actor, year: int, la_code: str | None, progress: Callable[[int], None] | None = None
) -> tuple[cin_census.Census, list[Issue]]:
    """The CIN census for the year ending 31 March `year` and its validation; audited as an export.
    InvalidInput when the year is out of range or there is no three-digit LA code."""
    policy.require(actor, "returns:export")
    errors: list[dict[str, object]] = []
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors.append({"loc": ["year"], "msg": f"must be from {FIRST_YEAR} to {LAST_YEAR}"})
    if la_code is None or not LA_CODE.fullmatch(la_code):
        errors.append({"loc": ["la"], "msg": "a three-digit DfE LA code is required (la, or LANTERN_LA_CODE)"})
    if errors or la_code is None:
        raise InvalidInput(errors)
    census = cin_census.build(db=db, year=year, la_code=la_code, progress=progress)
    issues = cin_validation.validate(census.xml)
    detail = {"return": "cin_census", "year": year, "children": census.children, "issues": len(issues)}
    audit.record(db=db, actor=actor, action="export", object_type="return", object_id=f"cin-{year}", detail=detail)
    return census, issues


def ssd_export(*, db: Session, actor: Actor) -> tuple[dict[str, str], list[str]]:
    """The SSD tables as CSV text by table name, and their validation problems; audited as an export."""
    policy.require(actor, "returns:export")
    tables = ssd.build(db=db)
    files = {name: ssd.to_csv(name, rows) for name, rows in tables.items()}
    problems = ssd_validation.validate(files)
    detail = {"return": "ssd", "rows": {name: len(rows) for name, rows in tables.items()}, "issues": len(problems)}
    audit.record(db=db, actor=actor, action="export", object_type="return", object_id="ssd", detail=detail)
    return files, problems
