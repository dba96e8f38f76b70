"""The fetcher against the real local server (tests/httpserver.py); httpx is not mocked."""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

import sitrep.ingest.fetch as fetch_module
from httpserver import BIG_BYTES, LocalServer
from sitrep.errors import FetchError
from sitrep.ingest.fetch import Fetcher, Response
from sitrep.settings import Settings

PAGE = "/news/idlib-displacement.html"


class FakeTime:
    """A clock that moves only when slept on, recording every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Fail any test that lets a socket connect beyond loopback, and record attempts."""
    attempts: list[Any] = []
    real_connect = socket.socket.connect

    def guarded(sock: socket.socket, address: Any) -> None:
        attempts.append(address)
        if isinstance(address, tuple):
            host = str(address[0]).split("%")[0]
            if not ipaddress.ip_address(host).is_loopback:
                raise AssertionError(f"the test tried to connect to {address}")
        real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    return attempts


@pytest.fixture
def fetcher(fetch_settings: Settings) -> Iterator[Fetcher]:
    with Fetcher(fetch_settings) as f:
        yield f


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def fetch_error(fetcher: Fetcher, url: str, **kwargs: Any) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(url, **kwargs)
    return caught.value


def test_public_api() -> None:
    assert fetch_module.__all__ == ["Fetcher", "Progress", "Response"]


# -- happy path and conditional GET -----------------------------------------------------


def test_fetches_a_page_with_headers_and_final_url(
    fetcher: Fetcher, http_server: LocalServer
) -> None:
    response = fetcher.fetch(http_server.url(PAGE))
    assert response.url == http_server.url(PAGE)
    assert response.status == 200
    assert b"<article>" in response.content
    assert http_server.base.encode() in response.content  # {{BASE}} was substituted
    assert response.content_type == "text/html"
    assert response.charset == "utf-8"
    assert all(name == name.lower() for name in response.headers)
    assert response.etag
    assert response.last_modified
    assert not response.not_modified
    assert response.fetched_at.tzinfo is UTC


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
def test_compressed_bodies_are_decoded(
    fetcher: Fetcher, http_server: LocalServer, encoding: str
) -> None:
    plain = fetcher.fetch(http_server.url(PAGE)).content
    response = fetcher.fetch(http_server.url(f"{PAGE}?encoding={encoding}"))
    assert response.headers["content-encoding"] in encoding
    assert response.content == plain


def test_unknown_content_encoding_is_refused(fetcher: Fetcher, http_server: LocalServer) -> None:
    error = fetch_error(fetcher, http_server.url(f"{PAGE}?encoding=br"))
    assert error.code == "E204"
    assert "Content-Encoding 'br'" in error.message


def test_user_agent_and_accept_encoding_reach_the_server(
    fetcher: Fetcher, http_server: LocalServer, fetch_settings: Settings
) -> None:
    mark = http_server.mark()
    fetcher.fetch(http_server.url("/feed.xml"))
    (seen,) = http_server.requests("/feed.xml", since=mark)
    assert seen.headers["user-agent"] == fetch_settings.user_agent
    assert seen.headers["accept-encoding"] == "gzip, deflate"


def test_etag_and_last_modified_round_trip_to_304(
    fetcher: Fetcher, http_server: LocalServer
) -> None:
    first = fetcher.fetch(http_server.url(PAGE))
    mark = http_server.mark()
    by_etag = fetcher.fetch(http_server.url(PAGE), etag=first.etag)
    by_date = fetcher.fetch(http_server.url(PAGE), last_modified=first.last_modified)
    for response in (by_etag, by_date):
        assert response.not_modified
        assert response.status == 304
        assert response.content == b""
        assert (response.etag, response.last_modified) == (first.etag, first.last_modified)
    etag_request, date_request = http_server.requests(PAGE, since=mark)
    assert etag_request.headers["if-none-match"] == first.etag
    assert date_request.headers["if-modified-since"] == first.last_modified


def test_unusable_validators_are_not_sent(fetcher: Fetcher, http_server: LocalServer) -> None:
    mark = http_server.mark()
    response = fetcher.fetch(http_server.url(PAGE), etag='"caf\u00e9"', last_modified="a\r\nb: c")
    assert response.status == 200
    (seen,) = http_server.requests(PAGE, since=mark)
    assert "if-none-match" not in seen.headers
    assert "if-modified-since" not in seen.headers


def test_a_stale_etag_gets_the_full_page(fetcher: Fetcher, http_server: LocalServer) -> None:
    response = fetcher.fetch(http_server.url(PAGE), etag='"stale"')
    assert not response.not_modified
    assert b"<article>" in response.content


# -- robots.txt -------------------------------------------------------------------------


def test_robots_disallow_is_obeyed_and_robots_is_fetched_once(
    fetcher: Fetcher, http_server: LocalServer
) -> None:
    mark = http_server.mark()
    fetcher.fetch(http_server.url(PAGE))
    error = fetch_error(fetcher, http_server.url("/private/secret.html"))
    assert error.code == "E208"
    assert http_server.url("/private/secret.html") in error.message
    # A redirect into a disallowed path is refused at that hop.
    target = quote("/private/secret.html", safe="")
    assert fetch_error(fetcher, http_server.url(f"/redirect/to?url={target}")).code == "E208"
    assert not fetcher.allowed_by_robots(http_server.url("/private/other.html"))
    assert fetcher.allowed_by_robots(http_server.url("/news/"))
    paths = [r.path for r in http_server.since(mark)]
    assert not [p for p in paths if p.startswith("/private/")]
    assert paths.count("/robots.txt") == 1


def test_robots_is_cached_per_host_for_an_hour(
    fetch_settings: Settings, http_server: LocalServer, fake_time: FakeTime
) -> None:
    mark = http_server.mark()
    port = http_server.base.rsplit(":", 1)[1]
    with Fetcher(fetch_settings, sleep=fake_time.sleep, clock=fake_time.clock) as fetcher:
        fetcher.allowed_by_robots(http_server.url("/a"))
        fetcher.allowed_by_robots(http_server.url("/b"))
        # Another host name for the same server is another robots.txt.
        fetcher.allowed_by_robots(f"http://localhost:{port}/a")
        fake_time.now += 3601
        fetcher.allowed_by_robots(http_server.url("/c"))
    robots = http_server.requests("/robots.txt", since=mark)
    assert [r.headers["host"].split(":")[0] for r in robots] == [
        "127.0.0.1",
        "localhost",
        "127.0.0.1",
    ]


def test_robots_not_found_allows_everything(fetcher: Fetcher, http_server: LocalServer) -> None:
    with http_server.override("/robots.txt", "gone", status=404):
        assert fetcher.fetch(http_server.url("/private/secret.html")).status == 200


def test_robots_server_error_disallows_everything(
    fetcher: Fetcher, http_server: LocalServer
) -> None:
    mark = http_server.mark()
    with http_server.override("/robots.txt", "down", status=503):
        error = fetch_error(fetcher, http_server.url(PAGE))
    assert error.code == "E208"
    assert "503" in error.message
    assert http_server.requests(PAGE, since=mark) == []


def test_crawl_delay_raises_the_host_delay(
    fetch_settings: Settings, http_server: LocalServer, fake_time: FakeTime
) -> None:
    settings = fetch_settings.with_(host_delay=0.5)
    robots = "User-agent: *\nCrawl-delay: 2\nDisallow: /private/\n"
    with (
        http_server.override("/robots.txt", robots),
        Fetcher(settings, sleep=fake_time.sleep, clock=fake_time.clock) as fetcher,
    ):
        fetcher.fetch(http_server.url(PAGE))
        fetcher.fetch(http_server.url(PAGE))
    assert fake_time.sleeps == [2.0, 2.0]


def test_robots_can_be_switched_off(fetch_settings: Settings, http_server: LocalServer) -> None:
    mark = http_server.mark()
    with Fetcher(fetch_settings.with_(obey_robots=False)) as fetcher:
        assert fetcher.fetch(http_server.url("/private/secret.html")).status == 200
    assert http_server.requests("/robots.txt", since=mark) == []


# -- pacing -----------------------------------------------------------------------------


def test_host_delay_spaces_requests_to_one_host(
    fetch_settings: Settings, http_server: LocalServer, fake_time: FakeTime
) -> None:
    settings = fetch_settings.with_(host_delay=0.5)
    with Fetcher(settings, sleep=fake_time.sleep, clock=fake_time.clock) as fetcher:
        for path in ("/feed.xml", "/atom.xml", "/sitemap.xml"):
            fetcher.fetch(http_server.url(path))
    # robots.txt, then three pages: three gaps of host_delay.
    assert fake_time.sleeps == [0.5, 0.5, 0.5]


# -- status codes and retries -----------------------------------------------------------


def test_404_fails_at_once_without_retries(
    fetch_settings: Settings, http_server: LocalServer, fake_time: FakeTime
) -> None:
    mark = http_server.mark()
    with Fetcher(fetch_settings, sleep=fake_time.sleep, clock=fake_time.clock) as fetcher:
        error = fetch_error(fetcher, http_server.url("/status/404"))
    assert error.code == "E204"
    assert http_server.url("/status/404") in error.message
    assert "404" in error.message
    assert error.hint
    assert len(http_server.requests("/status/404", since=mark)) == 1
    assert fake_time.sleeps == []


def test_500_is_retried_with_backoff_then_fails(
    fetch_settings: Settings, http_server: LocalServer, fake_time: FakeTime
) -> None:
    mark = http_server.mark()
    with Fetcher(fetch_settings, sleep=fake_time.sleep, clock=fake_time.clock) as fetcher:
        error = fetch_error(fetcher, http_server.url("/status/500"))
    assert error.code == "E204"
    assert "500" in error.message
    assert len(http_server.requests("/status/500", since=mark)) == fetch_settings.retries + 1
    assert fake_time.sleeps == [0.01, 0.02]


def test_flaky_503_then_success(
    fetch_settings: Settings, http_server: LocalServer, fake_time: FakeTime
) -> None:
    with Fetcher(fetch_settings, sleep=fake_time.sleep, clock=fake_time.clock) as fetcher:
        response = fetcher.fetch(http_server.url("/flaky?key=503-twice&fail=2"))
    assert response.status == 200
    assert response.content == b"ok after 2 failures\n"
    assert fake_time.sleeps == [0.01, 0.02]


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [
        ("0", [0.0]),
        ("30", [0.05]),  # capped by backoff_max
        (format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True), [0.05]),
    ],
)
def test_429_honours_retry_after_capped(
    fetch_settings: Settings,
    http_server: LocalServer,
    fake_time: FakeTime,
    retry_after: str,
    expected: list[float],
) -> None:
    key = f"429-{retry_after}"
    url = http_server.url(
        f"/flaky?key={quote(key)}&fail=1&status=429&retry_after={quote(retry_after)}"
    )
    with Fetcher(fetch_settings, sleep=fake_time.sleep, clock=fake_time.clock) as fetcher:
        assert fetcher.fetch(url).status == 200
    assert fake_time.sleeps == expected


# -- redirects --------------------------------------------------------------------------


def test_redirect_chain_within_the_limit_is_followed(
    fetcher: Fetcher, http_server: LocalServer, fetch_settings: Settings
) -> None:
    hops = fetch_settings.max_redirects
    response = fetcher.fetch(http_server.url(f"/redirect/chain/{hops}"))
    assert response.url == http_server.url("/redirect/chain/0")
    assert b"End of the redirect chain" in response.content


def test_too_many_redirects_fail(
    fetcher: Fetcher, http_server: LocalServer, fetch_settings: Settings
) -> None:
    mark = http_server.mark()
    url = http_server.url(f"/redirect/chain/{fetch_settings.max_redirects + 1}")
    error = fetch_error(fetcher, url)
    assert error.code == "E207"
    assert url in error.message
    assert http_server.requests("/redirect/chain/0", since=mark) == []


def test_redirect_to_a_non_http_url_is_e201(fetcher: Fetcher, http_server: LocalServer) -> None:
    url = http_server.url("/redirect/to?url=ftp%3A%2F%2Ffiles.example%2Fa.txt")
    error = fetch_error(fetcher, url)
    assert error.code == "E201"
    assert url in error.message


def test_redirect_loop_fails(fetcher: Fetcher, http_server: LocalServer) -> None:
    error = fetch_error(fetcher, http_server.url("/redirect/loop"))
    assert error.code == "E207"
    assert "loop" in error.message


# -- SSRF -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "address"),
    [
        ("http://10.0.0.1/", "10.0.0.1"),
        ("http://169.254.169.254/latest/meta-data", "169.254.169.254"),
    ],
)
def test_redirect_to_an_internal_address_is_refused_before_connecting(
    fetcher: Fetcher,
    http_server: LocalServer,
    loopback_only: list[Any],
    target: str,
    address: str,
) -> None:
    error = fetch_error(fetcher, http_server.url(f"/redirect/to?url={quote(target, safe='')}"))
    assert error.code == "E202"
    assert target in error.message
    assert address in error.message
    assert "not allowed; see setting allow_networks" in error.message
    assert all(ipaddress.ip_address(a[0]).is_loopback for a in loopback_only)


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://192.168.1.1:8080/admin",
        "http://100.64.0.1/",
        "http://169.254.169.254/latest/meta-data",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
    ],
)
def test_internal_addresses_are_refused(
    fetcher: Fetcher, loopback_only: list[Any], url: str
) -> None:
    error = fetch_error(fetcher, url)
    assert error.code == "E202"
    assert url in error.message
    assert loopback_only == []


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[list[str]]]) -> None:
    """Make each name in ``answers`` resolve to its next address list (the last one sticks)."""
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in answers:
            return real_getaddrinfo(host, port, *args, **kwargs)
        queue = answers[host]
        addresses = queue.pop(0) if len(queue) > 1 else queue[0]
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port)))
            for address in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_connection_is_pinned_to_the_vetted_address(
    fetch_settings: Settings, http_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DNS rebinding: the first answer passes the check, later ones point inside.
    fake_dns(monkeypatch, {"rebind.test": [["127.0.0.1"], ["10.0.0.1"]]})
    port = http_server.base.rsplit(":", 1)[1]
    with Fetcher(fetch_settings.with_(obey_robots=False)) as fetcher:
        response = fetcher.fetch(f"http://rebind.test:{port}{PAGE}")
    assert response.status == 200


def test_only_allowed_addresses_of_a_name_are_used(
    fetch_settings: Settings, http_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dns(monkeypatch, {"mixed.test": [["10.0.0.1", "127.0.0.1"]]})
    port = http_server.base.rsplit(":", 1)[1]
    with Fetcher(fetch_settings) as fetcher:
        assert fetcher.fetch(f"http://mixed.test:{port}{PAGE}").status == 200


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_default_settings_refuse_loopback(
    http_server: LocalServer, loopback_only: list[Any], tmp_path: Any, host: str
) -> None:
    port = http_server.base.rsplit(":", 1)[1]
    mark = http_server.mark()
    with Fetcher(Settings.load(env={}, data_dir=str(tmp_path))) as fetcher:
        error = fetch_error(fetcher, f"http://{host}:{port}{PAGE}")
    assert error.code == "E202"
    assert "127.0.0.1" in error.message
    assert "not allowed" in error.message
    assert http_server.since(mark) == []
    assert loopback_only == []


# -- limits and failures ----------------------------------------------------------------


def test_huge_page_is_cut_off_while_streaming(fetcher: Fetcher, http_server: LocalServer) -> None:
    started = time.monotonic()
    error = fetch_error(fetcher, http_server.url("/big?key=streamed"))
    assert error.code == "E206"
    assert "max_bytes" in error.message
    assert time.monotonic() - started < 3
    time.sleep(0.1)  # let the server notice the hang-up
    assert http_server.bytes_sent("streamed") < BIG_BYTES // 4


def test_huge_declared_length_is_refused_up_front(
    fetcher: Fetcher, http_server: LocalServer
) -> None:
    error = fetch_error(fetcher, http_server.url("/big?key=declared&declare=1"))
    assert error.code == "E206"
    assert "announces" in error.message


def test_gzip_bomb_is_stopped_early(fetcher: Fetcher, http_server: LocalServer) -> None:
    started = time.monotonic()
    error = fetch_error(fetcher, http_server.url("/gzip-bomb"))
    assert error.code == "E206"
    assert "stopped while downloading" in error.message  # counted decoded bytes
    assert time.monotonic() - started < 3


def test_slow_server_times_out(fetch_settings: Settings, http_server: LocalServer) -> None:
    settings = fetch_settings.with_(read_timeout=0.3, retries=1)
    mark = http_server.mark()
    started = time.monotonic()
    with Fetcher(settings) as fetcher:
        error = fetch_error(fetcher, http_server.url("/slow?seconds=2"))
    elapsed = time.monotonic() - started
    assert error.code == "E205"
    assert elapsed < settings.read_timeout * (settings.retries + 1) + 1.0
    assert len(http_server.requests("/slow", since=mark)) == 2


def test_total_timeout_stops_a_steady_download(
    fetch_settings: Settings, http_server: LocalServer
) -> None:
    settings = fetch_settings.with_(total_timeout=0.3, retries=0, max_bytes=BIG_BYTES * 2)
    started = time.monotonic()
    with Fetcher(settings) as fetcher:
        error = fetch_error(fetcher, http_server.url("/big?key=steady"))
    assert error.code == "E205"
    assert time.monotonic() - started < 2
    time.sleep(0.1)  # let the server notice the hang-up
    assert http_server.bytes_sent("steady") < BIG_BYTES // 2


def test_dropped_connection_is_retried_then_fails(
    fetch_settings: Settings, http_server: LocalServer, fake_time: FakeTime
) -> None:
    mark = http_server.mark()
    with Fetcher(fetch_settings, sleep=fake_time.sleep, clock=fake_time.clock) as fetcher:
        error = fetch_error(fetcher, http_server.url("/drop"))
    assert error.code == "E209"
    assert len(http_server.requests("/drop", since=mark)) == fetch_settings.retries + 1


def test_dropped_connection_once_then_success(fetcher: Fetcher, http_server: LocalServer) -> None:
    response = fetcher.fetch(http_server.url("/drop?key=once&times=1"))
    assert response.content == b"steady now\n"


def test_download_streams_to_a_file_and_restarts_it_on_a_retry(
    fetcher: Fetcher, http_server: LocalServer, tmp_path: Path
) -> None:
    seen: list[tuple[int, int | None]] = []
    with (tmp_path / "body").open("w+b") as target:
        response = fetcher.download(
            http_server.url("/drop?key=streamed-once&times=1"),
            target,
            progress=lambda got, total: seen.append((got, total)),
        )
        target.seek(0)
        # The first attempt wrote 100 bytes before the connection dropped: gone.
        assert target.read() == b"steady now\n"
    assert response.content == b"" and response.status == 200
    assert seen[-1] == (11, 11)


def test_download_keeps_the_size_limit_and_validators(
    fetcher: Fetcher, http_server: LocalServer, tmp_path: Path
) -> None:
    with (tmp_path / "big").open("wb") as target:
        with pytest.raises(FetchError) as error:
            fetcher.download(http_server.url("/big?key=download"), target)
        assert error.value.code == "E206" and target.tell() <= 2_000_000
    with (tmp_path / "page").open("wb") as target:
        first = fetcher.download(http_server.url(PAGE), target)
        again = fetcher.download(http_server.url(PAGE), target, etag=first.etag)
    assert again.not_modified and (tmp_path / "page").stat().st_size > 0


def test_refused_connection_is_e203(fetcher: Fetcher) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but not listening: connections are refused
        error = fetch_error(fetcher, f"http://127.0.0.1:{port}/page")
    assert error.code == "E203"
    assert error.message.startswith(f"http://127.0.0.1:{port}/page: ")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/file.txt",
        "mailto:editor@example.com",
        "not a url",
        "",
        "http://",
        "http://exa mple.com/",
        "http://example.com:99999/",
        "//example.com/no-scheme",
    ],
)
def test_malformed_or_non_http_urls_are_e201(
    fetcher: Fetcher, loopback_only: list[Any], url: str
) -> None:
    error = fetch_error(fetcher, url)
    assert error.code == "E201"
    assert repr(url) in error.message
    assert loopback_only == []


def test_response_properties_without_content_type() -> None:
    response = Response(
        url="http://example.com/",
        status=200,
        headers={"content-type": 'text/HTML; Charset="ISO-8859-1"'},
        content=b"",
        etag=None,
        last_modified=None,
        not_modified=False,
    )
    assert (response.content_type, response.charset) == ("text/html", "iso-8859-1")
    bare = Response("http://example.com/", 200, {}, b"", None, None, False)
    assert (bare.content_type, bare.charset) == ("", None)
