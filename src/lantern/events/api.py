"""POST canonical events (one or a batch); read one back."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request, Response, status

from lantern.access import policy
from lantern.access import service as access_service
from lantern.common.errors import InvalidInput, NotFound
from lantern.deps import ApiUser, DbDep, SettingsDep
from lantern.events import flows, service
from lantern.events.schemas import EventRead, IngestReport

router = APIRouter(prefix="/api/v1", tags=["events"])

_BODY_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/EventIn"},
                        {"type": "array", "items": {"$ref": "#/components/schemas/EventIn"}},
                    ]
                }
            }
        },
    }
}


@router.post(
    "/events",
    response_model=IngestReport,
    openapi_extra=_BODY_SCHEMA,
    responses={201: {"model": IngestReport}, 422: {"description": "Invalid records; nothing stored"}},
)
async def post_events(
    request: Request, response: Response, db: DbDep, user: ApiUser, settings: SettingsDep, partial: bool = False
) -> IngestReport:
    """Submit one event or a list; idempotent on (source_agency, source_ref)."""
    records = _parse_body(await request.body(), settings.max_batch_events)
    actor = access_service.actor_for(user)
    policy.require(actor, "event:write")
    report = flows.submit(db=db, raw_records=records, actor=actor, partial=partial, max_bytes=settings.max_event_bytes)
    response.status_code = status.HTTP_201_CREATED if report.accepted else status.HTTP_200_OK
    return report


def _parse_body(body: bytes, max_events: int) -> list[Any]:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput([{"loc": ["body"], "msg": f"malformed JSON: {exc}"}]) from None
    records = data if isinstance(data, list) else [data]
    if not records:
        raise InvalidInput([{"loc": ["body"], "msg": "no events given"}])
    if len(records) > max_events:
        raise InvalidInput([{"loc": ["body"], "msg": f"{len(records)} events; at most {max_events} per request"}])
    return records


@router.get("/events/{event_id}", response_model=EventRead)
def get_event(event_id: str, db: DbDep, user: ApiUser) -> EventRead:
    """One event with its subjects (audited as a read of each subject's record)."""
    actor = access_service.actor_for(user)
    policy.require(actor, "event:read")
    event = service.read(db=db, event_id=event_id, actor=actor)
    if event is None:
        raise NotFound(f"no event {event_id}")
    return event
