"""`GET /brief`: the situation report of the filtered view, as html, pdf or md.

Takes the same filters as the event list and the map (plus a region and a paper size),
so that the "Brief" button on either writes up what the analyst is looking at.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from sitrep.service import Service
from sitrep.web.deps import get_service
from sitrep.web.filters import FilterQuery

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
# The brief is one self-contained document: its print CSS is inline and its charts are
# data URIs; it runs no script.
BRIEF_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"
Svc = Annotated[Service, Depends(get_service)]


@router.get("/brief")
def brief_page(
    request: Request,
    filters: FilterQuery,
    service: Svc,
    region: Annotated[str, Query(max_length=200)] = "",
    fmt: Annotated[str, Query(alias="format", pattern="^(html|pdf|md)$")] = "html",
    paper: Annotated[str, Query(pattern="^(a4|letter)$")] = "a4",
) -> Response:
    where = filters.event_filter(service.actor_family)
    result = service.brief(
        region=region.strip() or None,
        since=where.since,
        until=where.until,
        fmt=fmt,
        paper=paper,
        where=where,
        base_url=str(request.base_url).rstrip("/"),
    )
    name = f"brief.{fmt}"
    disposition = "inline" if fmt == "html" else f'attachment; filename="{name}"'
    return Response(
        result.content,
        media_type=result.media_type,
        headers={"Content-Disposition": disposition, "Content-Security-Policy": BRIEF_CSP},
    )
