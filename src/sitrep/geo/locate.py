"""Geocoding event mentions: one location per event, with honest precision and reasons.

The place a mention names is resolved in the context of every place its article names.
A relative description moves it: "about 14 kilometres southeast of the city of Idlib"
puts the event at that distance and bearing from Idlib, unless the named village is in
the gazetteer and agrees; "southern Idlib" is the southern part of the province. What
cannot be resolved keeps its text and is flagged for review; an event known only to be
in a country is flagged too, never silently put on the country's centre.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sitrep.geo.gazetteer import Gazetteer, Place
from sitrep.geo.relative import (
    Offset,
    destination,
    distance_km,
    parse_relative,
    region_part,
    relative_before,
)
from sitrep.geo.resolve import Resolution, Resolver
from sitrep.records import EventMention, GeoLocation, LocationRef

__all__ = ["Locator"]

# Beyond this, a named place does not fit the relative description given with it.
_AGREES_KM = 10.0
# "south of Idlib" with no distance: the area this far out, this wide.
_DIRECTION_KM, _DIRECTION_RADIUS_KM = 15.0, 20.0
_NEAR_RADIUS_KM = 10.0
_POINT_RADIUS_KM = 2.0  # a town or village named as such


class Locator:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.resolver = Resolver(gazetteer)

    def locate(
        self, mentions: Sequence[EventMention], text: str, context: Sequence[str] = ()
    ) -> list[EventMention]:
        """The mentions with ``location.geo`` filled; ``text`` is the coding text."""
        located = [m for m in mentions if m.location is not None]
        names = [*context, *(m.location.text for m in located if m.location)]
        spans = [(m.location.start, m.location.end) for m in located if m.location]
        resolutions = self.resolver.resolve(text, spans, names)
        by_span = dict(zip(spans, resolutions, strict=True))
        result = []
        for mention in mentions:
            location = mention.location
            if location is None:
                result.append(mention)
                continue
            found = by_span[location.start, location.end]
            geo = self._geo(location, found, text, names, mention.evidence.segment)
            result.append(replace(mention, location=replace(location, geo=geo)))
        return result

    def _geo(
        self,
        location: LocationRef,
        found: Resolution,
        text: str,
        context: Sequence[str],
        segment: str,
    ) -> GeoLocation:
        source = f"from the {segment}"
        try:
            offset = parse_relative(location.relative) if location.relative else None
        except ValueError as exc:
            geo = self._named(found, text, source)
            return replace(geo, review=True, reasoning=f"{geo.reasoning}; ignored: {exc}")
        if offset is not None:
            anchor = self.resolver.resolve_name(offset.anchor, context)
            if anchor.place is not None:
                return self._relative(found, offset, anchor.place, source)
        return self._named(found, text, source)

    def _named(self, found: Resolution, text: str, source: str) -> GeoLocation:
        place = found.place
        if place is None:
            return GeoLocation(
                None,
                None,
                3,
                0.0,
                reasoning=f"{found.text!r}: no gazetteer match, {source}",
                review=True,
            )
        try:
            beside = relative_before(text[max(0, found.start - 60) : found.start], place.name)
        except ValueError:
            beside = None  # an absurd distance: the named place alone
        if beside is not None:
            # "villages west of Aleppo": beside the named place, not at it.
            point, radius = _offset_point(place, beside)
            reason = f"{beside.describe()}, {source}"
            return self._geo_of(place, found.confidence, point, 2, radius, reason)
        bearing = region_part(text[max(0, found.start - 40) : found.start])
        if bearing is not None:
            # "southern Idlib": the part of the area (or, for a town, its side) named.
            area = place.kind in ("admin1", "admin2", "country", "continent")
            extent = place.radius_km if area else _NEAR_RADIUS_KM
            lat, lon = destination(place.lat, place.lon, bearing, extent / 2)
            return self._geo_of(
                place,
                found.confidence,
                (lat, lon),
                3 if area else 2,
                max(extent * 0.6, _DIRECTION_RADIUS_KM if area else _NEAR_RADIUS_KM / 2),
                f"the {_compass_word(bearing)} part of {place.name}, {source}",
            )
        if place.kind == "country":
            return replace(
                self._geo_of(place, found.confidence, None, 3, place.radius_km, ""),
                review=True,
                reasoning=f"only the country ({place.name}) is known, {source}",
            )
        precision = 3 if place.kind.startswith("admin") or place.feature_class == "A" else 1
        if place.radius_km > _POINT_RADIUS_KM * 5 and precision == 1:
            precision = 2
        radius = max(place.radius_km, _POINT_RADIUS_KM)
        province = self._namesake_province(place) if found.hint is None else None
        if province is not None and precision == 1:
            # "killed in Idlib": the city, or the province named after it? The text does
            # not say, so the event is at the city with the province's reach.
            reason = f"{place.name}, the city or its province (the text does not say), {source}"
            radius = max(radius, province.radius_km)
            return self._geo_of(place, found.confidence, None, 2, radius, reason)
        return self._geo_of(
            place, found.confidence, None, precision, radius, f"{place.name}, {source}"
        )

    def _namesake_province(self, place: Place) -> Place | None:
        """The admin-1 area a town shares its name with and lies in (Idlib, Aleppo)."""
        if place.feature_class != "P" or not place.admin1:
            return None
        for candidate in self.gazetteer.lookup(place.name):
            area = candidate.place
            if candidate.exact and area.kind == "admin1" and area.country == place.country:
                return area if area.admin1 == place.admin1 else None
        return None

    def _relative(
        self, found: Resolution, offset: Offset, anchor: Place, source: str
    ) -> GeoLocation:
        named = found.place
        point, radius = _offset_point(anchor, offset)
        reason = f"{offset.describe()}, {source}"
        if named is not None and named.kind not in ("country", "admin1"):
            gap = distance_km(named.lat, named.lon, *point)
            if gap <= radius + _AGREES_KM:
                return self._geo_of(
                    named,
                    found.confidence,
                    None,
                    1,
                    _POINT_RADIUS_KM,
                    f"{named.name} ({reason}; agrees within {gap:.0f} km)",
                )
        return self._geo_of(anchor, found.confidence, point, 2, radius, reason)

    def _geo_of(
        self,
        place: Place,
        confidence: float,
        point: tuple[float, float] | None,
        precision: int,
        radius: float,
        reasoning: str,
    ) -> GeoLocation:
        lat, lon = point if point is not None else (place.lat, place.lon)
        return GeoLocation(
            lat=round(lat, 5),
            lon=round(lon, 5),
            geo_precision=precision,
            radius_km=round(radius, 1),
            place_id=place.id if point is None else None,
            geonames_id=place.geonames_id if point is None else None,
            name=place.name,
            country=place.country,
            admin1=self.gazetteer.admin1_name(place.country, place.admin1) or None,
            admin2=place.admin2 or None,
            feature_class=place.feature_class,
            confidence=confidence,
            reasoning=reasoning,
        )


def _offset_point(anchor: Place, offset: Offset) -> tuple[tuple[float, float], float]:
    """Where an offset from the anchor puts the event, and how far that may be off."""
    if offset.kind == "distance" and offset.distance_km and offset.bearing is not None:
        point = destination(anchor.lat, anchor.lon, offset.bearing, offset.distance_km)
        radius = max(_POINT_RADIUS_KM, offset.distance_km * (0.25 if offset.hedged else 0.15))
        return point, radius
    if offset.kind == "direction" and offset.bearing is not None:
        point = destination(anchor.lat, anchor.lon, offset.bearing, _DIRECTION_KM)
        return point, _DIRECTION_RADIUS_KM
    return (anchor.lat, anchor.lon), _NEAR_RADIUS_KM


_COMPASS_WORDS = (
    *("northern", "north-eastern", "eastern", "south-eastern"),
    *("southern", "south-western", "western", "north-western"),
)


def _compass_word(bearing: float) -> str:
    return _COMPASS_WORDS[round(bearing / 45) % 8]
