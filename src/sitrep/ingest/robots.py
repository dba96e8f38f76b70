"""robots.txt for the fetcher (RFC 9309): one policy per origin, cached with a TTL.

The fetcher downloads robots.txt through its own safe machinery and hands the outcome
here; this module decides what the outcome means:

- 2xx: the rules are parsed with :mod:`urllib.robotparser`;
- 4xx (the file is "unavailable"), too many redirects: everything is allowed;
- 429, 5xx, or a body too large to read: everything is disallowed, since RFC 9309
  tells crawlers to assume complete disallow when the server cannot answer;
- a refused address, an unreachable host, a timeout or a dropped connection (E202,
  E203, E205, E209) is raised as is and not cached: the page itself could not be
  fetched either, and the user should see the real reason rather than E208.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.robotparser import RobotFileParser

import httpx

from sitrep.errors import FetchError

__all__ = ["ROBOTS_TTL", "RobotsGate", "RobotsPolicy", "origin"]

ROBOTS_TTL = 3600.0  # seconds a robots.txt answer is trusted (RFC 9309 asks for <= 24 h)

# Failures after which RFC 9309 treats robots.txt as unavailable (allow) rather than
# unreachable (disallow): too many redirects, or a redirect to a non-http(s) URL.
_UNAVAILABLE_CODES = frozenset({"E201", "E207"})
# Failures of the host rather than of its robots.txt; see the module docstring.
_RAISED_CODES = frozenset({"E202", "E203", "E205", "E209"})


class RobotsPolicy:
    """What one origin's robots.txt allows, and why."""

    def __init__(self, parser: RobotFileParser | None, *, allow: bool, why: str) -> None:
        self._parser = parser
        self._allow = allow
        self.why = why

    @classmethod
    def allow_all(cls, why: str) -> RobotsPolicy:
        return cls(None, allow=True, why=why)

    @classmethod
    def disallow_all(cls, why: str) -> RobotsPolicy:
        return cls(None, allow=False, why=why)

    @classmethod
    def parsed(cls, text: str, robots_url: str) -> RobotsPolicy:
        parser = RobotFileParser(robots_url)
        parser.parse(text.lstrip("\ufeff").splitlines())
        return cls(parser, allow=True, why=f"{robots_url} disallows it")

    @classmethod
    def from_status(cls, status: int, body: bytes, robots_url: str) -> RobotsPolicy:
        """The policy for a robots.txt answer that arrived with ``status``."""
        if 200 <= status < 300:
            return cls.parsed(body.decode("utf-8", errors="replace"), robots_url)
        # 429 is a 4xx but means "slow down", not "no file": treat it like a 5xx.
        if 400 <= status < 500 and status != 429:
            return cls.allow_all(f"{robots_url} answered {status}")
        return cls.disallow_all(
            f"{robots_url} answered {status}, so RFC 9309 says to assume everything is disallowed"
        )

    @classmethod
    def from_error(cls, error: FetchError, robots_url: str) -> RobotsPolicy:
        """The policy when robots.txt could not be downloaded at all."""
        if error.code in _RAISED_CODES:
            raise error
        if error.code in _UNAVAILABLE_CODES:
            return cls.allow_all(f"{robots_url} is unavailable ({error.message})")
        return cls.disallow_all(
            f"{robots_url} cannot be fetched ({error.message}), so RFC 9309 says to "
            "assume everything is disallowed"
        )

    def allows(self, user_agent: str, url: str) -> bool:
        if self._parser is None:
            return self._allow
        return self._parser.can_fetch(user_agent, url)

    def crawl_delay(self, user_agent: str) -> float:
        """Seconds the site asks between requests; 0.0 when it asks nothing."""
        if self._parser is None:
            return 0.0
        # typeshed types this as str; robotparser actually stores an int.
        delay = self._parser.crawl_delay(user_agent)
        try:
            return max(0.0, float(delay)) if delay is not None else 0.0
        except ValueError:
            return 0.0


class RobotsGate:
    """Answers "may sitrep fetch this URL?" from each origin's robots.txt.

    A policy is loaded (through ``load(robots_url)``) on first use of an origin and kept
    ``ttl`` seconds by ``clock``.
    """

    def __init__(
        self,
        user_agent: str,
        load: Callable[[str], RobotsPolicy],
        *,
        clock: Callable[[], float],
        ttl: float = ROBOTS_TTL,
    ) -> None:
        self._user_agent = user_agent
        self._load = load
        self._clock = clock
        self._ttl = ttl
        self._entries: dict[str, tuple[float, RobotsPolicy]] = {}

    def allows(self, url: httpx.URL) -> bool:
        return self._policy(url).allows(self._user_agent, str(url))

    def require(self, url: httpx.URL) -> None:
        """Raise E208 unless ``url`` is allowed; a host failure is raised naming ``url``."""
        try:
            policy = self._policy(url)
        except FetchError as exc:
            reason = exc.message.removeprefix(f"{origin(url)}/robots.txt: ")
            when = "" if exc.code == "E202" else " (while asking for robots.txt)"
            raise FetchError(exc.code, f"{url}: {reason}{when}", exc.hint) from None
        if not policy.allows(self._user_agent, str(url)):
            raise FetchError(
                "E208",
                f"{url}: not fetched, {policy.why} for user agent {self._user_agent!r}",
                "respect the site's wishes; for a site you run, set obey_robots = false",
            )

    def crawl_delay(self, url: httpx.URL) -> float:
        """The Crawl-delay of ``url``'s origin if its robots.txt is known, else 0.0."""
        entry = self._entries.get(origin(url))
        return entry[1].crawl_delay(self._user_agent) if entry else 0.0

    def _policy(self, url: httpx.URL) -> RobotsPolicy:
        key = origin(url)
        entry = self._entries.get(key)
        if entry is not None and self._clock() < entry[0]:
            return entry[1]
        policy = self._load(f"{key}/robots.txt")
        self._entries[key] = (self._clock() + self._ttl, policy)
        return policy


def origin(url: httpx.URL) -> str:
    """``scheme://host[:port]``: the scope of one robots.txt (RFC 9309 2.3)."""
    return f"{url.scheme}://{url.netloc.decode('ascii')}"
