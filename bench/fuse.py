"""Event fusion: clustering quality on the demo corpus, and speed on a synthetic offensive.

Usage: python bench/fuse.py [--synthetic N] [--gold bench/fusion_gold.yaml] [--demo demo]
                            [--seed S] [--show K]

Quality. The demo corpus is ingested into a temporary store, coded and fused exactly as
``sitrep process`` does (``Service.ingest`` of ``Service.demo_targets``, then
``code_events`` and ``fuse``). The fused events are compared with a gold clustering,
bench/fusion_gold.yaml, which the sitrep project wrote by hand from the corpus texts (our
own labels, CC BY 4.0, no outside data). Gold mentions are named by file and a substring
of their evidence sentence, so the labels survive coder changes that renumber mentions;
items that match no stored mention are reported. Mentions the gold calls noise, and
mentions it does not label, are left out of every score.

Metrics, over the gold-labelled mentions that were found:

- pairwise: a pair of mentions is positive in gold if both describe the same gold event,
  and predicted positive if both sit in the same fused event. Precision = correct
  predicted pairs / predicted pairs, recall = correct predicted pairs / gold pairs.
- B-cubed (Bagga and Baldwin, 1998): for each mention, precision = the share of its fused
  event (restricted to gold-labelled mentions) that is in its gold event, recall = the
  share of its gold event that is in its fused event; both averaged over mentions.
- F1 is the harmonic mean. With no pairs to judge, a precision or recall counts as 1.
- End to end: the same scores over every gold mention, a mention the coder never produced
  counting as an event of its own, so that what coding misses costs recall too.

The worst over-merged fused events and split gold events are listed to guide tuning.

Speed. N synthetic mentions of fighting along a front line in north-west Syria that moves
north over a 120-day offensive (then starts again), at about 2,000 true events per 120
days whatever N is, so that N sets the span and not the density. Each true event is
reported 1-12 times, with its place jittered up to 3 km (a tenth of reports give no
place), its date up to a day (mostly day precision, some week or month), its sub-event
type sometimes swapped within its family or for a random one, and its actors sometimes
generalised or dropped. The reports are built as stored mention records, turned into
``FusionMention`` by ``sitrep.fuse.engine.fusion_mention`` and fed through
``sitrep.fuse.cluster.Clusterer`` one by one in id order (the order articles arrive in).
Printed: mentions/second, peak traced memory of the clustering (tracemalloc, a second
run) and the process's peak RSS, and pairwise P/R/F1 against the synthetic truth. The
demo run's coding and fusion times are printed beside them. Nothing is pass or fail.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from sitrep.events.ontology import by_sub_event
from sitrep.fuse.cluster import Clusterer
from sitrep.fuse.engine import fusion_mention
from sitrep.fuse.match import FusionMention, Related
from sitrep.records import Document, StoredArticle
from sitrep.service import DEMO_CORPUS, Service
from sitrep.settings import Settings
from sitrep.store.events import MentionFacts

BENCH = Path(__file__).resolve().parent
NOISE = "(noise)"

# -- gold


@dataclass(frozen=True)
class GoldItem:
    file: str  # relative to the demo folder
    evidence: str  # a substring of the mention's evidence sentence
    event: str  # gold event id, or NOISE


def load_gold(path: Path) -> tuple[list[GoldItem], dict[str, str]]:
    """The gold items and each gold event's description."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items: list[GoldItem] = []
    described: dict[str, str] = {}
    for event in data.get("events") or []:
        described[event["id"]] = str(event.get("description") or "")
        items += [GoldItem(m["file"], m["evidence"], event["id"]) for m in event["mentions"]]
    items += [GoldItem(m["file"], m["evidence"], NOISE) for m in data.get("noise") or []]
    return items, described


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().casefold()


def evidence_text(facts: MentionFacts) -> str:
    return str((facts.record.get("evidence") or {}).get("text") or "")


# -- the demo run


@dataclass
class DemoRun:
    facts: list[MentionFacts]
    predicted: dict[int, str]  # mention id -> fused event key
    articles: list[StoredArticle]
    coded: int  # articles coded
    code_seconds: float
    fuse_seconds: float
    events: int
    same_as_fresh: bool


def run_demo(service: Service, demo: Path) -> DemoRun:
    service.ingest(service.demo_targets(demo))
    start = time.perf_counter()
    coding = service.code_events()
    code_seconds = time.perf_counter() - start
    start = time.perf_counter()
    fusion = service.fuse()
    fuse_seconds = time.perf_counter() - start
    ids = service.store.mention_ids()
    facts = [
        f for i in range(0, len(ids), 500) for f in service.store.mention_facts(ids[i : i + 500])
    ]
    membership = service.store.fused_membership()
    predicted = {m: key for key, members in membership.items() for m in members}
    for f in facts:  # a mention no live event holds is an event of its own
        predicted.setdefault(f.mention_id, f"(unfused {f.mention_id})")
    return DemoRun(
        facts=facts,
        predicted=predicted,
        articles=service.articles(limit=100_000),
        coded=coding.coded,
        code_seconds=code_seconds,
        fuse_seconds=fuse_seconds,
        events=fusion.events,
        same_as_fresh=bool(service.fusion_check()["same"]),
    )


def file_articles(service: Service, demo: Path, run: DemoRun, file: str) -> set[int]:
    """The stored articles that came from one demo file, with their originals and copies
    (only originals are coded, and which of two copies is the original depends on order)."""
    sources = {
        item.source
        for item in service.collector.expand(str(demo / file))
        if isinstance(item, Document)
    }
    found = {a.id for a in run.articles if a.source in sources or a.source.endswith(file)}
    found |= {a.duplicate_of for a in run.articles if a.id in found and a.duplicate_of}
    found |= {a.id for a in run.articles if a.duplicate_of in found}
    return found


@dataclass
class GoldMatch:
    labels: dict[int, str]  # mention id -> gold event (or NOISE)
    unmatched: list[GoldItem]
    ambiguous: list[tuple[GoldItem, int]]  # items that matched several mentions
    conflicts: list[tuple[GoldItem, int]]  # mentions two gold items disagree on


def match_gold(service: Service, demo: Path, run: DemoRun, items: Sequence[GoldItem]) -> GoldMatch:
    by_file = {f: file_articles(service, demo, run, f) for f in sorted({i.file for i in items})}
    result = GoldMatch({}, [], [], [])
    for item in items:
        needle = _norm(item.evidence)
        hits = [
            f.mention_id
            for f in run.facts
            if f.article_id in by_file[item.file] and needle in _norm(evidence_text(f))
        ]
        if not hits:
            result.unmatched.append(item)
        elif len(hits) > 1:
            result.ambiguous.append((item, len(hits)))
        for mention in hits:
            if result.labels.setdefault(mention, item.event) != item.event:
                result.conflicts.append((item, mention))
    return result


# -- scores


@dataclass(frozen=True)
class Scores:
    pairwise: tuple[float, float, float]
    bcubed: tuple[float, float, float]
    mentions: int
    gold_events: int
    predicted_events: int


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 1.0


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def score(gold: Mapping[Hashable, Hashable], predicted: Mapping[Hashable, Hashable]) -> Scores:
    """Pairwise and B-cubed scores of ``predicted`` over the mentions ``gold`` labels."""
    mentions = list(gold)
    cells = Counter((gold[m], predicted[m]) for m in mentions)
    gold_sizes = Counter(gold[m] for m in mentions)
    pred_sizes = Counter(predicted[m] for m in mentions)
    together = sum(_pairs(n) for n in cells.values())
    pair_p = _ratio(together, sum(_pairs(n) for n in pred_sizes.values()))
    pair_r = _ratio(together, sum(_pairs(n) for n in gold_sizes.values()))
    b_p = sum(n * n / pred_sizes[p] for (_, p), n in cells.items())
    b_r = sum(n * n / gold_sizes[g] for (g, _), n in cells.items())
    b_p, b_r = _ratio(b_p, len(mentions)), _ratio(b_r, len(mentions))
    return Scores(
        (pair_p, pair_r, _f1(pair_p, pair_r)),
        (b_p, b_r, _f1(b_p, b_r)),
        len(mentions),
        len(gold_sizes),
        len(pred_sizes),
    )


# -- error report


def describe(facts: MentionFacts) -> str:
    r = facts.record
    place = (r.get("location") or {}).get("text") or "-"
    actors = "/".join(str((r.get(k) or {}).get("actor_id") or "-") for k in ("actor1", "actor2"))
    when = f"{r.get('date') or '-'}/{r.get('date_precision') or '-'}"
    text = evidence_text(facts)
    text = text if len(text) <= 70 else text[:67] + "..."
    head = f"#{facts.mention_id} a{facts.article_id} {r.get('sub_event_type')} {when}"
    return f"{head} {place} {actors}: {text}"


def over_merged(labels: Mapping[int, str], predicted: Mapping[int, str]) -> list[tuple[int, str]]:
    """Fused events holding mentions of several gold events, by wrong pairs: (pairs, key)."""
    members: dict[str, list[str]] = {}
    for mention, event in labels.items():
        if event != NOISE:
            members.setdefault(predicted[mention], []).append(event)
    found = []
    for key, events in members.items():
        wrong = _pairs(len(events)) - sum(_pairs(n) for n in Counter(events).values())
        if wrong:
            found.append((wrong, key))
    return sorted(found, key=lambda pair: (-pair[0], pair[1]))


def split(labels: Mapping[int, str], predicted: Mapping[int, str]) -> list[tuple[int, str]]:
    """Gold events spread over several fused events, by missed pairs: (pairs, gold id)."""
    pieces: dict[str, list[str]] = {}
    for mention, event in labels.items():
        if event != NOISE:
            pieces.setdefault(event, []).append(predicted[mention])
    found = []
    for event, keys in pieces.items():
        missed = _pairs(len(keys)) - sum(_pairs(n) for n in Counter(keys).values())
        if missed:
            found.append((missed, event))
    return sorted(found, key=lambda pair: (-pair[0], pair[1]))


def print_errors(run: DemoRun, labels: Mapping[int, str], show: int) -> None:
    facts = {f.mention_id: f for f in run.facts}
    by_event: dict[str, list[int]] = {}
    for mention in sorted(labels):
        by_event.setdefault(run.predicted[mention], []).append(mention)
    merged = over_merged(labels, run.predicted)
    print(f"\nover-merged fused events: {len(merged)} (worst {min(show, len(merged))})")
    for wrong, key in merged[:show]:
        counts = Counter(labels[m] for m in by_event[key])
        print(
            f"  {key}: {wrong} wrong pair(s); " + ", ".join(f"{g} x{n}" for g, n in counts.items())
        )
        for mention in by_event[key]:
            print(f"      [{labels[mention]}] {describe(facts[mention])}")
    splits = split(labels, run.predicted)
    print(f"\nsplit gold events: {len(splits)} (worst {min(show, len(splits))})")
    for missed, event in splits[:show]:
        mentions = [m for m in sorted(labels) if labels[m] == event]
        keys = sorted({run.predicted[m] for m in mentions})
        print(f"  {event}: {missed} missed pair(s) over {len(keys)} fused events")
        for key in keys:
            for mention in (m for m in mentions if run.predicted[m] == key):
                print(f"      {key:<10} {describe(facts[mention])}")


def print_noise(run: DemoRun, labels: Mapping[int, str]) -> None:
    gold_events = {run.predicted[m] for m, e in labels.items() if e != NOISE}
    noise = [m for m, e in labels.items() if e == NOISE]
    attached = [m for m in noise if run.predicted[m] in gold_events]
    print(
        f"\nnoise mentions found: {len(noise)}; in fused events holding gold mentions: "
        f"{len(attached)}; in events of their own or with other noise: {len(noise) - len(attached)}"
    )


# -- synthetic offensive

# A front line from south of Kafr Nabl to the west of Aleppo, moved north over the days.
_FRONT = ((35.45, 36.40), (35.52, 36.58), (35.58, 36.76), (35.75, 36.92), (36.0, 37.02))
_FRONT_DRIFT_DEG = 0.3  # northward over the whole period
_SUB_TYPES = {
    "clash": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "strike": ("Air/drone strike", "Shelling/artillery/missile attack"),
    "explosive": ("Remote explosive/landmine/IED", "Suicide bomb"),
    "civilians": ("Attack", "Abduction/forced disappearance"),
}
_FAMILY_WEIGHTS = {"clash": 0.40, "strike": 0.45, "explosive": 0.05, "civilians": 0.10}
_ACTORS = {
    "clash": (
        ("syrian_government_forces", "hayat_tahrir_al_sham"),
        ("syrian_government_forces", "national_liberation_front"),
        ("tiger_forces", "rebels"),
        ("turkish_armed_forces", "syrian_government_forces"),
        ("hayat_tahrir_al_sham", "syrian_government_forces"),
    ),
    "strike": (
        ("russian_aerospace_forces", "rebels"),
        ("syrian_air_force", "civilians"),
        ("syrian_government_forces", "turkish_armed_forces"),
        ("turkish_armed_forces", "syrian_government_forces"),
    ),
    "explosive": (("unidentified_gunmen", "civilians"), ("islamic_state", "hayat_tahrir_al_sham")),
    "civilians": (("syrian_government_forces", "civilians"), ("hayat_tahrir_al_sham", "civilians")),
}
# How outlets generalise a named actor.
_GENERIC = {
    "syrian_government_forces": "government_forces",
    "tiger_forces": "syrian_government_forces",
    "syrian_air_force": "syrian_government_forces",
    "russian_aerospace_forces": "russia",
    "turkish_armed_forces": "turkey",
    "hayat_tahrir_al_sham": "rebels",
    "national_liberation_front": "rebels",
}
_OUTLETS = tuple(f"outlet{i}.example" for i in range(12))
_START = date(2020, 1, 1)
_OFFENSIVE_DAYS = 120  # the front moves north over this many days, then starts again
_EVENTS_PER_DAY = 2000 / 120  # true events along the front each day
_REPORTS_MEAN = 6.5  # reports per event: uniform 1-12


@dataclass(frozen=True)
class TrueEvent:
    day: int
    lat: float
    lon: float
    family: str
    sub_event_type: str
    actors: tuple[str, str]


def _front_point(rng: random.Random, day: int) -> tuple[float, float]:
    i = rng.randrange(len(_FRONT) - 1)
    t = rng.random()
    (lat1, lon1), (lat2, lon2) = _FRONT[i], _FRONT[i + 1]
    drift = _FRONT_DRIFT_DEG * (day % _OFFENSIVE_DAYS) / _OFFENSIVE_DAYS
    depth = rng.uniform(-0.08, 0.08)  # about 9 km either side
    return lat1 + t * (lat2 - lat1) + drift + depth, lon1 + t * (lon2 - lon1) - depth / 2


def _true_event(rng: random.Random, days: int) -> TrueEvent:
    family = rng.choices(list(_FAMILY_WEIGHTS), weights=list(_FAMILY_WEIGHTS.values()))[0]
    day = rng.randrange(days)
    lat, lon = _front_point(rng, day)
    sub_type = rng.choice(_SUB_TYPES[family])
    return TrueEvent(day, lat, lon, family, sub_type, rng.choice(_ACTORS[family]))


def _jitter(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    r, a = km * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    dlat = r * math.cos(a) / 111.0
    return lat + dlat, lon + r * math.sin(a) / (111.0 * math.cos(math.radians(lat)))


def _report_type(rng: random.Random, event: TrueEvent) -> str:
    roll = rng.random()
    if roll < 0.7:
        return event.sub_event_type
    if roll < 0.95:
        return rng.choice(_SUB_TYPES[event.family])
    return rng.choice([t for types in _SUB_TYPES.values() for t in types])


def _report_actors(rng: random.Random, event: TrueEvent) -> tuple[str | None, str | None]:
    a1, a2 = event.actors
    roll = rng.random()
    if roll < 0.6:
        return a1, a2
    if roll < 0.75:
        return _GENERIC.get(a1, a1), a2
    if roll < 0.9:
        return a1, None
    return None, None


def _report_date(rng: random.Random, event: TrueEvent) -> tuple[date, str]:
    day = _START + timedelta(days=event.day + rng.choice((0, 0, 0, -1, 1)))
    roll = rng.random()
    if roll < 0.85:
        return day, "day"
    if roll < 0.95:
        return day - timedelta(days=day.weekday()), "week"
    return day.replace(day=1), "month"


def _report_record(rng: random.Random, event: TrueEvent) -> dict[str, Any]:
    when, precision = _report_date(rng, event)
    a1, a2 = _report_actors(rng, event)
    sub_type = _report_type(rng, event)
    geo = None
    if rng.random() < 0.9:
        lat, lon = _jitter(rng, event.lat, event.lon, 3.0)
        radius = rng.choices((2.0, 5.0, 10.0), weights=(0.6, 0.25, 0.15))[0]
        geo = {"lat": lat, "lon": lon, "radius_km": radius, "geo_precision": 1}
    return {
        "event_type": by_sub_event(sub_type).event_type,
        "sub_event_type": sub_type,
        "date": when.isoformat(),
        "date_precision": precision,
        "actor1": {"actor_id": a1} if a1 else None,
        "actor2": {"actor_id": a2} if a2 else None,
        "location": {"text": "synthetic", "geo": geo},
        "confidence": round(rng.uniform(0.4, 0.9), 2),
        "modality": "asserted",
        "evidence": {"text": ""},
    }


def synthetic_days(n: int) -> int:
    """Days that ``n`` mentions span at the synthetic front's density."""
    return max(1, round(n / _REPORTS_MEAN / _EVENTS_PER_DAY))


def synthetic_mentions(n: int, seed: int) -> tuple[list[FusionMention], dict[int, int]]:
    """``n`` mentions in arrival order (ids 1..n) and each mention's true event."""
    rng = random.Random(seed)
    days = synthetic_days(n)
    reports: list[tuple[int, float, int, dict[str, Any]]] = []  # day, tie-break, event, record
    events = 0
    while len(reports) < n:
        event = _true_event(rng, days)
        for _ in range(min(rng.randint(1, 12), n - len(reports))):
            reported = event.day + rng.randint(0, 2)
            reports.append((reported, rng.random(), events, _report_record(rng, event)))
        events += 1
    reports.sort(key=lambda r: (r[0], r[1]))
    mentions: list[FusionMention] = []
    truth: dict[int, int] = {}
    now = datetime(2020, 6, 1, tzinfo=UTC)
    for mention_id, (reported, _, event_index, record) in enumerate(reports, start=1):
        published = (_START + timedelta(days=reported)).isoformat()
        outlet = _OUTLETS[mention_id % len(_OUTLETS)]
        facts = MentionFacts(mention_id, mention_id, record, outlet, None, "", published, now, ())
        mentions.append(fusion_mention(facts))
        truth[mention_id] = event_index
    return mentions, truth


@dataclass(frozen=True)
class SpeedRun:
    mentions: int
    true_events: int
    events: int
    seconds: float
    traced_peak: int  # bytes
    maxrss_kb: int
    scores: Scores


def _cluster(mentions: Iterable[FusionMention], related: Related) -> Clusterer:
    clusterer = Clusterer(related)
    for mention in mentions:
        clusterer.add(mention)
    return clusterer


def run_synthetic(n: int, seed: int, related: Related) -> SpeedRun:
    mentions, truth = synthetic_mentions(n, seed)
    start = time.perf_counter()
    clusterer = _cluster(mentions, related)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    _cluster(mentions, related)
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    predicted = {m: key for key, c in clusterer.clusters.items() for m in c.members}
    return SpeedRun(
        mentions=len(mentions),
        true_events=len(set(truth.values())),
        events=len(clusterer.clusters),
        seconds=seconds,
        traced_peak=traced_peak,
        maxrss_kb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        scores=score(truth, predicted),
    )


# -- output


def _prf(name: str, values: tuple[float, float, float]) -> str:
    p, r, f = values
    return f"  {name:<9} P {p:6.3f}   R {r:6.3f}   F1 {f:6.3f}"


def print_quality(run: DemoRun, match: GoldMatch, described: Mapping[str, str]) -> None:
    labelled = {m: e for m, e in match.labels.items() if e != NOISE}
    scores = score(labelled, run.predicted)
    print(
        f"demo: {len(run.articles)} articles stored, {run.coded} coded, "
        f"{len(run.facts)} mentions, {run.events} fused events; "
        f"store == fresh fusion: {run.same_as_fresh}"
    )
    print(
        f"gold: {scores.mentions} labelled mentions found in {scores.gold_events} gold events "
        f"({len(described)} in the file), spread over {scores.predicted_events} fused events"
    )
    if match.unmatched:
        print(f"WARNING: {len(match.unmatched)} gold item(s) matched no mention, e.g.:")
        for item in match.unmatched[:5]:
            print(f"    {item.file}: {item.evidence!r} [{item.event}]")
    for item, hits in match.ambiguous[:5]:
        print(f"WARNING: {item.evidence!r} ({item.file}) matched {hits} mentions")
    for item, mention in match.conflicts[:5]:
        print(f"WARNING: mention #{mention} labelled twice; {item.evidence!r} ignored")
    print(_prf("pairwise", scores.pairwise))
    print(_prf("B-cubed", scores.bcubed))
    whole = end_to_end(labelled, run.predicted, match.unmatched)
    print(f"  end to end, counting the {len(match.unmatched)} gold item(s) coding missed:")
    print(_prf("pairwise", whole.pairwise))
    print(_prf("B-cubed", whole.bcubed))


def end_to_end(
    labelled: Mapping[int, str], predicted: Mapping[int, str], unmatched: Sequence[GoldItem]
) -> Scores:
    """Scores over every gold mention: one the coder never produced is an event of its own
    (it cannot be fused with anything), so missed mentions cost recall."""
    gold: dict[Hashable, Hashable] = dict(labelled)
    guess: dict[Hashable, Hashable] = {m: predicted[m] for m in labelled}
    for n, item in enumerate(i for i in unmatched if i.event != NOISE):
        gold[("missed", n)] = item.event
        guess[("missed", n)] = ("missed", n)
    return score(gold, guess)


def print_speed(run: DemoRun, speed: SpeedRun) -> None:
    mentions = max(1, len(run.facts))
    code_article = run.code_seconds / max(1, run.coded)
    code_mention = run.code_seconds / mentions
    fuse_mention = run.fuse_seconds / mentions
    synth_mention = speed.seconds / max(1, speed.mentions)
    print(
        f"\nsynthetic: {speed.mentions} mentions of {speed.true_events} true events over "
        f"{synthetic_days(speed.mentions)} days -> {speed.events} fused events"
    )
    print(
        f"  Clusterer {speed.mentions / speed.seconds:10.0f} mentions/s "
        f"({speed.seconds:.2f} s, {synth_mention * 1e6:.1f} us/mention)"
    )
    print(
        f"  memory    traced peak {speed.traced_peak / 2**20:.1f} MiB during clustering; "
        f"peak RSS {speed.maxrss_kb / 1024:.0f} MiB (process, before coding)"
    )
    print(_prf("pairwise", speed.scores.pairwise))
    print(_prf("B-cubed", speed.scores.bcubed))
    print("\nstage times on the demo (wall):")
    print(
        f"  coding   {run.code_seconds:7.2f} s  {code_article:8.3f} s/article  "
        f"{code_mention * 1e3:8.2f} ms/mention"
    )
    print(
        f"  fusion   {run.fuse_seconds:7.2f} s  {run.fuse_seconds / max(1, run.coded):8.3f} "
        f"s/article  {fuse_mention * 1e3:8.2f} ms/mention (with store writes and summaries)"
    )
    print(
        f"  coding/fusion time on the demo: {run.code_seconds / max(run.fuse_seconds, 1e-9):.0f}x"
    )
    print(
        f"  coding per mention / synthetic clustering per mention: "
        f"{code_mention / max(synth_mention, 1e-12):.0f}x"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=100_000, metavar="N")
    parser.add_argument("--gold", type=Path, default=BENCH / "fusion_gold.yaml")
    parser.add_argument("--demo", type=Path, default=DEMO_CORPUS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=5, help="error cases listed per kind")
    args = parser.parse_args(argv)
    demo = args.demo.resolve()
    items, described = load_gold(args.gold)
    with tempfile.TemporaryDirectory() as data, Service(Settings.load(data_dir=data)) as service:
        speed = run_synthetic(args.synthetic, args.seed, service._related())
        run = run_demo(service, demo)
        match = match_gold(service, demo, run, items)
        print_quality(run, match, described)
        print_speed(run, speed)
        print_noise(run, match.labels)
        print_errors(run, match.labels, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
