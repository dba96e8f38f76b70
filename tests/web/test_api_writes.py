"""Writes through the JSON API: analysts' corrections, feeds, and who may make them; and
cursors that stay put while events are added. Each test gets its own store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from web.api_store import BACKENDS, ROOT, api_client, service_of


@pytest.fixture(params=BACKENDS)
def client(
    request: pytest.FixtureRequest, small_gazetteer: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    yield from api_client(request, small_gazetteer, tmp_path_factory)


def bearer(client: TestClient, role: str) -> dict[str, str]:
    service = service_of(client)
    service.add_user(f"{role}-user", "a long enough passphrase", role)
    return {"Authorization": f"Bearer {service.create_token(f'{role}-user')}"}


def test_analysts_merge_split_and_pin_and_viewers_cannot(client: TestClient) -> None:
    events = client.get("/api/v1/events", params={"disputed": "true"}).json()["items"]
    event = next(e for e in events if (e["location"] or {}).get("text") == "Kafr Nabl")
    mentions = [m["mention_id"] for m in event["mentions"]]
    url = f"/api/v1/events/{event['id']}"
    body = {"mention_ids": [mentions[-1]]}
    assert client.post(f"{url}/split", json=body).status_code == 401
    viewer = client.post(f"{url}/split", json=body, headers=bearer(client, "viewer"))
    assert viewer.status_code == 403 and set(viewer.json()["error"]) == {
        "code",
        "message",
        "detail",
    }

    analyst = bearer(client, "analyst")
    split = client.post(f"{url}/split", json=body, headers=analyst)
    assert split.status_code == 200 and [m["mention_id"] for m in split.json()["mentions"]] == [
        mentions[-1]
    ]
    merged = client.post(f"{url}/merge", json={"other_id": split.json()["id"]}, headers=analyst)
    assert sorted(m["mention_id"] for m in merged.json()["mentions"]) == sorted(mentions)
    value = {"value": 15, "range": [12, 20]}
    pinned = client.post(
        f"{url}/pin", json={"field": "fatalities", "value": value}, headers=analyst
    )
    assert pinned.json()["fatalities"] == value
    assert client.get(url).json()["history"][-1]["action"] == "field_changed"

    itself = client.post(f"{url}/merge", json={"other_id": event["id"]}, headers=analyst)
    assert itself.status_code == 400 and itself.json()["error"]["code"] == "E110"
    unknown = client.post(f"{url}/merge", json={"other_id": 987654}, headers=analyst)
    assert unknown.status_code == 404
    bad_field = client.post(f"{url}/pin", json={"field": "confidence", "value": 1}, headers=analyst)
    assert (
        bad_field.status_code == 400 and "cannot be pinned" in bad_field.json()["error"]["message"]
    )
    no_body = client.post(f"{url}/split", json={}, headers=analyst)
    assert no_body.status_code == 422


def test_admins_add_list_and_remove_feeds(client: TestClient) -> None:
    admin = bearer(client, "admin")
    feed = {"url": "https://example.org/feed.xml", "interval": "30m"}
    assert (
        client.post("/api/v1/feeds", json=feed, headers=bearer(client, "analyst")).status_code
        == 403
    )
    added = client.post("/api/v1/feeds", json=feed, headers=admin)
    assert added.status_code == 201 and added.json()["interval_seconds"] == 1800
    assert [f["url"] for f in client.get("/api/v1/feeds").json()["items"]] == [feed["url"]]
    again = client.post("/api/v1/feeds", json=feed, headers=admin)
    assert again.status_code == 409 and again.json()["error"]["code"] == "E304"
    not_http = client.post("/api/v1/feeds", json={"url": "ftp://example.org/x"}, headers=admin)
    assert not_http.status_code == 400 and not_http.json()["error"]["code"] == "E201"
    bad_interval = client.post(
        "/api/v1/feeds", json={"url": "https://example.org/b", "interval": "soon"}, headers=admin
    )
    assert bad_interval.status_code == 400
    feed_id = added.json()["id"]
    assert client.delete(f"/api/v1/feeds/{feed_id}", headers=admin).status_code == 204
    assert client.get("/api/v1/feeds").json()["items"] == []
    assert client.delete(f"/api/v1/feeds/{feed_id}", headers=admin).status_code == 404


def test_a_cursor_is_stable_while_events_are_added(client: TestClient) -> None:
    first = client.get("/api/v1/events", params={"limit": 5}).json()
    before = [e["id"] for e in client.get("/api/v1/events", params={"limit": 500}).json()["items"]]
    service = service_of(client)
    service.ingest([str(ROOT / "demo" / "html" / "frontline-daily")])
    service.code_events()
    service.fuse()
    after = [e["id"] for e in client.get("/api/v1/events", params={"limit": 500}).json()["items"]]
    assert len(after) > len(before)
    assert after[:5] != before[:5]  # newer events came in at the top
    again = client.get("/api/v1/events", params={"limit": 5, "cursor": first["next_cursor"]})
    # The page goes on right after the first page's last event: the events added at the
    # top do not shift it (as they would an offset), and nothing of page one repeats.
    last = first["items"][-1]["id"]
    assert [e["id"] for e in again.json()["items"]] == after[after.index(last) + 1 :][:5]
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in again.json()["items"]}
