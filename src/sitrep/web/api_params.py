"""Query parameters of the event endpoints, parsed once into an :class:`EventFilter`.

The same filters as ``sitrep events list`` (see :mod:`sitrep.cli_events`): an actor
brings its proxies, a box and a moment are parsed and checked. A bad value is a 422 in
the one error shape, naming the parameter.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Query
from fastapi.exceptions import RequestValidationError

from sitrep.errors import InputError
from sitrep.service import Service
from sitrep.store.events import EventFilter
from sitrep.web.deps import get_service

__all__ = ["event_filter", "invalid", "parse_bbox"]

_NUMBER = r"\s*-?\d+(\.\d+)?\s*"
_BBOX = rf"^{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}$"


def invalid(name: str, value: Any, problem: str) -> RequestValidationError:
    """A 422 about one query parameter, in the shape FastAPI's own checks give."""
    error = {"type": "value_error", "loc": ("query", name), "msg": problem, "input": value}
    return RequestValidationError([error])


def event_filter(
    service: Annotated[Service, Depends(get_service)],
    since: Annotated[date | None, Query(description="From this day (YYYY-MM-DD).")] = None,
    until: Annotated[date | None, Query(description="Up to this day (YYYY-MM-DD).")] = None,
    event_type: Annotated[str | None, Query(max_length=100, description="ACLED type.")] = None,
    sub_event_type: Annotated[str | None, Query(max_length=100)] = None,
    actor: Annotated[
        list[str] | None,
        Query(max_length=100, description="Actor id (repeatable); its proxies count too."),
    ] = None,
    outlet: Annotated[str | None, Query(max_length=200, description="An outlet's name.")] = None,
    place_id: Annotated[
        str | None, Query(max_length=200, description='A gazetteer id ("169389").')
    ] = None,
    bbox: Annotated[
        str | None,
        Query(
            max_length=200,
            pattern=_BBOX,
            description="west,south,east,north in degrees.",
            examples=["36.0,35.5,37.0,36.5"],
        ),
    ] = None,
    min_confidence: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
    disputed: Annotated[bool, Query(description="Only events with disputed fields.")] = False,
    q: Annotated[str | None, Query(max_length=200, description="Words in the record.")] = None,
    as_of: Annotated[
        str | None,
        Query(max_length=40, description="The events as they stood then (ISO datetime)."),
    ] = None,
) -> EventFilter:
    if since and until and since > until:
        raise invalid("until", until.isoformat(), f"is before since ({since.isoformat()})")
    return EventFilter(
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None,
        event_type=event_type or None,
        sub_event_type=sub_event_type or None,
        actors=_actors(service, actor or []),
        outlet=outlet or None,
        place_id=place_id or None,
        bbox=parse_bbox(bbox),
        min_confidence=min_confidence,
        disputed=disputed,
        text=(q or "").strip() or None,
        as_of=_moment(as_of),
    )


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError:
        raise invalid("bbox", value, "expected four numbers: west,south,east,north") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise invalid("bbox", value, "coordinates out of range or in the wrong order")
    return west, south, east, north


def _actors(service: Service, actors: list[str]) -> tuple[str, ...]:
    try:
        return service.actor_family([a.strip() for a in actors if a.strip()])
    except InputError as exc:
        raise invalid("actor", actors, exc.message) from None


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise invalid("as_of", value, "is no ISO date or datetime") from None
    return moment if moment.tzinfo else moment.astimezone()
