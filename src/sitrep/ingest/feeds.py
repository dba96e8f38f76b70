"""RSS and Atom feeds -> entries (feedparser does the parsing)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from sitrep.errors import InputError

__all__ = ["FeedEntry", "ParsedFeed", "looks_like_feed", "parse_feed"]

# Below this many words, an entry's content is a teaser and the linked page is fetched.
FULL_TEXT_WORDS = 80


@dataclass(frozen=True)
class FeedEntry:
    link: str | None
    entry_id: str | None
    title: str | None
    published: datetime | None
    content_html: str | None  # full article HTML when the feed carries it

    @property
    def key(self) -> str | None:
        return self.link or self.entry_id


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    entries: tuple[FeedEntry, ...]


def looks_like_feed(head: bytes) -> bool:
    sample = head[:2048].lower()
    return b"<rss" in sample or b"<feed" in sample or b"<rdf:rdf" in sample


def parse_feed(data: bytes, source: str) -> ParsedFeed:
    """Parse feed bytes; raise InputError E106 naming the source when it is not a feed."""
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS or Atom document found"
        raise InputError("E106", f"{source}: not a valid feed ({_one_line(reason)})")
    entries = tuple(_entry(e) for e in parsed.entries)
    return ParsedFeed(title=parsed.feed.get("title"), entries=entries)


def _entry(entry: Any) -> FeedEntry:
    return FeedEntry(
        link=entry.get("link"),
        entry_id=entry.get("id"),
        title=entry.get("title"),
        published=_time(entry.get("published_parsed") or entry.get("updated_parsed")),
        content_html=_full_content(entry),
    )


def _full_content(entry: Any) -> str | None:
    candidates = [c.get("value", "") for c in entry.get("content", [])]
    candidates.append(entry.get("summary", ""))
    best = max(candidates, key=len, default="")
    return best if len(best.split()) >= FULL_TEXT_WORDS else None


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _one_line(value: object) -> str:
    return str(value).strip().splitlines()[0][:200] if str(value).strip() else "unknown error"
