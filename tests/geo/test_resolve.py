"""Toponym resolution and geoparsing against the region's gazetteer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.geo.gazetteer import Gazetteer
from sitrep.geo.geoparse import Geoparser
from sitrep.geo.resolve import Resolver, clean_name
from sitrep.settings import Settings


@pytest.fixture(scope="module")
def gazetteer(small_gazetteer: Path) -> Gazetteer:
    return Gazetteer.open(small_gazetteer)


def _resolve(gazetteer: Gazetteer, text: str, names: list[str]) -> dict[str, object]:
    spans = [(m.start(), m.end()) for n in names for m in [re.search(re.escape(n), text)] if m]
    resolved = Resolver(gazetteer).resolve(text, spans)
    return {r.text: r.place for r in resolved}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Idlib province", ("Idlib", "admin")),
        ("the city of Idlib", ("Idlib", "city")),
        ("Aleppo's", ("Aleppo", None)),
        ("Idlib city", ("Idlib", "city")),
    ],
)
def test_clean_name(text: str, expected: tuple[str, str | None]) -> None:
    assert clean_name(text) == expected


def test_seed_places(gazetteer: Gazetteer) -> None:
    text = (
        "The army took Maaret al-Numan in Idlib province, then shelled Idlib. Aleppo and "
        "Damascus are quiet. Syria, Iran, Turkey and Russia met."
    )
    names = ["Maaret al-Numan", "Idlib province", "Aleppo", "Damascus", "Syria", "Iran"]
    names += ["Turkey", "Russia"]
    places = _resolve(gazetteer, text, names)
    ids = {text: getattr(place, "geonames_id", None) for text, place in places.items()}
    assert ids["Maaret al-Numan"] == 167611
    assert ids["Aleppo"] == 170063 and ids["Damascus"] == 170654
    assert ids["Syria"] == 163843 and ids["Iran"] == 130758
    assert ids["Turkey"] == 298795 and ids["Russia"] == 2017370
    province = places["Idlib province"]
    assert province is not None and getattr(province, "kind", "") == "admin1"
    city = Resolver(gazetteer).resolve(
        text, [(text.index("shelled Idlib") + 8, text.index(". Aleppo"))]
    )
    assert city[0].place is not None and city[0].place.geonames_id == 169389


def test_document_focus_chooses_the_country(gazetteer: Gazetteer) -> None:
    # "Tripoli" is in Lebanon and in Libya (absent from this index) and elsewhere;
    # with Beirut and Sidon around, the Lebanese one.
    text = "Protests spread from Beirut to Sidon and Tripoli."
    places = _resolve(gazetteer, text, ["Beirut", "Sidon", "Tripoli"])
    assert getattr(places["Tripoli"], "country", None) == "LB"


def test_geoparse_given_spans_and_found(gazetteer: Gazetteer, small_gazetteer: Path) -> None:
    parser = Geoparser(gazetteer, Settings.load(env={}, gazetteer_path=str(small_gazetteer)))
    given = parser.parse(
        {"id": 1, "text": "Shelling near Saraqib.", "toponyms": [{"start": 14, "end": 21}]}
    )
    assert given["id"] == 1
    [place] = given["places"]
    assert (place["text"], place["geonames_id"], place["country"]) == ("Saraqib", 164816, "SY")
    assert set(place) == {
        "start",
        "end",
        "text",
        "name",
        "lat",
        "lon",
        "geonames_id",
        "country",
        "feature_class",
        "confidence",
    }
    found = parser.parse({"id": 2, "text": "Government forces shelled Saraqib and Kafr Nabl."})
    assert [p["text"] for p in found["places"]] == ["Saraqib", "Kafr Nabl"]


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"id": 1, "text": "Idlib", "toponyms": [{"start": 0, "end": 50}]}, "outside the text"),
        ({"id": 1, "text": "Idlib", "toponyms": [{"start": 3, "end": 1}]}, "outside the text"),
        ({"id": 1, "text": 5}, "'text' must be a string"),
        ({"id": 1, "text": "Idlib", "toponyms": "0-5"}, "must be a list"),
    ],
)
def test_malformed_records(
    gazetteer: Gazetteer, small_gazetteer: Path, record: dict[str, object], problem: str
) -> None:
    parser = Geoparser(gazetteer, Settings.load(env={}, gazetteer_path=str(small_gazetteer)))
    with pytest.raises(InputError, match=problem) as caught:
        parser.parse(record, "stdin:3")
    assert "stdin:3" in caught.value.message


def test_a_town_is_the_namesake_near_the_other_places_named(gazetteer: Gazetteer) -> None:
    # Dublin, Ohio, not the larger Dublin in California: the article's other places are
    # all around Columbus. Without them the larger namesake wins.
    text = "Police in Columbus, Grove City and Dublin searched Franklin County overnight."
    places = _resolve(gazetteer, text, ["Columbus", "Grove City", "Dublin", "Franklin County"])
    dublin = places["Dublin"]
    assert (getattr(dublin, "country", None), getattr(dublin, "admin1", None)) == ("US", "OH")
    alone = _resolve(gazetteer, "Flights to Dublin were cancelled.", ["Dublin"])["Dublin"]
    assert getattr(alone, "admin1", None) != "OH"


@pytest.mark.parametrize(("name", "state"), [("W.Va.", "WV"), ("D.C.", "DC"), ("Ga.", "GA")])
def test_news_abbreviations_name_their_state(gazetteer: Gazetteer, name: str, state: str) -> None:
    # Before, "W.Va." went to Vwawa in Tanzania and "D.C." to Dhaka.
    text = f"The plant near Charleston, {name}, closed."
    place = _resolve(gazetteer, text, [name])[name]
    assert (getattr(place, "country", None), getattr(place, "admin1", None)) == ("US", state)
