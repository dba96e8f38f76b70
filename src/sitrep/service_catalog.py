"""The service's read methods for browsing: event pages and timelines, actors, places
and the annotations of an article.

A part of :class:`sitrep.service.Service` (mixed into it), like :mod:`sitrep.service_events`.
Nothing here writes; nothing here runs the NLP pipeline (annotations come from the
stored mentions).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from sitrep.errors import InputError
from sitrep.service_base import ServiceMixin
from sitrep.store.browse import ORDERS
from sitrep.store.events import EventFilter

if TYPE_CHECKING:
    from sitrep.geo.gazetteer import Gazetteer, Place
    from sitrep.nlp.actors import Actor, ActorKB
    from sitrep.records import StoredArticle
    from sitrep.store.coding import StoredMention

__all__ = ["CatalogService", "decode_cursor", "encode_cursor"]

NEARBY_KM = 25.0
ACTOR_EVENTS = 50  # the latest events shown with an actor
PLACE_EVENTS = 100


class CatalogService(ServiceMixin):
    def article(self, article_id: int) -> StoredArticle:  # pragma: no cover - provided
        raise NotImplementedError

    def mentions_of(self, article_id: int) -> list[StoredMention]:  # pragma: no cover
        raise NotImplementedError

    # -- events

    def events_page(
        self, where: EventFilter, limit: int, cursor: str | None, order: str = "date"
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of events and the cursor of the next page (None on the last).

        The cursor is opaque: it holds where the page ended, so events added since do
        not shift the pages that follow.
        """
        after = _page_start(limit, cursor, order)
        rows = self.store.page_events(where, limit + 1, after, order)
        return [event for _, event in rows[:limit]], _next_cursor(rows, limit, order)

    def events_page_json(
        self,
        where: EventFilter,
        limit: int,
        cursor: str | None,
        order: str = "date",
        *,
        features: bool = False,
    ) -> tuple[list[str], str | None]:
        """:meth:`events_page` with each event as JSON text (with ``features``, GeoJSON
        points of the located events), for the API to write as it is."""
        after = _page_start(limit, cursor, order)
        rows = self.store.page_event_texts(where, limit + 1, after, order, features=features)
        return [text for _, text in rows[:limit]], _next_cursor(rows, limit, order)

    def event_date_extent(self) -> tuple[str | None, str | None]:
        """The first and last day the record holds events for."""
        return self.store.event_date_extent()

    def event_timeline(self, where: EventFilter) -> list[dict[str, Any]]:
        """``{"date", "event_type", "count"}`` per day and type, oldest first."""
        return self.store.event_timeline(where)

    # -- actors

    def actors(self, q: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Actors of the knowledge base whose name or an alias holds ``q``, by name."""
        needle = (q or "").strip().casefold()
        found = [
            actor
            for actor in self._actor_kb()
            if not needle or any(needle in s.casefold() for s in (actor.id, *actor.surfaces))
        ]
        found.sort(key=lambda a: (a.name.casefold(), a.id))
        return [_actor_summary(actor) for actor in found[:limit]]

    def actor(self, actor_id: str) -> dict[str, Any]:
        """One actor: names, relations both ways, daily activity and latest events. The
        activity counts the events of the actor and of the proxies it backs."""
        kb = self._actor_kb()
        if actor_id not in kb:
            raise InputError("E110", f"actor {actor_id!r} does not exist")
        events = self.store.actor_events(self.actor_family([actor_id]))
        per_day = Counter(event["date"] for event in events if event.get("date"))
        return {
            **_actor_summary(kb.get(actor_id)),
            "relations": _relations(kb, actor_id),
            "activity": [{"date": day, "count": n} for day, n in sorted(per_day.items())],
            "events": events[:ACTOR_EVENTS],
        }

    # -- places

    def places(self, q: str, limit: int = 20) -> list[dict[str, Any]]:
        """Gazetteer places a name may refer to, the likeliest first."""
        if not q.strip():
            return []
        gazetteer = self._gazetteer()
        return [_place_json(gazetteer, place) for place in gazetteer.candidates(q)[:limit]]

    def place(self, place_id: str) -> dict[str, Any]:
        """One gazetteer place, the events located there, and the events within 25 km."""
        gazetteer = self._gazetteer()
        found = gazetteer.get(place_id)
        if found is None:
            raise InputError(
                "E110",
                f"place {place_id!r} does not exist",
                'ids are GeoNames ids ("169389") or references such as "sitrep:m4-highway"',
            )
        at_place = self.store.list_events(EventFilter(place_id=found.id), limit=PLACE_EVENTS)
        nearby = self.store.events_near(found.lat, found.lon, NEARBY_KM)[:PLACE_EVENTS]
        return {**_place_json(gazetteer, found), "events": at_place, "nearby": nearby}

    def _gazetteer(self) -> Gazetteer:
        from sitrep.geo.gazetteer import default_gazetteer

        return default_gazetteer(self.settings)

    # -- articles

    def article_annotations(self, article_id: int) -> dict[str, Any]:
        """Where the stored mentions found actors, places, dates, triggers and event
        sentences in the article: offsets into ``article.paragraphs[paragraph]``."""
        from sitrep.annotations import CodingText, mention_spans

        article = self.article(article_id).article
        mentions = self.mentions_of(article_id)
        events = self.store.events_of_mentions([int(m["id"]) for m in mentions])
        coding = CodingText.of(article)
        spans = {
            (s["paragraph"], s["start"], s["end"], s["label"]): s
            for mention in mentions
            for s in mention_spans(mention, coding, events.get(int(mention["id"])))
        }
        return {"article_id": article_id, "spans": [spans[key] for key in sorted(spans)]}


def _page_start(limit: int, cursor: str | None, order: str) -> tuple[Any, int] | None:
    """Where a page starts (None: at the first event); E112 for a bad request."""
    if order not in ORDERS:
        raise InputError("E112", f"order {order!r} is not one of: {', '.join(ORDERS)}")
    if limit < 1:
        raise InputError("E112", f"a page holds at least one event, not {limit}")
    return decode_cursor(cursor, order) if cursor else None


def _next_cursor(rows: list[tuple[tuple[Any, int], Any]], limit: int, order: str) -> str | None:
    """The cursor after a page, from the page fetched one row long (None: the last page)."""
    return encode_cursor(order, rows[limit - 1][0]) if len(rows) > limit else None


def encode_cursor(order: str, key: tuple[Any, int]) -> str:
    raw = json.dumps([order, key[0], key[1]], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, order: str) -> tuple[Any, int]:
    """The page key in a cursor this API gave out; E112 for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        kind, value, last_id = json.loads(raw)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise _bad_cursor(cursor, "it is not one this API gave out") from exc
    if kind != order:
        raise _bad_cursor(cursor, f"it pages by {kind!r}, the request by {order!r}")
    expected = (int, float) if order == "confidence" else (str,)
    if not isinstance(last_id, int) or not (value is None or isinstance(value, expected)):
        raise _bad_cursor(cursor, "it is not one this API gave out")
    return value, last_id


def _bad_cursor(cursor: str, why: str) -> InputError:
    return InputError(
        "E112", f"cursor {cursor[:40]!r} is not valid: {why}", "start again without a cursor"
    )


def _actor_summary(actor: Actor) -> dict[str, Any]:
    return {
        "id": actor.id,
        "name": actor.name,
        "kind": actor.kind,
        "country": actor.country,
        "aliases": [*actor.aliases, *actor.ambiguous_aliases],
        "description": actor.description,
    }


def _relations(kb: ActorKB, actor_id: str) -> list[dict[str, Any]]:
    """The actor's relations as its file states them (out) and as others state them (in)."""
    outgoing = [("out", r.target, r) for r in kb.get(actor_id).relations]
    incoming = [("in", a.id, r) for a in kb for r in a.relations if r.target == actor_id]
    return [
        {
            "kind": relation.type,
            "direction": direction,
            "other_id": other,
            "other_name": kb.get(other).name,
            "since": relation.start.isoformat() if relation.start else None,
            "until": relation.end.isoformat() if relation.end else None,
        }
        for direction, other, relation in [*outgoing, *incoming]
    ]


def _place_json(gazetteer: Gazetteer, place: Place) -> dict[str, Any]:
    return {
        "id": place.id,
        "name": place.name,
        "lat": place.lat,
        "lon": place.lon,
        "country": place.country,
        "admin1": gazetteer.admin1_name(place.country, place.admin1) or None,
        "feature_class": place.feature_class,
        "population": place.population,
    }
