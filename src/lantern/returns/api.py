"""Returns API: the CIN census as XML (CSC managers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from lantern.access import service as access_service
from lantern.deps import ApiUser, DbDep, SettingsDep
from lantern.returns import service
from lantern.returns.cin_schema import FIRST_YEAR, LAST_YEAR

router = APIRouter(prefix="/api/v1/returns", tags=["returns"])


@router.get("/cin-census", response_class=Response, responses={200: {"content": {"application/xml": {}}}})
def cin_census(
    db: DbDep,
    user: ApiUser,
    settings: SettingsDep,
    year: Annotated[int, Query(ge=FIRST_YEAR, le=LAST_YEAR, description="Census year ending 31 March")],
    la: Annotated[
        str | None, Query(max_length=3, pattern=r"^\d{3}$", description="DfE LA code (default LANTERN_LA_CODE)")
    ] = None,
) -> Response:
    """The Children in Need census for the year; validation issues counted in X-Validation-Issues; audited."""
    actor, la_code = access_service.actor_for(user), la or settings.la_code
    census, issues = service.cin_census_export(db=db, actor=actor, year=year, la_code=la_code)
    headers = {"X-Validation-Issues": str(len(issues)), "Content-Disposition": f'attachment; filename="cin-{year}.xml"'}
    return Response(census.xml, media_type="application/xml", headers=headers)
