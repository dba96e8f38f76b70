"""The store contract: what every backend offers, and the records it takes and gives."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sitrep.records import Article, EventMention, Feed, Fingerprint, StoredArticle

if TYPE_CHECKING:  # the events module imports this one's neighbours
    from sitrep.store.events import EventChange, EventFilter, MentionFacts

__all__ = ["IngestIssue", "NewArticle", "SearchHit", "Store"]

# Search snippets mark matched words with these private-use characters; the CLI and the
# web layer turn them into their own highlighting after escaping the text.
MARK_START = "\ue000"
MARK_END = "\ue001"


@dataclass(frozen=True)
class NewArticle:
    """An extracted article with everything needed to store it in one transaction."""

    article: Article
    fingerprint: Fingerprint
    source_key: str
    source: str
    origin: str
    fetched_at: datetime | None = None
    duplicate_of: int | None = None
    duplicate_kind: str | None = None
    similarity: float | None = None


@dataclass(frozen=True)
class SearchHit:
    article: StoredArticle
    score: float
    snippet: str


@dataclass(frozen=True)
class IngestIssue:
    source: str
    status: str
    reason: str
    detail: str
    first_seen: datetime
    last_seen: datetime


class Store(Protocol):
    """Storage behind one interface. Only :mod:`sitrep.service` calls the write methods."""

    url: str

    # -- articles
    def find_article(self, source_key: str, content_hash: str) -> int | None: ...
    def find_by_url(self, url: str) -> int | None: ...
    def find_original_by_hash(self, content_hash: str) -> int | None: ...
    def near_candidates(self, bands: Sequence[int]) -> list[tuple[int, bytes, int]]: ...
    def add_article(self, new: NewArticle) -> int: ...
    def get_article(self, article_id: int) -> StoredArticle: ...
    def list_articles(
        self, *, limit: int = 50, offset: int = 0, include_duplicates: bool = True
    ) -> list[StoredArticle]: ...
    def count_articles(self) -> dict[str, int]: ...
    def copies_of(self, article_id: int) -> list[StoredArticle]: ...
    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]: ...

    # -- feeds and HTTP validators
    def add_feed(self, url: str, interval_seconds: int, now: datetime) -> Feed: ...
    def remove_feed(self, feed_id: int) -> None: ...
    def get_feed(self, feed_id: int) -> Feed: ...
    def list_feeds(self) -> list[Feed]: ...
    def update_feed(self, feed_id: int, **values: object) -> None: ...
    def validators(self, url: str) -> tuple[str | None, str | None]: ...
    def save_validators(
        self, url: str, etag: str | None, last_modified: str | None, status: int, now: datetime
    ) -> None: ...

    # -- skips and failures
    def record_issue(
        self, source: str, status: str, reason: str, detail: str, now: datetime
    ) -> None: ...
    def clear_issue(self, source: str) -> None: ...
    def list_issues(self) -> list[IngestIssue]: ...

    # -- event coding
    def articles_to_code(self, coder_version: str, *, recode: bool, limit: int) -> list[int]: ...
    def save_coding(
        self,
        article_id: int,
        coder_version: str,
        mentions: Sequence[EventMention],
        *,
        status: str,
        reason: str | None,
        now: datetime,
    ) -> None: ...
    def mentions_of(self, article_id: int) -> list[dict[str, Any]]: ...
    def iter_mentions(self, batch: int = 1000) -> Iterator[dict[str, Any]]: ...
    def coding_counts(self) -> dict[str, int]: ...

    # fused events (sitrep.store.events)
    def unfused_mentions(self, limit: int) -> list[MentionFacts]: ...
    def mention_ids(self) -> list[int]: ...
    def mention_facts(self, mention_ids: Sequence[int]) -> list[MentionFacts]: ...
    def event_clusters(self, first: str, last: str) -> list[dict[str, Any]]: ...
    def event_member_ids(self, event_key: str) -> list[tuple[int, float]]: ...
    def save_fusion(self, changes: Sequence[EventChange], now: datetime) -> None: ...
    def list_events(
        self, where: EventFilter, limit: int = 50, offset: int = 0, order: str = "date"
    ) -> list[dict[str, Any]]: ...
    def get_event(self, event_id: int) -> dict[str, Any] | None: ...
    def count_events(self) -> int: ...
    def fused_membership(self) -> dict[str, list[int]]: ...

    def close(self) -> None: ...
