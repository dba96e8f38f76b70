"""Incremental clustering of mentions into events.

Mentions are taken in a fixed order (by mention id, which follows the order articles
arrived in), so fusing new articles one batch at a time gives the same events as fusing
everything from scratch. Each mention joins the best-scoring open event of a compatible
type whose dates, places and actors fit, or starts a new one; the runners-up are kept
with their scores for review. Candidate events are found through an index of the days
each event covers, so a mention is compared with a handful of events, not all of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sitrep.fuse.match import THRESHOLD, FusionMention, Related, date_window, match_score

__all__ = ["Assignment", "Cluster", "Clusterer"]

_REVIEW_MARGIN = 0.1  # alternatives this close to the threshold are kept for review
_MAX_ALTERNATIVES = 3


@dataclass
class Cluster:
    """One event as fusion sees it: the summary it matches new mentions against."""

    key: str  # stable: "ev-<id of the first mention>"
    sub_event_type: str  # its founding report's
    day: date  # the date of its most precise report (date.min: undated)
    points: list[tuple[float, float, float]] = field(default_factory=list)
    attackers: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)
    members: list[int] = field(default_factory=list)
    window: int = 0  # days the event's date leaves open (its most precise report's)
    modality: str = "asserted"  # "planned" events only take plans
    response: bool = False  # a riposte ("in retaliation") only takes ripostes, mostly
    types: set[str] = field(default_factory=set)
    articles: set[int] = field(default_factory=set)

    def absorb(self, mention: FusionMention, *, anchors: bool = True) -> None:
        """Take a member. The event's date and point stay those of its most precise
        member, so that a chain of near matches cannot drag it across days and towns;
        a member that only fits as part of its article's story (``anchors`` off: "the
        wounded were taken to hospitals in Hatay") never moves them."""
        founding = not self.members
        self.members.append(mention.id)
        if founding:
            self.modality = str(mention.record.get("modality") or "asserted")
            self.response = mention.response
        precise = mention.date is not None and date_window(mention) < self.window
        if founding or (anchors and precise):
            self.window = date_window(mention)
            if mention.date is not None:
                self.day = mention.date
        if (founding or anchors) and mention.lat is not None and mention.lon is not None:
            point = (mention.lat, mention.lon, mention.radius_km)
            self.points = sorted([*self.points, point], key=lambda p: p[2])[:1]
        self.attackers |= {mention.actor1} if mention.actor1 else set()
        self.targets |= {mention.actor2} if mention.actor2 else set()
        self.types.add(mention.sub_event_type)
        self.articles.add(mention.article_id)


@dataclass(frozen=True)
class Assignment:
    mention_id: int
    event_key: str
    score: float  # 1.0 for the mention that started the event
    alternatives: tuple[tuple[str, float], ...] = ()  # other events it might belong to
    created: bool = False


class Clusterer:
    def __init__(self, related: Related, threshold: float = THRESHOLD) -> None:
        self.related = related
        self.threshold = threshold
        self.clusters: dict[str, Cluster] = {}
        self._by_day: dict[date, set[str]] = {}
        self._by_article: dict[int, set[str]] = {}

    def load(self, clusters: Iterable[Cluster]) -> None:
        """Events fused earlier, to match new mentions against."""
        for cluster in clusters:
            self.clusters[cluster.key] = cluster
            self._index(cluster)

    def add(self, mention: FusionMention) -> Assignment:
        candidates = {c.key: c for c in self._candidates(mention)}
        scored = sorted(
            ((self._score(mention, c), c.key) for c in candidates.values()),
            # Ties go to the event more reports already hold, then to the older key.
            key=lambda pair: (-round(pair[0], 6), -len(candidates[pair[1]].members), pair[1]),
        )
        scored = [(s, k) for s, k in scored if s >= self.threshold - _REVIEW_MARGIN]
        best = scored[0] if scored and scored[0][0] >= self.threshold else None
        if best is None:
            cluster = self._start(mention)
            others = tuple((k, round(s, 3)) for s, k in scored[:_MAX_ALTERNATIVES])
            return Assignment(mention.id, cluster.key, 1.0, others, created=True)
        score, key = best
        cluster = self.clusters[key]
        on_its_own = match_score(mention, cluster, self.related, lift=False) >= self.threshold
        cluster.absorb(mention, anchors=on_its_own)
        self._index(cluster)
        others = tuple((k, round(s, 3)) for s, k in scored[1 : 1 + _MAX_ALTERNATIVES])
        return Assignment(mention.id, key, round(score, 3), others)

    def _score(self, mention: FusionMention, cluster: Cluster) -> float:
        return match_score(mention, cluster, self.related)

    def _candidates(self, mention: FusionMention) -> list[Cluster]:
        if mention.date is None:  # only its own story's events can take it
            return [self.clusters[k] for k in sorted(self._by_article.get(mention.article_id, ()))]
        window = date_window(mention)
        keys: set[str] = set()
        for offset in range(-window, window + 1):
            keys |= self._by_day.get(mention.date + timedelta(days=offset), set())
        return [self.clusters[k] for k in sorted(keys)]

    def _start(self, mention: FusionMention) -> Cluster:
        day = mention.date or date.min
        cluster = Cluster(f"ev-{mention.id}", mention.sub_event_type, day)
        cluster.absorb(mention)
        self.clusters[cluster.key] = cluster
        self._index(cluster)
        return cluster

    def _index(self, cluster: Cluster) -> None:
        for article in cluster.articles:
            self._by_article.setdefault(article, set()).add(cluster.key)
        if cluster.day == date.min:
            return  # undated: nothing joins it
        day = cluster.day - timedelta(days=cluster.window)
        last = cluster.day + timedelta(days=cluster.window)
        while day <= last:
            self._by_day.setdefault(day, set()).add(cluster.key)
            day += timedelta(days=1)
