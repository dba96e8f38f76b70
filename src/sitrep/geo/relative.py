"""Relative locations: "about 14 kilometres southeast of the city of Idlib" as geometry.

A relative description names an anchor place and says where from it the event is: at a
distance and bearing ("14 km south-east of Idlib": a point, with an uncertainty that
grows with the distance and with "about"), in a direction with no distance ("south of
Idlib": an area beside the anchor), near it ("near Saraqib", "on the outskirts of ..."),
or in a part of a region ("southern Idlib", "the western Aleppo countryside").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = [
    "MAX_RELATIVE_KM",
    "Offset",
    "destination",
    "distance_km",
    "parse_relative",
    "region_part",
    "relative_before",
]

EARTH_RADIUS_KM = 6371.0
# News measures relative places in tens of kilometres; beyond this it is an error.
MAX_RELATIVE_KM = 500.0

_BEARINGS = {
    "north": 0.0,
    "northeast": 45.0,
    "east": 90.0,
    "southeast": 135.0,
    "south": 180.0,
    "southwest": 225.0,
    "west": 270.0,
    "northwest": 315.0,
}
_UNITS = {"km": 1.0, "kilometres": 1.0, "kilometers": 1.0, "miles": 1.609, "mi": 1.609}
_HEDGES = ("about", "some", "around", "roughly", "nearly", "approximately", "almost")

_RELATIVE = re.compile(
    r"^(?:(?P<hedge>[a-z]+) )?(?:(?P<number>\d[\d,]*(?:\.\d+)?) ?(?P<unit>km|kilometres|"
    r"kilometers|miles|mi)\b (?:to the )?)?(?P<direction>(?:north|south|east|west)"
    r"(?:[- ]?(?:east|west))?)(?:ern)? (?:of|outside|from) (?P<anchor>.+)$"
    r"|^(?P<near>near|outside|close to|on the outskirts of) (?P<near_anchor>.+)$",
    re.IGNORECASE,
)
_ANCHOR_NOUNS = re.compile(
    r"^(?:the )?(?:(?:city|town|village|provincial capital|capital) of )?(?:the )?", re.I
)
# "villages west of Aleppo", "10 km south of the city of Idlib": the words just before a
# place that put the event beside it.
_BESIDE = re.compile(
    r"(?P<phrase>(?:\b[a-z]+ )?(?:\d[\d,]*(?:\.\d+)? ?(?:km|kilometres|kilometers|miles|mi)\b "
    r"(?:to the )?)?\b(?:north|south|east|west)(?:[- ]?(?:east|west))? of )"
    r"(?:the (?:city|town|village) of )?$",
    re.IGNORECASE,
)
_PART = re.compile(
    r"(?P<direction>(?:north|south|east|west)(?:[- ]?(?:east|west))?)ern\s+"
    r"(?:(?:rural|countryside of|outskirts of)\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Offset:
    """Where a relative description puts a place, from its anchor."""

    anchor: str  # the anchor's name as written ("Idlib")
    kind: str  # distance | direction | near
    distance_km: float | None = None
    bearing: float | None = None  # degrees clockwise from north
    hedged: bool = False  # "about 14 km"

    def describe(self) -> str:
        if self.kind == "distance" and self.distance_km is not None:
            return f"{self.distance_km:g} km {_compass(self.bearing)} of {self.anchor}"
        if self.kind == "direction":
            return f"{_compass(self.bearing)} of {self.anchor}"
        return f"near {self.anchor}"


def parse_relative(phrase: str) -> Offset | None:
    """The offset a relative phrase states, or None if it is not one we read.

    Raises ValueError for an absurd distance ("5,000 km north of Idlib").
    """
    match = _RELATIVE.match(phrase.strip())
    if match is None:
        return None
    if match["near"]:
        return Offset(_anchor(match["near_anchor"]), "near")
    if match["hedge"] and match["hedge"].lower() not in _HEDGES:
        return None
    bearing = _bearing(match["direction"])
    anchor = _anchor(match["anchor"])
    if match["number"] is None:
        return Offset(anchor, "direction", None, bearing)
    km = float(match["number"].replace(",", "")) * _UNITS[match["unit"].lower()]
    if not 0 < km <= MAX_RELATIVE_KM:
        raise ValueError(f"{km:g} km is not a plausible distance for {phrase!r}")
    return Offset(anchor, "distance", km, bearing, hedged=match["hedge"] is not None)


def relative_before(text_before: str, name: str) -> Offset | None:
    """The offset that the words before a place state from it ("villages west of
    Aleppo"), or None. Raises ValueError as :func:`parse_relative` does."""
    match = _BESIDE.search(text_before[-60:])
    if match is None:
        return None
    offset = parse_relative(f"{match['phrase']}{name}")
    if offset is None:  # a word before the distance that is not a hedge ("villages 10 km")
        offset = parse_relative(f"{match['phrase'].split(' ', 1)[-1]}{name}")
    return offset


def region_part(text_before: str) -> float | None:
    """The bearing of "southern" in "southern Idlib" (the words just before a place)."""
    match = _PART.search(text_before[-40:])
    return _bearing(match["direction"]) if match else None


def destination(lat: float, lon: float, bearing: float, km: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) along ``bearing`` on a sphere."""
    angular = km / EARTH_RADIUS_KM
    theta, phi1, lam1 = map(math.radians, (bearing, lat, lon))
    phi2 = math.asin(
        math.sin(phi1) * math.cos(angular) + math.cos(phi1) * math.sin(angular) * math.cos(theta)
    )
    lam2 = lam1 + math.atan2(
        math.sin(theta) * math.sin(angular) * math.cos(phi1),
        math.cos(angular) - math.sin(phi1) * math.sin(phi2),
    )
    return math.degrees(phi2), (math.degrees(lam2) + 540) % 360 - 180


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _bearing(direction: str) -> float:
    return _BEARINGS[re.sub(r"[- ]", "", direction.lower())]


def _anchor(text: str) -> str:
    return _ANCHOR_NOUNS.sub("", text.strip()).strip(" ,.")


def _compass(bearing: float | None) -> str:
    names = {v: k for k, v in _BEARINGS.items()}
    return names.get(bearing if bearing is not None else -1.0, "")
