"""Build the web UI's vendored assets and offline basemap (run by `make basemap`).

Everything the pages load is served by sitrep itself: no tile server, no CDN, no network at
run time. This script fetches the npm tarballs pinned in scripts/basemap.lock.json straight
from the registry with the standard library (no node needed), checks each against the
registry's sha512 integrity, and writes into src/sitrep/web/static/vendor/ (gitignored):

- maplibre-gl/   the map library (ES modules, CSS, licence)
- axe-core/      the accessibility checker the browser tests inject
- basemap/       countries.geojson and boundaries.geojson converted here from Natural Earth's
                 TopoJSON (world-atlas), and places.json (label rows) from the gazetteer index

Usage: python scripts/build_basemap.py [--out DIR] [--cache DIR] [--gazetteer PATH]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sqlite3
import sys
import tarfile
import urllib.request
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "scripts" / "basemap.lock.json"
OUT = ROOT / "src" / "sitrep" / "web" / "static" / "vendor"
CACHE = Path.home() / ".cache" / "sitrep" / "npm"
PRECISION = 3  # decimal degrees kept: ~100 m, far finer than the 1:50m source
MIN_LABEL_POPULATION = 20_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--gazetteer", type=Path, default=None)
    args = parser.parse_args(argv)
    lock = json.loads(LOCK.read_text())
    for package in lock["packages"]:
        tarball = fetch(package, args.cache)
        extract(tarball, package["files"], args.out)
    basemap = args.out / "basemap"
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
    users: dict[int, set[int]] = {}
    features = []
    for index, geometry in enumerate(geometries):
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for ring_arcs in (ring for polygon in polygons for ring in polygon):
            for arc in ring_arcs:
                users.setdefault(arc if arc >= 0 else ~arc, set()).add(index)
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


def decode_arcs(topology: dict[str, Any]) -> list[list[list[float]]]:
    """Quantized, delta-encoded TopoJSON arcs as absolute longitude/latitude pairs."""
    (kx, ky), (dx, dy) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for step_x, step_y in arc:
            x, y = x + step_x, y + step_y
            points.append([round(x * kx + dx, PRECISION), round(y * ky + dy, PRECISION)])
        decoded.append(points)
    return decoded


def ring(arcs: list[list[list[float]]], indexes: list[int]) -> list[list[float]]:
    points: list[list[float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])  # arcs share their end points
    return points


def unwrap(points: list[list[float]]) -> list[list[float]]:
    """Points made continuous across the antimeridian (longitudes past 180 are fine for the
    map, a jump from 180 to -180 draws a line across the world)."""
    out, offset = [points[0]], 0.0
    for a, b in pairwise(points):
        if b[0] - a[0] > 180:
            offset -= 360
        elif b[0] - a[0] < -180:
            offset += 360
        out.append([round(b[0] + offset, PRECISION), b[1]])
    return out


def planar(points: list[list[float]]) -> list[list[float]]:
    """A ring fit for a flat map; one that goes round a pole (Antarctica) is closed via it."""
    ring = unwrap(points)
    if abs(ring[-1][0] - ring[0][0]) > 180:
        pole = -90.0 if sum(p[1] for p in ring) < 0 else 90.0
        ring += [[ring[-1][0], pole], [ring[0][0], pole], ring[0]]
    return ring


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
