"""Server-rendered pages (Jinja2), thin over the service."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape
from starlette.responses import Response

from sitrep.errors import StoreError
from sitrep.geo.gazetteer import ATTRIBUTION
from sitrep.service import Service
from sitrep.store.base import MARK_END, MARK_START
from sitrep.web.deps import get_service, render

__all__ = ["highlight", "router"]

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


@router.get("/")
def index(
    request: Request, page: int = Query(1, ge=1), service: Service = Depends(get_service)
) -> Response:
    size = 50
    rows = service.articles(limit=size, offset=(page - 1) * size)
    context = {"articles": rows, "stats": service.stats(), "page": page, "more": len(rows) == size}
    return render(request, "index.html", context)


@router.get("/articles/{article_id}")
def article_page(
    request: Request, article_id: int, service: Service = Depends(get_service)
) -> Response:
    row = service.article(article_id)
    context = {"row": row, "a": row.article, "copies": service.copies(article_id)}
    return render(request, "article.html", context)


@router.get("/search")
def search_page(request: Request, q: str = "", service: Service = Depends(get_service)) -> Response:
    hits = service.search(q, limit=50) if q.strip() else []
    return render(request, "search.html", {"q": q, "hits": hits})


@router.get("/about")
def about_page(request: Request, service: Service = Depends(get_service)) -> Response:
    try:
        info = service.gazetteer_info()
    except StoreError:  # no index yet: the credits still apply
        info = {}
    context = {
        "attribution": info.get("attribution", ATTRIBUTION),
        "built_at": info.get("built_at"),
        "dumps": info.get("dumps"),
    }
    return render(request, "about.html", context)


def highlight(snippet: str) -> Markup:
    """Escape a search snippet, then mark its matches."""
    safe = str(escape(snippet))
    return Markup(safe.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))
