"""Feeds of a saved search over the demo corpus, fused in a real store: valid Atom (feedparser
and an XML parse), JSON Feed 1.1, and reading them with the search's token."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
import pytest
from fastapi.testclient import TestClient

from demo_store import fused_demo
from sitrep.errors import InputError
from sitrep.service import DEMO_CORPUS, Service
from sitrep.web.app import create_app

from .conftest import Mailbox, alert_settings

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory, small_gazetteer: Path, module_mailbox: Mailbox
) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("feeds")
    yield from fused_demo(alert_settings(folder, small_gazetteer, module_mailbox.port))


def test_idlib_battles_has_a_valid_atom_feed(demo: Service) -> None:
    search = demo.save_search("ana", "Idlib, battles", "?event_type=Battles&q=Idlib")
    assert search.query == "event_type=Battles&q=Idlib"
    events = demo.search_events(search)
    assert len(events) >= 3 and {e["event_type"] for e in events} == {"Battles"}
    media_type, atom = demo.search_feed(search.id, "atom")
    assert media_type.startswith("application/atom+xml")
    parsed = feedparser.parse(atom)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.id.startswith("tag:testserver,") and parsed.feed.title.endswith(
        "Idlib, battles"
    )
    assert parsed.feed.updated_parsed is not None
    assert len(parsed.entries) == len(events)
    for entry, event in zip(parsed.entries, events, strict=True):
        assert entry.id.startswith("tag:testserver,") and event["event_key"] in entry.id
        assert entry.link == f"http://testserver/events/{event['id']}"
        assert entry.updated_parsed is not None and entry.title
        assert str(event["notes"])[:30] in entry.content[0].value
        assert "/articles/" in entry.content[0].value  # the sources
    root = ET.fromstring(atom.encode("utf-8"))
    assert root.tag == f"{ATOM}feed"
    for element in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{element}") is not None
    assert len({e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")}) == len(events)
    assert demo.search_feed(search.id, "atom")[1] == atom  # ids and times are stable

    _, text = demo.search_feed(search.id, "json")
    feed = json.loads(text)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["id"] for item in feed["items"]] == [e.id for e in parsed.entries]
    assert all(item["url"].startswith("http://testserver/events/") for item in feed["items"])


def test_feed_readers_get_in_with_the_token_when_anonymous_reading_is_off(demo: Service) -> None:
    search = demo.save_search("ana", "Idlib, battles (web)", "event_type=Battles&q=Idlib")
    settings = demo.settings.with_(anonymous_read=False)
    with TestClient(create_app(settings, demo)) as client:
        url = f"/feeds/searches/{search.id}.atom"
        assert client.get(url, follow_redirects=False).status_code in (303, 401)
        assert client.get(url, params={"token": "wrong"}).status_code == 404
        answer = client.get(url, params={"token": search.feed_token})
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/atom+xml")
        assert feedparser.parse(answer.text).bozo == 0
        json_feed = client.get(f"/feeds/searches/{search.id}.json?token={search.feed_token}")
        assert json_feed.status_code == 200 and json_feed.json()["items"]


def test_bad_queries_and_names_are_clear_errors(demo: Service) -> None:
    with pytest.raises(InputError, match="since='2020-1-1'") as bad_day:
        demo.save_search("ana", "bad", "since=2020-1-1")
    assert bad_day.value.code == "E801"
    with pytest.raises(InputError, match=r"colour.*is not a filter"):
        demo.save_search("ana", "bad", "colour=red")
    with pytest.raises(InputError, match="already has a saved search") as twice:
        demo.save_search("ana", "Idlib, battles", "event_type=Battles")
    assert twice.value.code == "E807"
    with pytest.raises(InputError) as no_format:
        demo.search_feed(demo.saved_searches()[0].id, "rss")
    assert no_format.value.code == "E808"


def test_the_demo_revision_sends_one_alert_about_the_fatality_figure(
    demo: Service, module_mailbox: Mailbox
) -> None:
    mailbox = module_mailbox
    mailbox.start()
    search = demo.save_search("ana", "Balyun, 27 February", "since=2020-02-27&until=2020-02-27")
    demo.subscribe(search.id, "ana@example.org")
    demo.ingest([str(DEMO_CORPUS / "updates")])
    demo.code_events()
    demo.fuse()
    run = demo.run_alerts()
    assert (run.queued, run.sent) == (1, 1)
    body = mailbox.messages[0].get_body(("plain",))
    assert body is not None and "fatalities revised from 33 to 34" in body.get_content()
