"""The JSON API under /api/v1: thin over the service, one error shape (see app.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from sitrep import __version__
from sitrep.records import StoredArticle
from sitrep.service import Service
from sitrep.store.base import MARK_END, MARK_START
from sitrep.web import api_catalog, api_events
from sitrep.web.api_models import ERRORS, MAX_ID, RowId
from sitrep.web.deps import get_service

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", responses=ERRORS)
Svc = Annotated[Service, Depends(get_service)]


@router.get("/health", tags=["health"])
def health(service: Svc) -> dict[str, Any]:
    return {"status": "ok", "version": __version__, "articles": service.stats()["articles"]}


@router.get("/articles")
def api_articles(
    service: Svc,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> dict[str, Any]:
    rows = service.articles(limit=limit, offset=offset)
    return {"items": [article_json(r) for r in rows], "limit": limit, "offset": offset}


@router.get("/articles/{article_id}")
def api_article(article_id: RowId, service: Svc) -> dict[str, Any]:
    return article_json(service.article(article_id), full=True)


@router.get("/search")
def api_search(
    service: Svc,
    q: Annotated[str, Query(max_length=500)],
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> dict[str, Any]:
    hits = service.search(q, limit=limit)
    return {
        "query": q,
        "items": [
            {**article_json(h.article), "score": h.score, "snippet": plain(h.snippet)} for h in hits
        ],
    }


def article_json(row: StoredArticle, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row.id,
        "duplicate_of": row.duplicate_of,
        "duplicate_kind": row.duplicate_kind,
        "source": row.source,
        "ingested_at": row.ingested_at.isoformat(),
        **row.article.to_json(),
    }
    if not full:
        for key in ("paragraphs", "removed", "captions"):
            data.pop(key)
    return data


def plain(snippet: str) -> str:
    return snippet.replace(MARK_START, "").replace(MARK_END, "")


# Included last: their routes are added above when the routers are included.
router.include_router(api_events.router)
router.include_router(api_catalog.router)
