"""The analyst's desk: the map (the landing page), the timeline, the event list and the
event page with its merge, split and pin actions. Thin over the service."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from sitrep.service import Service
from sitrep.web.auth import require_role
from sitrep.web.charts import timeline_chart
from sitrep.web.deps import get_service, render
from sitrep.web.filters import EVENT_TYPES, TYPE_STYLES, FilterQuery, Filters, type_style

__all__ = ["router"]

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
Svc = Annotated[Service, Depends(get_service)]

LIST_SIZE = 100  # events the map page lists without script
EXPORT_FORMATS = ("csv", "geojson", "jsonl", "parquet")
FIELDS = ("event_type", "sub_event_type", "date", "location", "actor1", "actor2", "fatalities")


@router.get("/")
def map_page(request: Request, filters: FilterQuery, service: Svc) -> Response:
    events = service.events(filters.event_filter(service.actor_family), limit=LIST_SIZE)
    context = _desk_context(service, filters) | {"events": events, "list_size": LIST_SIZE}
    return render(request, "map.html", context)


@router.get("/timeline")
def timeline_page(request: Request, filters: FilterQuery, service: Svc) -> Response:
    chart = timeline_chart(service.event_timeline(filters.event_filter(service.actor_family)))
    return render(request, "timeline.html", _desk_context(service, filters) | {"chart": chart})


@router.get("/events")
def events_page(
    request: Request,
    filters: FilterQuery,
    service: Svc,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    events, next_cursor = service.events_page(
        filters.event_filter(service.actor_family), 50, cursor
    )
    context = _desk_context(service, filters) | {
        "events": events,
        "next_cursor": next_cursor,
        "cursor": cursor,
        "formats": EXPORT_FORMATS,
    }
    return render(request, "events.html", context)


@router.get("/events/{event_id}")
def event_page(request: Request, event_id: int, service: Svc) -> Response:
    event = service.event(event_id)
    context = {
        "event": event,
        "fields": [_field_view(event, name) for name in FIELDS],
        "style": type_style(event.get("event_type")),
        "pinnable": FIELDS,
    }
    return render(request, "event.html", context)


@router.post("/events/{event_id}/merge", dependencies=[Depends(require_role("analyst"))])
def merge_event(event_id: int, other_id: Annotated[int, Form(ge=1)], service: Svc) -> Response:
    service.merge_events(event_id, other_id)
    return RedirectResponse(f"/events/{event_id}", status_code=303)


@router.post("/events/{event_id}/split", dependencies=[Depends(require_role("analyst"))])
def split_event(event_id: int, mention_ids: Annotated[list[int], Form()], service: Svc) -> Response:
    result = service.split_event(event_id, mention_ids)
    return RedirectResponse(f"/events/{result.get('id', event_id)}", status_code=303)


@router.post("/events/{event_id}/pin", dependencies=[Depends(require_role("analyst"))])
def pin_event(
    event_id: int,
    field: Annotated[str, Form(max_length=40)],
    value: Annotated[str, Form(max_length=2000)],
    service: Svc,
) -> Response:
    service.pin_event(event_id, field, _form_value(value))
    return RedirectResponse(f"/events/{event_id}", status_code=303)


def _desk_context(service: Service, filters: Filters) -> dict[str, Any]:
    """What every filtered page shows: the form's choices, the extent of the dates."""
    first_day, last_day = service.event_date_extent()
    return {
        "filters": filters,
        "event_types": EVENT_TYPES,
        "type_styles": TYPE_STYLES,
        "actors": service.actors(limit=500),
        "first_day": first_day or "",
        "last_day": last_day or "",
    }


def _field_view(event: dict[str, Any], name: str) -> dict[str, Any]:
    """A field of the fused record with its claims (each value and who reported it)."""
    return {
        "name": name,
        "label": name.replace("_", " ").capitalize(),
        "value": event.get(name),
        "confidence": (event.get("field_confidence") or {}).get(name),
        "disputed": name in (event.get("disputed_fields") or ()),
        "pinned": name in (event.get("pinned") or ()),
        "claims": (event.get("claims") or {}).get(name) or [],
    }


def _form_value(value: str) -> Any:
    """A pinned value as typed: JSON when it parses (numbers, objects), else the text."""
    try:
        return json.loads(value)
    except ValueError:
        return value.strip()
