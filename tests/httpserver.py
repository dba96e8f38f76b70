"""A real local HTTP server for the tests (a pytest plugin, loaded from conftest.py).

Fixtures
    ``http_server``     session-scoped :class:`LocalServer` on 127.0.0.1, a free port,
                        served by a background thread and shut down at session end.
    ``fetch_settings``  fast :class:`~sitrep.settings.Settings` that allow 127.0.0.1.

Routes (GET and HEAD)
    ``/<file>``                   static files from tests/fixtures/site/; ``{{BASE}}`` in
                                  .html/.xml/.txt files becomes the server's base URL;
                                  ETag + Last-Modified, 304 on If-None-Match or
                                  If-Modified-Since; ``?encoding=gzip|deflate|raw-deflate``
                                  compresses (raw-deflate is sent as "deflate"); any other
                                  value is sent as Content-Encoding with the body as is.
    ``/status/<code>``            answers <code>.
    ``/flaky?key=K&fail=N&status=S&retry_after=R``
                                  answers S (503) the first N (2) times for key K, then 200;
                                  R, if given, is sent verbatim as Retry-After.
    ``/redirect/chain/<k>``       302 to /redirect/chain/<k-1>; /redirect/chain/0 is a page.
    ``/redirect/loop``            302 to /redirect/loop/b, which 302s back.
    ``/redirect/to?url=U``        302 to U (e.g. http://10.0.0.1/ - never followed by a
                                  correct fetcher).
    ``/big?key=K&declare=1``      ~50 MB of HTML in 64 KiB chunks with short pauses, until
                                  the client goes away; no Content-Length unless declare=1.
                                  Bytes written are counted per key: ``bytes_sent(K)``.
    ``/gzip-bomb``                ~1 MB gzip body (Content-Encoding: gzip) that inflates to
                                  1 GiB of zeros.
    ``/slow?seconds=S``           waits S (2) seconds before answering.
    ``/drop?key=K&times=N``       promises 1000 bytes, sends 100 and closes the connection;
                                  with K, only the first N (1) times for that key, then 200.

Helpers
    ``http_server.url(path)``, ``.base``, ``.log`` (every request, in order), ``.mark()``
    and ``.since(mark)``, ``.requests(path, since=0)``, ``.bytes_sent(key)``,
    ``with http_server.override(path, body=..., status=..., headers=...):`` to serve a
    custom answer (e.g. another robots.txt) for the duration of a test, and
    ``with http_server.mount(prefix, folder):`` to serve a folder (e.g. files a test
    builds in tmp_path) under ``/<prefix>/`` like the static files, validators included.
    Overrides win over mounts, mounts over routes.
"""

from __future__ import annotations

import gzip
import hashlib
import struct
import sys
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from sitrep.settings import Settings

SITE_DIR = Path(__file__).parent / "fixtures" / "site"

BIG_BYTES = 50 * 1024 * 1024
BOMB_BYTES = 1024 * 1024 * 1024
_CHUNK = 64 * 1024
_SUBSTITUTED = {".html", ".xml", ".txt"}
_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
_CONTENT_TYPES_BY_NAME = {
    "feed.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
}


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    target: str  # path and query as sent
    path: str  # path only
    query: Mapping[str, str]
    headers: Mapping[str, str]  # lower-case names


@dataclass(frozen=True)
class _Override:
    status: int
    body: bytes
    headers: Mapping[str, str]


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a handler stuck on a slow route must not block shutdown

    def __init__(self, site: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.site = site.resolve()
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.lock = threading.Lock()
        self.log: list[LoggedRequest] = []
        self.counters: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()
        self.overrides: dict[str, _Override] = {}
        self.mounts: dict[str, Path] = {}
        self.stopping = threading.Event()
        self._bomb: bytes | None = None

    def bomb(self) -> bytes:
        with self.lock:
            if self._bomb is None:
                self._bomb = _gzip_of_zeros(BOMB_BYTES)
            return self._bomb

    def count(self, key: str) -> int:
        with self.lock:
            self.counters[key] += 1
            return self.counters[key]

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up on purpose (size limits, timeouts) are expected here.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def _gzip_of_zeros(size: int) -> bytes:
    """A gzip stream of ``size`` zero bytes, built without compressing them all.

    One MiB of zeros is compressed once and ended with a full flush, which byte-aligns
    the block and resets the window, so the same block can simply be repeated.
    """
    block_size = 1024 * 1024
    zeros = bytes(block_size)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // block_size):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return header + block * (size // block_size) + compressor.flush() + trailer


def _encoded(body: bytes, encoding: str) -> bytes:
    """``body`` compressed as ``encoding``; an unknown encoding leaves it as it is."""
    if encoding == "gzip":
        return gzip.compress(body)
    if encoding == "deflate":
        return zlib.compress(body)
    if encoding == "raw-deflate":  # what some servers wrongly send as "deflate"
        compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        return compressor.compress(body) + compressor.flush()
    return body


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10  # idle keep-alive connections close instead of pinning a thread
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the request log below is what tests read

    def do_GET(self) -> None:
        self._dispatch(head=False)

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def _dispatch(self, *, head: bool) -> None:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query))
        headers = {k.lower(): v for k, v in self.headers.items()}
        entry = LoggedRequest(self.command, self.path, parts.path, query, headers)
        with self.server.lock:
            self.server.log.append(entry)
            override = self.server.overrides.get(parts.path)
            mounts = dict(self.server.mounts)
        if override is not None:
            self._send(override.status, override.body, override.headers, head=head)
            return
        for prefix, folder in mounts.items():
            if parts.path.startswith(prefix + "/"):
                self._static(parts.path.removeprefix(prefix), query, head, folder)
                return
        for prefix, route in _ROUTES:
            if parts.path == prefix or parts.path.startswith(prefix + "/"):
                route(self, parts.path.removeprefix(prefix).strip("/"), query, head)
                return
        self._static(parts.path, query, head)

    # -- plumbing ---------------------------------------------------------------------

    def _send(
        self,
        status: int,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
        *,
        head: bool = False,
    ) -> None:
        headers = dict(headers or {})
        bodiless = status in (204, 304) or status < 200
        headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if not bodiless:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and not bodiless:
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self._send(302, b"moved\n", {"Location": location})

    # -- routes -----------------------------------------------------------------------

    def _static(
        self, path: str, query: Mapping[str, str], head: bool, root: Path | None = None
    ) -> None:
        root = root or self.server.site
        file = (root / path.lstrip("/")).resolve()
        if not file.is_relative_to(root) or not file.is_file():
            self._send(404, b"not found\n", head=head)
            return
        body = file.read_bytes()
        if file.suffix in _SUBSTITUTED:
            body = body.replace(b"{{BASE}}", self.server.base.encode())
        mtime = int(file.stat().st_mtime)
        validators = {
            "ETag": '"' + hashlib.sha1(body).hexdigest()[:16] + '"',
            "Last-Modified": formatdate(mtime, usegmt=True),
        }
        if self._not_modified(validators["ETag"], mtime):
            self._send(304, headers=validators, head=head)
            return
        content_type = _CONTENT_TYPES_BY_NAME.get(file.name) or _CONTENT_TYPES.get(
            file.suffix, "application/octet-stream"
        )
        headers = {"Content-Type": content_type, **validators}
        encoding = query.get("encoding")
        if encoding:
            body = _encoded(body, encoding)
            headers["Content-Encoding"] = "deflate" if encoding == "raw-deflate" else encoding
        self._send(200, body, headers, head=head)

    def _not_modified(self, etag: str, mtime: int) -> bool:
        """RFC 9110 13.2.2: If-None-Match decides when present, else If-Modified-Since."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            return "*" in tags or etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since is None:
            return False
        try:
            return mtime <= parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError):
            return False

    def _status(self, rest: str, query: Mapping[str, str], head: bool) -> None:
        code = int(rest or "200")
        self._send(code, f"status {code}\n".encode(), head=head)

    def _flaky(self, rest: str, query: Mapping[str, str], head: bool) -> None:
        key = query.get("key", "flaky")
        failures = int(query.get("fail", "2"))
        if self.server.count(f"flaky:{key}") <= failures:
            headers = {"Retry-After": query["retry_after"]} if "retry_after" in query else {}
            status = int(query.get("status", "503"))
            self._send(status, b"try again\n", headers, head=head)
            return
        self._send(200, f"ok after {failures} failures\n".encode(), head=head)

    def _redirects(self, rest: str, query: Mapping[str, str], head: bool) -> None:
        if rest == "loop":
            self._redirect("/redirect/loop/b")
        elif rest == "loop/b":
            self._redirect("/redirect/loop")
        elif rest == "to":
            self._redirect(query["url"])
        elif rest.startswith("chain/"):
            hops = int(rest.removeprefix("chain/"))
            if hops > 0:
                self._redirect(f"/redirect/chain/{hops - 1}")
            else:
                page = b"<html><body><p>End of the redirect chain.</p></body></html>"
                self._send(200, page, {"Content-Type": "text/html; charset=utf-8"}, head=head)
        else:
            self._send(404, b"no such redirect\n", head=head)

    def _big(self, rest: str, query: Mapping[str, str], head: bool) -> None:
        key = query.get("key", "big")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if query.get("declare"):
            self.send_header("Content-Length", str(BIG_BYTES))
        else:
            self.send_header("Connection", "close")  # the body ends when we close
            self.close_connection = True
        self.end_headers()
        if head:
            return
        paragraph = b"<p>" + b"filler text " * 100 + b"</p>\n"
        chunk = (paragraph * (_CHUNK // len(paragraph) + 1))[:_CHUNK]
        try:
            for _ in range(BIG_BYTES // _CHUNK):
                if self.server.stopping.is_set():
                    break
                self.wfile.write(chunk)
                with self.server.lock:
                    self.server.sent[key] += len(chunk)
                time.sleep(0.002)  # slow enough that a size limit visibly cuts it short
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _gzip_bomb(self, rest: str, query: Mapping[str, str], head: bool) -> None:
        body = self.server.bomb()
        headers = {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}
        try:
            self._send(200, body, headers, head=head)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _slow(self, rest: str, query: Mapping[str, str], head: bool) -> None:
        # Waiting on the stop event lets the session end without sleeping it out.
        if self.server.stopping.wait(float(query.get("seconds", "2"))):
            return
        try:
            self._send(200, b"finally\n", head=head)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _drop(self, rest: str, query: Mapping[str, str], head: bool) -> None:
        key = query.get("key")
        if key is not None and self.server.count(f"drop:{key}") > int(query.get("times", "1")):
            self._send(200, b"steady now\n", head=head)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"x" * 100)
        self.close_connection = True  # the socket closes with 900 promised bytes unsent


_ROUTES: tuple[tuple[str, Callable[[_Handler, str, Mapping[str, str], bool], None]], ...] = (
    ("/status", _Handler._status),
    ("/flaky", _Handler._flaky),
    ("/redirect", _Handler._redirects),
    ("/big", _Handler._big),
    ("/gzip-bomb", _Handler._gzip_bomb),
    ("/slow", _Handler._slow),
    ("/drop", _Handler._drop),
)


class LocalServer:
    """The running test server: URLs, the request log and per-test overrides."""

    def __init__(self, site: Path = SITE_DIR) -> None:
        self._server = _Server(site)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def base(self) -> str:
        return self._server.base

    def url(self, path: str) -> str:
        return self.base + (path if path.startswith("/") else "/" + path)

    @property
    def log(self) -> list[LoggedRequest]:
        with self._server.lock:
            return list(self._server.log)

    def mark(self) -> int:
        """A position in the log; ``since(mark)`` gives the requests made after it."""
        with self._server.lock:
            return len(self._server.log)

    def since(self, mark: int) -> list[LoggedRequest]:
        with self._server.lock:
            return self._server.log[mark:]

    def requests(self, path: str, since: int = 0) -> list[LoggedRequest]:
        """Requests for exactly ``path`` (query ignored) made after ``since``."""
        return [r for r in self.since(since) if r.path == path]

    def bytes_sent(self, key: str) -> int:
        with self._server.lock:
            return self._server.sent[key]

    @contextmanager
    def override(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> Iterator[None]:
        """Serve a fixed answer at ``path`` until the block ends."""
        raw = body.encode() if isinstance(body, str) else body
        answer = _Override(status, raw.replace(b"{{BASE}}", self.base.encode()), headers or {})
        with self._server.lock:
            self._server.overrides[path] = answer
        try:
            yield
        finally:
            with self._server.lock:
                self._server.overrides.pop(path, None)

    @contextmanager
    def mount(self, prefix: str, folder: Path) -> Iterator[None]:
        """Serve the files in ``folder`` under ``/<prefix>/`` until the block ends."""
        key = "/" + prefix.strip("/")
        with self._server.lock:
            self._server.mounts[key] = folder.resolve()
        try:
            yield
        finally:
            with self._server.lock:
                self._server.mounts.pop(key, None)

    def stop(self) -> None:
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture(scope="session")
def http_server() -> Iterator[LocalServer]:
    server = LocalServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fetch_settings(tmp_path: Path) -> Settings:
    """Settings for fetching from ``http_server`` quickly: local network allowed."""
    return Settings.load(
        env={},
        data_dir=str(tmp_path / "data"),
        allow_networks="127.0.0.1",
        host_delay=0.0,
        backoff=0.01,
        backoff_max=0.05,
        retries=2,
        connect_timeout=1.0,
        read_timeout=1.0,
        total_timeout=5.0,
        max_bytes=2_000_000,
    )
