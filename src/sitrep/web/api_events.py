"""The event endpoints of the JSON API: pages, GeoJSON, timeline, one event, analysts'
corrections, and streamed exports. Thin over the service."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import IO, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from sitrep.service import Service
from sitrep.store.events import EventFilter
from sitrep.web.api_models import (
    ERRORS,
    EventPage,
    EventRecord,
    FeatureCollection,
    MergeBody,
    PinBody,
    RowId,
    SplitBody,
    Timeline,
)
from sitrep.web.api_params import event_filter
from sitrep.web.auth import require_role
from sitrep.web.deps import get_service
from sitrep.web.streaming import stream_writer

__all__ = ["router"]

router = APIRouter(tags=["events"], responses=ERRORS)

Filter = Annotated[EventFilter, Depends(event_filter)]
Svc = Annotated[Service, Depends(get_service)]
Order = Annotated[Literal["date", "confidence"], Query(description="Newest or surest first.")]
Cursor = Annotated[
    str | None, Query(max_length=400, description="`next_cursor` of the page before.")
]
GEOJSON = "application/geo+json"
_FEATURES = "#/components/schemas/FeatureCollection"
_MEDIA_TYPES = {
    "geojson": GEOJSON,
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "jsonl": "application/x-ndjson",
}


@router.get("/events", response_model=EventPage)
def api_events(
    where: Filter,
    service: Svc,
    order: Order = "date",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Cursor = None,
) -> Response:
    """Fused events matching the filters, a page at a time (follow `next_cursor`)."""
    items, next_cursor = service.events_page_json(where, limit, cursor, order)
    return _spliced("items", items, {"next_cursor": next_cursor})


@router.get(
    "/events.geojson",
    response_model=FeatureCollection,
    responses={200: {"content": {GEOJSON: {"schema": {"$ref": _FEATURES}}}}},
)
def api_events_geojson(
    where: Filter,
    service: Svc,
    order: Order = "date",
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    cursor: Cursor = None,
) -> Response:
    """The located events matching the filters as GeoJSON points, for a map."""
    located = replace(where, located=True)
    features, next_cursor = service.events_page_json(located, limit, cursor, order, features=True)
    tail = {"next_cursor": next_cursor}
    return _spliced("features", features, tail, {"type": "FeatureCollection"}, GEOJSON)


@router.get("/events/timeline", response_model=Timeline)
def api_timeline(where: Filter, service: Svc) -> dict[str, Any]:
    """How many events of each type happened each day, for a chart."""
    return {"items": service.event_timeline(where)}


@router.get("/events/{event_id}", response_model=EventRecord)
def api_event(event_id: RowId, service: Svc) -> Response:
    """One event: its fields, the claims behind them, its mentions and its history."""
    return _json(service.event(event_id))


_ANALYST = [Depends(require_role("analyst"))]


@router.post("/events/{event_id}/merge", response_model=EventRecord, dependencies=_ANALYST)
def api_merge(event_id: RowId, body: MergeBody, service: Svc) -> Response:
    """Merge event `other_id` into this one (the other is retracted, its history kept)."""
    return _json(service.merge_events(event_id, body.other_id))


@router.post("/events/{event_id}/split", response_model=EventRecord, dependencies=_ANALYST)
def api_split(event_id: RowId, body: SplitBody, service: Svc) -> Response:
    """Move these mentions out of the event into a new one; answers the new event."""
    return _json(service.split_event(event_id, body.mention_ids))


@router.post("/events/{event_id}/pin", response_model=EventRecord, dependencies=_ANALYST)
def api_pin(event_id: RowId, body: PinBody, service: Svc) -> Response:
    """Fix a field by hand; later fusion runs keep it."""
    return _json(service.pin_event(event_id, body.field, body.value))


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={200: {"content": {t: {} for t in _MEDIA_TYPES.values()}}},
)
def api_export(
    request: Request,
    where: Filter,
    service: Svc,
    fmt: Annotated[
        Literal["geojson", "csv", "parquet", "jsonl"], Query(alias="format")
    ] = "geojson",
) -> StreamingResponse:
    """Every event matching the filters in one file, streamed as it is written."""
    base_url = str(request.base_url).rstrip("/")

    def write(out: IO[bytes]) -> object:
        return service.export_events(fmt, out, where, base_url)

    name = f"sitrep-events.{fmt}"
    return StreamingResponse(
        stream_writer(write),
        media_type=_MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _spliced(
    name: str,
    items: list[str],
    after: dict[str, Any],
    before: dict[str, Any] | None = None,
    media_type: str = "application/json",
) -> Response:
    """An object holding ``before``'s members, the list ``name`` of items that are JSON
    text already (written as they are), and ``after``'s members."""
    head = json.dumps(before or {}, separators=(",", ":"))[:-1]
    tail = json.dumps(after, separators=(",", ":"))[1:]
    comma = "," if before else ""
    text = f'{head}{comma}"{name}":[{",".join(items)}],{tail}'
    return Response(content=text.encode(), media_type=media_type)


def _json(body: Any, media_type: str = "application/json") -> Response:
    """Encoded here rather than through the response model: records are open-ended and
    large, and a page of them is the hot path (the model still documents the shape)."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)
    return Response(content=text.encode(), media_type=media_type)
