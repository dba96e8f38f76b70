"""Store queries for browsing fused events: keyset pages, a timeline, an actor's events
and the events near a point. Read-only; mixed into the SQL store like :mod:`.events`."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, Text, and_, case, cast, func, or_, select

from sitrep.store.event_json import feature_text, record_text, summary_text
from sitrep.store.events import EventFilter, _conditions, _record_holds
from sitrep.store.schema import event_members, fused_events

__all__ = ["ORDERS", "BrowseQueries", "PageKey"]

# How pages can be sorted: newest first, or most confident first (ties: highest id first).
ORDERS = ("date", "confidence")
PageKey = tuple[Any, int]  # the sort value and id of the last event of a page
_KM_PER_DEGREE = 111.32
_AS_OF_ALL = 10**9  # an "as of" read rebuilds every record: there is no cheaper bound


class BrowseQueries:
    """Mixed into the SQL store; relies on its ``_read`` and on :class:`EventQueries`."""

    dialect: str

    def _read(self) -> AbstractContextManager[Connection]:  # pragma: no cover - provided
        raise NotImplementedError

    def _events_as_of(
        self, where: EventFilter, limit: int, offset: int
    ) -> list[dict[str, Any]]:  # pragma: no cover - provided by EventQueries
        raise NotImplementedError

    def page_events(
        self, where: EventFilter, limit: int, after: PageKey | None, order: str = "date"
    ) -> list[tuple[PageKey, dict[str, Any]]]:
        """Up to ``limit`` events after ``after`` in ``order``, each with its page key.

        Keyset paging: a page starts after the last event of the one before, so events
        added meanwhile do not shift or repeat what follows.
        """
        if where.as_of is not None:
            return self._page_as_of(where, limit, after, order)
        query = self._page_query(where, limit, after, order, fused_events.c.record)
        with self._read() as conn:
            return [((r.sort, r.id), {"id": r.id, **r.record}) for r in conn.execute(query)]

    def page_event_texts(
        self,
        where: EventFilter,
        limit: int,
        after: PageKey | None,
        order: str = "date",
        *,
        features: bool = False,
    ) -> list[tuple[PageKey, str]]:
        """:meth:`page_events` as JSON text: each event's record with its id, or (with
        ``features``) a GeoJSON point of each located event. Stored JSON is spliced, not
        decoded and encoded again: pages of big records are the API's hot path."""
        if where.as_of is not None:
            page = self._page_as_of(where, limit, after, order)
            return [(key, _event_text(event, features)) for key, event in page]
        c = fused_events.c
        if not features:
            query = self._page_query(where, limit, after, order, cast(c.record, Text).label("text"))
            with self._read() as conn:
                rows = conn.execute(query).tuples().all()  # one fetch, plain tuples
            return [((sort, id_), record_text(id_, text)) for id_, sort, text in rows]
        # A row written before its summary was (by hand, say) still gets one, from its record.
        record = case((c.summary.is_(None), cast(c.record, Text)), else_=None).label("text")
        query = self._page_query(where, limit, after, order, c.lon, c.lat, c.summary, record)
        with self._read() as conn:
            rows = conn.execute(query).tuples().all()
        return [
            ((sort, id_), feature_text(id_, lon, lat, summary or _summary_of(text)))
            for id_, sort, lon, lat, summary, text in rows
        ]

    def _page_query(
        self, where: EventFilter, limit: int, after: PageKey | None, order: str, *columns: Any
    ) -> Any:
        """Live events matching ``where`` after ``after``, in page order, with their id,
        sort value ("sort") and ``columns``."""
        sort = _sort_column(order)
        query = select(fused_events.c.id, sort.label("sort"), *columns).where(
            fused_events.c.retracted == 0, *_conditions(where)
        )
        if after is not None:
            query = query.where(_after(sort, after, nullable=order == "date"))
        return query.order_by(self._descending(sort), fused_events.c.id.desc()).limit(limit)

    def event_date_extent(self) -> tuple[str | None, str | None]:
        """The first and last day of the live events (two index lookups, not a scan)."""
        live = fused_events.c.retracted == 0
        query = select(func.min(fused_events.c.first_date), func.max(fused_events.c.first_date))
        with self._read() as conn:
            first, last = conn.execute(query.where(live)).one()
        return first, last

    def event_timeline(self, where: EventFilter) -> list[dict[str, Any]]:
        """How many events of each type happened on each day (undated events left out)."""
        if where.as_of is not None:
            counts = Counter(
                (e["date"], e["event_type"])
                for e in self._events_as_of(where, _AS_OF_ALL, 0)
                if e.get("date")
            )
            rows: list[tuple[Any, ...]] = [(*key, n) for key, n in counts.items()]
        else:
            c = fused_events.c
            day = c.record["date"].as_string()  # the event's day, not its cluster's window
            query = (
                select(day, c.event_type, func.count())
                .where(c.retracted == 0, day.is_not(None), *_conditions(where))
                .group_by(day, c.event_type)
            )
            with self._read() as conn:
                rows = [tuple(row) for row in conn.execute(query)]
        return [{"date": day, "event_type": kind, "count": int(n)} for day, kind, n in sorted(rows)]

    def actor_events(self, actor_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Every live event with one of these actors as actor 1, actor 2 or an associated
        actor, newest first."""
        c = fused_events.c
        probes = [f'"actor_id": {json.dumps(actor)}' for actor in actor_ids]
        query = (
            select(c.id, c.record)
            .where(
                c.retracted == 0,
                or_(c.actor1_id.in_(actor_ids), c.actor2_id.in_(actor_ids), _record_holds(*probes)),
            )
            .order_by(self._descending(c.first_date), c.id.desc())
        )
        wanted = set(actor_ids)
        with self._read() as conn:
            found = [{"id": row.id, **row.record} for row in conn.execute(query)]
        # The text probe also finds actors named only in a claim: keep the real roles.
        return [event for event in found if _involved(event) & wanted]

    def events_near(self, lat: float, lon: float, radius_km: float) -> list[dict[str, Any]]:
        """Live events within ``radius_km`` of a point, nearest first, with ``distance_km``."""
        dlat = radius_km / _KM_PER_DEGREE
        dlon = radius_km / (_KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
        c = fused_events.c
        query = select(c.id, c.lat, c.lon, c.record).where(
            c.retracted == 0,
            and_(c.lat.between(lat - dlat, lat + dlat), c.lon.between(lon - dlon, lon + dlon)),
        )
        with self._read() as conn:
            rows = conn.execute(query).all()
        near = [
            (round(distance_km(lat, lon, row.lat, row.lon), 2), row.id, row.record) for row in rows
        ]
        return [
            {"id": event_id, "distance_km": km, **record}
            for km, event_id, record in sorted(near, key=lambda n: (n[0], n[1]))
            if km <= radius_km
        ]

    def events_of_mentions(self, mention_ids: Sequence[int]) -> dict[int, int]:
        """The live event holding each of these mentions (mentions of none left out)."""
        if not mention_ids:
            return {}
        query = (
            select(event_members.c.mention_id, event_members.c.event_id)
            .join(fused_events, fused_events.c.id == event_members.c.event_id)
            .where(event_members.c.mention_id.in_(list(mention_ids)), fused_events.c.retracted == 0)
        )
        with self._read() as conn:
            return {int(m): int(e) for m, e in conn.execute(query)}

    def _descending(self, sort: Any) -> Any:
        # PostgreSQL sorts NULLs first when descending; SQLite last (and only then can it
        # walk the date index backwards). Undated events go last on both.
        return sort.desc().nulls_last() if self.dialect == "postgresql" else sort.desc()

    def _page_as_of(
        self, where: EventFilter, limit: int, after: PageKey | None, order: str
    ) -> list[tuple[PageKey, dict[str, Any]]]:
        field = "confidence" if order == "confidence" else "date"
        keyed = [
            ((e.get(field), int(e["id"])), e) for e in self._events_as_of(where, _AS_OF_ALL, 0)
        ]
        keyed.sort(key=lambda k: _rank(k[0]), reverse=True)
        if after is not None:
            keyed = [k for k in keyed if _rank(k[0]) < _rank(after)]
        return keyed[:limit]


def _sort_column(order: str) -> Any:
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}; one of {ORDERS}")
    return fused_events.c.confidence if order == "confidence" else fused_events.c.first_date


def _after(sort: Any, after: PageKey, *, nullable: bool) -> Any:
    """Rows that come after ``after`` in (sort desc, NULLs last; id desc) order."""
    value, last_id = after
    if value is None:
        return and_(sort.is_(None), fused_events.c.id < last_id)
    later = or_(sort < value, and_(sort == value, fused_events.c.id < last_id))
    return or_(later, sort.is_(None)) if nullable else later


def _rank(key: PageKey) -> tuple[bool, Any, int]:
    """Sorted in reverse, ranks order rows as the SQL does: (sort desc, NULLs last; id
    desc). The placeholder for NULL is only ever compared with another NULL's."""
    value, event_id = key
    return (value is not None, value if value is not None else 0, event_id)


def _event_text(event: dict[str, Any], feature: bool) -> str:
    """An event rebuilt from its history ("as of" reads) as :meth:`page_event_texts`
    answers it."""
    if not feature:
        return json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    geo = (event.get("location") or {}).get("geo") or {}
    return feature_text(event["id"], geo["lon"], geo["lat"], summary_text(event))


def _summary_of(record: str) -> str:
    return summary_text(json.loads(record))


def _involved(event: dict[str, Any]) -> set[str]:
    roles = [event.get("actor1"), event.get("actor2"), *(event.get("associated") or [])]
    return {r["actor_id"] for r in roles if isinstance(r, dict) and r.get("actor_id")}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) between two points, in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))
