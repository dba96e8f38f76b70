"""The brief's static map and timeline chart, drawn with matplotlib (Agg, no display).

The map draws the same offline basemap the web map uses (Natural Earth shapes that
``scripts/build_basemap.py`` writes); without it the events are drawn on a plain ground
rather than not at all. Both charts come back as PNG bytes, embedded as data URIs.
"""

from __future__ import annotations

import io
import json
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitrep.brief.select import Development, Item, Region
from sitrep.errors import ConfigError

__all__ = ["BASEMAP", "map_png", "matplotlib_pyplot", "timeline_png"]

BASEMAP = Path(__file__).resolve().parent.parent / "web" / "static" / "vendor" / "basemap"
# Okabe-Ito colours, as the web map uses, so that the same type looks the same.
TYPE_COLOURS = {
    "Battles": "#D55E00",
    "Explosions/Remote violence": "#B86E00",
    "Violence against civilians": "#A0527F",
    "Protests": "#0072B2",
    "Riots": "#0072B2",
    "Strategic developments": "#009E73",
}
OTHER_COLOUR = "#5A5A5A"
DPI = 150
MAP_ASPECT = 0.6  # height / width of the map figure; the view is widened to fill it
# Where the headline's numbers sit beside their dots (points), so that neighbours' show.
LABEL_OFFSETS = ((6, 6), (6, -16), (-16, 6), (-16, -16), (10, -5))


def matplotlib_pyplot() -> Any:
    """pyplot on the Agg backend, imported on first use: the dependency is optional."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ConfigError(
            "E003",
            "the brief's map and charts need the matplotlib package, which is not installed",
            "pip install 'sitrep[brief]', or write the brief as md",
        ) from exc
    return plt


def map_png(
    items: Sequence[Item], region: Region | None, top: Sequence[Development], paper_width: float
) -> bytes:
    """Every located event as a dot coloured by type; the headline's events numbered."""
    plt = matplotlib_pyplot()
    located = [(i.lon, i.lat, i.event_type) for i in items if i.lat is not None and i.lon]
    west, south, east, north = _extent(located, region)
    figure, axes = plt.subplots(figsize=(paper_width, paper_width * MAP_ASPECT))
    try:
        axes.set_facecolor("#DCE9F2")  # sea
        _draw_basemap(axes, (west, south, east, north))
        for event_type, points in _by_type(located).items():
            xs, ys = zip(*points, strict=True)
            colour = TYPE_COLOURS.get(event_type, OTHER_COLOUR)
            axes.scatter(xs, ys, s=14, c=colour, alpha=0.75, label=event_type, zorder=3)
        for rank, development in enumerate(top, start=1):
            lead = development.lead
            if lead.lat is not None and lead.lon is not None:
                axes.annotate(
                    str(rank),
                    (lead.lon, lead.lat),
                    xytext=LABEL_OFFSETS[(rank - 1) % len(LABEL_OFFSETS)],
                    textcoords="offset points",
                    fontsize=9,
                    fontweight="bold",
                    bbox={"boxstyle": "circle,pad=0.2", "fc": "white", "ec": "black"},
                    zorder=4,
                )
        axes.set_xlim(west, east)
        axes.set_ylim(south, north)
        axes.set_aspect(1 / _shrink((south + north) / 2), adjustable="box")
        axes.tick_params(labelsize=7)
        if located:
            axes.legend(
                loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=7, frameon=False
            )
        return _png(figure)
    finally:
        plt.close(figure)


def timeline_png(items: Sequence[Item], paper_width: float) -> bytes:
    """Events per day (bars) and territorial changes (marked above their day)."""
    plt = matplotlib_pyplot()
    days = Counter(i.date[:10] for i in items if _is_day(i.date))
    changes = Counter(i.date[:10] for i in items if i.territorial and _is_day(i.date))
    figure, axes = plt.subplots(figsize=(paper_width, paper_width * 0.3))
    try:
        if days:
            first, last = min(days), max(days)
            span = list(_days(date.fromisoformat(first), date.fromisoformat(last)))
            axes.bar(span, [days.get(d.isoformat(), 0) for d in span], color="#0072B2", width=0.8)
            marked = [date.fromisoformat(d) for d in sorted(changes)]
            heights = [days[d.isoformat()] + 0.3 for d in marked]
            axes.scatter(marked, heights, marker="v", c="#D55E00", label="territory changed hands")
            if marked:
                axes.legend(loc="upper left", fontsize=7)
        axes.set_ylabel("events", fontsize=8)
        axes.tick_params(labelsize=7)
        figure.autofmt_xdate()
        return _png(figure)
    finally:
        plt.close(figure)


def _extent(
    located: Sequence[tuple[float, float, str]], region: Region | None
) -> tuple[float, float, float, float]:
    box = region.bbox if region else None
    if box is None and located:
        xs, ys = [p[0] for p in located], [p[1] for p in located]
        box = (min(xs), min(ys), max(xs), max(ys))
    if box is None:
        box = (35.0, 32.0, 43.0, 37.5)  # no events: the Levant, rather than the world
    west, south, east, north = box
    pad = max(east - west, north - south, 0.5) * 0.1
    west, south, east, north = west - pad, south - pad, east + pad, north + pad
    # Widen (or heighten) the view about its centre to the figure's shape, less the legend.
    middle_x, middle_y = (west + east) / 2, (south + north) / 2
    shrink = _shrink(middle_y)
    wanted = (MAP_ASPECT * 0.85) / shrink  # degrees of latitude per degree of longitude
    if (north - south) / (east - west) < wanted:
        half = (east - west) * wanted / 2
        south, north = middle_y - half, middle_y + half
    else:
        half = (north - south) / wanted / 2
        west, east = middle_x - half, middle_x + half
    return west, south, east, north


def _shrink(latitude: float) -> float:
    """How much a degree of longitude shrinks at this latitude."""
    return max(math.cos(math.radians(latitude)), 0.1)


def _draw_basemap(axes: Any, view: tuple[float, float, float, float]) -> None:
    """Land, province borders and country borders inside the view, as one collection each
    (one draw call each)."""
    from matplotlib.collections import LineCollection, PolyCollection

    countries, boundaries = _basemap()
    rings = []
    for name, shapes, box in countries:
        if _overlaps(box, view):
            rings += [ring for ring in shapes if _overlaps(_box(ring), view)]
            if _inside(_centre(box), view) and name:
                axes.text(*_centre(box), name, fontsize=7, color="#777777", ha="center", zorder=2)
    axes.add_collection(PolyCollection(rings, facecolors="#F4F1EA", edgecolors="none", zorder=1))
    provinces = [line for line in _admin1_lines() if _overlaps(_box(line), view)]
    axes.add_collection(LineCollection(provinces, colors="#C8C8C8", linewidths=0.35, zorder=2))
    lines = [line for line in boundaries if _overlaps(_box(line), view)]
    axes.add_collection(LineCollection(lines, colors="#9A9A9A", linewidths=0.6, zorder=2))


def _box(points: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


@lru_cache(maxsize=1)
def _basemap() -> tuple[
    list[tuple[str, list[list[tuple[float, float]]], tuple[float, float, float, float]]],
    list[list[tuple[float, float]]],
]:
    """Country rings with their boxes, and border/coast lines; empty if not built."""
    countries_path, boundaries_path = BASEMAP / "countries.geojson", BASEMAP / "boundaries.geojson"
    if not countries_path.is_file() or not boundaries_path.is_file():
        return [], []
    countries = []
    for feature in json.loads(countries_path.read_text())["features"]:
        rings = [[(x, y) for x, y in ring] for ring in _rings(feature["geometry"])]
        box = _box([p for ring in rings for p in ring])
        countries.append((str(feature["properties"].get("name") or ""), rings, box))
    lines = [
        [(x, y) for x, y in line]
        for feature in json.loads(boundaries_path.read_text())["features"]
        for line in feature["geometry"]["coordinates"]
    ]
    return countries, lines


@lru_cache(maxsize=1)
def _admin1_lines() -> list[list[tuple[float, float]]]:
    """Borders between provinces (admin-1); none if the basemap predates them."""
    path = BASEMAP / "admin1-lines.geojson"
    if not path.is_file():
        return []
    return [
        [(x, y) for x, y in line]
        for feature in json.loads(path.read_text())["features"]
        for line in feature["geometry"]["coordinates"]
    ]


def _rings(geometry: dict[str, Any]) -> Iterator[list[list[float]]]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    for polygon in polygons:
        yield polygon[0]  # the outer ring; holes are too small to matter at this scale


def _by_type(located: Iterable[tuple[float, float, str]]) -> dict[str, list[tuple[float, float]]]:
    groups: dict[str, list[tuple[float, float]]] = {}
    for lon, lat, event_type in located:
        groups.setdefault(event_type or "Other", []).append((lon, lat))
    return dict(sorted(groups.items()))


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _centre(box: tuple[float, float, float, float]) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def _inside(point: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _is_day(value: str) -> bool:
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
