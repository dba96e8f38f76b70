"""The offline basemap's admin-1 layers, as `make basemap` builds them."""

from __future__ import annotations

import importlib.util
import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parents[1]
BASEMAP = ROOT / "src/sitrep/web/static/vendor/basemap"
Point = tuple[float, float]

built = pytest.mark.skipif(
    not (BASEMAP.parent / "BUILT").exists(), reason="the basemap is not built: `make basemap`"
)


def load(name: str) -> dict[str, Any]:
    path = BASEMAP / name
    assert path.is_file(), f"{name} is missing: rerun `make basemap`"
    data: dict[str, Any] = json.loads(path.read_text())
    assert data["type"] == "FeatureCollection" and data["features"]
    return data


def centroid(feature: dict[str, Any]) -> Point:
    """The vertex mean of the largest outer ring: inside any roughly convex province."""
    outer = max((polygon[0] for polygon in feature["geometry"]["coordinates"]), key=len)
    return sum(p[0] for p in outer) / len(outer), sum(p[1] for p in outer) / len(outer)


def crosses(a: Point, b: Point, c: Point, d: Point) -> bool:
    """Whether segment ab crosses segment cd."""

    def side(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0


@built
def test_admin1_lines_separate_idlib_from_aleppo() -> None:
    lines = load("admin1-lines.geojson")
    kinds = {feature["geometry"]["type"] for feature in lines["features"]}
    assert kinds <= {"LineString", "MultiLineString"}
    syria = [f for f in lines["features"] if f["properties"]["iso"] == "SYR"]
    assert len(syria) == 1
    segments = [
        ((p[0], p[1]), (q[0], q[1]))
        for line in syria[0]["geometry"]["coordinates"]
        for p, q in pairwise(line)
    ]
    provinces = {f["properties"]["code"]: f for f in load("admin1.geojson")["features"]}
    assert provinces["SY.ID"]["properties"]["name"] == "Idlib"
    idlib, aleppo = centroid(provinces["SY.ID"]), centroid(provinces["SY.HL"])
    assert any(crosses(idlib, aleppo, p, q) for p, q in segments)


def test_only_arcs_two_provinces_share_become_lines() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_basemap", ROOT / "scripts/build_basemap.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    # two unit squares side by side; arc 0 is the edge between them
    arcs = [[[1, 0], [0, 1]], [[1, 1], [-1, 0], [0, -1], [1, 0]], [[1, 0], [1, 0], [0, 1], [-1, 0]]]
    west = {"type": "Polygon", "arcs": [[0, 1]], "id": "XX.W", "properties": {"name": "West"}}
    east = {"type": "Polygon", "arcs": [[2, -1]], "id": "XX.E", "properties": {"name": "East"}}
    topology = {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "objects": {"xx": {"type": "GeometryCollection", "geometries": [west, east]}},
        "arcs": arcs,
    }
    script_text = (
        f"Datamap.prototype.xxTopo = '__XX__';\nDatamap.prototype.xxTopo = {json.dumps(topology)};"
    )
    lines, provinces = script.convert_admin1("XX", script.topology_literal(script_text, "xx"))
    assert [line["geometry"]["coordinates"] for line in lines] == [[[[1, 0], [1, 1]]]]
    assert [p["properties"] for p in provinces] == [
        {"name": "West", "iso": "XX", "code": "XX.W"},
        {"name": "East", "iso": "XX", "code": "XX.E"},
    ]
