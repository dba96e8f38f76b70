"""The JSON API's shapes, for its OpenAPI schema and the validation of request bodies.

Records are open (``extra="allow"``): the schema names the fields clients rely on, and
an event record carries more (claims, mentions, field confidence) than it lists.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ERRORS",
    "ActorDetail",
    "ActorList",
    "Annotations",
    "ErrorBody",
    "EventPage",
    "EventRecord",
    "FeatureCollection",
    "FeedBody",
    "FeedList",
    "FeedRecord",
    "MergeBody",
    "PinBody",
    "PlaceDetail",
    "PlaceList",
    "RowId",
    "SplitBody",
    "Timeline",
]


MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL; larger ones name nothing
# A row id in a path: larger numbers would reach the database driver and overflow there.
RowId = Annotated[int, PathParam(ge=1, le=MAX_ID)]
_Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorDetail(BaseModel):
    code: str = Field(examples=["E110"])
    message: str
    detail: Any = None


class ErrorBody(BaseModel):
    """Every error of the API, whatever its status."""

    error: ErrorDetail


class EventRecord(_Open):
    id: int
    event_type: str
    sub_event_type: str
    date: str | None = None
    notes: str | None = None
    confidence: float
    disputed: bool
    outlets: list[str]


class EventPage(BaseModel):
    items: list[EventRecord]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class Geometry(BaseModel):
    type: Literal["Point"]
    coordinates: list[float] = Field(description="[lon, lat]")


class FeatureProperties(BaseModel):
    id: int
    date: str | None
    event_type: str
    sub_event_type: str
    notes: str | None
    confidence: float
    disputed: bool
    outlets: int = Field(description="How many outlets reported the event.")
    confirmations: int
    radius_km: float | None
    geo_precision: int | None
    location: str | None
    actor1: str | None
    actor2: str | None
    fatalities: int | None


class Feature(BaseModel):
    type: Literal["Feature"]
    geometry: Geometry
    properties: FeatureProperties


class FeatureCollection(BaseModel):
    type: Literal["FeatureCollection"]
    features: list[Feature]
    next_cursor: str | None


class TimelineDay(BaseModel):
    date: str
    event_type: str
    count: int


class Timeline(BaseModel):
    items: list[TimelineDay]


class MergeBody(BaseModel):
    other_id: _Id = Field(description="The event merged into this one (it is retracted).")


class SplitBody(BaseModel):
    mention_ids: list[_Id] = Field(min_length=1, max_length=1000)


class PinBody(BaseModel):
    field: str = Field(max_length=64, examples=["fatalities"])
    value: Any = Field(examples=[{"value": 12, "range": [12, 20]}])


class ActorSummary(_Open):
    id: str
    name: str
    kind: str
    aliases: list[str]


class ActorList(BaseModel):
    items: list[ActorSummary]


class Relation(BaseModel):
    kind: str
    direction: Literal["out", "in"]
    other_id: str
    other_name: str
    since: str | None
    until: str | None


class DayCount(BaseModel):
    date: str
    count: int


class ActorDetail(ActorSummary):
    relations: list[Relation]
    activity: list[DayCount]
    events: list[EventRecord]


class Place(_Open):
    id: str
    name: str
    lat: float
    lon: float
    country: str
    admin1: str | None
    feature_class: str
    population: int


class PlaceList(BaseModel):
    items: list[Place]


class NearbyEvent(EventRecord):
    distance_km: float


class PlaceDetail(Place):
    events: list[EventRecord]
    nearby: list[NearbyEvent]


class Span(BaseModel):
    paragraph: int
    start: int
    end: int
    label: Literal["ACTOR", "PLACE", "DATE", "TRIGGER", "EVENT"]
    text: str
    ref: int | str | None


class Annotations(BaseModel):
    article_id: int
    spans: list[Span]


class FeedBody(BaseModel):
    url: str = Field(max_length=2000, examples=["https://example.org/feed.xml"])
    interval: str | None = Field(None, max_length=32, examples=["30m"])


class FeedRecord(BaseModel):
    id: int
    url: str
    title: str | None
    interval_seconds: int
    last_polled: str | None
    next_poll: str | None
    last_status: str | None
    last_error: str | None
    articles_seen: int


class FeedList(BaseModel):
    items: list[FeedRecord]


# Documented on every route: the statuses the one error shape comes with.
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The request cannot be done as asked."},
    401: {"model": ErrorBody, "description": "Not logged in, and the route needs it."},
    403: {"model": ErrorBody, "description": "The account's role does not allow it."},
    404: {"model": ErrorBody, "description": "No such event, actor, place or record."},
    422: {"model": ErrorBody, "description": "A parameter or the body is not valid."},
}
