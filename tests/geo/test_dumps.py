"""GeoNames' full dumps: downloaded from the local test server, merged into a real index."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from geonames_site import ROWS, dump_site
from httpserver import LocalServer
from sitrep.errors import FetchError, InputError
from sitrep.geo.dumps import dumps_digest, dumps_path, read_dumps
from sitrep.geo.gazetteer import Gazetteer, build_index, ensure_gazetteer, gazetteer_path
from sitrep.service import Service
from sitrep.settings import Settings

FILES = ["admin1CodesASCII.txt", "admin2Codes.txt", "SY.zip", "alternatenames/SY.zip"]


@pytest.fixture(scope="module")
def syria_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Syria-only index without dumps, built once and copied by each test."""
    path = tmp_path_factory.mktemp("index") / "gazetteer.sqlite"
    build_index(path, {"SY"})
    return path


@pytest.fixture
def site(tmp_path: Path, http_server: LocalServer) -> Iterator[Path]:
    """The fixture dumps, served at /geonames/ for the test."""
    folder = dump_site(tmp_path / "site")
    with http_server.mount("geonames", folder):
        yield folder


@pytest.fixture
def settings(
    fetch_settings: Settings, tmp_path: Path, syria_index: Path, http_server: LocalServer
) -> Settings:
    """Settings whose gazetteer is a copy of the Syria index and whose GeoNames is local."""
    path = tmp_path / "gazetteer.sqlite"
    shutil.copy(syria_index, path)
    return fetch_settings.with_(
        gazetteer_path=str(path), geonames_url=http_server.url("/geonames/")
    )


def test_update_merges_villages_found_by_any_spelling(
    settings: Settings, site: Path, http_server: LocalServer
) -> None:
    with Service(settings) as service:
        update = service.update_gazetteer(["sy"])
    assert [(d.file, d.changed) for d in update.downloads] == [(f, True) for f in FILES]
    assert update.rebuilt and update.meta["countries"] == "SY"
    assert update.meta["dumps"] == "SY"
    assert json.loads(update.meta["dump_counts"])["SY"] == [7, 2]  # Idlib and its area updated
    assert list(json.loads(update.meta["dump_dates"])) == ["SY.zip"]
    folder = dumps_path(settings)
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.zip")) == [
        "SY.zip",
        "alternatenames/SY.zip",
    ]
    with Gazetteer.open(gazetteer_path(settings)) as gazetteer:
        for spelling in ("al-Nayrab", "an-Nayrab", "Nayrab", "Al Nayrab", "Nerab", "النيرب"):
            ids = [p.id for p in gazetteer.candidates(spelling)]
            assert "90000001" in ids, spelling
        nayrab = gazetteer.get("90000001")
        assert nayrab is not None
        assert (nayrab.lat, nayrab.lon, nayrab.population) == (35.84, 36.73, 0)
        assert (nayrab.admin1, nayrab.admin2, nayrab.feature_class) == ("12", "Idlib District", "P")
        for spelling, geonames_id in [
            ("al-Bara", 90000002),
            ("البارة", 90000002),
            ("Kafr Nouran", 90000003),
            ("كفر نوران", 90000003),
        ]:
            assert geonames_id in [p.geonames_id for p in gazetteer.candidates(spelling)]
        # Idlib: the dump's record, with cities500's names kept and the dump's added.
        idlib = gazetteer.get("169389")
        assert idlib is not None and idlib.population == 165000
        for spelling in ("Idlib", "Idlip", "إدلب", "إدلب الخضراء"):
            assert gazetteer.candidates(spelling)[0].geonames_id == 169389, spelling
        # Admin names from admin1CodesASCII; the ADM1 row's names join the admin-1 area.
        assert gazetteer.admin1_name("SY", "12") == "Idlib Governorate"
        assert gazetteer.candidates("محافظة إدلب")[0].id == "admin1:SY.12"
        assert gazetteer.get("90000010") is None
        district = gazetteer.get("90000011")
        assert district is not None and (district.kind, district.feature_class) == ("admin2", "A")
        assert district.radius_km == 5.0  # its two places are close: the floor
        empty = gazetteer.get("90000012")
        assert empty is not None and empty.radius_km == 15.0  # no places: the default
        base = gazetteer.candidates("Taftanaz Military Airbase")[0]
        assert (base.kind, base.feature_class) == ("air base", "S")
        assert gazetteer.candidates("Jabal Testa")[0].kind == "mountain"
        # Not kept: a stream (class H), a historical place, a link, codes, historic names.
        for name in ("Nahr Testwater", "Old Testabad", "QQX", "IDL", "Testhistoric Nayrab"):
            assert all(
                p.geonames_id not in range(90000000, 90001000) for p in gazetteer.candidates(name)
            ), name
        assert gazetteer.get("163843") is not None  # the country itself is untouched
        assert gazetteer.candidates("Syria")[0].kind == "country"


def test_a_second_update_asks_conditionally_and_downloads_nothing(
    settings: Settings, site: Path, http_server: LocalServer
) -> None:
    with Service(settings) as service:
        service.update_gazetteer(["SY"])
        index = gazetteer_path(settings)
        before = index.stat().st_mtime_ns
        mark = http_server.mark()
        again = service.update_gazetteer()  # no country: what was downloaded before
    assert [d.changed for d in again.downloads] == [False] * 4
    assert not again.rebuilt and index.stat().st_mtime_ns == before
    asked = [r for r in http_server.since(mark) if r.path.startswith("/geonames/")]
    assert [r.path for r in asked] == [f"/geonames/{f}" for f in FILES]
    assert all("if-none-match" in r.headers and "if-modified-since" in r.headers for r in asked)
    assert ensure_gazetteer(settings, {"SY"}) is None  # the index is current


def test_another_country_widens_the_index(
    settings: Settings, site: Path, http_server: LocalServer
) -> None:
    with Service(settings) as service:
        service.update_gazetteer(["SY"])
        update = service.update_gazetteer(["TR"])
    assert [d.file for d in update.downloads if d.changed] == ["TR.zip", "alternatenames/TR.zip"]
    assert update.meta["countries"] == "SY,TR" and update.meta["dumps"] == "SY,TR"
    with Gazetteer.open(gazetteer_path(settings)) as gazetteer:
        assert gazetteer.candidates("Test Köyü")[0].geonames_id == 90000100
        assert gazetteer.candidates("al-Nayrab")  # Syria's dump stays in


def test_any_rebuild_keeps_the_dumps(settings: Settings, site: Path) -> None:
    folder = dumps_path(settings)
    dump_site(folder)  # as if downloaded before
    assert dumps_digest(folder) and dumps_digest(folder.parent / "none") == ""
    meta = ensure_gazetteer(settings, {"SY"})  # stale: the dumps are new
    assert meta is not None and meta["dumps"] == "SY"  # TR is outside the index's countries
    with Gazetteer.open(gazetteer_path(settings)) as gazetteer:
        assert 90000003 in [p.geonames_id for p in gazetteer.candidates("Kafr Nouran")]


def test_unknown_or_missing_countries_are_refused(settings: Settings) -> None:
    with Service(settings) as service:
        with pytest.raises(InputError, match="QQ") as unknown:
            service.update_gazetteer(["SY", "QQ"])
        with pytest.raises(InputError, match="no country") as none:
            service.update_gazetteer([])
    assert unknown.value.code == none.value.code == "E601"


def _index_bytes(settings: Settings) -> bytes:
    return gazetteer_path(settings).read_bytes()


def test_a_server_error_leaves_everything_as_it_was(
    settings: Settings, site: Path, http_server: LocalServer
) -> None:
    settings = settings.with_(retries=1)
    before = _index_bytes(settings)
    with (
        http_server.override("/geonames/SY.zip", "broken\n", status=500),
        Service(settings) as service,
        pytest.raises(FetchError) as error,
    ):
        service.update_gazetteer(["SY"])
    assert error.value.code == "E204" and "/geonames/SY.zip" in error.value.message
    assert "500" in error.value.message
    assert _index_bytes(settings) == before
    assert not (dumps_path(settings) / "SY.zip").exists()
    assert not list(dumps_path(settings).rglob(".*.part"))


def test_a_corrupt_zip_is_discarded(
    settings: Settings, site: Path, http_server: LocalServer
) -> None:
    (site / "SY.zip").write_bytes(b"PK\x03\x04 this is no zip file at all" * 50)
    before = _index_bytes(settings)
    with Service(settings) as service, pytest.raises(InputError) as error:
        service.update_gazetteer(["SY"])
    assert error.value.code == "E602" and http_server.url("/geonames/SY.zip") in error.value.message
    assert "discarded" in error.value.hint
    assert _index_bytes(settings) == before
    assert not (dumps_path(settings) / "SY.zip").exists()


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("90000099\tBroken\tBroken\n", "3 tab-separated columns, not 19"),
        ("\t".join(["x"] + ["1"] * 18) + "\n", "malformed number"),
        ("\t".join(["1", "N", "N", "", "95", "1"] + [""] * 13) + "\n", "out of range"),
    ],
)
def test_a_malformed_line_names_the_file_and_line(
    settings: Settings, tmp_path: Path, http_server: LocalServer, row: str, problem: str
) -> None:
    rows = (ROWS / "SY.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    broken = "".join([*rows[:2], row, *rows[2:]])
    folder = dump_site(tmp_path / "broken", replace={"SY.txt": broken})
    before = _index_bytes(settings)
    with (
        http_server.mount("geonames", folder),
        Service(settings) as service,
        pytest.raises(InputError) as error,
    ):
        service.update_gazetteer(["SY"])
    assert error.value.code == "E603" and problem in error.value.message
    assert "/geonames/SY.zip, line 3:" in error.value.message
    assert _index_bytes(settings) == before


def test_loopback_is_refused_unless_allowed(
    settings: Settings, site: Path, http_server: LocalServer
) -> None:
    settings = settings.with_(allow_networks="")
    mark = http_server.mark()
    before = _index_bytes(settings)
    with Service(settings) as service, pytest.raises(FetchError) as error:
        service.update_gazetteer(["SY"])
    assert error.value.code == "E202" and "allow_networks" in error.value.message
    assert http_server.since(mark) == []
    assert _index_bytes(settings) == before


def test_read_dumps_without_alternate_names_uses_the_table_column(tmp_path: Path) -> None:
    folder = dump_site(tmp_path / "dumps")
    (folder / "alternatenames" / "SY.zip").unlink()
    dumps = read_dumps(folder, {"SY"})
    assert dumps.files == ["SY.zip"]
    nayrab = next(e for e in dumps.places if e.pk == 90000001)
    assert nayrab.names == ["An Nayrab"] and nayrab.alternates == ["Al-Nayrab", "Nayrab"]
    assert [e.pk for e in dumps.areas] == [90000010]
    assert dumps.admin1["SY", "12"] == "Idlib Governorate"
    assert read_dumps(folder, {"IQ"}).places == []


def test_a_dump_without_its_table_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "dumps"
    folder.mkdir()
    with zipfile.ZipFile(folder / "SY.zip", "w") as archive:
        archive.writestr("readme.txt", "no table here")
    with pytest.raises(InputError, match=r"holds no SY\.txt") as error:
        read_dumps(folder)
    assert error.value.code == "E602" and str(folder / "SY.zip") in error.value.message
