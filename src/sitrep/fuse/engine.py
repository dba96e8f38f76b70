"""One fusion step: new mentions in, the changes to the events they touch out.

The service reads unfused mentions oldest first, asks :func:`plan_batch` what changes,
and saves the changes (and their history) in one transaction. :func:`fuse_all` does the
same from scratch in memory, to check that the stored events are what a fresh run gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

from sitrep.fuse.cluster import Assignment, Cluster, Clusterer
from sitrep.fuse.match import (
    FusionMention,
    Related,
    counts_casualties_only,
    is_response,
    is_scene,
    is_separate,
)
from sitrep.fuse.pins import PINNABLE
from sitrep.fuse.summary import summarize
from sitrep.store.events import EventChange, MentionFacts

__all__ = [
    "PINNABLE",
    "FusionReader",
    "cluster_json",
    "fuse_all",
    "fusion_mention",
    "pinned",
    "plan_batch",
    "rebuild",
    "replay",
]

# Days around a batch's dates whose events may take its mentions: the widest date window
# (a month) on each side, for the mention and for the event.
_LOAD_MARGIN = timedelta(days=62)


class FusionReader(Protocol):
    def event_clusters(self, first: str, last: str) -> list[dict[str, Any]]: ...
    def article_clusters(self, article_ids: Sequence[int]) -> list[dict[str, Any]]: ...
    def event_cluster(self, event_key: str) -> dict[str, Any] | None: ...
    def event_record(self, event_key: str) -> dict[str, Any] | None: ...
    def event_member_ids(self, event_key: str) -> list[tuple[int, float]]: ...
    def mention_facts(self, mention_ids: Sequence[int]) -> list[MentionFacts]: ...


def fusion_mention(facts: MentionFacts) -> FusionMention:
    record = facts.record
    location = record.get("location") or {}
    geo = location.get("geo") or {}
    if geo.get("review") or not is_scene(location, record.get("sub_event_type")):
        geo = {}  # only a country, nothing sure, or a place the sentence merely names
    actor1, actor2 = record.get("actor1") or {}, record.get("actor2") or {}
    return FusionMention(
        id=facts.mention_id,
        article_id=facts.article_id,
        outlet=_outlet(facts),
        reported=_reported(facts),
        event_type=str(record["event_type"]),
        sub_event_type=str(record["sub_event_type"]),
        date=date.fromisoformat(record["date"]) if record.get("date") else None,
        date_precision=str(record.get("date_precision") or "unknown"),
        actor1=actor1.get("actor_id"),
        actor2=actor2.get("actor_id"),
        lat=geo.get("lat"),
        lon=geo.get("lon"),
        radius_km=float(geo.get("radius_km") or 0.0),
        confidence=float(record.get("confidence") or 0.5),
        record=record,
        also_in=tuple(facts.copy_sites),
        response=is_response(record),
        separate=is_separate(record),
        casualties_only=counts_casualties_only(record),
    )


def fusion_order(mentions: Iterable[FusionMention]) -> list[FusionMention]:
    """Articles in the order they arrived; within one, its fullest report first.

    An article's first sentence is often a photo caption or a headline ("Ambulances
    arrive at a hospital in Reyhanli"); the event it describes should be founded on the
    sentence that says the most about it (when, where, who, how many), so that the
    article's other sentences and other outlets' reports meet that one.
    """
    ordered = sorted(mentions, key=lambda m: m.id)
    arrival: dict[int, int] = {}
    for mention in ordered:
        arrival.setdefault(mention.article_id, mention.id)
    return sorted(ordered, key=lambda m: (arrival[m.article_id], -_fullness(m), m.id))


def _fullness(mention: FusionMention) -> int:
    dated = 0 if mention.date is None else 2 if mention.date_precision == "day" else 1
    fatalities = (mention.record.get("fatalities") or {}).get("value")
    told = (mention.lat is not None, mention.actor1, mention.actor2, fatalities)
    return dated + sum(1 for part in told if part)


def plan_batch(
    facts: Sequence[MentionFacts], reader: FusionReader, related: Related
) -> list[EventChange]:
    """The changes that fusing these (unfused, oldest-first) mentions makes."""
    mentions = [fusion_mention(f) for f in facts]
    clusterer = Clusterer(related)
    dated = [m.date for m in mentions if m.date is not None]
    stored: dict[str, dict[str, Any]] = {}
    if dated:
        first, last = min(dated) - _LOAD_MARGIN, max(dated) + _LOAD_MARGIN
        stored |= {c["key"]: c for c in reader.event_clusters(first.isoformat(), last.isoformat())}
    undated = sorted({m.article_id for m in mentions if m.date is None})
    if undated:  # an undated sentence may join its own story's events, whatever their date
        stored |= {c["key"]: c for c in reader.article_clusters(undated)}
    clusterer.load(_cluster(c) for _, c in sorted(stored.items()))
    touched: dict[str, list[Assignment]] = {}
    for mention in fusion_order(mentions):
        assignment = clusterer.add(mention)
        touched.setdefault(assignment.event_key, []).append(assignment)
    by_id = {m.id: m for m in mentions}
    return [
        _change(key, new, clusterer.clusters[key], reader, by_id, related)
        for key, new in sorted(touched.items())
    ]


def fuse_all(mentions: Iterable[FusionMention], related: Related) -> dict[str, list[int]]:
    """Events from scratch, in memory: event key -> member mention ids."""
    clusterer = Clusterer(related)
    for mention in fusion_order(mentions):
        clusterer.add(mention)
    return {key: sorted(c.members) for key, c in clusterer.clusters.items()}


def replay(
    clusters: dict[str, list[int]], decisions: Sequence[dict[str, Any]]
) -> dict[str, list[int]]:
    """A from-scratch clustering with the analysts' merges and splits applied in order."""
    result = {key: list(members) for key, members in clusters.items()}
    for decision in decisions:
        key, detail = decision["event_key"], decision["detail"]
        if decision["kind"] == "merge" and detail["from"] in result and key in result:
            result[key] = sorted([*result[key], *result.pop(detail["from"])])
        elif decision["kind"] == "split" and key in result:
            moved = set(detail["mentions"])
            result[key] = [m for m in result[key] if m not in moved]
            result[detail["into"]] = sorted(moved)
    return {key: members for key, members in result.items() if members}


def cluster_json(cluster: Cluster) -> dict[str, Any]:
    return {
        "key": cluster.key,
        "sub_event_type": cluster.sub_event_type,
        # "first" and "last" (one day now) fill the event's date columns in the store.
        "first": cluster.day.isoformat() if cluster.day != date.min else None,
        "last": cluster.day.isoformat() if cluster.day != date.min else None,
        "points": [list(p) for p in cluster.points],
        "attackers": sorted(cluster.attackers),
        "targets": sorted(cluster.targets),
        "types": sorted(cluster.types),
        "articles": sorted(cluster.articles),
        "members": list(cluster.members),
        "window": cluster.window,
        "modality": cluster.modality,
        "response": cluster.response,
    }


def _cluster(data: dict[str, Any]) -> Cluster:
    day = date.fromisoformat(data["first"]) if data.get("first") else date.min
    return Cluster(
        key=data["key"],
        sub_event_type=data["sub_event_type"],
        day=day,
        points=[(float(a), float(b), float(c)) for a, b, c in data["points"]],
        attackers=set(data.get("attackers", ())),
        targets=set(data.get("targets", ())),
        members=[int(m) for m in data["members"]],
        window=int(data["window"]),
        modality=str(data.get("modality", "asserted")),
        response=bool(data.get("response", False)),
        types=set(data.get("types", (data["sub_event_type"],))),
        articles={int(a) for a in data.get("articles", ())},
    )


def _change(
    key: str,
    new: list[Assignment],
    cluster: Cluster,
    reader: FusionReader,
    fresh: dict[int, FusionMention],
    related: Related,
) -> EventChange:
    stored = reader.event_member_ids(key)
    scores = dict(stored) | {a.mention_id: a.score for a in new}
    older = [fusion_mention(f) for f in reader.mention_facts([m for m, _ in stored])]
    members = [*older, *(fresh[a.mention_id] for a in new)]
    pins = (reader.event_cluster(key) or {}).get("pins", {})
    record = pinned(summarize(key, members, scores, related), pins)
    created = any(a.created for a in new)
    articles = sorted({fresh[a.mention_id].article_id for a in new})
    cause = f"{len(new)} mention(s) from article(s) {', '.join(map(str, articles))}"
    return EventChange(
        event_key=key,
        action="created" if created else "mention_added",
        cause=cause,
        record=record,
        cluster=cluster_json(cluster) | {"pins": pins},
        members=[(a.mention_id, a.score, a.alternatives) for a in new],
    )


def rebuild(
    key: str,
    member_ids: Sequence[int],
    reader: FusionReader,
    related: Related,
    *,
    action: str,
    cause: str,
    added: Sequence[int] = (),
    removed: Sequence[int] = (),
    pins: dict[str, Any] | None = None,
) -> EventChange:
    """An event recomputed from the members it now has (after a merge, a split, a pin or
    a recoded article); with no members left it is retracted, never deleted."""
    stored = reader.event_cluster(key) or {}
    pins = stored.get("pins", {}) if pins is None else pins
    facts = reader.mention_facts(sorted(member_ids))
    if not facts:
        record = reader.event_record(key) or {}
        return EventChange(
            key, "retracted", cause, record, stored, [], retracted=True, removed=removed
        )
    mentions = fusion_order(fusion_mention(f) for f in facts)
    cluster = Cluster(key, mentions[0].sub_event_type, date.min)
    for mention in mentions:
        cluster.absorb(mention)
    scores = dict(reader.event_member_ids(key))
    by_id = sorted(mentions, key=lambda m: m.id)
    record = pinned(summarize(key, by_id, scores, related), pins)
    return EventChange(
        event_key=key,
        action=action,
        cause=cause,
        record=record,
        cluster=cluster_json(cluster) | {"pins": pins},
        members=[(m, 1.0, ()) for m in added],
        removed=removed,
    )


def pinned(record: dict[str, Any], pins: dict[str, Any]) -> dict[str, Any]:
    """The record with the analyst's pinned fields in place of fusion's."""
    if not pins:
        return record
    return record | pins | {"pinned": sorted(pins)}


def _outlet(facts: MentionFacts) -> str:
    if facts.site:
        return facts.site
    host = urlsplit(facts.url).hostname if facts.url else None
    if host:
        return host.removeprefix("www.")
    return facts.source.rsplit("/", 1)[-1] or "unknown"


def _reported(facts: MentionFacts) -> date | None:
    if facts.published:
        try:
            return date.fromisoformat(facts.published[:10])
        except ValueError:
            pass
    return facts.ingested_at.date() if isinstance(facts.ingested_at, datetime) else None
