"""Exports of fused events: ACLED-style CSV, GeoJSON, JSON Lines and Parquet, streamed.

Real records come from the fusion fixtures run through the service (a real store);
hand-written ones cover what those lack: other actor kinds, vague dates, empty records.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import sitrep.exports as exports
from sitrep.errors import ConfigError, InputError
from sitrep.exports import CSV_COLUMNS, export, write_csv, write_geojson, write_jsonl
from sitrep.service import Service
from sitrep.settings import Settings
from sitrep.store.events import EventFilter

FUSION = Path(__file__).parent / "fixtures" / "fusion"
ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp"
).split(",")

Event = dict[str, Any]


@pytest.fixture(scope="module")
def fused(small_gazetteer: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Event]:
    """The fused events of our three reports of the Kafr Nabl shelling, each as
    ``Service.event`` gives it (with its history)."""
    settings = Settings.load(
        env={},
        data_dir=str(tmp_path_factory.mktemp("exports") / "data"),
        gazetteer_path=str(small_gazetteer),
        min_words=10,
    )
    with Service(settings) as service:
        service.ingest([str(FUSION)])
        service.code_events()
        service.fuse()
        listed = service.events(EventFilter(), limit=1000)
        return [service.event(int(e["id"])) for e in listed]


def _shelling(events: list[Event]) -> Event:
    found = [e for e in events if (e.get("location") or {}).get("text") == "Kafr Nabl"]
    assert len(found) == 1, found
    return found[0]


def _unplaced(events: list[Event]) -> Event:
    found = [e for e in events if e.get("location") is None]
    assert found, events
    return found[0]


def _csv_rows(events: list[Event], base_url: str | None = None) -> list[dict[str, str]]:
    out = io.StringIO()
    assert write_csv(events, out, base_url=base_url) == len(events)
    out.seek(0)
    return list(csv.DictReader(out))


def _actor(kind: str, name: str = "") -> Event:
    return {"text": name or kind, "actor_id": None, "name": name or None, "kind": kind}


# --- CSV -----------------------------------------------------------------------------


def test_csv_header_is_acleds_layout_then_sitreps(fused: list[Event]) -> None:
    out = io.StringIO()
    write_csv(fused, out)
    header = next(csv.reader(io.StringIO(out.getvalue())))
    sitrep = ["confidence", "outlets", "confirmations", "disputed", "sitrep_url"]
    assert header == [*ACLED_HEADER, *sitrep]
    assert list(CSV_COLUMNS) == header


def test_csv_row_of_the_real_shelling(fused: list[Event]) -> None:
    event = _shelling(fused)
    rows = {row["event_id_cnty"]: row for row in _csv_rows(fused, "http://sitrep.test/")}
    row = rows[f"SYR{event['id']}"]
    assert row["event_date"] == "3 February 2020" and row["year"] == "2020"
    assert row["time_precision"] == "1"
    assert row["disorder_type"] == "Political violence"
    assert row["event_type"] == "Explosions/Remote violence"
    assert row["actor1"] == "government forces" and row["inter1"] == ""  # a generic label
    assert row["actor2"] == "civilians" and row["inter2"] == "7"
    assert row["interaction"] == ""  # one side unknown: no pair code is claimed
    assert row["civilian_targeting"] == "Civilian targeting"
    assert (row["iso"], row["country"], row["admin1"]) == ("760", "Syria", "Idlib")
    assert row["location"] == "Kafr Nabl"
    assert (row["latitude"], row["longitude"]) == ("35.6138", "36.5645")
    assert row["geo_precision"] == "1"
    assert row["source"] == "; ".join(event["outlets"])
    assert row["fatalities"] == "12"
    assert row["notes"] == event["notes"]
    assert row["confidence"] == f"{event['confidence']:.3f}"
    assert (row["outlets"], row["confirmations"], row["disputed"]) == ("3", "2", "true")
    assert row["sitrep_url"] == f"http://sitrep.test/events/{event['id']}"
    assert row["region"] == row["admin3"] == row["source_scale"] == row["tags"] == ""


def test_csv_timestamp_is_the_records_latest_change(fused: list[Event]) -> None:
    event = _shelling(fused)
    (row,) = _csv_rows([event])
    assert abs(int(row["timestamp"]) - time.time()) < 3600
    listed = {k: v for k, v in event.items() if k != "history"}  # as events list gives it
    assert _csv_rows([listed])[0]["timestamp"] == ""
    assert _csv_rows([listed | {"updated_at": "2020-02-03T12:00:00Z"}])[0]["timestamp"] == str(
        1580731200
    )


def test_csv_row_of_the_real_event_without_a_place(fused: list[Event]) -> None:
    event = _unplaced(fused)
    (row,) = _csv_rows([event])
    assert row["event_id_cnty"] == str(event["id"])  # no country to prefix
    assert row["disorder_type"] == "Strategic developments"  # sitrep's own type
    assert row["actor1"] == "Syrian pro-government forces" and row["inter1"] == "1"
    assert row["actor2"] == "" and row["interaction"] == "10"  # sole military action
    assert row["latitude"] == row["longitude"] == row["country"] == row["iso"] == ""
    assert row["civilian_targeting"] == ""


@pytest.mark.parametrize(
    ("event_type", "actor1", "actor2", "expected"),
    [
        ("Battles", "state_forces", "rebel_group", ("1", "2", "12", "")),
        ("Battles", "rebel_group", "state_forces", ("2", "1", "12", "")),  # lower code first
        (
            "Violence against civilians",
            "militia",
            "civilians",
            ("3", "7", "37", "Civilian targeting"),
        ),
        (
            "Violence against civilians",
            "state_forces",
            "media",
            ("1", "7", "17", "Civilian targeting"),
        ),
        ("Battles", "external_state", "international_organisation", ("8", "8", "88", "")),
        ("Protests", "political", None, ("6", "", "60", "")),  # protesters, whoever leads
        ("Riots", "generic", "state_forces", ("5", "1", "15", "")),
        ("Battles", "generic", "rebel_group", ("", "2", "", "")),
        ("Battles", "state_forces", "generic", ("1", "", "", "")),
        ("Battles", "unheard_of", None, ("", "", "", "")),
    ],
)
def test_csv_interaction_codes(
    event_type: str, actor1: str, actor2: str | None, expected: tuple[str, ...]
) -> None:
    event = {
        "id": 1,
        "event_type": event_type,
        "actor1": _actor(actor1),
        "actor2": _actor(actor2) if actor2 else None,
    }
    (row,) = _csv_rows([event])
    assert (row["inter1"], row["inter2"], row["interaction"], row["civilian_targeting"]) == expected


@pytest.mark.parametrize(
    ("day", "precision", "expected"),
    [
        ("2020-01-28", "day", ("28 January 2020", "2020", "1")),
        ("2020-01-27", "week", ("27 January 2020", "2020", "2")),
        ("2020-01-01", "month", ("1 January 2020", "2020", "3")),
        ("2020-01-01", "year", ("1 January 2020", "2020", "3")),
        (None, "unknown", ("", "", "3")),
        (None, None, ("", "", "3")),
    ],
)
def test_csv_dates_and_time_precision(
    day: str | None, precision: str | None, expected: tuple[str, ...]
) -> None:
    (row,) = _csv_rows([{"id": 1, "date": day, "date_precision": precision}])
    assert (row["event_date"], row["year"], row["time_precision"]) == expected


def test_csv_disorder_types() -> None:
    kinds = {
        "Battles": "Political violence",
        "Explosions/Remote violence": "Political violence",
        "Violence against civilians": "Political violence",
        "Protests": "Demonstrations",
        "Riots": "Demonstrations",
        "Strategic developments": "Strategic developments",
        "Political and military developments (sitrep)": "Strategic developments",
    }
    rows = _csv_rows([{"id": i, "event_type": t} for i, t in enumerate(kinds)])
    assert [row["disorder_type"] for row in rows] == list(kinds.values())


def test_csv_empty_record_and_awkward_text() -> None:
    notes = 'Shelling, then "a lull";\nthen more.'
    event = {
        "id": 7,
        "notes": notes,
        "associated": [_actor("militia", "Liwa A"), {"text": "Liwa B"}],
        "location": {"text": "near Saraqib", "geo": None},
        "outlets": ["Wire, Inc."],
    }
    empty, full = _csv_rows([{}, event])
    assert empty["event_id_cnty"] == "" and empty["fatalities"] == "0"
    assert empty["disputed"] == "false" and empty["outlets"] == "0"
    assert full["notes"] == notes  # quoted, not split
    assert full["assoc_actor_1"] == "Liwa A; Liwa B" and full["assoc_actor_2"] == ""
    assert full["location"] == "near Saraqib" and full["latitude"] == ""
    assert full["source"] == "Wire, Inc."


# --- GeoJSON and JSON Lines ------------------------------------------------------------


def test_geojson_is_valid_with_points_and_null_geometry(fused: list[Event]) -> None:
    out = io.StringIO()
    assert write_geojson(fused, out) == len(fused)
    collection = json.loads(out.getvalue())
    assert collection["type"] == "FeatureCollection"
    by_id = {f["properties"]["id"]: f for f in collection["features"]}
    shelling, unplaced = _shelling(fused), _unplaced(fused)
    point = by_id[shelling["id"]]
    geo = shelling["location"]["geo"]
    assert point["geometry"] == {"type": "Point", "coordinates": [geo["lon"], geo["lat"]]}
    properties = point["properties"]
    assert properties["event_date"] == "2020-02-03" and properties["location"] == "Kafr Nabl"
    assert properties["fatalities"] == 12 and properties["outlets"] == 3
    assert properties["disputed"] is True and properties["review"] is False
    assert properties["actor2"] == "civilians" and properties["radius_km"] == geo["radius_km"]
    assert by_id[unplaced["id"]]["geometry"] is None
    assert by_id[unplaced["id"]]["properties"]["review"] is None


def test_geojson_of_nothing_and_of_an_empty_record() -> None:
    out = io.StringIO()
    assert write_geojson([], out) == 0
    assert json.loads(out.getvalue()) == {"type": "FeatureCollection", "features": []}
    out = io.StringIO()
    write_geojson([{}, {"location": {"text": "x", "geo": {"lat": None, "lon": None}}}], out)
    assert [f["geometry"] for f in json.loads(out.getvalue())["features"]] == [None, None]


def test_jsonl_round_trips_the_records(fused: list[Event]) -> None:
    out = io.StringIO()
    assert write_jsonl(fused, out) == len(fused)
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == fused


def test_arabic_text_is_written_as_utf8() -> None:
    event = {"id": 1, "notes": "قصف على كفرنبل", "location": {"text": "كفرنبل", "geo": None}}
    for writer in (write_jsonl, write_geojson, write_csv):
        out = io.BytesIO()
        writer([event], out)
        assert "كفرنبل" in out.getvalue().decode("utf-8")


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "geojson"])
def test_binary_and_text_streams_get_the_same_output(fused: list[Event], fmt: str) -> None:
    text, binary = io.StringIO(), io.BytesIO()
    export(fused, fmt, text)
    export(fused, fmt, binary)
    assert not binary.closed  # the caller's stream stays usable
    assert binary.getvalue() == text.getvalue().encode("utf-8")


def test_export_writes_to_a_path_and_rejects_unknown_formats(
    fused: list[Event], tmp_path: Path
) -> None:
    assert export(iter(fused), " CSV ", tmp_path / "events.csv") == len(fused)
    assert (tmp_path / "events.csv").read_text(encoding="utf-8").startswith("event_id_cnty,")
    with pytest.raises(InputError) as caught:
        export(fused, "xlsx", io.StringIO())
    assert caught.value.code == "E111" and "xlsx" in caught.value.message
    assert "parquet" in caught.value.hint


# --- Parquet ---------------------------------------------------------------------------


def test_parquet_reads_back_typed(fused: list[Event], tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "events.parquet"
    count = export(fused + fused, "parquet", path, base_url="http://sitrep.test")
    assert count == 2 * len(fused)
    table = pq.read_table(path)
    assert table.schema.names == list(CSV_COLUMNS)
    types = {field.name: str(field.type) for field in table.schema}
    assert types["event_date"] == "date32[day]" and types["latitude"] == "double"
    assert types["fatalities"] == "int64" and types["disputed"] == "bool"
    rows = {row["event_id_cnty"]: row for row in table.to_pylist()}
    shelling = _shelling(fused)
    row = rows[f"SYR{shelling['id']}"]
    assert row["event_date"].isoformat() == "2020-02-03" and row["year"] == 2020
    assert (row["inter1"], row["inter2"], row["iso"]) == (None, 7, 760)
    assert row["latitude"] == 35.6138 and row["fatalities"] == 12 and row["disputed"] is True
    assert row["sitrep_url"] == f"http://sitrep.test/events/{shelling['id']}"


def test_parquet_writes_row_groups_of_batch_size_to_a_stream() -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = io.BytesIO()
    events = ({"id": i, "date": "2020-01-28", "date_precision": "day"} for i in range(25))
    assert exports.write_parquet(events, out, batch_size=10) == 25
    parquet = pq.ParquetFile(io.BytesIO(out.getvalue()))
    assert parquet.metadata.num_rows == 25 and parquet.num_row_groups == 3
    empty = io.BytesIO()
    assert exports.write_parquet([], empty) == 0
    assert pq.read_table(io.BytesIO(empty.getvalue())).num_rows == 0


def test_parquet_without_pyarrow_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(ConfigError) as caught:
        exports.write_parquet([{"id": 1}], io.BytesIO())
    assert "pyarrow" in caught.value.message and "pip install pyarrow" in caught.value.hint


# --- streaming -------------------------------------------------------------------------


class _NullSink(io.RawIOBase):
    """A binary stream that counts and discards what it is given."""

    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.size += len(data)
        return len(data)


def _synthetic(count: int) -> Iterator[Event]:
    for i in range(count):
        yield {
            "id": i,
            "event_key": f"ev-{i}",
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "date": "2020-01-28",
            "date_precision": "day",
            "location": {
                "text": "Saraqib",
                "geo": {"lat": 35.86, "lon": 36.8, "geo_precision": 1, "country": "SY"},
            },
            "actor1": _actor("state_forces", "Syrian army"),
            "actor2": _actor("rebel_group", "HTS"),
            "fatalities": {"value": i % 7, "range": [i % 7, 9]},
            "outlets": ["a", "b"],
            "confirmations": 2,
            "confidence": 0.9,
            "notes": f"On 28 January 2020, the Syrian army clashed with HTS ({i}).",
        }


# 20,000 such records held at once take about 35 MB; streamed, the peak stays tiny.
@pytest.mark.parametrize("writer", [write_csv, write_geojson, write_jsonl])
def test_writers_stream_in_bounded_memory(writer: Callable[..., int]) -> None:
    count = 20_000
    writer(_synthetic(10), _NullSink())  # load the country table before measuring
    sink = _NullSink()
    tracemalloc.start()
    try:
        written = writer(_synthetic(count), sink)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert written == count and sink.size > count * 100
    assert peak < 10_000_000, f"peak {peak / 1e6:.1f} MB"


@pytest.mark.parametrize("writer", [write_csv, write_geojson, write_jsonl])
def test_writers_write_each_event_before_pulling_the_next(writer: Callable[..., int]) -> None:
    out = io.StringIO()

    def events() -> Iterator[Event]:
        for event in _synthetic(3):
            yield event
            assert f"({event['id']})" in out.getvalue()  # already written

    assert writer(events(), out) == 3
