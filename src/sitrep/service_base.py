"""What every part of the Service relies on: its settings, its store, its actor KB."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.settings import Settings
from sitrep.store import Store

if TYPE_CHECKING:
    from sitrep.nlp.actors import ActorKB

__all__ = ["ServiceMixin"]


class ServiceMixin:
    """Base of the Service's parts (events, catalog, accounts, alerts, briefs); the
    Service itself provides both members."""

    settings: Settings

    @property
    def store(self) -> Store:  # pragma: no cover - provided by Service
        raise NotImplementedError

    def _actor_kb(self) -> ActorKB:
        """The actor knowledge base with the user's files merged in (loaded once)."""
        from sitrep.nlp.actors import actor_kb

        return actor_kb(self.settings.actor_paths)
