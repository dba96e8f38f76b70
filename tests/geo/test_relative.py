"""Relative location phrases as geometry."""

from __future__ import annotations

import pytest

from sitrep.geo.relative import (
    destination,
    distance_km,
    parse_relative,
    region_part,
    relative_before,
)


def test_distance_and_bearing() -> None:
    offset = parse_relative("about 14 kilometres southeast of the city of Idlib")
    assert offset is not None
    assert (offset.anchor, offset.kind, offset.distance_km, offset.bearing, offset.hedged) == (
        "Idlib",
        "distance",
        14.0,
        135.0,
        True,
    )
    assert offset.describe() == "14 km southeast of Idlib"


@pytest.mark.parametrize(
    ("phrase", "kind", "anchor", "bearing"),
    [
        ("south of the city of Idlib", "direction", "Idlib", 180.0),
        ("north-west of Aleppo", "direction", "Aleppo", 315.0),
        ("near Saraqib", "near", "Saraqib", None),
        ("on the outskirts of the town of Saraqib", "near", "Saraqib", None),
    ],
)
def test_other_relations(phrase: str, kind: str, anchor: str, bearing: float | None) -> None:
    offset = parse_relative(phrase)
    assert offset is not None
    assert (offset.kind, offset.anchor, offset.bearing) == (kind, anchor, bearing)


def test_miles_are_kilometres() -> None:
    offset = parse_relative("10 miles north of Hama")
    assert offset is not None and offset.distance_km == pytest.approx(16.09)


def test_absurd_distances_are_errors() -> None:
    with pytest.raises(ValueError, match="5000 km"):
        parse_relative("5,000 km north of Idlib")
    assert parse_relative("a strategic town") is None


def test_destination_round_trip() -> None:
    lat, lon = destination(35.93, 36.63, 135.0, 14.0)
    assert distance_km(35.93, 36.63, lat, lon) == pytest.approx(14.0, abs=0.01)
    assert lat < 35.93 and lon > 36.63  # south-east


def test_region_part() -> None:
    assert region_part("fighting in southern ") == 180.0
    assert region_part("shelling in the north-western countryside of ") == 315.0
    assert region_part("shelling in ") is None


@pytest.mark.parametrize(
    ("before", "kind", "bearing", "km"),
    [
        ("captured more villages west of ", "direction", 270.0, None),
        ("shelled villages 10 km south of the city of ", "distance", 180.0, 10.0),
        ("a town about 14 km south-east of ", "distance", 135.0, 14.0),
    ],
)
def test_words_before_a_place_that_put_the_event_beside_it(
    before: str, kind: str, bearing: float, km: float | None
) -> None:
    offset = relative_before(before, "Aleppo")
    assert offset is not None and offset.anchor == "Aleppo"
    assert (offset.kind, offset.bearing, offset.distance_km) == (kind, bearing, km)


@pytest.mark.parametrize("before", ["the road to ", "fighting in the northern ", "west, in "])
def test_words_before_a_place_that_do_not(before: str) -> None:
    assert relative_before(before, "Aleppo") is None
