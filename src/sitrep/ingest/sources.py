"""Targets named by the user -> a stream of Documents (or Outcomes for what failed).

A target is a file, a folder, a JSON Lines file, a feed or sitemap (file or URL), or an
article URL. One bad item never stops the stream: it becomes a failed or skipped Outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import urljoin

from sitrep.errors import FetchError, InputError, SitrepError
from sitrep.ingest.feeds import ParsedFeed, looks_like_feed, parse_feed
from sitrep.ingest.fetch import Fetcher, Response
from sitrep.ingest.files import SUFFIXES, decode_text, is_binary, jsonl_documents, read_limited
from sitrep.ingest.sitemaps import looks_like_sitemap, parse_sitemap
from sitrep.records import Document, DocumentKind, Outcome, Status
from sitrep.settings import Settings

__all__ = ["Collector", "FetchMemory", "Item", "is_url"]

Item = Document | Outcome
MAX_SITEMAP_DEPTH = 3


class FetchMemory(Protocol):
    """What the collector asks of the store, through the service (the only writer)."""

    def validators(self, url: str) -> tuple[str | None, str | None]: ...
    def have_url(self, url: str) -> bool: ...


@dataclass(frozen=True)
class FeedFetch:
    """A fetched feed: its parse (None when the server said 'not modified')."""

    response: Response
    feed: ParsedFeed | None


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


class Collector:
    def __init__(
        self,
        settings: Settings,
        memory: FetchMemory,
        fetcher_factory: Callable[[Settings], Fetcher] = Fetcher,
    ) -> None:
        self.settings = settings
        self.memory = memory
        self._fetcher_factory = fetcher_factory
        self._fetcher: Fetcher | None = None

    @property
    def fetcher(self) -> Fetcher:
        """The HTTP client, created on first use (local ingests never open one)."""
        if self._fetcher is None:
            self._fetcher = self._fetcher_factory(self.settings)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    # -- entry point

    def expand(self, target: str) -> Iterator[Item]:
        try:
            if is_url(target):
                yield from self._from_url(target, depth=0)
            elif "://" in target:
                raise FetchError(
                    "E201", f"{target}: only http(s) URLs and local paths can be ingested"
                )
            else:
                yield from self._from_path(Path(target))
        except SitrepError as exc:
            yield _failed(target, exc)

    # -- local paths

    def _from_path(self, path: Path) -> Iterator[Item]:
        if not path.exists():
            raise InputError("E101", f"{path}: no such file or folder")
        if path.is_dir():
            yield from self._from_folder(path)
            return
        kind = SUFFIXES.get(path.suffix.lower())
        if kind is None:
            raise InputError(
                "E102",
                f"{path}: unsupported file type {path.suffix or '(none)'}",
                "sitrep reads .html/.htm, .txt, .jsonl, and .xml/.rss/.atom feeds or sitemaps",
            )
        data = read_limited(path, self.settings.max_bytes)
        source = str(path)
        if not data.strip():
            yield Outcome(source, Status.SKIPPED, "empty", f"{source}: the file is empty")
            return
        if is_binary(data):
            raise InputError("E104", f"{source}: binary data, not text or HTML")
        if kind == "jsonl":
            yield from jsonl_documents(path, data)
        elif kind == "xml":
            yield from self._from_xml(data, source, base=None, depth=0)
        elif kind == "html":
            yield Document(source=source, kind="html", content=data, url=None, origin="file")
        else:
            text = decode_text(data, source)
            yield Document(source=source, kind="text", content=text, url=None, origin="file")

    def _from_folder(self, folder: Path) -> Iterator[Item]:
        for path in sorted(folder.rglob("*")):
            hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
            if path.is_file() and not hidden and path.suffix.lower() in SUFFIXES:
                try:
                    yield from self._from_path(path)
                except SitrepError as exc:
                    yield _failed(str(path), exc)

    # -- XML: feeds and sitemaps, from files or URLs

    def _from_xml(self, data: bytes, source: str, base: str | None, depth: int) -> Iterator[Item]:
        if looks_like_sitemap(data):
            yield from self._from_sitemap(data, source, base, depth)
        elif looks_like_feed(data):
            yield from self._from_feed(parse_feed(data, source), source)
        else:
            raise InputError("E102", f"{source}: XML that is neither a feed nor a sitemap")

    def _from_feed(self, feed: ParsedFeed, source: str) -> Iterator[Item]:
        for entry in feed.entries:
            key = entry.key
            if key is None:
                yield Outcome(
                    source, Status.FAILED, "E106", f"{source}: an entry has no link or id"
                )
                continue
            if entry.content_html is not None:
                yield Document(
                    source=key,
                    kind="html",
                    content=entry.content_html,
                    url=entry.link,
                    published=entry.published,
                    title=entry.title,
                    origin="feed",
                )
            elif entry.link and is_url(entry.link):
                if self.memory.have_url(entry.link):
                    yield Outcome(entry.link, Status.DUPLICATE, "already-stored", "already stored")
                    continue
                yield self.fetch_document(entry.link, origin="feed", published=entry.published)
            else:
                yield Outcome(
                    key, Status.SKIPPED, "no-article", f"{key}: entry has no content or link"
                )

    def _from_sitemap(
        self, data: bytes, source: str, base: str | None, depth: int
    ) -> Iterator[Item]:
        sitemap = parse_sitemap(data, source)
        for page in sitemap.pages:
            url = urljoin(base, page) if base else page
            if not is_url(url):
                yield Outcome(url, Status.FAILED, "E201", f"{source}: {url} is not an http(s) URL")
            elif self.memory.have_url(url):
                yield Outcome(url, Status.DUPLICATE, "already-stored", "already stored")
            else:
                yield self.fetch_document(url, origin="sitemap")
        for child in sitemap.children:
            url = urljoin(base, child) if base else child
            if depth >= MAX_SITEMAP_DEPTH:
                yield Outcome(url, Status.SKIPPED, "too-deep", f"{url}: sitemap nesting too deep")
                continue
            try:
                yield from self._from_url(url, depth=depth + 1)
            except SitrepError as exc:
                yield _failed(url, exc)

    # -- URLs

    def _from_url(self, url: str, depth: int) -> Iterator[Item]:
        response = self._fetch(url)
        if response.not_modified:
            yield Outcome(
                url, Status.SKIPPED, "not-modified", f"{url}: not modified since last fetch"
            )
            return
        head = response.content[:2048]
        xml_type = response.content_type.endswith("xml") or response.content_type.endswith("+xml")
        if looks_like_sitemap(head) or looks_like_feed(head) or xml_type:
            yield from self._from_xml(response.content, url, base=response.url, depth=depth)
            return
        yield self._document(response, origin="url")

    def fetch_feed(
        self, url: str, etag: str | None = None, last_modified: str | None = None
    ) -> FeedFetch:
        """Fetch and parse one registered feed (used by polling)."""
        response = self.fetcher.fetch(url, etag=etag, last_modified=last_modified)
        if response.not_modified:
            return FeedFetch(response, None)
        return FeedFetch(response, parse_feed(response.content, url))

    def feed_items(self, fetched: FeedFetch, url: str) -> Iterator[Item]:
        if fetched.feed is not None:
            yield from self._from_feed(fetched.feed, url)

    def fetch_document(self, url: str, *, origin: str, published: datetime | None = None) -> Item:
        try:
            response = self._fetch(url)
        except SitrepError as exc:
            return _failed(url, exc)
        if response.not_modified:
            return Outcome(url, Status.DUPLICATE, "already-stored", "not modified since last fetch")
        return self._document(response, origin=origin, published=published)

    def _fetch(self, url: str) -> Response:
        etag, last_modified = self.memory.validators(url)
        return self.fetcher.fetch(url, etag=etag, last_modified=last_modified)

    def _document(
        self, response: Response, *, origin: str, published: datetime | None = None
    ) -> Item:
        if is_binary(response.content):
            return Outcome(response.url, Status.FAILED, "E104", f"{response.url}: binary response")
        kind: DocumentKind = "text" if response.content_type == "text/plain" else "html"
        content: str | bytes = response.content
        if kind == "text":
            content = decode_text(response.content, response.url)
        return Document(
            source=response.url,
            kind=kind,
            content=content,
            url=response.url,
            published=published,
            fetched_at=response.fetched_at or datetime.now(UTC),
            origin=origin,
            etag=response.etag,
            last_modified=response.last_modified,
        )


def _failed(source: str, exc: SitrepError) -> Outcome:
    return Outcome(source, Status.FAILED, exc.code, exc.message)
