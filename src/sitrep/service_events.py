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
from sitrep.service_base import ServiceMixin
from sitrep.store.events import EventFilter

__all__ = ["EventsService", "FusionReport"]

FUSION_BATCH = 500  # mentions fused per transaction


@dataclass
class FusionReport:
    mentions: int = 0  # mentions fused in this run
    created: int = 0  # events created
    updated: int = 0  # events that took new mentions
    events: int = 0  # live events in the store afterwards


class EventsService(ServiceMixin):
    # -- fusion

    def fuse(self, progress: Callable[[int], None] | None = None) -> FusionReport:
        """Fuse every mention no event holds yet into events (incremental, in id order)."""
        from sitrep.fuse.engine import plan_batch

        report = FusionReport()
        related = self._related()
        report.updated += self._drop_stale_members(related)
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
        from sitrep.fuse.engine import fuse_all, fusion_mention, replay

        ids = self.store.mention_ids()
        mentions = [
            fusion_mention(f)
            for start in range(0, len(ids), FUSION_BATCH)
            for f in self.store.mention_facts(ids[start : start + FUSION_BATCH])
        ]
        fresh = replay(fuse_all(mentions, self._related()), self.store.decisions())
        stored = self.store.fused_membership()
        differ = sorted(k for k in fresh.keys() | stored.keys() if fresh.get(k) != stored.get(k))
        return {"same": not differ, "events": len(fresh), "differences": differ[:20]}

    def merge_events(self, keep_id: int, other_id: int) -> dict[str, Any]:
        """Move every mention of event ``other_id`` into ``keep_id``; ``other_id`` is
        retracted (kept, with its history). Later fusion runs respect the merge."""
        from sitrep.fuse.engine import rebuild

        keep, other = self._key(keep_id), self._key(other_id)
        if keep == other:
            raise InputError("E110", f"event {keep_id} cannot be merged into itself")
        kept = [m for m, _ in self.store.event_member_ids(keep)]
        moved = [m for m, _ in self.store.event_member_ids(other)]
        related = self._related()
        changes = [
            rebuild(
                other,
                [],
                self.store,
                related,
                action="retracted",
                cause=f"merged into {keep} by an analyst",
                removed=moved,
            ),
            rebuild(
                keep,
                [*kept, *moved],
                self.store,
                related,
                action="merged",
                cause=f"{other} merged in by an analyst",
                added=moved,
            ),
        ]
        self._decide("merge", keep, {"from": other}, changes)
        return self.event(keep_id)

    def split_event(self, event_id: int, mention_ids: list[int]) -> dict[str, Any]:
        """Move these mentions out of the event into a new one. Returns the new event."""
        from sitrep.fuse.engine import rebuild

        key = self._key(event_id)
        members = [m for m, _ in self.store.event_member_ids(key)]
        moved = sorted(set(mention_ids))
        if not moved or not set(moved) < set(members):
            raise InputError(
                "E110",
                f"split: mentions {moved} must be some, not all, of event {event_id}'s {members}",
            )
        new_key = f"{key}-s{moved[0]}"
        related = self._related()
        rest = [m for m in members if m not in moved]
        changes = [
            rebuild(
                key,
                rest,
                self.store,
                related,
                action="split",
                cause=f"mentions {moved} split off into {new_key}",
                removed=moved,
            ),
            rebuild(
                new_key,
                moved,
                self.store,
                related,
                action="created",
                cause=f"split from {key} by an analyst",
                added=moved,
                pins={},
            ),
        ]
        self._decide("split", key, {"mentions": moved, "into": new_key}, changes)
        return self.events_by_key(new_key)

    def pin_event(self, event_id: int, field: str, value: Any) -> dict[str, Any]:
        """Fix a field by hand; fusion keeps it whatever later reports say."""
        from sitrep.fuse.engine import rebuild
        from sitrep.fuse.pins import pin_value

        value = pin_value(field, value)
        key = self._key(event_id)
        pins = (self.store.event_cluster(key) or {}).get("pins", {}) | {field: value}
        members = [m for m, _ in self.store.event_member_ids(key)]
        change = rebuild(
            key,
            members,
            self.store,
            self._related(),
            action="field_changed",
            cause=f"{field} pinned by an analyst",
            pins=pins,
        )
        self._decide("pin", key, {"field": field, "value": value}, [change])
        return self.event(event_id)

    def events_by_key(self, event_key: str) -> dict[str, Any]:
        event_id = self.store.event_id_of(event_key)
        if event_id is None:
            raise InputError("E110", f"event {event_key} does not exist")
        return self.event(event_id)

    def _key(self, event_id: int) -> str:
        key = self.store.event_key_of(event_id)
        if key is None:
            raise InputError("E110", f"event {event_id} does not exist")
        return key

    def _decide(self, kind: str, key: str, detail: dict[str, Any], changes: list[Any]) -> None:
        now = datetime.now(UTC)
        self.store.save_fusion(changes, now)
        self.store.add_decision(kind, key, detail, now)

    def _drop_stale_members(self, related: Callable[[str, str], bool]) -> int:
        """Take out of their events the mentions a recoding removed (events left empty
        are retracted). Returns how many events changed."""
        from sitrep.fuse.engine import rebuild

        stale = self.store.stale_members()
        changes = []
        for key, gone in sorted(stale.items()):
            members = [m for m, _ in self.store.event_member_ids(key) if m not in gone]
            changes.append(
                rebuild(
                    key,
                    members,
                    self.store,
                    related,
                    action="mention_removed",
                    cause=f"mentions {gone} recoded away",
                    removed=gone,
                )
            )
        if changes:
            self.store.save_fusion(changes, datetime.now(UTC))
        return len(changes)

    def events(
        self,
        where: EventFilter | None = None,
        limit: int = 50,
        offset: int = 0,
        order: str = "date",
    ) -> list[dict[str, Any]]:
        return self.store.list_events(where or EventFilter(), limit, offset, order)

    def export_events(
        self, fmt: str, out: Any, where: EventFilter | None = None, base_url: str | None = None
    ) -> int:
        """Write the events matching ``where`` to ``out`` (a stream or a path), streaming."""
        from sitrep.exports import export

        return export(self.store.iter_events(where or EventFilter()), fmt, out, base_url)

    def event(self, event_id: int) -> dict[str, Any]:
        found = self.store.get_event(event_id)
        if found is None:
            raise InputError("E110", f"event {event_id} does not exist")
        return found

    def _related(self) -> Callable[[str, str], bool]:
        """Whether two actors are linked in the knowledge base (sponsor, proxy, part)."""
        kb = self._actor_kb()
        links: dict[str, set[str]] = {}

        def linked(actor: str) -> set[str]:
            if actor not in links:
                known = actor in kb
                ups = {a.id for a in kb.sponsors_of(actor)} if known else set()
                downs = {a.id for a in kb.proxies_of(actor)} if known else set()
                # The Turkish Armed Forces are part of Turkey; Russia and Syria are allies.
                kin = {
                    a.id
                    for kind in ("part_of", "ally", "leader_of")
                    for inverse in (False, True)
                    for a in (kb.related(actor, kind, inverse=inverse) if known else ())
                }
                links[actor] = ups | downs | kin | (_wholes(kb, actor) if known else set())
            return links[actor]

        return lambda a, b: b in linked(a) or a in linked(b)


def _wholes(kb: Any, actor: str) -> set[str]:
    """Everything ``actor`` is part of, however many levels up: a unit of the army is
    part of the state the army serves ("regime forces" -> Syrian government forces ->
    the Syrian government)."""
    found: set[str] = set()
    todo = [actor]
    while todo:
        for whole in kb.related(todo.pop(), "part_of"):
            if whole.id not in found:
                found.add(whole.id)
                todo.append(whole.id)
    return found
