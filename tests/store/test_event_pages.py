"""Event pages as JSON text: the same events, in the same order, as a plain scan of the
records; map summaries kept in step with records; migration 0008 on an older store."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, insert, inspect, select, text

from sitrep.store import SqlStore, open_store
from sitrep.store.event_json import map_properties, summary_text
from sitrep.store.events import EventChange, EventFilter
from sitrep.store.schema import fused_events

NOW = datetime(2024, 3, 1, tzinfo=UTC)
TYPES = ("Battles", "Protests", "Riots")
MIGRATIONS = Path(__file__).resolve().parents[2] / "src" / "sitrep" / "store" / "migrations"


@pytest.fixture
def store(database_url: str) -> Iterator[SqlStore]:
    opened = open_store(database_url)
    yield opened
    opened.close()


def _record(rng: random.Random, n: int) -> dict[str, Any]:
    day = None if n % 17 == 0 else (date(2020, 1, 1) + timedelta(days=rng.randrange(60)))
    located = n % 11 != 0
    geo = {"lat": round(rng.uniform(35, 37), 4), "lon": round(rng.uniform(36, 38), 4)}
    kind = TYPES[n % 3]
    return {
        "event_key": f"ev-{n}",
        "event_type": kind,
        "sub_event_type": kind,
        "date": day.isoformat() if day else None,
        "location": {"text": f"place «{n}»", "geo": {**geo, "radius_km": 2.0} if located else {}},
        "actor1": {"actor_id": "a", "name": "Army"} if n % 2 else None,
        "actor2": {"text": "rebels"} if n % 5 == 0 else None,
        "fatalities": {"value": n % 4} if n % 3 else None,
        "disputed": n % 7 == 0,
        "outlets": ["Wire", "Daily"][: 1 + n % 2],
        "confirmations": 1 + n % 2,
        "confidence": round(rng.random(), 3),
        "notes": f'Event {n} \u2014 "quoted"',
    }


def _change(record: dict[str, Any], retracted: bool = False) -> EventChange:
    day = record["date"]
    cluster = {"key": record["event_key"], "first": day, "last": day}
    return EventChange(record["event_key"], "created", "test", record, cluster, (), retracted)


@pytest.fixture
def records(store: SqlStore) -> dict[int, dict[str, Any]]:
    """Events of three types over two months in a box, some undated, unlocated or
    retracted; the live ones by id."""
    rng = random.Random(8)
    made = [_record(rng, n) for n in range(1, 241)]
    store.save_fusion([_change(r, retracted=n % 23 == 0) for n, r in enumerate(made, 1)], NOW)
    moved = {**made[4], "date": "2020-02-20", "confidence": 0.99}  # an update keeps in step
    store.save_fusion([_change(moved)], NOW)
    live = {n: r for n, r in enumerate(made, 1) if n % 23 != 0}
    return {**live, 5: moved}


def _pages(store: SqlStore, where: EventFilter, order: str, features: bool) -> list[Any]:
    """Every page's events, following each page's key."""
    found: list[Any] = []
    after = None
    while True:
        page = store.page_event_texts(where, 7, after, order, features=features)
        found += [json.loads(body) for _, body in page]
        if len(page) < 7:
            return found
        after = page[-1][0]


def _scan(records: dict[int, dict[str, Any]], where: EventFilter, order: str) -> list[int]:
    """The filter and order by hand, over the records."""

    def keep(record: dict[str, Any]) -> bool:
        geo = record["location"]["geo"]
        day = record["date"]
        west, south, east, north = where.bbox or (-180, -90, 180, 90)
        return (
            (not where.event_type or record["event_type"] == where.event_type)
            and (not where.since or (day is not None and where.since <= day))
            and (not where.until or (day is not None and day <= where.until))
            and (not where.bbox or ("lat" in geo and west <= geo["lon"] <= east))
            and (not where.bbox or south <= geo["lat"] <= north)
            and (not where.located or "lat" in geo)
        )

    def rank(n: int) -> tuple[Any, ...]:
        value = records[n]["confidence" if order == "confidence" else "date"]
        return (value is not None, "" if value is None else value, n)

    return sorted((n for n, r in records.items() if keep(r)), key=rank, reverse=True)


FILTERS = [
    EventFilter(),
    EventFilter(event_type="Battles", since="2020-01-10", until="2020-02-05"),
    EventFilter(since="2020-01-20", until="2020-01-31", bbox=(36.2, 35.3, 37.4, 36.6)),
    EventFilter(event_type="Riots", since="2020-01-05", bbox=(36.5, 35.5, 37.5, 36.5)),
    EventFilter(until="2020-01-15", located=True),
]


@pytest.mark.parametrize("where", FILTERS)
@pytest.mark.parametrize("order", ["date", "confidence"])
def test_pages_hold_what_a_plain_scan_finds_in_its_order(
    store: SqlStore, records: dict[int, dict[str, Any]], where: EventFilter, order: str
) -> None:
    expected = _scan(records, where, order)
    assert expected or where == FILTERS[3]
    events = _pages(store, where, order, features=False)
    assert [e["id"] for e in events] == expected
    assert all(e == {"id": e["id"], **records[e["id"]]} for e in events)
    assert events == [e for _, e in store.page_events(where, 1000, None, order)]


@pytest.mark.parametrize("where", FILTERS)
def test_features_are_the_located_events_with_their_map_properties(
    store: SqlStore, records: dict[int, dict[str, Any]], where: EventFilter
) -> None:
    located = EventFilter(**{**where.__dict__, "located": True})
    features = _pages(store, located, "date", features=True)
    assert [f["properties"]["id"] for f in features] == _scan(records, located, "date")
    for feature in features:
        record = records[feature["properties"]["id"]]
        geo = record["location"]["geo"]
        assert feature["geometry"] == {"type": "Point", "coordinates": [geo["lon"], geo["lat"]]}
        assert feature["properties"] == {
            "id": feature["properties"]["id"],
            **map_properties(record),
        }


def test_a_row_without_a_summary_gets_one_from_its_record(
    store: SqlStore, records: dict[int, dict[str, Any]]
) -> None:
    with store.engine.begin() as conn:
        conn.execute(fused_events.update().where(fused_events.c.id == 1).values(summary=None))
    features = store.page_event_texts(EventFilter(), 500, None, features=True)
    one = next(json.loads(f) for _, f in features if json.loads(f)["properties"]["id"] == 1)
    assert one["properties"] == {"id": 1, **map_properties(records[1])}


def _alembic(conn: Any, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


def test_migration_0008_backfills_summaries_and_one_day_dates(database_url: str) -> None:
    rng = random.Random(3)
    old = [_record(rng, n) for n in (1, 2, 3)]
    engine = create_engine(database_url)
    with engine.begin() as conn:
        _alembic(conn, "0007")
        conn.execute(insert(fused_events), [_old_row(n, r) for n, r in enumerate(old, 1)])
    with engine.begin() as conn:
        _alembic(conn, "head")
        rows = conn.execute(
            select(fused_events.c.id, fused_events.c.first_date, fused_events.c.last_date)
            .add_columns(fused_events.c.summary)
            .order_by(fused_events.c.id)
        ).all()
        indexes = {i["name"] for i in inspect(conn).get_indexes("fused_events")}
    engine.dispose()
    assert [json.loads(r.summary) for r in rows] == [map_properties(r) for r in old]
    assert [r.summary for r in rows] == [summary_text(r) for r in old]
    assert [(r.first_date, r.last_date) for r in rows] == [(r["date"], r["date"]) for r in old]
    assert {"ix_fused_events_page", "ix_fused_events_type_page"} <= indexes
    assert not indexes & {"ix_fused_events_day_box", "ix_fused_events_type_day_box"}


def _old_row(n: int, record: dict[str, Any]) -> dict[str, Any]:
    """A row as the store wrote it before 0008; the second spans days, as events once did."""
    last = "2020-03-09" if n == 2 else record["date"]
    geo = record["location"]["geo"]
    return {
        "id": n,
        "event_key": record["event_key"],
        "event_type": record["event_type"],
        "sub_event_type": record["sub_event_type"],
        "first_date": record["date"],
        "last_date": last,
        "lat": geo.get("lat"),
        "lon": geo.get("lon"),
        "confidence": record["confidence"],
        "disputed": 0,
        "outlets": 1,
        "confirmations": 1,
        "retracted": 0,
        "record": record,
        "cluster": {},
        "created_at": NOW,
        "updated_at": NOW,
    }


def test_the_page_queries_walk_the_page_indexes(
    store: SqlStore, records: dict[int, dict[str, Any]]
) -> None:
    """The first page reads an index in page order: no sort of every match."""
    if store.dialect != "sqlite":
        pytest.skip("PostgreSQL's plans depend on its statistics; see bench/api.py")
    where = EventFilter(event_type="Battles", since="2020-01-10", until="2020-02-05")
    query = store._page_query(where, 100, None, "date", fused_events.c.record)
    sql = str(query.compile(store.engine, compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as conn:
        plan = " ".join(str(row[-1]) for row in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "ix_fused_events_type_page" in plan and "TEMP B-TREE" not in plan
