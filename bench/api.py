"""Latency of the event API on a large SQLite store, next to a bare SELECT of the same rows.

Usage: python bench/api.py [--events 1000000] [--samples 300] [--db PATH] [--load-threads 2]
                          [--port 0]

Generates ``--events`` synthetic fused events (in a Syria-sized box over three years, six
event types) into a new SQLite store, unless ``--db`` names a store this script already
filled with that many. Then serves the app with uvicorn on 127.0.0.1 in one process,
puts it under a steady concurrent load of mixed event queries from a second process, and
times, from this process:

- the filtered first page: ``GET /api/v1/events?event_type&since&until&bbox&limit=100``
- the map viewport: ``GET /api/v1/events.geojson?since&until&bbox&limit=1000``
- each one's bare ``SELECT`` of the same rows through the same driver (sqlite3), under
  the same load: the store's own SQL for the request (compiled from its query), rows
  fetched and nothing more: what the database alone costs.

Printed: p50/p95/p99 in milliseconds of each, the API's p50 and p95 over the bare
query's, and the floor of any request under that load (``GET /api/v1/health``).
Goals (issue 6): p95 under 50 ms for the filtered page; the API within 2x of the bare
query.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import socket
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from sitrep.store.event_json import summary_text

TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)
BOX = (35.7, 32.3, 42.4, 37.3)  # west, south, east, north: about Syria
FIRST_DAY = date(2018, 1, 1)
DAYS = 3 * 365
BATCH = 20_000
PAGE = {"event_type": "Battles", "since": "2019-06-01", "until": "2019-08-31"}
VIEWPORT = {"since": "2019-06-01", "until": "2019-06-30"}
BBOX = (36.0, 35.0, 37.5, 36.6)  # the north-west: Idlib, Aleppo, Hama


def main() -> None:
    args = _arguments()
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "bench-api.db"
    size = _fill(path, args.events)
    print(f"store: {path} with {size:,} events")
    base = f"http://127.0.0.1:{args.port or _free_port()}"
    server = multiprocessing.Process(target=_serve, args=(str(path), base), daemon=True)
    server.start()
    try:
        _wait_until_up(base)
        stop = multiprocessing.Event()
        load = multiprocessing.Process(
            target=_load, args=(stop, args.load_threads, base), daemon=True
        )
        load.start()
        time.sleep(1.0)
        try:
            _report(path, args.samples, base)
        finally:
            stop.set()
            load.join(timeout=10)
    finally:
        server.terminate()
        server.join(timeout=10)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="synthetic events")
    parser.add_argument("--samples", type=int, default=300, help="timed requests per query")
    parser.add_argument("--db", help="reuse (or create) the store at this path")
    parser.add_argument("--load-threads", type=int, default=2, help="concurrent load clients")
    parser.add_argument("--port", type=int, default=0, help="the server's (0: any free one)")
    return parser.parse_args()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- the store --------------------------------------------------------------------------


def _fill(path: Path, events: int) -> int:
    """Create the store (through sitrep, so its schema and indexes are the real ones) and
    add synthetic events until it holds ``events``."""
    from sitrep.service import Service
    from sitrep.settings import Settings

    with Service(Settings.load(env={}, database_url=f"sqlite:///{path}")) as service:
        service.store  # noqa: B018 - creates and migrates the store
    with sqlite3.connect(path) as conn:
        have = conn.execute("SELECT count(*) FROM fused_events").fetchone()[0]
        rng = random.Random(6)
        started = time.perf_counter()
        for start in range(have, events, BATCH):
            rows = [_row(rng, i) for i in range(start + 1, min(start + BATCH, events) + 1)]
            conn.executemany(_INSERT, rows)
            conn.commit()
        if events > have:
            conn.execute("ANALYZE")
            print(f"generated {events - have:,} events in {time.perf_counter() - started:.0f} s")
        return int(conn.execute("SELECT count(*) FROM fused_events").fetchone()[0])


_INSERT = (
    "INSERT INTO fused_events (id, event_key, event_type, sub_event_type, first_date, "
    "last_date, lat, lon, country, actor1_id, actor2_id, confidence, disputed, outlets, "
    "confirmations, fatalities, retracted, record, summary, cluster, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'SY', ?, NULL, ?, 0, 1, 1, ?, 0, ?, ?, '{}', "
    "'2021-01-01 00:00:00', '2021-01-01 00:00:00')"
)


def _row(rng: random.Random, event_id: int) -> tuple[Any, ...]:
    west, south, east, north = BOX
    kind = rng.choice(TYPES)
    day = (FIRST_DAY + timedelta(days=rng.randrange(DAYS))).isoformat()
    lat, lon = round(rng.uniform(south, north), 5), round(rng.uniform(west, east), 5)
    confidence = round(rng.random(), 3)
    fatalities = rng.choice((None, 0, 1, 2, 5, 12))
    record = {
        "event_key": f"ev-{event_id}",
        "event_type": kind,
        "sub_event_type": kind,
        "date": day,
        "date_precision": "day",
        "location": {
            "text": f"place {event_id % 5000}",
            "geo": {
                "lat": lat,
                "lon": lon,
                "geo_precision": 1,
                "radius_km": 2.0,
                "place_id": str(100000 + event_id % 5000),
                "name": f"place {event_id % 5000}",
                "country": "SY",
            },
        },
        "actor1": {
            "text": "the army",
            "actor_id": "syrian_government_forces",
            "name": "Syrian government forces",
            "kind": "state",
        },
        "actor2": None,
        "associated": [],
        "fatalities": None
        if fatalities is None
        else {"value": fatalities, "range": [fatalities, fatalities]},
        "disputed": False,
        "outlets": ["Synthetic Wire"],
        "confirmations": 1,
        "confidence": confidence,
        "notes": f"On {day}, a synthetic {kind.lower()} event. [1 outlet]",
    }
    return (
        event_id,
        f"ev-{event_id}",
        kind,
        kind,
        day,
        day,
        lat,
        lon,
        "syrian_government_forces",
        confidence,
        fatalities,
        json.dumps(record),
        summary_text(record),  # what the store writes next to each record
    )


# -- the server and the load -------------------------------------------------------------


def _serve(path: str, base: str) -> None:
    import uvicorn

    from sitrep.settings import Settings
    from sitrep.web.app import create_app

    settings = Settings.load(env={}, database_url=f"sqlite:///{path}")
    port = int(base.rsplit(":", 1)[1])
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning")


def _wait_until_up(base: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(f"{base}/api/v1/health").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the server did not come up")


def _load(stop: Any, threads: int, base: str) -> None:
    """Mixed event queries, as fast as the server answers them, until ``stop``."""

    def client(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=30) as http:
            while not stop.is_set():
                west = rng.uniform(BOX[0], BOX[2] - 1)
                south = rng.uniform(BOX[1], BOX[3] - 1)
                month = f"2019-{rng.randrange(1, 13):02d}"
                params = {
                    "bbox": f"{west:.3f},{south:.3f},{west + 1:.3f},{south + 1:.3f}",
                    "since": f"{month}-01",
                    "until": f"{month}-28",
                }
                if rng.random() < 0.5:
                    http.get("/api/v1/events", params={**params, "event_type": rng.choice(TYPES)})
                else:
                    http.get("/api/v1/events.geojson", params=params)

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


# -- timing ------------------------------------------------------------------------------


def _report(path: Path, samples: int, base: str) -> None:
    bbox = ",".join(str(v) for v in BBOX)
    page_params = {**PAGE, "bbox": bbox, "limit": "100"}
    view_params = {**VIEWPORT, "bbox": bbox, "limit": "1000"}
    with httpx.Client(base_url=base, timeout=30) as http:
        page_rows = len(http.get("/api/v1/events", params=page_params).json()["items"])
        view_rows = len(http.get("/api/v1/events.geojson", params=view_params).json()["features"])
        api_page = _timed(samples, lambda: http.get("/api/v1/events", params=page_params))
        api_view = _timed(samples, lambda: http.get("/api/v1/events.geojson", params=view_params))
        floor = _timed(samples, lambda: http.get("/api/v1/health"))
    page_sql = _store_sql(path, _filter(PAGE), 101, features=False)
    view_sql = _store_sql(path, _filter({**VIEWPORT, "located": True}), 1001, features=True)
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        bare_page = _timed(samples, lambda: conn.execute(page_sql).fetchall())
        bare_view = _timed(samples, lambda: conn.execute(view_sql).fetchall())
    print(f"\nunder load from a second process; {samples} timed requests each; ms")
    print(f"{'query':<44}{'rows':>6}{'p50':>8}{'p95':>8}{'p99':>8}")
    for name, rows, times in (
        ("API filtered page (type+time+bbox)", page_rows, api_page),
        ("  bare SELECT of the same rows", page_rows, bare_page),
        ("API GeoJSON viewport (time+bbox)", view_rows, api_view),
        ("  bare SELECT of the same rows", view_rows, bare_view),
        ("HTTP floor: GET /api/v1/health", 0, floor),
    ):
        p50, p95, p99 = _percentiles(times)
        print(f"{name:<44}{rows:>6}{p50:>8.1f}{p95:>8.1f}{p99:>8.1f}")
    for name, api, bare in (("page", api_page, bare_page), ("GeoJSON", api_view, bare_view)):
        a50, a95, _ = _percentiles(api)
        b50, b95, _ = _percentiles(bare)
        print(f"API / bare, {name}: p50 {a50 / b50:.2f}x, p95 {a95 / b95:.2f}x")
    verdict = "met" if _percentiles(api_page)[1] < 50 else "NOT met"
    print(f"goal p95 < 50 ms for the filtered page: {verdict}")


def _filter(params: dict[str, Any]) -> Any:
    from sitrep.store.events import EventFilter

    return EventFilter(bbox=BBOX, **params)


def _store_sql(path: Path, where: Any, limit: int, *, features: bool) -> str:
    """The SQL the store runs for a page (the API asks for one row more than it shows),
    with its values in place: the same query, without the API around it."""
    from sqlalchemy import Text, case, cast

    from sitrep.store import open_store
    from sitrep.store.schema import fused_events

    store = open_store(f"sqlite:///{path}")
    try:
        c = fused_events.c
        record = cast(c.record, Text)
        fallback = case((c.summary.is_(None), record), else_=None)
        columns = (c.lon, c.lat, c.summary, fallback) if features else (record,)
        query = store._page_query(where, limit, None, "date", *columns)
        return str(query.compile(store.engine, compile_kwargs={"literal_binds": True}))
    finally:
        store.close()


def _timed(samples: int, call: Callable[[], Any]) -> list[float]:
    call()  # warm up
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _percentiles(times: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(times, n=100)
    return statistics.median(times), cuts[94], cuts[98]


if __name__ == "__main__":
    main()
