"""What every route needs from the app: the service, the templates, the current user.

Routes get these through FastAPI dependencies so that the routers stay free of globals and
the app factory stays the one place that wires things together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

if TYPE_CHECKING:
    from sitrep.service import Service
    from sitrep.settings import Settings

__all__ = ["get_service", "get_settings", "render"]


def get_service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context, status_code=status)
