"""The polite, safe HTTP fetcher.

One :class:`Fetcher` per process or thread downloads one URL at a time, and is careful
in two directions.

Polite to sites: robots.txt is obeyed (see :mod:`sitrep.ingest.robots`); requests to
one host are spaced by ``host_delay`` (or the site's larger Crawl-delay); conditional
GET lets an unchanged page cost a 304; retries back off exponentially and honour
Retry-After.

Safe for the machine it runs on: every TCP connection, including each redirect hop,
goes to an address vetted *after* DNS resolution (no loopback, private, link-local,
CGNAT, multicast, reserved or cloud metadata address unless listed in
``allow_networks``), and the socket is opened to that very address, so DNS rebinding
cannot swap it between check and connect. Redirects are followed by hand and capped;
bodies are capped while streaming, counting decoded bytes, so a gzip bomb stops early;
each download has a total deadline.

Every failure is a :class:`~sitrep.errors.FetchError` (E201-E209) whose message names
the URL and the reason.
"""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import MappingProxyType, TracebackType
from typing import BinaryIO

import httpx

from sitrep.errors import FetchError
from sitrep.ingest.decoding import CHUNK, decoded
from sitrep.ingest.netguard import AddressRefused, PinnedTransport
from sitrep.ingest.robots import RobotsGate, RobotsPolicy
from sitrep.settings import Settings

__all__ = ["Fetcher", "Progress", "Response"]

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_HOSTNAME = re.compile(r"^[a-z0-9_.-]+$")
_HEADER_VALUE = re.compile(r"[\x20-\x7e\t]+")

# Called with the bytes received so far and the announced total (None if not announced).
Progress = Callable[[int, int | None], None]

_ALLOW_HINT = (
    "sitrep refuses internal addresses so a page cannot make it probe your network; "
    "add the address to allow_networks only for a site you run yourself"
)


@dataclass(frozen=True)
class Response:
    """One downloaded page (or a 304 saying the stored copy is still good)."""

    url: str  # final URL after redirects
    status: int
    headers: Mapping[str, str]  # lower-case names, as the server sent them
    content: bytes  # Content-Encoding removed; b"" when not_modified
    etag: str | None
    last_modified: str | None
    not_modified: bool
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def content_type(self) -> str:
        """The media type, lower-case, without parameters ("" when not sent)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for param in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset":
                return value.strip().strip("\"'").lower() or None
        return None


class Fetcher:
    """Downloads URLs politely and safely; see the module docstring.

    ``sleep`` and ``clock`` are injectable so tests can check pacing without waiting.
    Not thread-safe: use one Fetcher per thread.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._sleep = sleep
        self._clock = clock
        total = settings.total_timeout
        connect, read = min(settings.connect_timeout, total), min(settings.read_timeout, total)
        self._client = httpx.Client(
            transport=PinnedTransport(settings.allowed_networks),
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(connect=connect, read=read, write=read, pool=connect),
            follow_redirects=False,  # each hop is checked by _follow
            trust_env=False,  # an environment proxy would connect to unvetted addresses
        )
        self._robots = RobotsGate(settings.user_agent, self._load_robots, clock=clock)
        self._last_request: dict[str, float] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Response:
        """Download ``url``; with validators from an earlier fetch, a 304 is not_modified.

        On a 304 the response carries the validators the server sent, or else the ones
        given, so the caller can always store ``response.etag``/``last_modified``.
        """
        return self._get(url, etag, last_modified, None)

    def download(
        self,
        url: str,
        target: BinaryIO,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        progress: Progress | None = None,
    ) -> Response:
        """Like :meth:`fetch`, but the body streams into ``target`` instead of memory.

        For files too large to hold (the same limits apply: ``max_bytes`` and
        ``total_timeout``). ``target`` is rewound and truncated before each attempt, so a
        retried download does not append to a broken one; the response's content is b"".
        """
        return self._get(url, etag, last_modified, _Sink(target, progress))

    def _get(
        self, url: str, etag: str | None, last_modified: str | None, sink: _Sink | None
    ) -> Response:
        headers: dict[str, str] = {}
        for name, value in (("If-None-Match", etag), ("If-Modified-Since", last_modified)):
            # A validator that cannot travel in a header only costs a full download.
            if value and _HEADER_VALUE.fullmatch(value):
                headers[name] = value
        answer = self._follow(url, headers, check_robots=self._settings.obey_robots, sink=sink)
        if answer.status == 304:
            return answer.response(etag=etag, last_modified=last_modified)
        if not 200 <= answer.status < 300:
            raise _status_error(url, answer)
        return answer.response()

    def allowed_by_robots(self, url: str) -> bool:
        """Whether robots.txt lets sitrep's user agent fetch ``url`` (True if not obeyed).

        Raises FetchError when the URL is malformed (E201) or its host cannot be asked.
        """
        if not self._settings.obey_robots:
            return True
        return self._robots.allows(_checked_url(url))

    # -- redirects, robots and retries ------------------------------------------------

    def _follow(
        self,
        url: str,
        headers: Mapping[str, str],
        *,
        check_robots: bool,
        sink: _Sink | None = None,
    ) -> _Answer:
        """The first non-redirect answer for ``url``, checking robots on every hop."""
        current = _checked_url(url)
        seen = {str(current)}
        for hop in range(self._settings.max_redirects + 1):
            try:
                if check_robots:
                    self._robots.require(current)
                answer = self._with_retries(current, headers, sink)
            except FetchError as exc:
                if hop:
                    raise FetchError(
                        exc.code, f"{exc.message} (redirected from {url})", exc.hint
                    ) from None
                raise
            target = _redirect_target(answer, current)
            if target is None:
                return answer
            if str(target) in seen:
                raise FetchError(
                    "E207",
                    f"{url}: redirect loop back to {target}",
                    "the site is misconfigured; try the final URL in a browser",
                )
            seen.add(str(target))
            current = target
        raise FetchError(
            "E207",
            f"{url}: more than {self._settings.max_redirects} redirects (stopped at {current})",
            "give the final URL directly, or raise setting max_redirects",
        )

    def _load_robots(self, robots_url: str) -> RobotsPolicy:
        try:
            answer = self._follow(robots_url, {}, check_robots=False)
        except FetchError as exc:
            return RobotsPolicy.from_error(exc, robots_url)
        return RobotsPolicy.from_status(answer.status, answer.content, robots_url)

    def _with_retries(
        self, url: httpx.URL, headers: Mapping[str, str], sink: _Sink | None
    ) -> _Answer:
        """One answer for ``url``; transient failures are retried with backoff.

        When retries run out, a retryable status is returned (the caller reports it)
        and a timeout or dropped connection is raised.
        """
        retries = self._settings.retries
        for attempt in range(retries + 1):
            try:
                answer = self._exchange(url, headers, sink)
            except _Transient as transient:
                if attempt == retries:
                    raise transient.error from None
                wait = None
            else:
                if answer.status not in _RETRY_STATUSES or attempt == retries:
                    return answer
                wait = _parse_retry_after(answer.headers.get("retry-after"))
            self._sleep(self._retry_delay(attempt, wait))
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _retry_delay(self, attempt: int, retry_after: float | None) -> float:
        cap = self._settings.backoff_max
        if retry_after is not None:
            return min(retry_after, cap)
        return min(self._settings.backoff * 2.0**attempt, cap)

    # -- one request ------------------------------------------------------------------

    def _exchange(self, url: httpx.URL, headers: Mapping[str, str], sink: _Sink | None) -> _Answer:
        """Send one GET and read the body of a 2xx; raise _Transient when worth retrying."""
        self._pace(url)
        deadline = self._clock() + self._settings.total_timeout
        try:
            request = self._client.build_request("GET", url, headers=headers)
            response = self._client.send(request, stream=True)
            try:
                ok = 200 <= response.status_code < 300
                content = self._read_body(response, str(url), deadline, sink) if ok else b""
            finally:
                # Closing an unfinished body drops the connection instead of draining it.
                response.close()
            return _Answer.of(response, str(url), content)
        except AddressRefused as exc:
            raise FetchError(
                "E202", f"{url}: {exc}, not allowed; see setting allow_networks", _ALLOW_HINT
            ) from None
        except httpx.TimeoutException as exc:
            raise _Transient(_timeout_error(url, exc)) from None
        except httpx.ConnectError as exc:
            detail = str(exc)
            if not detail.startswith("cannot resolve"):
                detail = f"cannot connect to {url.host}: {detail}"
            raise FetchError(
                "E203",
                f"{url}: {detail}",
                "check the host name and your network; the site may be down",
            ) from None
        except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise _Transient(_dropped_error(url, exc)) from None
        except httpx.HTTPError as exc:
            raise FetchError(
                "E203", f"{url}: cannot talk to {url.host}: {exc}", "check the URL"
            ) from None
        finally:
            self._last_request[url.host] = self._clock()

    def _pace(self, url: httpx.URL) -> None:
        """Sleep until the host's minimum delay since our last request has passed."""
        last = self._last_request.get(url.host)
        if last is None:
            return
        delay = max(self._settings.host_delay, self._robots.crawl_delay(url))
        wait = last + delay - self._clock()
        if wait > 0:
            self._sleep(wait)

    def _read_body(
        self, response: httpx.Response, url: str, deadline: float, sink: _Sink | None
    ) -> bytes:
        limit = self._settings.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _too_large_error(url, limit, f"it announces {int(declared):,} bytes")
        if sink is not None:
            sink.restart(int(declared) if declared.isdigit() else None)
        encoding = response.headers.get("content-encoding", "")
        pieces: list[bytes] = []
        total = 0
        for piece in decoded(response.iter_raw(CHUNK), encoding, url):
            total += len(piece)
            if total > limit:
                raise _too_large_error(url, limit, "stopped while downloading")
            if self._clock() > deadline:
                raise _Transient(
                    FetchError(
                        "E205",
                        f"{url}: download took longer than {self._settings.total_timeout} s",
                        "the site is slow; raise setting total_timeout or try later",
                    )
                )
            if sink is None:
                pieces.append(piece)
            else:
                sink.write(piece)
        return b"".join(pieces)


@dataclass
class _Sink:
    """Where :meth:`Fetcher.download` puts a body: a file, and who to tell how far it got."""

    target: BinaryIO
    progress: Progress | None
    total: int | None = None
    received: int = 0

    def restart(self, total: int | None) -> None:
        self.target.seek(0)
        self.target.truncate()
        self.total, self.received = total, 0

    def write(self, piece: bytes) -> None:
        self.target.write(piece)
        self.received += len(piece)
        if self.progress is not None:
            self.progress(self.received, self.total)


@dataclass(frozen=True)
class _Answer:
    """One HTTP exchange, before it is judged a success, a redirect or an error."""

    url: str
    status: int
    reason: str
    headers: Mapping[str, str]
    content: bytes

    @classmethod
    def of(cls, response: httpx.Response, url: str, content: bytes) -> _Answer:
        headers = MappingProxyType(dict(response.headers.items()))
        return cls(url, response.status_code, response.reason_phrase, headers, content)

    def response(self, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        not_modified = self.status == 304
        return Response(
            url=self.url,
            status=self.status,
            headers=self.headers,
            content=b"" if not_modified else self.content,
            etag=self.headers.get("etag") or (etag if not_modified else None),
            last_modified=self.headers.get("last-modified")
            or (last_modified if not_modified else None),
            not_modified=not_modified,
        )


class _Transient(Exception):  # noqa: N818 - an internal signal, never shown to users
    """A failure worth retrying; ``error`` is raised when retries run out."""

    def __init__(self, error: FetchError) -> None:
        super().__init__(error.message)
        self.error = error


# -- URLs and answers -------------------------------------------------------------------


def _checked_url(url: str) -> httpx.URL:
    """``url`` parsed, or E201 when it is not an absolute http(s) URL with a sane host."""
    hint = "give a full http:// or https:// URL"
    try:
        parsed = httpx.URL(url)
        port = parsed.port
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError("E201", f"{url!r}: not a valid URL ({exc})", hint) from None
    if parsed.scheme not in ("http", "https"):
        scheme = parsed.scheme or "no scheme"
        raise FetchError("E201", f"{url!r}: {scheme} is not http or https", hint)
    if not _valid_host(parsed.host):
        raise FetchError("E201", f"{url!r}: {parsed.host or 'no host'} is not a host name", hint)
    if port is not None and not 0 < port < 65536:
        raise FetchError("E201", f"{url!r}: port {port} is out of range", hint)
    return parsed


def _valid_host(host: str) -> bool:
    if ":" in host:  # only IPv6 literals contain colons once httpx has parsed the URL
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return False
        return True
    return bool(_HOSTNAME.match(host))


def _redirect_target(answer: _Answer, current: httpx.URL) -> httpx.URL | None:
    location = answer.headers.get("location")
    if answer.status not in _REDIRECT_STATUSES or not location:
        return None
    try:
        return _checked_url(str(current.join(location)))
    except (httpx.InvalidURL, FetchError):
        raise FetchError(
            "E201",
            f"{current}: redirects to {location!r}, which is not an http(s) URL",
            "the site is misconfigured; try the URL in a browser",
        ) from None


def _parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP-date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _status_error(url: str, answer: _Answer) -> FetchError:
    where = "" if answer.url == url else f" (at {answer.url})"
    status = f"{answer.status} {answer.reason}".strip()
    message = f"{url}: the server answered {status}{where}"
    if answer.status in _RETRY_STATUSES:
        hint = "the site is overloaded or failing; try again later or raise host_delay"
    elif answer.status in (401, 403):
        hint = "the site refuses sitrep; it may need a login or block crawlers"
    elif 300 <= answer.status < 400:
        hint = "the redirect has no usable Location; try the URL in a browser"
    else:
        hint = "check the URL; the page may have moved or been removed"
    return FetchError("E204", message, hint)


def _timeout_error(url: httpx.URL, exc: httpx.TimeoutException) -> FetchError:
    phase = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting for data"
    return FetchError(
        "E205",
        f"{url}: timed out while {phase}",
        "the site is slow or down; try later or raise connect_timeout/read_timeout",
    )


def _dropped_error(url: httpx.URL, exc: httpx.HTTPError) -> FetchError:
    return FetchError(
        "E209",
        f"{url}: the connection failed while reading the response ({exc})",
        "the site or the network is unreliable; try again later",
    )


def _too_large_error(url: str, limit: int, detail: str) -> FetchError:
    return FetchError(
        "E206",
        f"{url}: the response is larger than max_bytes = {limit:,} ({detail})",
        "raise setting max_bytes if the page is genuine",
    )
