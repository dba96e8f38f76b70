"""Actors, places, annotations, feeds and exports through the JSON API (a real store)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from web.api_store import BACKENDS, api_client, service_of

IDLIB = "169389"


@pytest.fixture(scope="module", params=BACKENDS)
def client(
    request: pytest.FixtureRequest, small_gazetteer: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    yield from api_client(request, small_gazetteer, tmp_path_factory)


def involved(event: dict[str, Any]) -> set[str]:
    roles = [event.get("actor1"), event.get("actor2"), *(event.get("associated") or [])]
    return {r["actor_id"] for r in roles if r and r.get("actor_id")}


def all_events(client: TestClient) -> list[dict[str, Any]]:
    return list(service_of(client).events(limit=1000))


def test_actors_are_found_by_any_alias(client: TestClient) -> None:
    items = client.get("/api/v1/actors", params={"q": "regime"}).json()["items"]
    assert "syrian_government" in [a["id"] for a in items]
    everyone = client.get("/api/v1/actors", params={"limit": 1000}).json()["items"]
    assert len(everyone) > len(items) and {"id", "name", "kind", "aliases"} <= set(everyone[0])


def test_an_actor_has_relations_both_ways_and_its_activity(client: TestClient) -> None:
    actor = client.get("/api/v1/actors/turkey").json()
    assert actor["name"] == "Turkey" and actor["aliases"]
    relations = {(r["direction"], r["kind"], r["other_id"]) for r in actor["relations"]}
    assert ("in", "part_of", "turkish_armed_forces") in relations
    assert {r["direction"] for r in actor["relations"]} == {"in", "out"}
    family = set(service_of(client).actor_family(["turkey"]))
    expected = [e for e in all_events(client) if involved(e) & family]
    assert {e["id"] for e in actor["events"]} == {e["id"] for e in expected}
    assert any(
        "turkey" not in {a.get("actor_id") for a in [e["actor1"], e["actor2"]] if a}
        for e in actor["events"]
    )  # an associated actor counts too
    per_day = Counter(e["date"] for e in expected if e["date"])
    assert actor["activity"] == [{"date": d, "count": n} for d, n in sorted(per_day.items())]


def test_an_unknown_actor_is_404(client: TestClient) -> None:
    response = client.get("/api/v1/actors/no_such_actor")
    assert response.status_code == 404 and response.json()["error"]["code"] == "E110"


def test_places_by_name_and_one_place_with_its_events(client: TestClient) -> None:
    found = client.get("/api/v1/places", params={"q": "Idlib"}).json()["items"]
    assert found[0]["id"] == IDLIB and found[0]["country"] == "SY"
    place = client.get(f"/api/v1/places/{IDLIB}").json()
    assert place["name"] == "Idlib" and place["feature_class"] == "P"
    assert place["events"]
    assert {e["location"]["geo"]["place_id"] for e in place["events"]} == {IDLIB}
    distances = [e["distance_km"] for e in place["nearby"]]
    assert distances == sorted(distances) and all(d <= 25 for d in distances)
    assert {e["id"] for e in place["events"]} <= {e["id"] for e in place["nearby"]}
    supplement = client.get("/api/v1/places/sitrep:m4-highway").json()
    assert supplement["id"] == "sitrep:m4-highway" and supplement["events"]


def test_an_unknown_place_is_404(client: TestClient) -> None:
    for place_id in ("999999999", "sitrep:nowhere", "no-id"):
        response = client.get(f"/api/v1/places/{place_id}")
        assert response.status_code == 404 and response.json()["error"]["code"] == "E110"
    assert client.get("/api/v1/places").status_code == 422  # q is required


def test_annotations_point_into_the_paragraphs(client: TestClient) -> None:
    event = next(e for e in all_events(client) if (e["location"] or {}).get("text") == "Kafr Nabl")
    article_id = event["mentions"][0]["article_id"]
    annotations = client.get(f"/api/v1/articles/{article_id}/annotations").json()
    paragraphs = client.get(f"/api/v1/articles/{article_id}").json()["paragraphs"]
    spans = annotations["spans"]
    assert {s["label"] for s in spans} >= {"EVENT", "PLACE", "ACTOR"}
    for span in spans:
        assert paragraphs[span["paragraph"]][span["start"] : span["end"]] == span["text"]
    assert event["id"] in {s["ref"] for s in spans if s["label"] == "EVENT"}
    assert "168661" in {s["ref"] for s in spans if s["label"] == "PLACE"}  # Kafranbel
    actors = {s["ref"] for s in spans if s["label"] == "ACTOR"}
    assert (event["actor1"] or {}).get("actor_id") in actors


def test_annotations_of_an_unknown_article_are_404(client: TestClient) -> None:
    response = client.get("/api/v1/articles/987654/annotations")
    assert response.status_code == 404 and response.json()["error"]["code"] == "E303"


@pytest.mark.parametrize("fmt", ["csv", "geojson", "jsonl", "parquet"])
def test_exports_stream_every_event_with_a_file_name(client: TestClient, fmt: str) -> None:
    expected = len(all_events(client))
    with client.stream("GET", "/api/v1/export", params={"format": fmt}) as response:
        assert response.status_code == 200
        assert response.headers["content-disposition"] == (
            f'attachment; filename="sitrep-events.{fmt}"'
        )
        body = b"".join(response.iter_bytes())
    media = response.headers["content-type"]
    if fmt == "csv":
        assert media.startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(body.decode())))
        assert len(rows) == expected and rows[0]["event_id_cnty"]
    elif fmt == "geojson":
        assert media == "application/geo+json"
        assert len(json.loads(body)["features"]) == expected
    elif fmt == "jsonl":
        assert media == "application/x-ndjson"
        assert len(body.decode().splitlines()) == expected
    else:
        import pyarrow.parquet as pq

        assert media == "application/vnd.apache.parquet"
        assert pq.read_table(io.BytesIO(body)).num_rows == expected


def test_an_export_takes_the_filters(client: TestClient) -> None:
    response = client.get("/api/v1/export", params={"format": "jsonl", "event_type": "Battles"})
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert lines and {e["event_type"] for e in lines} == {"Battles"}
    bad = client.get("/api/v1/export", params={"format": "xlsx"})
    assert bad.status_code == 422 and bad.json()["error"]["detail"][0]["loc"] == [
        "query",
        "format",
    ]
