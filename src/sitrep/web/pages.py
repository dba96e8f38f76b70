"""Server-rendered pages (Jinja2), thin over the service: articles, search and about here;
the analyst's desk in :mod:`pages_events`, actors, places and feeds in :mod:`pages_catalog`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape
from starlette.responses import Response

from sitrep.errors import StoreError
from sitrep.geo.gazetteer import ATTRIBUTION
from sitrep.service import Service
from sitrep.store.base import MARK_END, MARK_START
from sitrep.web import pages_catalog, pages_events
from sitrep.web.deps import get_service, render
from sitrep.web.filters import Filters
from sitrep.web.marks import LABELS, evidence_ranges, mark_paragraph

__all__ = ["highlight", "router"]

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
Svc = Annotated[Service, Depends(get_service)]
router.include_router(pages_events.router)
router.include_router(pages_catalog.router)


@router.get("/articles")
def articles_page(
    request: Request, service: Svc, page: Annotated[int, Query(ge=1)] = 1
) -> Response:
    size = 50
    rows = service.articles(limit=size, offset=(page - 1) * size)
    context = {"articles": rows, "stats": service.stats(), "page": page, "more": len(rows) == size}
    return render(request, "articles.html", context)


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: int, service: Svc) -> Response:
    row = service.article(article_id)
    context = {
        "row": row,
        "a": row.article,
        "copies": service.copies(article_id),
        "paragraphs": _marked_paragraphs(service, article_id),
        "labels": LABELS,
        "mentions": service.mentions_of(article_id),
    }
    return render(request, "article.html", context)


@router.get("/search")
def search_page(request: Request, service: Svc, q: str = "") -> Response:
    hits = service.search(q, limit=50) if q.strip() else []
    events = (
        service.events(Filters(q=q.strip()).event_filter(service.actor_family), limit=50)
        if q.strip()
        else []
    )
    return render(request, "search.html", {"q": q, "hits": hits, "events": events})


@router.get("/about")
def about_page(request: Request, service: Svc) -> Response:
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


def _marked_paragraphs(service: Service, article_id: int) -> list[Markup]:
    """The article's paragraphs with actors, places, dates and triggers labelled and the
    sentences events were coded from marked (each with an anchor the event page links to)."""
    paragraphs = service.article(article_id).article.paragraphs
    spans = service.article_annotations(article_id)["spans"]
    sentences = [(_evidence_text(m), int(m["id"])) for m in service.mentions_of(article_id)]
    marked = []
    for index, text in enumerate(paragraphs):
        mine = [s for s in spans if s["paragraph"] == index]
        marked.append(mark_paragraph(text, mine, evidence_ranges(text, sentences)))
    return marked


def _evidence_text(mention: dict[str, Any]) -> str:
    evidence = mention.get("evidence")
    return str(evidence.get("text") or "") if isinstance(evidence, dict) else str(evidence or "")


def highlight(snippet: str) -> Markup:
    """Escape a search snippet, then mark its matches."""
    safe = str(escape(snippet))
    return Markup(safe.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))
