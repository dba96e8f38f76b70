"""Ingest over HTTP from the real local server: articles, feeds, sitemaps, polling, faults."""

from __future__ import annotations

import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from httpserver import LocalServer
from sitrep.records import Status
from sitrep.service import Service
from sitrep.settings import Settings

ARTICLES = (
    "/news/ceasefire-moscow.html",
    "/news/saraqib-clashes.html",
    "/news/idlib-displacement.html",
)


def test_article_url_is_fetched_once_then_conditionally(
    service: Service, http_server: LocalServer
) -> None:
    url = http_server.url(ARTICLES[0])
    first = service.ingest([url])
    assert [o.status for o in first.outcomes] == [Status.STORED]
    stored = service.article(first.outcomes[0].article_id or 0)
    assert stored.article.url == url and stored.article.title
    mark = http_server.mark()
    second = service.ingest([url])
    assert [(o.status, o.reason) for o in second.outcomes] == [(Status.SKIPPED, "not-modified")]
    [request] = http_server.requests(ARTICLES[0], since=mark)
    assert request.headers.get("if-none-match")
    assert service.stats()["articles"] == 1


def test_feed_url_ingests_every_entry(service: Service, http_server: LocalServer) -> None:
    report = service.ingest([http_server.url("/feed.xml")])
    assert sorted(o.source for o in report.of(Status.STORED)) == sorted(
        http_server.url(p) for p in ARTICLES
    )
    again = service.ingest([http_server.url("/atom.xml")])
    # The Atom feed lists pages already stored: nothing is fetched twice.
    assert again.count(Status.STORED) == 0
    assert {o.reason for o in again.of(Status.DUPLICATE)} == {"already-stored"}


def test_sitemap_index_is_followed(service: Service, http_server: LocalServer) -> None:
    report = service.ingest([http_server.url("/sitemap_index.xml")])
    assert report.count(Status.STORED) == 3
    assert report.ok


def test_robots_and_http_faults_are_reported_per_url(
    service: Service, http_server: LocalServer
) -> None:
    targets = [
        http_server.url("/private/secret.html"),
        http_server.url("/status/404"),
        http_server.url("/status/500"),
        http_server.url("/redirect/loop"),
        http_server.url("/gzip-bomb"),
        http_server.url("/big?key=svc"),
        http_server.url("/slow?seconds=5"),
        http_server.url("/redirect/to?url=http://169.254.169.254/latest/meta-data"),
        f"http://127.0.0.1:{_closed_port()}/nothing",
        http_server.url(ARTICLES[1]),
    ]
    settings = service.settings.with_(max_bytes=2_000_000, read_timeout=0.5, retries=0)
    mark = http_server.mark()
    with Service(settings) as fast:
        started = time.monotonic()
        report = fast.ingest(targets)
        elapsed = time.monotonic() - started
    codes = [o.reason for o in report.outcomes]
    assert codes == ["E208", "E204", "E204", "E207", "E206", "E206", "E205", "E202", "E203", ""]
    assert report.outcomes[-1].status is Status.STORED
    assert not http_server.requests("/private/secret.html", since=mark)
    assert elapsed < 20
    for outcome in report.of(Status.FAILED):
        assert outcome.source in outcome.detail or outcome.source.split("?")[0] in outcome.detail


def test_private_addresses_are_refused_by_default(
    service: Service, http_server: LocalServer
) -> None:
    with Service(service.settings.with_(allow_networks="")) as strict:
        report = strict.ingest([http_server.url(ARTICLES[0])])
    assert [(o.status, o.reason) for o in report.outcomes] == [(Status.FAILED, "E202")]
    assert "allow_networks" in report.outcomes[0].detail or "127.0.0.1" in report.outcomes[0].detail


def test_feed_polling_uses_validators(service: Service, http_server: LocalServer) -> None:
    feed = service.add_feed(http_server.url("/feed.xml"), "30m")
    assert feed.interval_seconds == 1800
    [result] = service.poll_due()
    assert result.report.count(Status.STORED) == 3
    assert result.feed.etag and result.feed.articles_seen == 3
    assert result.feed.next_poll is not None
    assert result.feed.next_poll - (result.feed.last_polled or datetime.now(UTC)) == timedelta(
        minutes=30
    )
    assert service.poll_due() == []  # not due again for 30 minutes
    mark = http_server.mark()
    [again] = service.poll_due(now=datetime.now(UTC) + timedelta(hours=1))
    assert again.not_modified and again.feed.last_status == "not-modified"
    assert [r.path for r in http_server.since(mark)] == ["/feed.xml"]
    assert service.stats()["articles"] == 3


def test_feed_failures_are_recorded_not_raised(service: Service, http_server: LocalServer) -> None:
    feed = service.add_feed(http_server.url("/status/404"), "15m")
    [result] = service.poll_due()
    assert result.error and "E204" in result.error
    assert service.store.get_feed(feed.id).last_status == "failed"


def test_watch_polls_until_stopped(
    settings: Settings, small_gazetteer: Path, http_server: LocalServer
) -> None:
    with Service(settings.with_(gazetteer_path=str(small_gazetteer))) as service:
        _watch_twice(service, http_server)


def _watch_twice(service: Service, http_server: LocalServer) -> None:
    service.add_feed(http_server.url("/feed.xml"), "1s")
    stop = threading.Event()
    polls: list[object] = []

    def on_poll(result: object) -> None:
        polls.append(result)
        if len(polls) >= 2:
            stop.set()

    watcher = threading.Thread(
        target=service.watch, args=(stop, on_poll), kwargs={"max_sleep": 0.2}
    )
    watcher.start()
    watcher.join(timeout=90)  # between polls it codes and fuses: spaCy loads once
    assert not watcher.is_alive()
    assert len(polls) == 2
    assert service.stats()["articles"] == 3
    assert service.code_events().coded == 0  # the watcher coded what it polled


@pytest.mark.parametrize("interval", ["soon", "0s"])
def test_bad_feed_interval(service: Service, interval: str) -> None:
    from sitrep.errors import InputError

    with pytest.raises(InputError):
        service.add_feed("https://example.org/feed.xml", interval)
    assert service.feeds() == []


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
