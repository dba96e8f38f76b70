"""Streaming exports of fused events: JSON Lines, ACLED-style CSV, GeoJSON and Parquet.

Every writer takes an iterable of fused event records (as ``sitrep events list --json``
prints them) and pulls one event at a time, writing as it goes: memory stays bounded
however many events there are (Parquet holds one row group of ``batch_size`` rows).
Text formats accept a text stream or a binary one (written as UTF-8); open text files
with ``newline=""`` so CSV line ends stay ``\\r\\n``.

The CSV and Parquet columns follow ACLED's export layout and names, in ACLED's order,
then sitrep's own columns. Where sitrep cannot know an ACLED column (region, admin3,
source scale, tags) it is left empty rather than guessed.
"""

from __future__ import annotations

import csv
import functools
import importlib
import io
import json
import operator
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import IO, Any, cast

from sitrep.errors import ConfigError, InputError
from sitrep.isodates import parse_iso

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "INTER_CODES",
    "export",
    "write_csv",
    "write_geojson",
    "write_jsonl",
    "write_parquet",
]

FORMATS = ("jsonl", "csv", "geojson", "parquet")

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
SITREP_COLUMNS = ("confidence", "outlets", "confirmations", "disputed", "sitrep_url")
CSV_COLUMNS = ACLED_COLUMNS + SITREP_COLUMNS

# Parquet types by column (pyarrow factory names); every other column is a string.
_ARROW_TYPES = {
    "event_date": "date32",
    "year": "int16",
    "time_precision": "int8",
    "inter1": "int8",
    "inter2": "int8",
    "interaction": "int16",
    "iso": "int16",
    "latitude": "float64",
    "longitude": "float64",
    "geo_precision": "int8",
    "fatalities": "int64",
    "timestamp": "int64",
    "confidence": "float64",
    "outlets": "int32",
    "confirmations": "int32",
    "disputed": "bool_",
}
_DECIMALS = {"latitude": 4, "longitude": 4, "confidence": 3}
_CSV_CELLS = operator.itemgetter(*CSV_COLUMNS)

_TIME_PRECISION = {"day": 1, "week": 2, "month": 3}  # ACLED: 3 is "month or vaguer"
_DISORDER_TYPES = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
}
_MONTHS = (
    "January February March April May June July August September October November December"
).split()

# ACLED's actor types (the inter1/inter2 codes): 1 state forces, 2 rebel groups,
# 3 political militias, 4 identity militias, 5 rioters, 6 protesters, 7 civilians,
# 8 external/other forces. sitrep's actor kinds map onto them as follows; "generic"
# ("gunmen", "government forces") and unknown kinds have no code.
INTER_CODES = {
    "state_forces": 1,
    "rebel_group": 2,
    "militia": 3,  # the knowledge base does not tell identity militias (4) apart
    "political": 3,  # a party acting with force is coded as its armed wing
    "civilians": 7,
    "media": 7,  # ACLED codes journalists as civilians
    "ngo": 7,  # and aid workers
    "external_state": 8,  # state forces acting outside their own country
    "international_organisation": 8,
}
# ACLED's rule: the first actor of a protest is protesters, of a riot rioters.
_DEMONSTRATORS = {"Protests": 6, "Riots": 5}
_CIVILIANS = 7

Row = dict[str, Any]


# --- the formats ---------------------------------------------------------------------


def write_jsonl(events: Iterable[dict[str, Any]], out: IO[str] | IO[bytes]) -> int:
    """Each event as one JSON object on its own line; returns the number written."""
    count = 0
    with _text_stream(out) as text:
        for event in events:
            text.write(_json(event))
            text.write("\n")
            count += 1
    return count


def write_csv(
    events: Iterable[dict[str, Any]], out: IO[str] | IO[bytes], base_url: str | None = None
) -> int:
    """ACLED's columns then sitrep's (:data:`CSV_COLUMNS`), with a header row."""
    count = 0
    with _text_stream(out) as text:
        writer = csv.writer(text)
        writer.writerow(CSV_COLUMNS)
        for event in events:
            writer.writerow(_csv_cells(_acled_row(event, base_url)))
            count += 1
    return count


def write_geojson(events: Iterable[dict[str, Any]], out: IO[str] | IO[bytes]) -> int:
    """A FeatureCollection, one Point feature per event (a null geometry when the event
    has no coordinates), written feature by feature."""
    count = 0
    with _text_stream(out) as text:
        text.write('{"type":"FeatureCollection","features":[')
        for event in events:
            text.write(",\n" if count else "\n")
            text.write(_json(_feature(event)))
            count += 1
        text.write("\n]}\n")
    return count


def write_parquet(
    events: Iterable[dict[str, Any]],
    path_or_stream: str | os.PathLike[str] | IO[bytes],
    batch_size: int = 10_000,
    base_url: str | None = None,
) -> int:
    """The CSV's columns, typed (dates as date32, numbers as numbers), in row groups of
    ``batch_size`` rows. Needs pyarrow (``pip install pyarrow``)."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    pa, pq = _pyarrow()
    schema = pa.schema([(name, _arrow_type(pa, name)) for name in CSV_COLUMNS])
    where = (
        os.fspath(path_or_stream)
        if isinstance(path_or_stream, str | os.PathLike)
        else path_or_stream
    )
    count = 0
    with pq.ParquetWriter(where, schema) as writer:
        for batch in _batches(events, batch_size, base_url):
            columns = {name: [row[name] for row in batch] for name in CSV_COLUMNS}
            writer.write_table(pa.table(columns, schema=schema), row_group_size=batch_size)
            count += len(batch)
    return count


def export(
    events: Iterable[dict[str, Any]],
    fmt: str,
    out: IO[str] | IO[bytes] | str | os.PathLike[str],
    base_url: str | None = None,
) -> int:
    """Write ``events`` in ``fmt`` (one of :data:`FORMATS`) to a stream or a file path;
    returns the number of events written."""
    name = fmt.strip().lower()
    if name not in FORMATS:
        raise InputError(
            "E111",
            f"{fmt!r} is not an export format",
            f"use one of: {', '.join(FORMATS)}",
        )
    if name == "parquet":
        return write_parquet(
            events, cast("str | os.PathLike[str] | IO[bytes]", out), base_url=base_url
        )
    if isinstance(out, str | os.PathLike):
        with open(out, "w", encoding="utf-8", newline="") as stream:
            return _TEXT_WRITERS[name](events, stream, base_url)
    return _TEXT_WRITERS[name](events, out, base_url)


_TEXT_WRITERS: dict[str, Callable[[Iterable[dict[str, Any]], Any, str | None], int]] = {
    "jsonl": lambda events, out, _url: write_jsonl(events, out),
    "csv": write_csv,
    "geojson": lambda events, out, _url: write_geojson(events, out),
}


# --- one event as an ACLED row --------------------------------------------------------


def _acled_row(event: dict[str, Any], base_url: str | None = None) -> Row:
    """One event as typed CSV/Parquet values by column name (None for empty)."""
    geo = _geo(event)
    country = _country(geo.get("country"))
    row: Row = {
        "event_id_cnty": _event_id(event.get("id"), country, geo.get("country")),
        **_when_columns(event),
        "disorder_type": _DISORDER_TYPES.get(
            event.get("event_type") or "", "Strategic developments"
        ),
        "event_type": event.get("event_type"),
        "sub_event_type": event.get("sub_event_type"),
        **_actor_columns(event),
        "iso": country[2] if country else None,
        "region": None,
        "country": country[1] if country else geo.get("country"),
        "admin1": geo.get("admin1"),
        "admin2": geo.get("admin2"),
        "admin3": None,
        **_place_columns(event, geo),
        "source": "; ".join(event.get("outlets") or []) or None,
        "source_scale": None,
        "notes": event.get("notes"),
        "fatalities": (event.get("fatalities") or {}).get("value") or 0,
        "tags": None,
        "timestamp": _timestamp(event),
        **_sitrep_columns(event, base_url),
    }
    return row


def _geo(event: dict[str, Any]) -> dict[str, Any]:
    return dict((event.get("location") or {}).get("geo") or {})


def _event_id(event_id: Any, country: tuple[str, str, int | None] | None, code: Any) -> str:
    prefix = country[0] if country else str(code or "")
    return f"{prefix}{event_id}" if event_id is not None else prefix


def _when_columns(event: dict[str, Any]) -> Row:
    day = _day(event.get("date"))
    return {
        "event_date": day,
        "year": day.year if day else None,
        "time_precision": _TIME_PRECISION.get(event.get("date_precision") or "", 3),
    }


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parsed = parse_iso(value) if isinstance(value, str) else None
    return parsed.date() if isinstance(parsed, datetime) else parsed


def _actor_columns(event: dict[str, Any]) -> Row:
    actor1, actor2 = event.get("actor1"), event.get("actor2")
    inter1 = _DEMONSTRATORS.get(event.get("event_type") or "") or _inter(actor1)
    inter2 = _inter(actor2)
    return {
        "actor1": _actor_name(actor1),
        "assoc_actor_1": "; ".join(filter(None, map(_actor_name, event.get("associated") or [])))
        or None,
        "inter1": inter1,
        "actor2": _actor_name(actor2),
        # sitrep's associated actors are not split by side: all go with actor 1.
        "assoc_actor_2": None,
        "inter2": inter2,
        "interaction": _interaction(inter1, inter2, actor2 is not None),
        "civilian_targeting": "Civilian targeting" if inter2 == _CIVILIANS else None,
    }


def _actor_name(actor: Any) -> str | None:
    if not isinstance(actor, dict):
        return None
    return actor.get("name") or actor.get("text") or None


def _inter(actor: Any) -> int | None:
    return INTER_CODES.get(actor.get("kind") or "") if isinstance(actor, dict) else None


def _interaction(inter1: int | None, inter2: int | None, has_actor2: bool) -> int | None:
    """ACLED's pair code, the lower first (17: state forces and civilians); 10 times the
    code for an actor acting alone (10: sole military action)."""
    if inter1 is None:
        return None
    if not has_actor2:
        return inter1 * 10
    if inter2 is None:
        return None
    low, high = sorted((inter1, inter2))
    return low * 10 + high


def _place_columns(event: dict[str, Any], geo: dict[str, Any]) -> Row:
    location = event.get("location") or {}
    return {
        "location": location.get("text") or geo.get("name"),
        "latitude": _rounded(geo.get("lat"), 4),
        "longitude": _rounded(geo.get("lon"), 4),
        "geo_precision": geo.get("geo_precision"),
    }


def _rounded(value: Any, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


def _timestamp(event: dict[str, Any]) -> int | None:
    """Unix time of the record's latest change: its ``updated_at``, else the last entry of
    its history (as ``Service.event`` gives it); None when the record carries neither."""
    changed = event.get("updated_at")
    history = event.get("history")
    if changed is None and isinstance(history, list) and history:
        changed = (history[-1] or {}).get("at")
    moment = parse_iso(changed) if isinstance(changed, str) else changed
    if isinstance(moment, datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return int(aware.timestamp())
    if isinstance(moment, date):
        return int(datetime(moment.year, moment.month, moment.day, tzinfo=UTC).timestamp())
    return None


def _sitrep_columns(event: dict[str, Any], base_url: str | None) -> Row:
    confidence = event.get("confidence")
    event_id = event.get("id")
    url = f"{base_url.rstrip('/')}/events/{event_id}" if base_url and event_id is not None else None
    return {
        "confidence": _rounded(confidence, 3),
        "outlets": len(event.get("outlets") or []),
        "confirmations": event.get("confirmations"),
        "disputed": bool(event.get("disputed")),
        "sitrep_url": url,
    }


@functools.cache
def _countries() -> dict[str, tuple[str, str, int | None]]:
    """ISO alpha-2 -> (alpha-3, name, numeric code) from countryinfo, loaded once;
    empty when the package is missing (codes then stay alpha-2)."""
    try:
        module: Any = importlib.import_module("countryinfo")
    except ImportError:
        return {}
    records: dict[str, Any] = module.CountryInfo.all()
    found: dict[str, tuple[str, str, int | None]] = {}
    # England, Wales and Scotland share the United Kingdom's code: the most populous wins.
    for record in sorted(records.values(), key=lambda r: int(r.get("population") or 0)):
        iso = record.get("ISO") or {}
        if iso.get("alpha2") and iso.get("alpha3"):
            numeric = str(iso.get("numeric") or "")
            found[iso["alpha2"]] = (
                iso["alpha3"],
                record["name"],
                int(numeric) if numeric.isdigit() else None,
            )
    return found


def _country(code: Any) -> tuple[str, str, int | None] | None:
    return _countries().get(code.upper()) if isinstance(code, str) else None


# --- rendering -----------------------------------------------------------------------


def _csv_cells(row: Row) -> tuple[Any, ...]:
    """The row's cells in column order; the csv module writes None as an empty cell."""
    day = row["event_date"]
    row["event_date"] = _acled_date(day) if day else None
    row["disputed"] = "true" if row["disputed"] else "false"
    for name, digits in _DECIMALS.items():
        if row[name] is not None:
            row[name] = f"{row[name]:.{digits}f}"
    return cast("tuple[Any, ...]", _CSV_CELLS(row))


def _acled_date(day: date) -> str:
    """ACLED's date format, whatever the locale: "28 January 2020"."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _feature(event: dict[str, Any]) -> dict[str, Any]:
    geo = _geo(event)
    lat, lon = geo.get("lat"), geo.get("lon")
    point = None if lat is None or lon is None else [float(lon), float(lat)]
    day = _day(event.get("date"))
    properties = {
        "id": event.get("id"),
        "event_key": event.get("event_key"),
        "event_date": day.isoformat() if day else None,
        "event_type": event.get("event_type"),
        "sub_event_type": event.get("sub_event_type"),
        "actor1": _actor_name(event.get("actor1")),
        "actor2": _actor_name(event.get("actor2")),
        "location": (event.get("location") or {}).get("text") or geo.get("name"),
        "geo_precision": geo.get("geo_precision"),
        "radius_km": geo.get("radius_km"),
        "fatalities": (event.get("fatalities") or {}).get("value"),
        "confidence": event.get("confidence"),
        "outlets": len(event.get("outlets") or []),
        "confirmations": event.get("confirmations"),
        "disputed": bool(event.get("disputed")),
        "notes": event.get("notes"),
        "review": bool(geo.get("review")) if geo else None,
    }
    geometry = {"type": "Point", "coordinates": point} if point else None
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


# One encoder for every line: json.dumps builds a new one per call when given options.
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_json_default).encode


@contextmanager
def _text_stream(out: IO[str] | IO[bytes]) -> Iterator[IO[str]]:
    """``out`` itself if it takes text, else a UTF-8 wrapper detached at the end (so the
    caller's stream stays open)."""
    if _takes_text(out):
        yield cast(IO[str], out)
        return
    wrapper = io.TextIOWrapper(cast(IO[bytes], out), encoding="utf-8", newline="")
    try:
        yield wrapper
    finally:
        wrapper.detach()  # flushes


def _takes_text(out: Any) -> bool:
    if isinstance(out, io.TextIOBase):
        return True
    if isinstance(out, io.RawIOBase | io.BufferedIOBase):
        return False
    return "b" not in str(getattr(out, "mode", ""))


# --- parquet -------------------------------------------------------------------------


def _pyarrow() -> tuple[Any, Any]:
    """pyarrow and pyarrow.parquet, imported on first use: the dependency is optional."""
    try:
        return importlib.import_module("pyarrow"), importlib.import_module("pyarrow.parquet")
    except ImportError as exc:
        raise ConfigError(
            "E003",
            "the parquet export needs the pyarrow package, which is not installed",
            "pip install pyarrow, or export as csv, jsonl or geojson",
        ) from exc


def _arrow_type(pa: Any, column: str) -> Any:
    return getattr(pa, _ARROW_TYPES.get(column, "string"))()


def _batches(
    events: Iterable[dict[str, Any]], size: int, base_url: str | None
) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for event in events:
        batch.append(_acled_row(event, base_url))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
