"""Store queries for fused events: members, records, history, and "as of" reads."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Text, and_, cast, delete, func, insert, or_, select, update

from sitrep.store.event_json import summary_text
from sitrep.store.schema import (
    articles,
    event_decisions,
    event_history,
    event_members,
    event_mentions,
    fused_events,
)

__all__ = ["EventChange", "EventFilter", "EventQueries", "MentionFacts", "record_matches"]


@dataclass(frozen=True)
class MentionFacts:
    """A stored mention with the facts of its article that fusion weighs."""

    mention_id: int
    article_id: int
    record: dict[str, Any]
    site: str | None
    url: str | None
    source: str
    published: str | None
    ingested_at: datetime
    copy_sites: tuple[str, ...]  # outlets that ran copies of the article


@dataclass(frozen=True)
class EventChange:
    """One event's new state after fusion, and why it changed."""

    event_key: str
    action: str  # created | mention_added | mention_removed | retracted
    cause: str
    record: dict[str, Any]
    cluster: dict[str, Any]
    members: Sequence[tuple[int, float, Sequence[tuple[str, float]]]]  # new members only
    retracted: bool = False
    removed: Sequence[int] = ()  # mentions that leave the event (moved, or gone)


@dataclass(frozen=True)
class EventFilter:
    since: str | None = None  # ISO dates, inclusive
    until: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actors: tuple[str, ...] = ()  # any of these actor ids as actor 1 or 2
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    min_confidence: float = 0.0
    disputed: bool = False
    text: str | None = None  # in the notes
    as_of: datetime | None = None
    outlet: str | None = None  # one of the outlets that reported the event
    place_id: str | None = None  # the gazetteer id the event is located at
    located: bool = False  # only events with coordinates (for maps)


class EventQueries:
    """Mixed into the SQL store; relies on its ``_read`` and ``_write`` transactions."""

    def _read(self) -> AbstractContextManager[Connection]:  # pragma: no cover - provided
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Connection]:  # pragma: no cover - provided
        raise NotImplementedError

    def unfused_mentions(self, limit: int) -> list[MentionFacts]:
        """Mentions no event holds yet, oldest first, about ``limit`` of them: whole
        articles, since fusion orders an article's sentences among themselves."""
        unfused = event_mentions.c.id.not_in(select(event_members.c.mention_id))
        first = select(event_mentions.c.article_id).where(unfused)
        first = first.order_by(event_mentions.c.id).limit(limit)
        query = select(event_mentions.c.id).where(
            unfused, event_mentions.c.article_id.in_(first.scalar_subquery())
        )
        with self._read() as conn:
            ids = sorted(conn.execute(query).scalars())
        return self.mention_facts(ids)

    def mention_ids(self) -> list[int]:
        with self._read() as conn:
            return list(
                conn.execute(select(event_mentions.c.id).order_by(event_mentions.c.id)).scalars()
            )

    def mention_facts(self, mention_ids: Sequence[int]) -> list[MentionFacts]:
        if not mention_ids:
            return []
        query = (
            select(
                event_mentions.c.id,
                event_mentions.c.article_id,
                event_mentions.c.record,
                articles.c.site,
                articles.c.url,
                articles.c.source,
                articles.c.published,
                articles.c.ingested_at,
            )
            .join(articles, articles.c.id == event_mentions.c.article_id)
            .where(event_mentions.c.id.in_(list(mention_ids)))
            .order_by(event_mentions.c.id)
        )
        with self._read() as conn:
            rows = list(conn.execute(query))
            article_ids = sorted({row.article_id for row in rows})
            copies = conn.execute(
                select(articles.c.duplicate_of, articles.c.site, articles.c.url)
                .where(articles.c.duplicate_of.in_(article_ids))
                .order_by(articles.c.id)
            )
            copy_sites: dict[int, list[str]] = {}
            for original, site, url in copies:
                copy_sites.setdefault(original, []).append(site or url or "unknown")
        return [
            MentionFacts(
                row.id,
                row.article_id,
                dict(row.record),
                row.site,
                row.url,
                row.source,
                row.published,
                row.ingested_at,
                tuple(copy_sites.get(row.article_id, ())),
            )
            for row in rows
        ]

    def event_clusters(self, first: str, last: str) -> list[dict[str, Any]]:
        """The clusters of live events whose dates (with their slack) reach [first, last]."""
        query = select(fused_events.c.cluster).where(
            fused_events.c.retracted == 0,
            fused_events.c.first_date <= last,
            fused_events.c.last_date >= first,
        )
        with self._read() as conn:
            return [dict(row.cluster) for row in conn.execute(query)]

    def article_clusters(self, article_ids: Sequence[int]) -> list[dict[str, Any]]:
        """The clusters of live events that hold a mention of one of these articles."""
        holding = (
            select(event_members.c.event_id)
            .join(event_mentions, event_mentions.c.id == event_members.c.mention_id)
            .where(event_mentions.c.article_id.in_(list(article_ids)))
        )
        query = select(fused_events.c.cluster).where(
            fused_events.c.retracted == 0, fused_events.c.id.in_(holding)
        )
        with self._read() as conn:
            return [dict(row.cluster) for row in conn.execute(query)]

    def event_member_ids(self, event_key: str) -> list[tuple[int, float]]:
        query = (
            select(event_members.c.mention_id, event_members.c.score)
            .join(fused_events, fused_events.c.id == event_members.c.event_id)
            .where(fused_events.c.event_key == event_key)
            .order_by(event_members.c.mention_id)
        )
        with self._read() as conn:
            return [(int(m), float(s)) for m, s in conn.execute(query)]

    def save_fusion(self, changes: Sequence[EventChange], now: datetime) -> None:
        """Apply fusion's changes in one transaction: events, new members, history."""
        with self._write() as conn:
            gone = [m for change in changes for m in change.removed]
            if gone:  # first, so that a mention can move from one event to another
                conn.execute(delete(event_members).where(event_members.c.mention_id.in_(gone)))
            for change in changes:
                event_id = _upsert_event(conn, change, now)
                if change.members:
                    conn.execute(
                        insert(event_members),
                        [
                            {
                                "mention_id": m,
                                "event_id": event_id,
                                "score": s,
                                "alternatives": [list(a) for a in alts],
                                "added_at": now,
                            }
                            for m, s, alts in change.members
                        ],
                    )
                conn.execute(
                    insert(event_history).values(
                        event_id=event_id,
                        at=now,
                        action=change.action,
                        cause=change.cause,
                        record=change.record,
                    )
                )

    def stale_members(self) -> dict[str, list[int]]:
        """Members whose mention is gone (its article was recoded), by event key."""
        query = (
            select(fused_events.c.event_key, event_members.c.mention_id)
            .join(fused_events, fused_events.c.id == event_members.c.event_id)
            .where(event_members.c.mention_id.not_in(select(event_mentions.c.id)))
            .order_by(event_members.c.mention_id)
        )
        stale: dict[str, list[int]] = {}
        with self._read() as conn:
            for key, mention in conn.execute(query):
                stale.setdefault(key, []).append(int(mention))
        return stale

    def event_cluster(self, event_key: str) -> dict[str, Any] | None:
        found = self._event_value(fused_events.c.cluster, fused_events.c.event_key == event_key)
        return dict(found) if found is not None else None

    def event_record(self, event_key: str) -> dict[str, Any] | None:
        found = self._event_value(fused_events.c.record, fused_events.c.event_key == event_key)
        return dict(found) if found is not None else None

    def event_id_of(self, event_key: str) -> int | None:
        found = self._event_value(fused_events.c.id, fused_events.c.event_key == event_key)
        return int(found) if found is not None else None

    def event_key_of(self, event_id: int) -> str | None:
        found = self._event_value(fused_events.c.event_key, fused_events.c.id == event_id)
        return str(found) if found is not None else None

    def _event_value(self, column: Any, condition: Any) -> Any:
        """One column of the one event matching ``condition``; None if there is none."""
        with self._read() as conn:
            return conn.execute(select(column).where(condition)).scalar()

    def add_decision(self, kind: str, event_key: str, detail: dict[str, Any], now: datetime) -> int:
        with self._write() as conn:
            inserted = conn.execute(
                insert(event_decisions).values(
                    at=now, kind=kind, event_key=event_key, detail=detail
                )
            )
            key = inserted.inserted_primary_key
            assert key is not None  # an INSERT of one row always has one
            return int(key[0])

    def decisions(self) -> list[dict[str, Any]]:
        """Analysts' decisions in the order they were taken."""
        query = select(event_decisions).order_by(event_decisions.c.id)
        with self._read() as conn:
            return [
                {"id": r.id, "kind": r.kind, "event_key": r.event_key, "detail": dict(r.detail)}
                for r in conn.execute(query)
            ]

    def list_events(
        self, where: EventFilter, limit: int = 50, offset: int = 0, order: str = "date"
    ) -> list[dict[str, Any]]:
        """Fused events matching ``where``, newest first (or by ``confidence``)."""
        if where.as_of is not None:
            return self._events_as_of(where, limit, offset)
        query = select(fused_events.c.id, fused_events.c.record).where(
            fused_events.c.retracted == 0, *_conditions(where)
        )
        sort = fused_events.c.confidence if order == "confidence" else fused_events.c.first_date
        query = query.order_by(sort.desc(), fused_events.c.id.desc()).limit(limit).offset(offset)
        with self._read() as conn:
            return [{"id": row.id, **row.record} for row in conn.execute(query)]

    def iter_events(self, where: EventFilter, batch: int = 1000) -> Iterator[dict[str, Any]]:
        """Every live event matching ``where``, in id order, a page at a time (for exports:
        memory stays bounded however many there are)."""
        last = 0
        while True:
            query = (
                select(fused_events.c.id, fused_events.c.updated_at, fused_events.c.record)
                .where(fused_events.c.retracted == 0, fused_events.c.id > last, *_conditions(where))
                .order_by(fused_events.c.id)
                .limit(batch)
            )
            with self._read() as conn:
                rows = list(conn.execute(query))
            if not rows:
                return
            for row in rows:
                yield {"id": row.id, "updated_at": row.updated_at.isoformat(), **row.record}
            last = rows[-1].id

    def get_event(self, event_id: int) -> dict[str, Any] | None:
        with self._read() as conn:
            row = conn.execute(select(fused_events).where(fused_events.c.id == event_id)).first()
            if row is None:
                return None
            history = conn.execute(
                select(event_history.c.at, event_history.c.action, event_history.c.cause)
                .where(event_history.c.event_id == event_id)
                .order_by(event_history.c.id)
            )
            changes = [
                {"at": at.isoformat(), "action": action, "cause": cause}
                for at, action, cause in history
            ]
        return {"id": row.id, "retracted": bool(row.retracted), **row.record, "history": changes}

    def count_events(self) -> int:
        query = select(func.count()).select_from(fused_events).where(fused_events.c.retracted == 0)
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def fused_membership(self) -> dict[str, list[int]]:
        """Every live event's members: what a from-scratch run must reproduce."""
        query = (
            select(fused_events.c.event_key, event_members.c.mention_id)
            .join(event_members, event_members.c.event_id == fused_events.c.id)
            .where(fused_events.c.retracted == 0)
            .order_by(event_members.c.mention_id)
        )
        membership: dict[str, list[int]] = {}
        with self._read() as conn:
            for key, mention in conn.execute(query):
                membership.setdefault(key, []).append(int(mention))
        return membership

    def _events_as_of(self, where: EventFilter, limit: int, offset: int) -> list[dict[str, Any]]:
        """Each event's record as its latest history entry at ``as_of`` left it."""
        latest = (
            select(event_history.c.event_id, func.max(event_history.c.id).label("last"))
            .where(event_history.c.at <= where.as_of)
            .group_by(event_history.c.event_id)
            .subquery()
        )
        query = (
            select(event_history.c.event_id, event_history.c.action, event_history.c.record)
            .join(latest, latest.c.last == event_history.c.id)
            .order_by(event_history.c.event_id.desc())
        )
        with self._read() as conn:
            rows = [row for row in conn.execute(query) if row.action != "retracted"]
        found = [{"id": row.event_id, **row.record} for row in rows]
        return [e for e in found if _matches(e, where)][offset : offset + limit]


def _upsert_event(conn: Connection, change: EventChange, now: datetime) -> int:
    record = change.record
    geo = (record.get("location") or {}).get("geo") or {}
    fatalities = record.get("fatalities") or {}
    values = {
        "event_type": record["event_type"],
        "sub_event_type": record["sub_event_type"],
        "first_date": change.cluster.get("first"),
        "last_date": change.cluster.get("last"),
        "lat": geo.get("lat"),
        "lon": geo.get("lon"),
        "country": geo.get("country"),
        "actor1_id": (record.get("actor1") or {}).get("actor_id"),
        "actor2_id": (record.get("actor2") or {}).get("actor_id"),
        "confidence": record["confidence"],
        "disputed": int(record["disputed"]),
        "outlets": len(record["outlets"]),
        "confirmations": record["confirmations"],
        "fatalities": fatalities.get("value"),
        "retracted": int(change.retracted),
        "record": record,
        "summary": summary_text(record),
        "cluster": change.cluster,
        "updated_at": now,
    }
    found = conn.execute(
        select(fused_events.c.id).where(fused_events.c.event_key == change.event_key)
    ).scalar()
    if found is not None:
        conn.execute(update(fused_events).where(fused_events.c.id == found).values(**values))
        return int(found)
    inserted = conn.execute(
        insert(fused_events).values(event_key=change.event_key, created_at=now, **values)
    )
    key = inserted.inserted_primary_key
    assert key is not None  # an INSERT of one row always has one
    return int(key[0])


def _conditions(where: EventFilter) -> list[Any]:
    c = fused_events.c
    conditions: list[Any] = []
    # An event has one day (first_date == last_date; migration 0008 made older events
    # so): bounding first_date on both sides bounds the walk of the page indexes.
    if where.since:
        conditions.append(c.first_date >= where.since)
    if where.until:
        conditions.append(c.first_date <= where.until)
    if where.event_type:
        conditions.append(c.event_type == where.event_type)
    if where.sub_event_type:
        conditions.append(c.sub_event_type == where.sub_event_type)
    if where.actors:
        conditions.append(or_(c.actor1_id.in_(where.actors), c.actor2_id.in_(where.actors)))
    if where.bbox:
        west, south, east, north = where.bbox
        conditions.append(and_(c.lon >= west, c.lon <= east, c.lat >= south, c.lat <= north))
    if where.min_confidence:
        conditions.append(c.confidence >= where.min_confidence)
    if where.disputed:
        conditions.append(c.disputed == 1)
    if where.text:
        conditions.append(func.lower(cast(c.record, Text)).contains(where.text.lower()))
    if where.outlet:
        conditions.append(_has_outlet(where.outlet))
    if where.place_id:
        conditions.append(_at_place(where.place_id))
    if where.located:
        conditions.append(and_(c.lat.is_not(None), c.lon.is_not(None)))
    return conditions


def _record_holds(*fragments: str) -> Any:
    """The record's JSON text holds one of these fragments. Records are written by
    ``json.dumps`` on both backends, so the encoded text is a reliable probe where JSON
    operators differ between SQLite and PostgreSQL; quotes keep a value from matching
    a longer one ("Reuters" is not "Reuters, citing...")."""
    record = cast(fused_events.c.record, Text)
    return or_(*(record.contains(f, autoescape=True) for f in fragments))


def _has_outlet(outlet: str) -> Any:
    encoded = json.dumps(outlet)  # first, in the middle, or last of the outlets list
    return _record_holds(f'"outlets": [{encoded}', f", {encoded},", f", {encoded}]")


def _at_place(place_id: str) -> Any:
    return _record_holds(f'"place_id": {json.dumps(place_id)}')


def record_matches(event: dict[str, Any], where: EventFilter) -> bool:
    """Whether a fused record (as the history keeps it) passes ``where`` (for alerts)."""
    return _matches(event, where)


def _matches(event: dict[str, Any], where: EventFilter) -> bool:
    """The filter of :func:`_conditions`, on a record (for "as of" reads from the history)."""
    day = event.get("date") or ""
    geo = (event.get("location") or {}).get("geo") or {}
    actors = {(event.get(role) or {}).get("actor_id") for role in ("actor1", "actor2")}
    checks = (
        not where.since or (bool(day) and day >= where.since),
        not where.until or (bool(day) and day <= where.until),
        not where.event_type or event.get("event_type") == where.event_type,
        not where.sub_event_type or event.get("sub_event_type") == where.sub_event_type,
        not where.actors or bool(actors & set(where.actors)),
        not where.bbox or _inside_box(geo, where.bbox),
        float(event.get("confidence") or 0) >= where.min_confidence,
        not where.disputed or bool(event.get("disputed")),
        not where.text or where.text.lower() in json.dumps(event, ensure_ascii=False).lower(),
        not where.outlet or where.outlet in (event.get("outlets") or ()),
        not where.place_id or geo.get("place_id") == where.place_id,
        not where.located or (geo.get("lat") is not None and geo.get("lon") is not None),
    )
    return all(checks)


def _inside_box(geo: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    west, south, east, north = bbox
    lat, lon = geo.get("lat"), geo.get("lon")
    return lat is not None and lon is not None and west <= lon <= east and south <= lat <= north
