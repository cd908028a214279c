"""Returns API: the CIN census as XML (CSC managers and administrators)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from lantern.access import service as access_service
from lantern.deps import ApiUser, DbDep
from lantern.returns import service

router = APIRouter(prefix="/api/v1/returns", tags=["returns"])


@router.get("/cin-census", response_class=Response, responses={200: {"content": {"application/xml": {}}}})
def cin_census(
    db: DbDep,
    user: ApiUser,
    year: Annotated[int, Query(ge=2000, le=2100, description="Census year ending 31 March")],
    la: Annotated[str | None, Query(max_length=3, pattern=r"^\d{3}$", description="DfE LA code")] = None,
) -> Response:
    """The Children in Need census for the year; validation issues counted in X-Validation-Issues; audited."""
    census, issues = service.cin_census_export(db=db, actor=access_service.actor_for(user), year=year, la_code=la)
    headers = {"X-Validation-Issues": str(len(issues)), "Content-Disposition": f'attachment; filename="cin-{year}.xml"'}
    return Response(census.xml, media_type="application/xml", headers=headers)
