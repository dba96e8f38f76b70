"""The catalogue endpoints of the JSON API: actors, places, feeds, and the annotations
of an article. Thin over the service."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from sitrep.records import Feed
from sitrep.service import Service
from sitrep.web.api_models import (
    ERRORS,
    ActorDetail,
    ActorList,
    Annotations,
    ErrorBody,
    FeedBody,
    FeedList,
    FeedRecord,
    PlaceDetail,
    PlaceList,
    RowId,
)
from sitrep.web.auth import require_role
from sitrep.web.deps import get_service

__all__ = ["router"]

router = APIRouter(responses=ERRORS)
Svc = Annotated[Service, Depends(get_service)]
_ADMIN = [Depends(require_role("admin"))]


@router.get("/articles/{article_id}/annotations", response_model=Annotations, tags=["articles"])
def api_annotations(article_id: RowId, service: Svc) -> dict[str, Any]:
    """Actors, places, dates, triggers and event sentences in the article's paragraphs,
    as offsets into `paragraphs[paragraph]` (from the stored event coding)."""
    return service.article_annotations(article_id)


@router.get("/actors", response_model=ActorList, tags=["actors"])
def api_actors(
    service: Svc,
    q: Annotated[str | None, Query(max_length=200, description="Part of a name.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Actors of the knowledge base, by name; `q` keeps those whose name or alias holds it."""
    return {"items": service.actors(q, limit)}


@router.get("/actors/{actor_id}", response_model=ActorDetail, tags=["actors"])
def api_actor(service: Svc, actor_id: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
    """One actor: aliases, relations, events per day (with its proxies), latest events."""
    return service.actor(actor_id)


@router.get("/places", response_model=PlaceList, tags=["places"])
def api_places(
    service: Svc,
    q: Annotated[str, Query(min_length=1, max_length=200, description="A place name.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Gazetteer places a name may refer to, the likeliest first."""
    return {"items": service.places(q, limit)}


@router.get("/places/{place_id}", response_model=PlaceDetail, tags=["places"])
def api_place(service: Svc, place_id: Annotated[str, Path(max_length=200)]) -> dict[str, Any]:
    """One place, the events located there, and the events within 25 km."""
    return service.place(place_id)


@router.get("/feeds", response_model=FeedList, tags=["feeds"])
def api_feeds(service: Svc) -> dict[str, Any]:
    """The feeds sitrep polls."""
    return {"items": [feed_json(feed) for feed in service.feeds()]}


@router.post(
    "/feeds",
    response_model=FeedRecord,
    status_code=201,
    tags=["feeds"],
    dependencies=_ADMIN,
    responses={409: {"model": ErrorBody, "description": "The feed is registered already."}},
)
def api_add_feed(body: FeedBody, service: Svc) -> dict[str, Any]:
    """Register a feed (409 if it is registered already)."""
    return feed_json(service.add_feed(body.url, body.interval))


@router.delete("/feeds/{feed_id}", status_code=204, tags=["feeds"], dependencies=_ADMIN)
def api_remove_feed(feed_id: RowId, service: Svc) -> Response:
    """Stop polling a feed; the articles it brought stay."""
    service.remove_feed(feed_id)
    return Response(status_code=204)


def feed_json(feed: Feed) -> dict[str, Any]:
    return {
        "id": feed.id,
        "url": feed.url,
        "title": feed.title,
        "interval_seconds": feed.interval_seconds,
        "last_polled": _iso(feed.last_polled),
        "next_poll": _iso(feed.next_poll),
        "last_status": feed.last_status,
        "last_error": feed.last_error,
        "articles_seen": feed.articles_seen,
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
