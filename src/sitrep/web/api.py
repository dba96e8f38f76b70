"""The JSON API under /api/v1: thin over the service, one error shape (see app.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from sitrep import __version__
from sitrep.records import StoredArticle
from sitrep.service import Service
from sitrep.store.base import MARK_END, MARK_START
from sitrep.web.deps import get_service

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")


@router.get("/health")
def health(service: Service = Depends(get_service)) -> dict[str, Any]:
    return {"status": "ok", "version": __version__, "articles": service.stats()["articles"]}


@router.get("/articles")
def api_articles(
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
    service: Service = Depends(get_service),
) -> dict[str, Any]:
    rows = service.articles(limit=limit, offset=offset)
    return {"items": [article_json(r) for r in rows], "limit": limit, "offset": offset}


@router.get("/articles/{article_id}")
def api_article(article_id: int, service: Service = Depends(get_service)) -> dict[str, Any]:
    return article_json(service.article(article_id), full=True)


@router.get("/search")
def api_search(
    q: str, limit: int = Query(20, ge=1, le=200), service: Service = Depends(get_service)
) -> dict[str, Any]:
    hits = service.search(q, limit=limit)
    return {
        "query": q,
        "items": [
            {**article_json(h.article), "score": h.score, "snippet": plain(h.snippet)}
            for h in hits
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
