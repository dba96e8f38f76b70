"""The web layer: a FastAPI app over the service API."""

from sitrep.web.app import create_app

__all__ = ["create_app"]
