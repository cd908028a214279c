"""The flag look-up page for unscheduled care: an NHS number in, the flag and whom to call out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from lantern.access import service as access_service
from lantern.common.errors import InvalidInput
from lantern.deps import DbDep, PageUser
from lantern.interop import flags
from lantern.web.csrf import check_csrf
from lantern.web.render import page

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/flags", response_class=HTMLResponse)
def flags_page(request: Request, user: PageUser) -> Response:
    """The look-up form (unscheduled-care roles)."""
    flags.require_lookup(actor=access_service.actor_for(user))
    setting = flags.SETTING_OF_AGENCY.get(user.agency, "urgent_care")
    return page(request, "interop/flags.html", user=user, answer=None, errors={}, form={"setting": setting},
                settings=flags.SETTINGS)  # fmt: skip


@router.post("/flags", response_class=HTMLResponse)
def flags_lookup(
    request: Request,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    nhs_number: Annotated[str, Form()] = "",
    setting: Annotated[str, Form()] = "",
) -> Response:
    """Look up the flag; the answer, whom to call and the last 25 look-ups."""
    check_csrf(request, csrf_token)
    form = {"nhs_number": nhs_number, "setting": setting}
    try:
        answer = flags.lookup(db=db, actor=access_service.actor_for(user), nhs_number=nhs_number, setting=setting)
    except InvalidInput as exc:
        errors = {str(list(e["loc"])[-1]): str(e["msg"]) for e in exc.errors}  # type: ignore[call-overload]
        return page(request, "interop/flags.html", 422, user=user, answer=None, errors=errors, form=form,
                    settings=flags.SETTINGS)  # fmt: skip
    return page(request, "interop/flags.html", user=user, answer=answer, errors={}, form=form,
                settings=flags.SETTINGS)  # fmt: skip
