"""FastAPI app factory: pages (Jinja2) and the JSON API, both thin over the service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitrep import __version__
from sitrep.errors import SitrepError, StoreError
from sitrep.geo.gazetteer import ATTRIBUTION
from sitrep.records import StoredArticle
from sitrep.service import Service
from sitrep.settings import Settings
from sitrep.store.base import MARK_END, MARK_START

__all__ = ["create_app"]

_TEMPLATES = Path(__file__).parent / "templates"
_STATIC = Path(__file__).parent / "static"
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def create_app(settings: Settings, service: Service | None = None) -> FastAPI:
    service = service or Service(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        service.store  # noqa: B018 - open and migrate before the first request
        yield
        service.close()

    app = FastAPI(
        title="sitrep",
        version=__version__,
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
        lifespan=lifespan,
    )
    templates = Jinja2Templates(directory=str(_TEMPLATES))
    templates.env.filters["highlight"] = _highlight
    app.state.service = service
    app.mount("/static", StaticFiles(directory=str(_STATIC)), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    _install_error_handlers(app, templates)

    # -- pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request, page: int = Query(1, ge=1)) -> Response:
        size = 50
        rows = service.articles(limit=size, offset=(page - 1) * size)
        context = {
            "articles": rows,
            "stats": service.stats(),
            "page": page,
            "more": len(rows) == size,
        }
        return templates.TemplateResponse(request, "index.html", context)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: int) -> Response:
        row = service.article(article_id)
        context = {"row": row, "a": row.article, "copies": service.copies(article_id)}
        return templates.TemplateResponse(request, "article.html", context)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "") -> Response:
        hits = service.search(q, limit=50) if q.strip() else []
        return templates.TemplateResponse(request, "search.html", {"q": q, "hits": hits})

    @app.get("/about", response_class=HTMLResponse, include_in_schema=False)
    def about_page(request: Request) -> Response:
        try:
            info = service.gazetteer_info()
        except StoreError:  # no index yet: the credits still apply
            info = {}
        context = {
            "attribution": info.get("attribution", ATTRIBUTION),
            "built_at": info.get("built_at"),
            "dumps": info.get("dumps"),
        }
        return templates.TemplateResponse(request, "about.html", context)

    # -- JSON API

    @app.get("/api/v1/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "articles": service.stats()["articles"]}

    @app.get("/api/v1/articles")
    def api_articles(
        limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0)
    ) -> dict[str, Any]:
        rows = service.articles(limit=limit, offset=offset)
        return {"items": [_article_json(r) for r in rows], "limit": limit, "offset": offset}

    @app.get("/api/v1/articles/{article_id}")
    def api_article(article_id: int) -> dict[str, Any]:
        return _article_json(service.article(article_id), full=True)

    @app.get("/api/v1/search")
    def api_search(q: str, limit: int = Query(20, ge=1, le=200)) -> dict[str, Any]:
        hits = service.search(q, limit=limit)
        return {
            "query": q,
            "items": [
                {**_article_json(h.article), "score": h.score, "snippet": _plain(h.snippet)}
                for h in hits
            ],
        }

    return app


def _install_error_handlers(app: FastAPI, templates: Jinja2Templates) -> None:
    """One error shape everywhere: JSON for the API, a page for people."""

    def respond(request: Request, status: int, code: str, message: str, detail: Any) -> Response:
        if request.url.path.startswith("/api/"):
            body = {"error": {"code": code, "message": message, "detail": detail}}
            return JSONResponse(body, status_code=status)
        context = {"status": status, "code": code, "message": message}
        return templates.TemplateResponse(request, "error.html", context, status_code=status)

    @app.exception_handler(SitrepError)
    async def sitrep_error(request: Request, exc: SitrepError) -> Response:
        status = 404 if isinstance(exc, StoreError) and exc.code == "E303" else 400
        return respond(request, status, exc.code, exc.message, exc.hint or None)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return respond(request, exc.status_code, f"HTTP{exc.status_code}", str(exc.detail), None)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        detail = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
        return respond(request, 422, "invalid-request", "the request is not valid", detail)


def _article_json(row: StoredArticle, full: bool = False) -> dict[str, Any]:
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


def _highlight(snippet: str) -> Markup:
    """Escape a search snippet, then mark its matches."""
    safe = str(escape(snippet))
    return Markup(safe.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def _plain(snippet: str) -> str:
    return snippet.replace(MARK_START, "").replace(MARK_END, "")
