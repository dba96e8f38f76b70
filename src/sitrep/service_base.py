"""What every part of the Service relies on: its settings and its store."""

from __future__ import annotations

from sitrep.settings import Settings
from sitrep.store import Store

__all__ = ["ServiceMixin"]


class ServiceMixin:
    """Base of the Service's parts (events, catalog, accounts, alerts, briefs); the
    Service itself provides both members."""

    settings: Settings

    @property
    def store(self) -> Store:  # pragma: no cover - provided by Service
        raise NotImplementedError
