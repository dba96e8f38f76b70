"""What every part of the Service relies on: its settings, its store, its actor KB."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.errors import InputError
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

    def actor_family(self, actor_ids: list[str]) -> tuple[str, ...]:
        """The actors and every proxy they back: a filter on Iran covers its militias."""
        kb = self._actor_kb()
        family: set[str] = set()
        for actor in actor_ids:
            if actor not in kb:
                raise InputError("E110", f"actor {actor!r} is not in the knowledge base")
            family |= {actor, *(proxy.id for proxy in kb.proxies_of(actor))}
        return tuple(sorted(family))
