"""Choose and rank what a situation report says, from fused event records.

Every event of the period becomes a compact :class:`Item` (the full records are not kept:
a brief over 10,000 events stays small in memory). Items become *developments*: a
territorial change reported at one place is one development however many fused events
carry it (two outlets that date a capture a day apart are one capture); every other
event is a development of its own.

A development's score, highest first, is documented in docs/briefs.md:

    corroboration  log2(1 + outlets) + 0.5 * log2(1 + confirmations)
    consequence    2.0 if ground changed hands
                   + log10(1 + reported fatalities)
                   + 0.5 if an actor in it is new in the period
    confidence     the best fusion confidence among its events (0..1)

so that a capture reported by three outlets outranks a shelling reported by three, and a
single-source claim of heavy losses does not outrank a well-corroborated one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = [
    "TERRITORIAL",
    "Development",
    "Item",
    "Region",
    "developments",
    "item_of",
]

TERRITORIAL = frozenset(
    {
        "Government regains territory",
        "Non-state actor overtakes territory",
        "Non-violent transfer of territory",
    }
)
# Words in a mention's evidence that make its displacement figures worth reading.
DISPLACEMENT_WORDS = ("displac", "fled", "flee", "refugee", "homeless", "evacuat")
TERRITORY_WEIGHT = 2.0
# Reports of a change at one place this many days apart are one change; further apart,
# the place changed hands again.
SAME_CHANGE_DAYS = 3
NEW_ACTOR_WEIGHT = 0.5


@dataclass(frozen=True)
class Region:
    """Where a brief looks: an admin-1 area, a country or a place, with its bbox."""

    name: str
    kind: str  # admin1 | country | place
    country: str
    lat: float
    lon: float
    radius_km: float
    admin1: str = ""  # the area's name, as event records carry it

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        """A generous prefilter box; :meth:`contains` decides. None for a whole country."""
        if self.kind == "country":
            return None
        reach = max(self.radius_km * 2.0, 25.0)
        dlat = reach / 111.0
        dlon = reach / (111.0 * max(math.cos(math.radians(self.lat)), 0.1))
        return (self.lon - dlon, self.lat - dlat, self.lon + dlon, self.lat + dlat)

    def contains(self, geo: dict[str, Any]) -> bool:
        if self.kind == "country":
            return geo.get("country") == self.country
        if self.kind == "admin1" and geo.get("admin1"):
            return geo.get("country") == self.country and geo.get("admin1") == self.admin1
        # A place, or an event located on something without an admin-1 (a highway).
        lat, lon = geo.get("lat"), geo.get("lon")
        if lat is None or lon is None:
            return False
        return _km(self.lat, self.lon, float(lat), float(lon)) <= max(self.radius_km, 25.0)


@dataclass(frozen=True)
class Item:
    """The parts of one fused event record that a brief reads."""

    id: int
    date: str
    date_precision: str  # day | month | year
    event_type: str
    sub_event_type: str
    place: str  # the name as the reports wrote it, else the gazetteer's, or ""
    place_key: str  # the gazetteer id, or the name
    area: str  # admin-1 name, else country, else "Unlocated"
    lat: float | None
    lon: float | None
    actors: tuple[tuple[str, str, str], ...]  # (id, name, role) for actor1, actor2
    sponsors: tuple[tuple[str, str], ...]  # (actor name, sponsor id)
    outlets: tuple[str, ...]
    confirmations: int
    fatalities: int | None
    fatality_range: tuple[int, int] | None
    fatality_claims: tuple[tuple[int, int, tuple[str, ...]], ...]
    disputed: tuple[str, ...]  # the disputed fields
    claims: dict[str, Any]  # only for disputed events: what each outlet said
    confidence: float
    notes: str
    articles: tuple[tuple[int, str], ...]  # (article id, outlet), once each
    displacement_mentions: tuple[tuple[int, str], ...]  # (mention id, outlet) speaking of it

    @property
    def territorial(self) -> bool:
        return self.sub_event_type in TERRITORIAL


def item_of(record: dict[str, Any]) -> Item:
    geo = (record.get("location") or {}).get("geo") or {}
    text = (record.get("location") or {}).get("text") or ""
    place = str(text or geo.get("name") or "")
    fatalities = record.get("fatalities") or {}
    span = fatalities.get("range")
    mentions = record.get("mentions") or []
    disputed = tuple(record.get("disputed_fields") or ())
    return Item(
        id=int(record["id"]),
        date=str(record.get("date") or ""),
        date_precision=str(record.get("date_precision") or "day"),
        event_type=str(record.get("event_type") or ""),
        sub_event_type=str(record.get("sub_event_type") or ""),
        place=place,
        place_key=str(geo.get("place_id") or geo.get("name") or place),
        area=str(geo.get("admin1") or geo.get("country") or "Unlocated"),
        lat=geo.get("lat"),
        lon=geo.get("lon"),
        actors=_actors(record),
        sponsors=tuple(
            (str(ref.get("name") or ref.get("actor_id")), str(sponsor))
            for ref in _refs(record)
            for sponsor in ref.get("sponsors") or ()
        ),
        outlets=tuple(record.get("outlets") or ()),
        confirmations=int(record.get("confirmations") or 0),
        fatalities=fatalities.get("value"),
        fatality_range=(int(span[0]), int(span[1])) if span else None,
        fatality_claims=tuple(
            (int(c["low"]), int(c["high"]), tuple(c.get("outlets") or ()))
            for c in (record.get("claims") or {}).get("fatalities") or ()
        ),
        disputed=disputed,
        claims=dict(record.get("claims") or {}) if disputed else {},
        confidence=float(record.get("confidence") or 0.0),
        notes=str(record.get("notes") or ""),
        articles=tuple(dict.fromkeys((int(m["article_id"]), str(m["outlet"])) for m in mentions)),
        displacement_mentions=tuple(
            (int(m["mention_id"]), str(m["outlet"]))
            for m in mentions
            if any(word in str(m.get("evidence") or "").lower() for word in DISPLACEMENT_WORDS)
        ),
    )


@dataclass
class Development:
    """One thing that happened: one event, or every report of one territorial change."""

    items: list[Item]
    new_actors: frozenset[str] = frozenset()
    score: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)

    @property
    def lead(self) -> Item:
        """The event the sentence is written from: the most corroborated, then earliest."""
        return max(self.items, key=lambda i: (len(i.outlets), i.confidence, _neg_date(i.date)))

    @property
    def date(self) -> str:
        return min(i.date for i in self.items)

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(sorted({o for i in self.items for o in i.outlets}))

    @property
    def event_ids(self) -> tuple[int, ...]:
        return tuple(sorted(i.id for i in self.items))


def developments(items: Iterable[Item], new_actors: frozenset[str]) -> list[Development]:
    """Group, score and rank: highest score first, then earliest, then lowest id."""
    groups: dict[tuple[str, str], list[Item]] = {}
    found: list[Development] = []
    for item in items:
        if item.territorial and item.place:
            groups.setdefault((item.sub_event_type, item.place_key), []).append(item)
        else:
            found.append(Development([item]))
    for group in groups.values():
        found += [Development(run) for run in _runs(sorted(group, key=lambda i: (i.date, i.id)))]
    for development in found:
        ids = {a for i in development.items for a, _, _ in i.actors}
        development.new_actors = frozenset(ids & new_actors)
        development.parts = score_parts(development)
        development.score = round(sum(development.parts.values()), 4)
    return sorted(found, key=lambda d: (-d.score, d.date, d.event_ids[0]))


def score_parts(development: Development) -> dict[str, float]:
    """The score's three parts (see the module's docstring)."""
    items = development.items
    confirmations = sum(i.confirmations for i in items)
    killed = max((i.fatalities or 0 for i in items), default=0)
    consequence = math.log10(1 + killed)
    if any(i.territorial for i in items):
        consequence += TERRITORY_WEIGHT
    if development.new_actors:
        consequence += NEW_ACTOR_WEIGHT
    return {
        "corroboration": math.log2(1 + len(development.outlets))
        + 0.5 * math.log2(1 + confirmations),
        "consequence": consequence,
        "confidence": max(i.confidence for i in items),
    }


def _runs(items: list[Item]) -> list[list[Item]]:
    """Date-sorted reports split where SAME_CHANGE_DAYS or more pass between two."""
    runs: list[list[Item]] = []
    for item in items:
        if runs and _days_between(runs[-1][-1].date, item.date) < SAME_CHANGE_DAYS:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _days_between(first: str, second: str) -> int:
    try:
        return (date.fromisoformat(second[:10]) - date.fromisoformat(first[:10])).days
    except ValueError:
        return SAME_CHANGE_DAYS  # an unreadable date joins nothing


def _refs(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [ref for ref in (record.get("actor1"), record.get("actor2")) if ref]


def _actors(record: dict[str, Any]) -> tuple[tuple[str, str, str], ...]:
    found = []
    for role in ("actor1", "actor2"):
        ref = record.get(role)
        if ref and ref.get("actor_id"):
            found.append((str(ref["actor_id"]), str(ref.get("name") or ref["actor_id"]), role))
    return tuple(found)


def _neg_date(day: str) -> int:
    """Sorts later dates first under ``max``, so the earliest report leads a tie."""
    return -int(day.replace("-", "") or 0)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))
