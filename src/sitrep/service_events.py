"""The service's event methods: fusion, and reading fused events.

A part of :class:`sitrep.service.Service` (mixed into it), kept in its own module so
that each stays small; like the rest of the service, it is the only writer of events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sitrep.errors import InputError
from sitrep.settings import Settings
from sitrep.store import Store
from sitrep.store.events import EventFilter

__all__ = ["EventsService", "FusionReport"]

FUSION_BATCH = 500  # mentions fused per transaction


@dataclass
class FusionReport:
    mentions: int = 0  # mentions fused in this run
    created: int = 0  # events created
    updated: int = 0  # events that took new mentions
    events: int = 0  # live events in the store afterwards


class EventsService:
    settings: Settings

    @property
    def store(self) -> Store:  # pragma: no cover - provided by Service
        raise NotImplementedError

    # -- fusion

    def fuse(self, progress: Callable[[int], None] | None = None) -> FusionReport:
        """Fuse every mention no event holds yet into events (incremental, in id order)."""
        from sitrep.fuse.engine import plan_batch

        report = FusionReport()
        related = self._related()
        while facts := self.store.unfused_mentions(FUSION_BATCH):
            changes = plan_batch(facts, self.store, related)
            self.store.save_fusion(changes, datetime.now(UTC))
            report.mentions += len(facts)
            report.created += sum(1 for c in changes if c.action == "created")
            report.updated += sum(1 for c in changes if c.action != "created")
            if progress is not None:
                progress(len(facts))
        report.events = self.store.count_events()
        return report

    def fusion_check(self) -> dict[str, Any]:
        """Fuse every mention again from scratch, in memory, and compare with the store."""
        from sitrep.fuse.engine import fuse_all, fusion_mention

        ids = self.store.mention_ids()
        mentions = [
            fusion_mention(f)
            for start in range(0, len(ids), FUSION_BATCH)
            for f in self.store.mention_facts(ids[start : start + FUSION_BATCH])
        ]
        fresh = fuse_all(mentions, self._related())
        stored = self.store.fused_membership()
        differ = sorted(k for k in fresh.keys() | stored.keys() if fresh.get(k) != stored.get(k))
        return {"same": not differ, "events": len(fresh), "differences": differ[:20]}

    def events(
        self,
        where: EventFilter | None = None,
        limit: int = 50,
        offset: int = 0,
        order: str = "date",
    ) -> list[dict[str, Any]]:
        return self.store.list_events(where or EventFilter(), limit, offset, order)

    def event(self, event_id: int) -> dict[str, Any]:
        found = self.store.get_event(event_id)
        if found is None:
            raise InputError("E110", f"event {event_id} does not exist")
        return found

    def actor_family(self, actor_ids: list[str]) -> tuple[str, ...]:
        """The actors and every proxy they back: a filter on Iran covers its militias."""
        from sitrep.nlp.actors import actor_kb

        kb = actor_kb(tuple(p.strip() for p in self.settings.actor_files.split(",") if p.strip()))
        family: set[str] = set()
        for actor in actor_ids:
            if actor not in kb:
                raise InputError("E110", f"actor {actor!r} is not in the knowledge base")
            family |= {actor, *(proxy.id for proxy in kb.proxies_of(actor))}
        return tuple(sorted(family))

    def _related(self) -> Callable[[str, str], bool]:
        """Whether two actors are linked in the knowledge base (sponsor, proxy, part)."""
        from sitrep.nlp.actors import actor_kb

        kb = actor_kb(tuple(p.strip() for p in self.settings.actor_files.split(",") if p.strip()))
        links: dict[str, set[str]] = {}

        def linked(actor: str) -> set[str]:
            if actor not in links:
                known = actor in kb
                ups = {a.id for a in kb.sponsors_of(actor)} if known else set()
                downs = {a.id for a in kb.proxies_of(actor)} if known else set()
                links[actor] = ups | downs
            return links[actor]

        return lambda a, b: b in linked(a) or a in linked(b)
