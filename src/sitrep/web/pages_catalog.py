"""Pages about the things events involve: actors and places; and the feeds admin page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from sitrep.service import Service
from sitrep.web.auth import require_role
from sitrep.web.charts import activity_chart
from sitrep.web.deps import get_service, render
from sitrep.web.filters import Filters

__all__ = ["router"]

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
Svc = Annotated[Service, Depends(get_service)]


@router.get("/actors")
def actors_page(
    request: Request, service: Svc, q: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    return render(request, "actors.html", {"q": q, "actors": service.actors(q, limit=500)})


@router.get("/actors/{actor_id}")
def actor_page(request: Request, actor_id: str, service: Svc) -> Response:
    actor = service.actor(actor_id)
    context = {
        "actor": actor,
        "chart": activity_chart(actor["activity"]),
        "filters": Filters(actor=actor_id),  # the chart's bars open the map on these events
    }
    return render(request, "actor.html", context)


@router.get("/places")
def places_page(
    request: Request, service: Svc, q: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    return render(request, "places.html", {"q": q, "places": service.places(q, limit=50)})


@router.get("/places/{place_id}")
def place_page(request: Request, place_id: str, service: Svc) -> Response:
    return render(request, "place.html", {"place": service.place(place_id)})


@router.get("/feeds")
def feeds_page(request: Request, service: Svc) -> Response:
    return render(request, "feeds.html", {"feeds": service.feeds()})


@router.post("/feeds", dependencies=[Depends(require_role("admin"))])
def add_feed(
    url: Annotated[str, Form(max_length=2000)],
    service: Svc,
    interval: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    service.add_feed(url.strip(), interval.strip() or None)
    return RedirectResponse("/feeds", status_code=303)


@router.post("/feeds/{feed_id}/remove", dependencies=[Depends(require_role("admin"))])
def remove_feed(feed_id: int, service: Svc) -> Response:
    service.remove_feed(feed_id)
    return RedirectResponse("/feeds", status_code=303)
