"""FastAPI app factory: wires the service, templates, middleware, errors and routers."""

from __future__ import annotations

import mimetypes
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitrep import __version__
from sitrep.errors import AccessError, SitrepError
from sitrep.service import Service
from sitrep.settings import Settings
from sitrep.web import api, auth, pages, pages_alerts, pages_brief
from sitrep.web.headers import ResponseHeaders

__all__ = ["create_app"]

# MapLibre ships ES modules as .mjs; browsers refuse a module served as anything but JavaScript
mimetypes.add_type("text/javascript", ".mjs")

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
        dependencies=[Depends(auth.guard)],  # anonymous access and CSRF, for every route
    )
    templates = Jinja2Templates(directory=str(_TEMPLATES))
    templates.env.filters["highlight"] = pages.highlight
    templates.env.globals.update(csrf_token=auth.csrf_token, current_user=auth.current_user)
    app.state.service = service
    app.state.settings = settings
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(_STATIC)), name="static")

    app.add_middleware(ResponseHeaders, headers=_SECURITY_HEADERS, cookies=auth.new_cookies)
    _install_error_handlers(app, templates)
    auth.install(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(pages_brief.router)
    app.include_router(auth.router)
    app.include_router(pages_alerts.router)
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
        status = _status_of(exc)
        return respond(request, status, exc.code, exc.message, exc.hint or None)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return respond(request, exc.status_code, f"HTTP{exc.status_code}", str(exc.detail), None)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        detail = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
        return respond(request, 422, "invalid-request", "the request is not valid", detail)


def _status_of(exc: SitrepError) -> int:
    """The HTTP status of a failure: missing things are 404 (E110 is also raised for
    a bad request about an existing event, so its message decides), a clash 409."""
    if isinstance(exc, AccessError):
        return exc.status
    missing = ("E303", "E504", "E802", "E804")
    if exc.code in missing or (exc.code == "E110" and "does not exist" in exc.message):
        return 404
    return 409 if exc.code == "E304" else 400
