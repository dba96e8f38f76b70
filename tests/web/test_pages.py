"""The server-rendered pages over a real store holding the demo corpus (no browser)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sitrep.service import Service
from sitrep.settings import Settings
from sitrep.web.app import create_app

XSS_PAGE = Path(__file__).parents[1] / "fixtures" / "xss" / "script-in-text.html"
NAV = ("Map", "Timeline", "Events", "Articles", "Actors", "Search", "Feeds", "About")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Service]]:
    folder = tmp_path_factory.mktemp("pages")
    settings = Settings.load(env={}, database_url=f"sqlite:///{folder / 'pages.db'}")
    service = Service(settings)
    service.ingest([*service.demo_targets(), str(XSS_PAGE)])
    service.code_events()
    service.fuse()
    with TestClient(create_app(settings, service)) as client:
        yield client, service


def test_the_map_is_the_landing_page_and_lists_events_without_script(
    demo: tuple[TestClient, Service],
) -> None:
    client, service = demo
    page = client.get("/")
    assert page.status_code == 200
    for label in NAV:
        assert f">{label}</a>" in page.text
    assert 'id="map"' in page.text and 'src="/static/js/map.js"' in page.text
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text) is None  # no inline script
    listed = re.findall(r'<li data-id="(\d+)">', page.text)
    assert len(listed) == min(100, len(service.events(limit=500)))
    assert 'name="since"' in page.text and 'id="t-start"' in page.text


def test_the_filter_narrows_the_event_list(demo: tuple[TestClient, Service]) -> None:
    client, _ = demo
    every = client.get("/events").text.count("<tr")
    battles = client.get("/events", params={"event_type": "Battles"}).text
    rows = re.findall(r"<td>(Battles|Explosions/Remote violence|Protests)<", battles)
    assert rows and set(rows) == {"Battles"}
    assert battles.count("<tr") < every
    assert "/api/v1/export?format=csv&amp;event_type=Battles" in battles
    assert client.get("/", params={"since": "20200101"}).status_code == 422


def test_the_timeline_draws_a_bar_per_day_and_type_linked_to_the_map(
    demo: tuple[TestClient, Service],
) -> None:
    client, _ = demo
    page = client.get("/timeline")
    assert page.status_code == 200 and "<svg" in page.text
    links = re.findall(
        r'<a href="/\?since=(\d{4}-\d\d-\d\d)&amp;until=\1&amp;event_type=', page.text
    )
    assert len(links) > 10
    assert "<details><summary>The numbers as a table" in page.text


def test_the_event_page_shows_claims_sources_changelog_and_actions(
    demo: tuple[TestClient, Service],
) -> None:
    client, service = demo
    event = max(service.events(limit=500), key=lambda e: len(e["mentions"]))
    page = client.get(f"/events/{event['id']}")
    assert page.status_code == 200
    assert "What each source claims" in page.text and "Changelog" in page.text
    for mention in event["mentions"]:
        assert f'href="/articles/{mention["article_id"]}#m{mention["mention_id"]}"' in page.text
    for action in ("merge", "split", "pin"):
        assert f'action="/events/{event["id"]}/{action}"' in page.text
    assert page.text.count('name="csrf_token"') == 3
    assert client.get("/events/999999").status_code == 404


def test_analyst_actions_need_a_sign_in(demo: tuple[TestClient, Service]) -> None:
    client, service = demo
    event = service.events(limit=1)[0]
    answer = client.post(
        f"/events/{event['id']}/pin",
        data={"field": "fatalities", "value": "3"},
        follow_redirects=False,
    )
    assert answer.status_code in (401, 403)
    assert service.event(event["id"]).get("fatalities") != 3


def test_the_article_page_marks_entities_and_evidence(demo: tuple[TestClient, Service]) -> None:
    client, service = demo

    def in_a_paragraph(mention: dict[str, Any]) -> bool:  # not a title or a caption
        article = service.article(mention["article_id"]).article
        return any(mention["evidence"] in paragraph for paragraph in article.paragraphs)

    mentions = [m for e in service.events(limit=500) for m in e["mentions"]]
    mention = next(m for m in mentions if in_a_paragraph(m))
    page = client.get(f"/articles/{mention['article_id']}")
    assert page.status_code == 200
    assert f'<mark class="evidence" id="m{mention["mention_id"]}">' in page.text
    assert re.search(r'<span class="ent ent-(actor|place|date|trigger)">', page.text)


def test_hostile_article_text_is_escaped_everywhere(demo: tuple[TestClient, Service]) -> None:
    client, service = demo
    xss = next(r for r in service.articles(limit=500) if "Sarmada" in (r.article.title or ""))
    for path in (f"/articles/{xss.id}", "/articles", "/search?q=Sarmada"):
        page = client.get(path).text
        assert "<script>" not in page and "&lt;script&gt;" in page
        assert re.search(r"<[a-z]+\s[^>]*\bon(error|click)=", page) is None  # no live handler


def test_actor_place_search_feeds_and_about_pages(demo: tuple[TestClient, Service]) -> None:
    client, service = demo
    assert "Turkey" in client.get("/actors", params={"q": "turk"}).text
    actor = client.get("/actors/turkey").text
    assert "Relations" in actor and 'href="/?actor=turkey"' in actor
    place_id = next(
        e["location"]["geo"]["place_id"]
        for e in service.events(limit=500)
        if (e.get("location") or {}).get("geo", {}).get("place_id")
    )
    place = client.get(f"/places/{place_id}")
    assert place.status_code == 200 and "Events within 25 km" in place.text
    search = client.get("/search", params={"q": "Idlib"}).text
    assert "Events (" in search and "Articles (" in search
    assert "Add a feed" in client.get("/feeds").text
    about = client.get("/about").text
    assert "Natural Earth" in about and "MapLibre" in about and "CC BY 4.0" in about


def test_module_scripts_are_served_as_javascript(demo: tuple[TestClient, Service]) -> None:
    client, _ = demo
    answer = client.get("/static/js/map.js")
    assert answer.headers["content-type"].startswith("text/javascript")
    vendored = Path(__file__).parents[2] / "src/sitrep/web/static/vendor/maplibre-gl"
    if (vendored / "maplibre-gl.mjs").exists():  # built by `make basemap`
        mjs = client.get("/static/vendor/maplibre-gl/maplibre-gl-worker.mjs")
        assert mjs.headers["content-type"].startswith("text/javascript")


def test_a_signed_in_analyst_pins_and_merges_from_the_event_page(
    demo: tuple[TestClient, Service],
) -> None:
    client, service = demo
    service.add_user("nadia", "a long enough passphrase", "analyst")
    login_page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login_page.text)
    assert token
    data = {"name": "nadia", "password": "a long enough passphrase", "csrf_token": token[1]}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    first, second = service.events(limit=2)
    page = client.get(f"/events/{first['id']}")
    form_token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert form_token
    pin = client.post(
        f"/events/{first['id']}/pin",
        data={"field": "fatalities", "value": "7", "csrf_token": form_token[1]},
        follow_redirects=False,
    )
    assert pin.status_code == 303
    assert service.event(first["id"])["fatalities"] == {"value": 7, "range": [7, 7]}
    merge = client.post(
        f"/events/{first['id']}/merge",
        data={"other_id": str(second["id"]), "csrf_token": form_token[1]},
        follow_redirects=False,
    )
    assert merge.status_code == 303
    merged = service.event(first["id"])
    assert {m["mention_id"] for m in second["mentions"]} <= {
        m["mention_id"] for m in merged["mentions"]
    }
    assert merged["fatalities"]["value"] == 7  # the pin outlives the merge
    assert [h["action"] for h in merged["history"]][-2:] == ["field_changed", "merged"]
    client.post("/logout", data={"csrf_token": form_token[1]})


def test_an_analyst_saves_a_filtered_view_and_subscribes_from_the_pages(
    demo: tuple[TestClient, Service],
) -> None:
    client, service = demo
    service.add_user("omar", "another long passphrase", "analyst")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    data = {"name": "omar", "password": "another long passphrase", "csrf_token": token[1]}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    listing = client.get("/events", params={"event_type": "Battles", "q": "Idlib"})
    form = re.search(
        r'<form method="post" action="/searches".*?name="csrf_token" value="([^"]+)".*?'
        r'name="query" value="([^"]+)"',
        listing.text,
        re.S,
    )
    assert form, "no 'Save this search' form on a filtered list"
    csrf, query = form[1], form[2].replace("&amp;", "&")
    saved = client.post(
        "/searches",
        data={"name": "Idlib, battles", "query": query, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    [search] = [s for s in service.saved_searches("omar") if s.name == "Idlib, battles"]
    assert "event_type=Battles" in search.query
    page = client.get("/searches")
    assert "Idlib, battles" in page.text and f"/feeds/searches/{search.id}.atom" in page.text
    subscribed = client.post(
        f"/searches/{search.id}/subscribe",
        data={"email": "omar@example.org", "mode": "daily", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert subscribed.status_code == 303
    assert [s.email for s in service.subscriptions(search.id)] == ["omar@example.org"]
    feed = client.get(f"/feeds/searches/{search.id}.atom")
    assert feed.status_code == 200 and "<feed" in feed.text
    client.post("/logout", data={"csrf_token": csrf})


def test_an_actor_filter_covers_its_proxies_on_the_page_as_in_the_api(
    demo: tuple[TestClient, Service],
) -> None:
    client, service = demo
    proxy_events = [
        e
        for e in service.events(limit=500)
        if any((e.get(role) or {}).get("sponsors") for role in ("actor1", "actor2"))
    ]
    assert proxy_events, "the demo has events of proxies"
    event = proxy_events[0]
    side = next(e for e in (event["actor1"], event["actor2"]) if e and e.get("sponsors"))
    sponsor = side["sponsors"][-1]
    page = client.get("/events", params={"actor": sponsor})
    api = client.get("/api/v1/events", params={"actor": sponsor, "limit": 500}).json()
    assert f'href="/events/{event["id"]}"' in page.text
    assert event["id"] in {item["id"] for item in api["items"]}


def test_the_date_fields_span_the_days_of_the_record(demo: tuple[TestClient, Service]) -> None:
    client, service = demo
    days = sorted(e["date"] for e in service.events(limit=1000) if e.get("date"))
    page = client.get("/events")
    assert f'data-first-day="{days[0]}" data-last-day="{days[-1]}"' in page.text
