"""The event endpoints of the JSON API over a real, fused store (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from web.api_store import BACKENDS, api_client, service_of

IDLIB = "169389"  # the GeoNames id of Idlib city


@pytest.fixture(scope="module", params=BACKENDS)
def client(
    request: pytest.FixtureRequest, small_gazetteer: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    yield from api_client(request, small_gazetteer, tmp_path_factory)


def every_event(client: TestClient, limit: int = 7, **params: Any) -> list[dict[str, Any]]:
    """Walk the pages by cursor; fails if a page repeats an event."""
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/events", params=query)
        assert page.status_code == 200, page.text
        found += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    ids = [e["id"] for e in found]
    assert len(ids) == len(set(ids)), "a page repeated an event"
    return found


def geo_of(event: dict[str, Any]) -> dict[str, Any]:
    return dict((event.get("location") or {}).get("geo") or {})


def kafr_nabl_event(client: TestClient) -> dict[str, Any]:
    """The shelling three of our fixtures report, with disputed fatalities."""
    found = [e for e in every_event(client) if (e["location"] or {}).get("text") == "Kafr Nabl"]
    assert len(found) == 1
    return found[0]


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The one error shape, pinned: exactly these keys, whatever the failure."""
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["error"]
    assert set(body["error"]) == {"code", "message", "detail"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return dict(body["error"])


def test_pages_hold_every_event_once_newest_first_undated_last(client: TestClient) -> None:
    events = every_event(client)
    stored = service_of(client).events(limit=1000)
    assert sorted(e["id"] for e in events) == sorted(e["id"] for e in stored)
    assert len(events) >= 25
    # Newest first by the start of each event's window (its day, for nearly all events).
    dated = [e["id"] for e in events if e["date"]]
    assert dated == [e["id"] for e in stored if e["date"]]
    undated = [i for i, e in enumerate(events) if not e["date"]]
    assert undated and undated == list(range(len(dated), len(events)))  # all at the end


def test_pages_by_confidence(client: TestClient) -> None:
    events = every_event(client, limit=4, order="confidence")
    confidences = [e["confidence"] for e in events]
    assert confidences == sorted(confidences, reverse=True) and len(events) >= 25


def test_a_cursor_of_another_order_or_made_up_is_refused(client: TestClient) -> None:
    cursor = client.get("/api/v1/events", params={"limit": 2}).json()["next_cursor"]
    wrong = client.get("/api/v1/events", params={"cursor": cursor, "order": "confidence"})
    assert "pages by 'date'" in assert_error(wrong, 400, "E112")["message"]
    assert_error(client.get("/api/v1/events", params={"cursor": "not-a-cursor"}), 400, "E112")


def test_filters_by_type_dates_box_and_confidence(client: TestClient) -> None:
    battles = every_event(client, event_type="Battles")
    assert battles and {e["event_type"] for e in battles} == {"Battles"}
    january = every_event(client, since="2020-01-01", until="2020-01-31")
    assert january and all("2020-01-01" <= e["date"] <= "2020-01-31" for e in january)
    box = every_event(client, bbox="36.5,35.8,36.8,36.0")  # around Idlib city
    assert box
    for event in box:
        geo = geo_of(event)
        assert 36.5 <= geo["lon"] <= 36.8 and 35.8 <= geo["lat"] <= 36.0
    sure = every_event(client, min_confidence=0.5)
    assert sure and all(e["confidence"] >= 0.5 for e in sure)
    assert len(sure) < len(every_event(client))


def test_filters_by_outlet_place_text_and_disputes(client: TestClient) -> None:
    outlet = "northwest-monitor-kafr-nabl.txt"
    by_outlet = every_event(client, outlet=outlet)
    assert by_outlet and all(outlet in e["outlets"] for e in by_outlet)
    assert every_event(client, outlet=outlet[:-4]) == []  # whole names only
    at_idlib = every_event(client, place_id=IDLIB)
    assert len(at_idlib) >= 3
    assert {geo_of(e).get("place_id") for e in at_idlib} == {IDLIB}
    disputed = every_event(client, disputed="true")
    assert all(e["disputed"] for e in disputed) and len(disputed) < len(every_event(client))
    kafr_nabl = kafr_nabl_event(client)
    assert kafr_nabl["id"] in {e["id"] for e in disputed}
    assert kafr_nabl["id"] in {e["id"] for e in every_event(client, q="KAFR NABL")}


def test_an_actor_filter_takes_its_proxies_as_actor_1_or_2(client: TestClient) -> None:
    everything = every_event(client)
    assert "hezbollah" in service_of(client).actor_family(["iran"])
    for actor in ("syrian_government_forces", "iran", "turkey"):
        family = set(service_of(client).actor_family([actor]))
        expected = {
            e["id"]
            for e in everything
            if {(e.get(r) or {}).get("actor_id") for r in ("actor1", "actor2")} & family
        }
        assert {e["id"] for e in every_event(client, actor=actor)} == expected, actor
    assert every_event(client, actor="syrian_government_forces")
    both = every_event(client, actor=["turkey", "syrian_government_forces"])
    assert len(both) > len(every_event(client, actor="turkey"))


def test_bad_parameters_are_422_naming_the_parameter(client: TestClient) -> None:
    for params, name in [
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "40,10,30,20"}, "bbox"),
        ({"since": "2020-13-01"}, "since"),
        ({"since": "2020-03-01", "until": "2020-02-01"}, "until"),
        ({"actor": "no_such_actor"}, "actor"),
        ({"as_of": "yesterday"}, "as_of"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"order": "size"}, "order"),
        ({"min_confidence": "2"}, "min_confidence"),
    ]:
        error = assert_error(client.get("/api/v1/events", params=params), 422, "invalid-request")
        assert [d["loc"] for d in error["detail"]] == [["query", name]], params


def test_unknown_event_and_route_are_404_in_the_error_shape(client: TestClient) -> None:
    error = assert_error(client.get("/api/v1/events/987654"), 404, "E110")
    assert "987654" in error["message"]
    assert_error(client.get("/api/v1/nowhere"), 404, "HTTP404")
    assert_error(client.get("/api/v1/events/not-a-number"), 422, "invalid-request")


def test_one_event_has_mentions_claims_and_history(client: TestClient) -> None:
    listed = kafr_nabl_event(client)
    event = client.get(f"/api/v1/events/{listed['id']}").json()
    assert event["id"] == listed["id"]
    assert len(event["mentions"]) >= 2 and event["claims"]["fatalities"]
    assert event["history"][0]["action"] == "created"


def test_geojson_has_a_point_per_located_event(client: TestClient) -> None:
    response = client.get("/api/v1/events.geojson", params={"limit": 5000})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection" and collection["next_cursor"] is None
    located = {e["id"]: e for e in every_event(client) if geo_of(e).get("lat") is not None}
    features = collection["features"]
    assert {f["properties"]["id"] for f in features} == set(located)
    for feature in features:
        event = located[feature["properties"]["id"]]
        geo = geo_of(event)
        assert feature["geometry"] == {"type": "Point", "coordinates": [geo["lon"], geo["lat"]]}
        assert feature["properties"]["outlets"] == len(event["outlets"])
        actor1 = event["actor1"] or {}  # an actor not in the knowledge base shows its words
        assert feature["properties"]["actor1"] == (actor1.get("name") or actor1.get("text"))


def test_geojson_pages_and_filters_like_the_list(client: TestClient) -> None:
    first = client.get("/api/v1/events.geojson", params={"limit": 3, "event_type": "Battles"})
    body = first.json()
    assert len(body["features"]) == 3 and body["next_cursor"]
    rest = client.get(
        "/api/v1/events.geojson",
        params={"limit": 5000, "cursor": body["next_cursor"], "event_type": "Battles"},
    ).json()["features"]
    ids = [f["properties"]["id"] for f in body["features"] + rest]
    assert len(ids) == len(set(ids))
    assert {f["properties"]["event_type"] for f in body["features"] + rest} == {"Battles"}


def test_timeline_counts_each_type_each_day(client: TestClient) -> None:
    items = client.get("/api/v1/events/timeline").json()["items"]
    expected = Counter((e["date"], e["event_type"]) for e in every_event(client) if e["date"])
    assert {(i["date"], i["event_type"]): i["count"] for i in items} == expected
    assert [i["date"] for i in items] == sorted(i["date"] for i in items)
    battles = client.get("/api/v1/events/timeline", params={"event_type": "Battles"}).json()
    assert {i["event_type"] for i in battles["items"]} == {"Battles"}


def test_as_of_now_is_today_and_as_of_the_past_is_empty(client: TestClient) -> None:
    now = datetime.now(UTC).isoformat()
    assert {e["id"] for e in every_event(client, as_of=now)} == {
        e["id"] for e in every_event(client)
    }
    assert every_event(client, as_of="2001-01-01") == []
    timeline = client.get("/api/v1/events/timeline", params={"as_of": now}).json()["items"]
    assert timeline == client.get("/api/v1/events/timeline").json()["items"]


def test_openapi_is_served_with_the_versioned_routes(client: TestClient) -> None:
    assert client.get("/api/docs").status_code == 200
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/v1/events",
        "/api/v1/events.geojson",
        "/api/v1/events/timeline",
        "/api/v1/events/{event_id}",
        "/api/v1/events/{event_id}/merge",
        "/api/v1/actors/{actor_id}",
        "/api/v1/places/{place_id}",
        "/api/v1/articles/{article_id}/annotations",
        "/api/v1/feeds",
        "/api/v1/export",
        "/api/v1/health",
    ):
        assert path in paths, path
    schema = paths["/api/v1/events"]["get"]["responses"]["404"]["content"]["application/json"]
    assert schema["schema"]["$ref"].endswith("/ErrorBody")
