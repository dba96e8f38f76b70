"""Toponym resolution: sitrep's geoparser against a gazetteer baseline, on GeoWebNews and LGL.

Usage: python bench/geocode.py PATH/TO/geoparsing-news-gold [--limit N] [--errors]

Purpose: measure how well sitrep places the place names of news text, given the gold
spans (resolution, the task published geocoders are compared on) and from raw text (end
to end), next to a naive baseline and the published figures of Mordecai 3 and CamCoder.
Nothing here is a pass/fail test.

Data provenance (the folder's SOURCE.md): milangritta/Pragmatic-Guide-to-Geoparsing-
Evaluation at commit 6947d464, GPL-3.0; the article texts stay their publishers'
copyright. The corpora are read from the folder given on the command line and used for
evaluation only: never copied into the project, never trained or tuned on, never turned
into gazetteer entries.

- ``GWN.xml``, GeoWebNews (Gritta et al. 2019): 200 articles, 6,612 annotations with
  character offsets into the article's ``<text>``. The annotations of the non-toponym types
  (Non_Toponym, Homonym, Literal_Expression, Non_Lit_Expression) are dropped; the others
  are toponyms. Toponyms with ``latitude``/``longitude`` (2,601) are scored; the rest
  (Demonym, Language, a few Coercion: about 100) have none and are counted, not scored.
  Two of them (article 123, "American" and "US") have negative offsets; they are skipped
  and counted ("offsets off their name"), as is any toponym whose offsets miss its name.
  ``gwn_full.txt``, the geocoding gold of the paper, is the subset of these with a
  ``geonamesID`` (2,401; same offsets and coordinates), so it is not read separately: the
  figures are also printed for that subset ("with a GeoNames id"). Each span is scored
  once.
- ``lgl.xml``, Local-Global Lexicon (Lieberman et al. 2010): 588 local-news articles, 5,088
  toponyms; the 4,462 with a ``gaztag`` (GeoNames id, lat, lon) are scored, the 626
  without one (streets, "Earth", ...) are counted, not scored.

Systems: "baseline" takes, for each gold span, the first candidate of
``default_gazetteer(settings).lookup(span text)`` (exact names first, then population;
it opens its own handle on that index so that the two systems do not share a name cache);
"sitrep" is ``sitrep.geo.geoparse.Geoparser``, imported lazily: where it does not import
yet, only the baseline runs. ``--errors`` prints, per dataset and system, the 40 answers
farthest from the gold point and the most frequent misses (error >= 161 km, including
toponyms left unresolved).

Metrics, per dataset and system. Errors are great-circle distances (haversine, Earth
radius 6371 km) between the predicted and the gold point, capped at 20,039 km; a toponym
left unresolved (no place, or no coordinates) counts as the maximum error, 20,039 km.

- acc@161: share of scored toponyms with error < 161 km (100 miles), as in Gritta et al.
- mean and median error in km.
- AUC: area under the curve of the sorted scaled errors, as in Gritta et al. 2018
  ("Which Melbourne?", their evaluation code): each error e becomes ln(e + 1) / ln(20039),
  the values are sorted and integrated with the trapezoidal rule at unit spacing, and the
  area is divided by (n - 1), so 0 is a perfect score and 1 the worst (lower is better).
- exact id: share of the toponyms with a gold GeoNames id whose predicted id is the same;
  "misses with the gold id" counts those of them still 161 km or more off (the system's
  point for the right place differs from GeoNames', as for countries and large regions).
- toponyms/s: scored toponyms divided by the wall time of the resolution calls only (the
  gazetteer and the model are loaded, and one warm-up call made, before timing starts).
- End to end (sitrep only, no spans given): a predicted span matches a gold span when the
  two overlap by at least one character; matching is one-to-one, largest overlap first.
  Precision = matched predictions / predictions, recall = matched gold / scored gold
  toponyms, F1 their harmonic mean. Predictions that overlap only a toponym without gold
  coordinates are neither right nor wrong and are left out of precision. acc@161 is over
  the matched pairs, with the matched gold point.

The published anchors (acc@161 given gold spans) are from SOURCE.md: Mordecai 3 GeoWebNews
94.1 (N=474) and LGL 82.7 (N=967); CamCoder LGL 76. Their evaluation subsets are smaller
than the full sets scored here, so the ratios are indicative.
"""

from __future__ import annotations

import argparse
import importlib
import math
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any, Protocol

from sitrep.geo.gazetteer import Gazetteer, default_gazetteer, gazetteer_path
from sitrep.settings import Settings

ACC_KM = 161.0
MAX_ERROR_KM = 20039.0
EARTH_RADIUS_KM = 6371.0
WORST = 40
FREQUENT = 15
# Published acc@161 given gold spans, per dataset: (system, figure, note).
ANCHORS: dict[str, list[tuple[str, float, str]]] = {
    "GeoWebNews": [("Mordecai 3", 94.1, "N=474")],
    "LGL": [("Mordecai 3", 82.7, "N=967"), ("CamCoder", 76.0, "full LGL")],
}
GWN_NON_TOPONYMS = frozenset({"Non_Toponym", "Homonym", "Literal_Expression", "Non_Lit_Expression"})
WARM_UP = {
    "id": "warm-up",
    "text": "Fighting in Aleppo, Syria.",
    "toponyms": [{"start": 12, "end": 18}],
}

Record = dict[str, Any]


class System(Protocol):
    def parse(self, record: Record) -> Record: ...


@dataclass(frozen=True)
class Toponym:
    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None
    geonames_id: int | None

    @property
    def scored(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


@dataclass
class Article:
    id: str
    text: str
    toponyms: list[Toponym]
    bad_offsets: int = 0  # toponyms skipped: their offsets do not point at their name


@dataclass(frozen=True)
class Outcome:
    """One scored gold toponym and what a system made of it."""

    article: str
    gold: Toponym
    place: Record | None
    error_km: float


@dataclass
class Dataset:
    name: str
    articles: list[Article]
    annotations: int  # all annotations in the file, toponyms or not
    outcomes: dict[str, list[Outcome]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def toponyms(self) -> list[Toponym]:
        return [t for a in self.articles for t in a.toponyms]


# --- loading -------------------------------------------------------------------------


def _float(text: str | None) -> float | None:
    return float(text) if text and text.strip() else None


def _int(text: str | None) -> int | None:
    return int(text) if text and text.strip() else None


def load_gwn(folder: Path, limit: int | None) -> Dataset:
    root = ET.parse(folder / "GWN.xml").getroot()
    articles, annotations = [], 0
    for element in root.findall("article")[:limit]:
        text = element.findtext("text") or ""
        article = Article(f"gwn-{element.get('file')}", text, [])
        by_span: dict[tuple[int, int], Toponym] = {}
        for t in element.iter("toponym"):
            annotations += 1
            if t.findtext("type") in GWN_NON_TOPONYMS:
                continue
            name = t.findtext("extractedName") or ""
            start, end = int(t.findtext("start") or 0), int(t.findtext("end") or 0)
            if start < 0 or text[start:end] != name:
                article.bad_offsets += 1
                continue
            toponym = Toponym(
                start,
                end,
                name,
                _float(t.findtext("latitude")),
                _float(t.findtext("longitude")),
                _int(t.findtext("geonamesID")),
            )
            known = by_span.get(toponym.span)
            if known is None or (toponym.scored and not known.scored):  # one per span
                by_span[toponym.span] = toponym
        article.toponyms = sorted(by_span.values(), key=lambda t: t.span)
        articles.append(article)
    return Dataset("GeoWebNews", articles, annotations)


def load_lgl(folder: Path, limit: int | None) -> Dataset:
    root = ET.parse(folder / "lgl.xml").getroot()
    articles, annotations = [], 0
    for element in root.findall("article")[:limit]:
        article = Article(f"lgl-{element.get('docid')}", element.findtext("text") or "", [])
        for t in element.iter("toponym"):
            annotations += 1
            tag = t.find("gaztag")
            phrase = t.findtext("phrase") or ""
            start, end = int(t.findtext("start") or 0), int(t.findtext("end") or 0)
            if start < 0 or article.text[start:end] != phrase:
                article.bad_offsets += 1
                continue
            article.toponyms.append(
                Toponym(
                    start,
                    end,
                    phrase,
                    _float(tag.findtext("lat")) if tag is not None else None,
                    _float(tag.findtext("lon")) if tag is not None else None,
                    _int(tag.get("geonameid")) if tag is not None else None,
                )
            )
        articles.append(article)
    return Dataset("LGL", articles, annotations)


# --- systems -------------------------------------------------------------------------


class GazetteerBaseline:
    """The first gazetteer candidate of each given span's text; finds no spans itself."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def parse(self, record: Record) -> Record:
        text: str = record["text"]
        places = [self._place(text, t["start"], t["end"]) for t in record.get("toponyms", [])]
        return {"id": record.get("id"), "places": places}

    def _place(self, text: str, start: int, end: int) -> Record:
        name = text[start:end]
        candidates = self.gazetteer.lookup(name)
        place = candidates[0].place if candidates else None
        return {
            "start": start,
            "end": end,
            "text": name,
            "name": place.name if place else None,
            "lat": place.lat if place else None,
            "lon": place.lon if place else None,
            "geonames_id": place.geonames_id if place else None,
            "country": place.country if place else None,
            "feature_class": place.feature_class if place else None,
            "confidence": candidates[0].similarity if candidates else None,
        }


def load_sitrep(settings: Settings) -> System | None:
    """sitrep's Geoparser, or None (with a note) while it cannot be imported."""
    try:
        module = importlib.import_module("sitrep.geo.geoparse")
        parser: System = module.Geoparser.from_settings(settings)
    except (ImportError, AttributeError) as exc:
        print(f"note: sitrep's Geoparser is not available ({exc}); running the baseline only")
        return None
    return parser


# --- scoring -------------------------------------------------------------------------


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def error_km(gold: Toponym, place: Record | None) -> float:
    if gold.lat is None or gold.lon is None or place is None:
        return MAX_ERROR_KM
    lat, lon = place.get("lat"), place.get("lon")
    if lat is None or lon is None:
        return MAX_ERROR_KM
    return min(MAX_ERROR_KM, distance_km(gold.lat, gold.lon, float(lat), float(lon)))


def auc(errors: Sequence[float]) -> float:
    """Gritta et al.'s AUC: trapezoid area under sorted ln(e + 1) / ln(20039), over n - 1."""
    scaled = sorted(math.log(e + 1) / math.log(MAX_ERROR_KM) for e in errors)
    if len(scaled) < 2:
        return scaled[0] if scaled else float("nan")
    area = sum((a + b) / 2 for a, b in pairwise(scaled))
    return area / (len(scaled) - 1)


def resolution_metrics(outcomes: Sequence[Outcome]) -> dict[str, float]:
    errors = [o.error_km for o in outcomes]
    with_id = [o for o in outcomes if o.gold.geonames_id is not None]
    exact = [o for o in with_id if o.place and o.place.get("geonames_id") == o.gold.geonames_id]
    n = len(errors)
    return {
        "n": n,
        "unresolved": sum(1 for o in outcomes if o.place is None or o.place.get("lat") is None),
        "acc161": 100 * sum(1 for e in errors if e < ACC_KM) / n if n else float("nan"),
        "mean": statistics.fmean(errors) if n else float("nan"),
        "median": statistics.median(errors) if n else float("nan"),
        "auc": auc(errors),
        "exact_id": 100 * len(exact) / len(with_id) if with_id else float("nan"),
        "far_exact": sum(1 for o in exact if o.error_km >= ACC_KM),
    }


def resolve_given_spans(system: System, articles: Iterable[Article]) -> tuple[list[Outcome], float]:
    """Resolve every article's scored gold spans; the outcomes and the seconds spent parsing."""
    outcomes, seconds = [], 0.0
    for article in articles:
        gold = [t for t in article.toponyms if t.scored]
        if not gold:
            continue
        record = {
            "id": article.id,
            "text": article.text,
            "toponyms": [{"start": t.start, "end": t.end} for t in gold],
        }
        began = time.perf_counter()
        out = system.parse(record)
        seconds += time.perf_counter() - began
        by_span = {(p["start"], p["end"]): p for p in out.get("places", [])}
        for t in gold:
            place = by_span.get(t.span)
            outcomes.append(Outcome(article.id, t, place, error_km(t, place)))
    return outcomes, seconds


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(
    predicted: Sequence[Record], gold: Sequence[Toponym]
) -> list[tuple[Record, Toponym]]:
    """One-to-one pairs of overlapping spans, the largest overlaps first."""
    pairs = sorted(
        (
            (-_overlap((p["start"], p["end"]), g.span), i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold)
            if _overlap((p["start"], p["end"]), g.span) > 0
        ),
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    matched = []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matched.append((predicted[i], gold[j]))
    return matched


def end_to_end(system: System, articles: Iterable[Article]) -> dict[str, float]:
    """Precision, recall and F1 of found spans, and acc@161 over the matched ones."""
    predictions = gold_total = 0
    errors: list[float] = []
    began = time.perf_counter()
    for article in articles:
        out = system.parse({"id": article.id, "text": article.text})
        places: list[Record] = out.get("places", [])
        gold = [t for t in article.toponyms if t.scored]
        unscored = [t.span for t in article.toponyms if not t.scored]
        matched = match_spans(places, gold)
        hit = {id(p) for p, _ in matched}
        neutral = sum(
            1
            for p in places
            if id(p) not in hit and any(_overlap((p["start"], p["end"]), s) for s in unscored)
        )
        predictions += len(places) - neutral
        gold_total += len(gold)
        errors.extend(error_km(g, p) for p, g in matched)
    seconds = time.perf_counter() - began
    precision = len(errors) / predictions if predictions else 0.0
    recall = len(errors) / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    acc = 100 * sum(1 for e in errors if e < ACC_KM) / len(errors) if errors else float("nan")
    return {
        "precision": 100 * precision,
        "recall": 100 * recall,
        "f1": 100 * f1,
        "matched": len(errors),
        "predictions": predictions,
        "acc161": acc,
        "seconds": seconds,
    }


# --- reporting -----------------------------------------------------------------------


def describe(dataset: Dataset) -> str:
    toponyms = dataset.toponyms
    scored = [t for t in toponyms if t.scored]
    with_id = sum(1 for t in scored if t.geonames_id is not None)
    bad = sum(a.bad_offsets for a in dataset.articles)
    return (
        f"{dataset.name}: {len(dataset.articles)} articles, {dataset.annotations} annotations, "
        f"{len(toponyms)} toponyms: {len(scored)} with gold coordinates ({with_id} with a "
        f"GeoNames id), {len(toponyms) - len(scored)} without (not scored); "
        f"skipped for offsets off their name: {bad}"
    )


ROWS: list[tuple[str, str, str]] = [
    ("toponyms scored", "n", "{:.0f}"),
    ("no answer (= 20039 km)", "unresolved", "{:.0f}"),
    ("acc@161 (%)", "acc161", "{:.1f}"),
    ("mean error (km)", "mean", "{:.0f}"),
    ("median error (km)", "median", "{:.1f}"),
    ("AUC (lower is better)", "auc", "{:.3f}"),
    ("exact GeoNames id (%)", "exact_id", "{:.1f}"),
    ("misses with the gold id", "far_exact", "{:.0f}"),
]


def print_table(
    title: str, columns: dict[str, dict[str, float]], rows: list[tuple[str, str, str]]
) -> None:
    names = list(columns)
    print(f"  {title:<30}" + "".join(f"{n:>12}" for n in names))
    for label, key, fmt in rows:
        cells = "".join(f"{fmt.format(columns[n][key]):>12}" for n in names)
        print(f"  {label:<30}{cells}")


def report_resolution(dataset: Dataset) -> dict[str, dict[str, float]]:
    columns: dict[str, dict[str, float]] = {}
    for system, outcomes in dataset.outcomes.items():
        metrics = resolution_metrics(outcomes)
        seconds = dataset.seconds[system]
        metrics["rate"] = len(outcomes) / seconds if seconds else float("nan")
        subset = [o for o in outcomes if o.gold.geonames_id is not None]
        metrics["n_id"] = len(subset)
        metrics["acc161_id"] = resolution_metrics(subset)["acc161"]
        columns[system] = metrics
    rows = [
        *ROWS,
        ("toponyms/s", "rate", "{:.0f}"),
        ("with a GeoNames id: n", "n_id", "{:.0f}"),
        ("with a GeoNames id: acc@161", "acc161_id", "{:.1f}"),
    ]
    print_table("resolution, gold spans given", columns, rows)
    return columns


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.3f}" if b else "n/a"


def report_anchors(dataset: str, columns: dict[str, dict[str, float]]) -> None:
    names = list(columns)
    for anchor, figure, note in ANCHORS.get(dataset, []):
        ratios = ", ".join(f"{n}/{anchor} {_ratio(columns[n]['acc161'], figure)}" for n in names)
        print(f"  published acc@161 {anchor} {figure} ({note}): {ratios}")
    if "sitrep" in columns and "baseline" in columns:
        s, b = columns["sitrep"], columns["baseline"]
        print(
            f"  sitrep/baseline: acc@161 {_ratio(s['acc161'], b['acc161'])}, "
            f"mean error {_ratio(s['mean'], b['mean'])}, AUC {_ratio(s['auc'], b['auc'])}, "
            f"speed {_ratio(s['rate'], b['rate'])}"
        )


def report_end_to_end(metrics: dict[str, float]) -> None:
    print(
        f"  end to end (sitrep, no spans given): P {metrics['precision']:.1f} "
        f"R {metrics['recall']:.1f} F1 {metrics['f1']:.1f} "
        f"({metrics['matched']:.0f} matched of {metrics['predictions']:.0f} counted predictions); "
        f"acc@161 over matched {metrics['acc161']:.1f}; {metrics['seconds']:.1f} s"
    )


def _picked(place: Record | None) -> str:
    if place is None or place.get("lat") is None:
        return "(nothing)"
    return f"{place.get('name')} ({place.get('country') or '?'})"


def report_errors(dataset: Dataset, system: str) -> None:
    outcomes = dataset.outcomes[system]
    answered = [o for o in outcomes if o.place is not None and o.place.get("lat") is not None]
    worst = sorted(answered, key=lambda o: -o.error_km)[:WORST]
    print(
        f"\n  {dataset.name}, {system}: the {len(worst)} worst answers "
        f"({len(outcomes) - len(answered)} toponyms got none; see the misses below)"
    )
    for o in worst:
        g = o.gold
        print(
            f"    {o.error_km:8.0f} km  {g.text!r} gold ({g.lat:.3f}, {g.lon:.3f}) "
            f"-> {_picked(o.place)}  [{o.article}]"
        )
    misses = Counter((o.gold.text, _picked(o.place)) for o in outcomes if o.error_km >= ACC_KM)
    print(f"  {dataset.name}, {system}: the {FREQUENT} most frequent misses (>= {ACC_KM:.0f} km)")
    for (text, picked), count in misses.most_common(FREQUENT):
        print(f"    {count:4d}  {text!r} -> {picked}")


# --- main ----------------------------------------------------------------------------


def systems(settings: Settings) -> dict[str, System]:
    default_gazetteer(settings)  # builds the index if needed
    # The baseline opens its own instance so that it does not warm sitrep's name cache.
    baseline = GazetteerBaseline(Gazetteer.open(gazetteer_path(settings)))
    found: dict[str, System] = {"baseline": baseline}
    sitrep = load_sitrep(settings)
    if sitrep is not None:
        found["sitrep"] = sitrep
    for system in found.values():
        system.parse(dict(WARM_UP))
    return found


def run(dataset: Dataset, parsers: dict[str, System], show_errors: bool) -> None:
    print(f"\n{describe(dataset)}")
    for name, system in parsers.items():
        dataset.outcomes[name], dataset.seconds[name] = resolve_given_spans(
            system, dataset.articles
        )
    columns = report_resolution(dataset)
    report_anchors(dataset.name, columns)
    if "sitrep" in parsers:
        report_end_to_end(end_to_end(parsers["sitrep"], dataset.articles))
    if show_errors:
        for name in parsers:
            report_errors(dataset, name)


LOADERS: dict[str, Callable[[Path, int | None], Dataset]] = {
    "GeoWebNews": load_gwn,
    "LGL": load_lgl,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", type=Path, help="the geoparsing-news-gold folder")
    parser.add_argument("--limit", type=int, default=None, help="first N articles per dataset")
    parser.add_argument("--errors", action="store_true", help="print the worst resolutions")
    args = parser.parse_args(argv)
    missing = [f for f in ("GWN.xml", "lgl.xml") if not (args.folder / f).is_file()]
    if missing:
        print(f"error: {args.folder} lacks {', '.join(missing)}", file=sys.stderr)
        return 2
    began = time.perf_counter()
    settings = Settings.load()
    parsers = systems(settings)
    print(f"systems: {', '.join(parsers)} (loaded in {time.perf_counter() - began:.1f} s)")
    for load in LOADERS.values():
        run(load(args.folder, args.limit), parsers, args.errors)
    print(f"\ntotal {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
