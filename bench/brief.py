"""Situation reports at scale: write the PDF brief of a period holding 10,000 events.

Usage: python bench/brief.py [--events N] [--seed S] [--keep DIR]

A temporary SQLite store gets 60 real articles (plain-text files ingested through
``Service.ingest``) and N synthetic fused events saved through the store's fusion save
path (``save_fusion``, as ``Service.fuse`` does), shaped like real records: Idlib
governorate, 90 days, ACLED types with a tenth territorial, 1-5 outlets, fatalities on a
third, a few disputed, actors from the knowledge base, each citing 1-3 of the articles.

Printed: the time to query the period's events alone (``Service.events`` over every
page); the time to write the PDF brief (first run, cold imports included); its peak
memory (tracemalloc, on a second run, and the process's peak RSS); their ratio; the PDF's
pages and size, and the brief's sentences. The goal is under 10 s and 1 GB.
Nothing is pass or fail.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sitrep.service import Service
from sitrep.settings import Settings
from sitrep.store.events import EventChange, EventFilter

START = date(2020, 1, 1)
DAYS = 90
PLACES = [  # (name, lat, lon) in Idlib governorate
    ("Maaret al-Numan", 35.648, 36.677),
    ("Saraqib", 35.864, 36.806),
    ("Ariha", 35.813, 36.609),
    ("Idlib", 35.931, 36.634),
    ("Kafr Nabl", 35.614, 36.561),
    ("Jisr al-Shughur", 35.812, 36.318),
    ("Taftanaz", 35.998, 36.781),
    ("Khan Shaykhun", 35.442, 36.651),
]
TYPES = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Violence against civilians", "Attack"),
    ("Strategic developments", "Agreement"),
]
TERRITORY = ("Battles", "Government regains territory")
ACTORS = [
    ("syrian_government_forces", "Syrian government forces"),
    ("hts", "Hayat Tahrir al-Sham"),
    ("turkish_armed_forces", "Turkish Armed Forces"),
    ("russian_aerospace_forces", "Russian Aerospace Forces"),
    ("national_liberation_front", "National Liberation Front"),
]
OUTLETS = ["Levant Wire", "Frontline Daily", "Northwest Monitor", "meridianpress.example", "Gulf"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, default=None, help="keep the PDF here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        service = Service(Settings.load(database_url=f"sqlite:///{folder}/bench.db"))
        articles = make_articles(service, Path(folder))
        started = time.perf_counter()
        save_events(service, args.events, articles, random.Random(args.seed))
        print(f"saved {args.events:,} events in {time.perf_counter() - started:.1f} s")
        since, until = START.isoformat(), (START + timedelta(days=DAYS)).isoformat()
        query_seconds, found = time_query(service, since, until)
        out = (args.keep or Path(folder)) / "brief.pdf"
        started = time.perf_counter()
        result = service.brief("Idlib", since, until, fmt="pdf", out=out)
        brief_seconds = time.perf_counter() - started
        tracemalloc.start()  # a second run: tracing slows Python several times over
        service.brief("Idlib", since, until, fmt="pdf", out=out)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        report = service.brief_report("Idlib", since, until, charts=False)
        sentences = sum(len(s.sentences) for s in report.sections)
        print(f"query the period alone: {query_seconds:6.2f} s ({found:,} events)")
        print(f"write the PDF brief:    {brief_seconds:6.2f} s ({result.events:,} events)")
        print(f"ratio brief / query:    {brief_seconds / max(query_seconds, 1e-9):6.1f}x")
        print(f"peak traced memory:     {peak / 2**20:6.0f} MiB; process peak RSS {rss:.0f} MiB")
        print(f"PDF: {pdf_pages(out)} pages, {out.stat().st_size / 1024:.0f} KiB; ", end="")
        print(f"{sentences} sentences, {result.footnotes} notes")
        service.close()


def make_articles(service: Service, folder: Path) -> list[tuple[int, str]]:
    """Real stored articles for the events to cite: (article id, outlet)."""
    texts = folder / "articles"
    texts.mkdir()
    for n in range(60):
        place = PLACES[n % len(PLACES)][0]
        body = " ".join(
            f"Report {n} from {place}: fighting continued around the town on day {n}, "
            "residents said, as shelling and air strikes hit roads and villages nearby."
            for _ in range(4)
        )
        (texts / f"report-{n:03d}.txt").write_text(f"Report {n} on {place}\n\n{body}\n")
    service.ingest([str(texts)])
    return [(a.id, OUTLETS[a.id % len(OUTLETS)]) for a in service.articles(limit=100)]


def save_events(
    service: Service, n: int, articles: list[tuple[int, str]], rng: random.Random
) -> None:
    now = datetime.now(UTC)
    batch: list[EventChange] = []
    for number in range(1, n + 1):
        batch.append(synthetic_change(number, articles, rng))
        if len(batch) == 1000:
            service.store.save_fusion(batch, now)
            batch = []
    if batch:
        service.store.save_fusion(batch, now)


def synthetic_change(number: int, articles: list[tuple[int, str]], rng: random.Random) -> Any:
    day = (START + timedelta(days=rng.randrange(DAYS))).isoformat()
    name, lat, lon = rng.choice(PLACES)
    event_type, sub_type = TERRITORY if rng.random() < 0.1 else rng.choice(TYPES)
    cited = rng.sample(articles, rng.randint(1, 3))
    outlets = sorted({o for _, o in cited} | set(rng.sample(OUTLETS, rng.randint(0, 2))))
    killed = rng.randint(1, 40) if rng.random() < 0.33 else None
    a1, a2 = rng.sample(ACTORS, 2)
    disputed = rng.random() < 0.03
    record = {
        "id": number,
        "event_key": f"bench-{number}",
        "event_type": event_type,
        "sub_event_type": sub_type,
        "date": day,
        "date_precision": "day",
        "location": {
            "text": name,
            "geo": {
                "lat": lat + rng.uniform(-0.03, 0.03),
                "lon": lon + rng.uniform(-0.03, 0.03),
                "name": name,
                "place_id": f"bench:{name}",
                "country": "SY",
                "admin1": "Idlib",
            },
        },
        "actor1": {"actor_id": a1[0], "name": a1[1], "kind": "state", "sponsors": []},
        "actor2": {"actor_id": a2[0], "name": a2[1], "kind": "state", "sponsors": []},
        "fatalities": {"value": killed, "range": [killed, killed + 3]} if killed else None,
        "claims": {"fatalities": [{"low": killed, "high": killed, "outlets": outlets}]}
        if killed
        else {},
        "disputed": disputed,
        "disputed_fields": ["fatalities"] if disputed and killed else [],
        "outlets": outlets,
        "confirmations": len(outlets),
        "mentions": [
            {"mention_id": number * 10 + k, "article_id": a, "outlet": o, "evidence": ""}
            for k, (a, o) in enumerate(cited)
        ],
        "confidence": round(rng.uniform(0.3, 0.95), 3),
        "notes": f"On {day}, {a1[1]} fought {a2[1]} in {name}. [{len(outlets)} outlets]",
    }
    return EventChange(
        f"bench-{number}", "created", "bench", record, {"first": day, "last": day}, ()
    )


def time_query(service: Service, since: str, until: str) -> tuple[float, int]:
    started = time.perf_counter()
    found, offset = 0, 0
    while page := service.events(EventFilter(since=since, until=until), 1000, offset):
        found += len(page)
        offset += 1000
    return time.perf_counter() - started, found


def pdf_pages(path: Path) -> str:
    try:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return "?"
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages")), "?")


if __name__ == "__main__":
    main()
