"""The one application API. The CLI and the web layer call this; only this writes the store."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitrep.errors import InputError, SitrepError, Skip
from sitrep.extract import extract, extract_document
from sitrep.extract.dedup import copy_score, fingerprint
from sitrep.ingest.sources import Collector, Item, is_url
from sitrep.records import (
    Article,
    Document,
    EventMention,
    Feed,
    Fingerprint,
    IngestReport,
    Outcome,
    Status,
    StoredArticle,
)
from sitrep.service_accounts import AccountsService
from sitrep.service_alerts import AlertsService
from sitrep.service_brief import BriefService
from sitrep.service_catalog import CatalogService
from sitrep.service_events import EventsService
from sitrep.settings import Settings, parse_duration
from sitrep.store import IngestIssue, NewArticle, SearchHit, Store, open_store

if TYPE_CHECKING:  # the coder pulls in spaCy: imported only when coding
    from sitrep.events.classify import Classification
    from sitrep.events.engine import CodingReport, EventCoder
    from sitrep.geo.dumps import Download, DumpProgress
    from sitrep.store.coding import StoredMention

__all__ = ["DEMO_CORPUS", "GazetteerUpdate", "PollResult", "Service"]

DEMO_CORPUS = Path(__file__).resolve().parent.parent.parent / "demo"
# Held back from the default demo load: revisions used by later features' demos and tests.
DEMO_HELD_BACK = ("updates",)

Progress = Callable[[Outcome], None]
CodingProgress = Callable[[int], None]
# Articles parsed together when coding: large enough for the model's batching, small
# enough that progress is reported often and an interruption loses little.
PARSE_BATCH = 16


@dataclass(frozen=True)
class PollResult:
    feed: Feed
    report: IngestReport
    not_modified: bool = False
    error: str | None = None


@dataclass(frozen=True)
class GazetteerUpdate:
    """What ``update_gazetteer`` did: the dump files, and the index it left."""

    downloads: list[Download]
    meta: dict[str, str]  # the index's meta table, and its "path"
    rebuilt: bool  # False when nothing new was downloaded and the index was current
    seconds: float


class _StoreMemory:
    """Read-only view of fetch history for the collector."""

    def __init__(self, service: Service) -> None:
        self._service = service

    def validators(self, url: str) -> tuple[str | None, str | None]:
        return self._service.store.validators(url)

    def have_url(self, url: str) -> bool:
        return self._service.store.find_by_url(url) is not None


class _NoMemory:
    def validators(self, url: str) -> tuple[str | None, str | None]:
        return (None, None)

    def have_url(self, url: str) -> bool:
        return False


class Service(EventsService, CatalogService, AccountsService, BriefService, AlertsService):
    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.settings = settings
        self._store = store
        self._collector: Collector | None = None
        self._coder: EventCoder | None = None

    # -- resources

    @property
    def store(self) -> Store:
        """The store, opened (and migrated) on first use."""
        if self._store is None:
            self._store = open_store(self.settings.resolved_database_url)
        return self._store

    @property
    def collector(self) -> Collector:
        if self._collector is None:
            self._collector = Collector(self.settings, _StoreMemory(self))
        return self._collector

    def close(self) -> None:
        if self._collector is not None:
            self._collector.close()
        if self._store is not None:
            self._store.close()

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest

    def ingest(self, targets: Sequence[str], progress: Progress | None = None) -> IngestReport:
        """Ingest every target; one report of what was stored, duplicate, skipped, failed."""
        report = IngestReport()
        for item in self._items(targets):
            outcome = item if isinstance(item, Outcome) else self.process(item)
            self._note(outcome)
            report.add(outcome)
            if progress is not None:
                progress(outcome)
        return report

    def _items(self, targets: Iterable[str]) -> Iterator[Item]:
        for target in targets:
            yield from self.collector.expand(target)

    def process(self, document: Document) -> Outcome:
        """Extract, de-duplicate and store one document. Idempotent."""
        try:
            article = extract(document, min_words=self.settings.min_words)
        except Skip as skip:
            return Outcome(document.source, Status.SKIPPED, skip.reason, skip.detail)
        except SitrepError as exc:
            return Outcome(document.source, Status.FAILED, exc.code, exc.message)
        outcome = self._store_article(document, article)
        if document.url and (document.etag or document.last_modified):
            self.store.save_validators(
                document.url, document.etag, document.last_modified, 200, _now()
            )
        return outcome

    def _store_article(self, document: Document, article: Article) -> Outcome:
        print_ = fingerprint(article.text)
        key = _source_key(document, article)
        existing = self.store.find_article(key, print_.content_hash)
        if existing is not None:
            return Outcome(
                document.source,
                Status.DUPLICATE,
                "already-stored",
                f"already stored as #{existing}",
                existing,
            )
        new = NewArticle(
            article, print_, key, document.source, document.origin, document.fetched_at
        )
        original = self.store.find_original_by_hash(print_.content_hash)
        if original is not None:
            new = _as_copy(new, original, "exact", 1.0)
        else:
            match = self._nearest(print_)
            if match is not None:
                new = _as_copy(new, match[0], "near", match[1])
        article_id = self.store.add_article(new)
        if new.duplicate_of is None:
            return Outcome(document.source, Status.STORED, "", "", article_id)
        detail = f"{new.duplicate_kind} copy of #{new.duplicate_of}"
        if new.duplicate_kind == "near":
            detail += f" (similarity {new.similarity:.2f})"
        return Outcome(
            document.source, Status.DUPLICATE, new.duplicate_kind or "", detail, article_id
        )

    def _nearest(self, print_: Fingerprint) -> tuple[int, float] | None:
        """The earlier article that holds most of this one, if it holds enough of it."""
        best: tuple[int, float] | None = None
        for article_id, signature, shingles in self.store.near_candidates(print_.bands):
            score = copy_score(print_, signature, shingles)
            if score >= self.settings.near_duplicate_threshold and (
                best is None or score > best[1] or (score == best[1] and article_id < best[0])
            ):
                best = (article_id, score)
        return best

    def _note(self, outcome: Outcome) -> None:
        """Keep the latest skip or failure of each input visible in the store."""
        if outcome.status in (Status.SKIPPED, Status.FAILED):
            if outcome.reason == "not-modified":
                return
            self.store.record_issue(
                outcome.source, outcome.status.value, outcome.reason, outcome.detail, _now()
            )
        else:
            self.store.clear_issue(outcome.source)

    def extract_preview(self, target: str) -> Article:
        """What the extractor makes of one input, without storing anything."""
        collector = Collector(self.settings, _NoMemory())
        try:
            for item in collector.expand(target):
                if isinstance(item, Document):
                    return extract_document(item)
                if item.status is Status.FAILED:
                    raise InputError(
                        item.reason if item.reason.startswith("E") else "E102", item.detail
                    )
                raise InputError("E102", item.detail or f"{target}: nothing to extract")
        finally:
            collector.close()
        raise InputError("E102", f"{target}: holds no document to extract")

    # -- event coding

    def analyze(self, target: str) -> tuple[Article, list[EventMention]]:
        """Extract one input and code its events, storing nothing."""
        article = self.extract_preview(target)
        return article, self._code([article])[0][0]

    def geoparse(self, records: Sequence[tuple[str, Mapping[str, Any]]]) -> list[dict[str, Any]]:
        """Places of each (where, record): all records are checked before any is parsed."""
        from sitrep.geo.geoparse import Geoparser, check_record

        for where, record in records:
            check_record(record, where)
        parser = Geoparser.from_settings(self.settings)
        return [parser.parse(record, where) for where, record in records]

    def classify_texts(self, texts: Sequence[str]) -> list[Classification | None]:
        return self.coder.classify_texts(texts)

    def code_events(
        self, *, recode: bool = False, progress: CodingProgress | None = None
    ) -> CodingReport:
        """Code every stored article not yet coded (with ``recode``: not by this coder)."""
        from sitrep.events.engine import CodingReport

        report = CodingReport()
        version = self.coder.version
        while ids := self.store.articles_to_code(version, recode=recode, limit=PARSE_BATCH):
            articles = [self.store.get_article(article_id).article for article_id in ids]
            for article_id, article, (mentions, reason) in zip(
                ids, articles, self._code(articles), strict=True
            ):
                note = _truncation_note(article) if reason is None else reason
                status = "coded" if reason is None else "skipped"
                self.store.save_coding(
                    article_id, version, mentions, status=status, reason=note, now=_now()
                )
                report.add(article_id, len(mentions), reason, truncated=note is not None)
                if progress is not None:
                    progress(article_id)
        return report

    def _code(self, articles: Sequence[Article]) -> list[tuple[list[EventMention], str | None]]:
        """Event mentions of each article, or none with the reason it was not coded."""
        reasons = [_not_codable(article) for article in articles]
        codable = [a for a, reason in zip(articles, reasons, strict=True) if reason is None]
        coded = iter(self.coder.code_many(codable))
        return [([], reason) if reason else (next(coded), None) for reason in reasons]

    @property
    def coder(self) -> EventCoder:
        if self._coder is None:
            from sitrep.events.engine import load_coder

            self._coder = load_coder(self.settings)
        return self._coder

    # -- feeds

    def add_feed(self, url: str, interval: str | None = None) -> Feed:
        if not is_url(url):
            raise InputError("E201", f"{url}: a feed must be an http(s) URL")
        seconds = parse_duration(interval or self.settings.feed_interval, what="--interval")
        return self.store.add_feed(url, seconds, _now())

    def remove_feed(self, feed_id: int) -> None:
        self.store.remove_feed(feed_id)

    def feeds(self) -> list[Feed]:
        return self.store.list_feeds()

    def poll_feed(self, feed: Feed, progress: Progress | None = None) -> PollResult:
        """Fetch one feed (conditionally) and ingest its new entries."""
        report = IngestReport()
        now = _now()
        try:
            fetched = self.collector.fetch_feed(feed.url, feed.etag, feed.last_modified)
        except SitrepError as exc:
            self.store.update_feed(
                feed.id,
                last_polled=now,
                next_poll=_next(now, feed),
                last_status="failed",
                last_error=str(exc),
            )
            return PollResult(feed, report, error=str(exc))
        for item in self.collector.feed_items(fetched, feed.url):
            outcome = item if isinstance(item, Outcome) else self.process(item)
            self._note(outcome)
            report.add(outcome)
            if progress is not None:
                progress(outcome)
        # Validators are saved only after the entries are in: a crash mid-poll refetches.
        self.store.update_feed(
            feed.id,
            title=(fetched.feed.title if fetched.feed else None) or feed.title,
            etag=fetched.response.etag or feed.etag,
            last_modified=fetched.response.last_modified or feed.last_modified,
            last_polled=now,
            next_poll=_next(now, feed),
            last_status="not-modified" if fetched.feed is None else "ok",
            last_error=None,
            articles_seen=feed.articles_seen + report.count(Status.STORED),
        )
        return PollResult(self.store.get_feed(feed.id), report, fetched.feed is None)

    def poll_due(
        self, now: datetime | None = None, progress: Progress | None = None
    ) -> list[PollResult]:
        now = now or _now()
        due = [f for f in self.feeds() if f.next_poll is None or f.next_poll <= now]
        return [self.poll_feed(feed, progress) for feed in due]

    def watch(
        self,
        stop: threading.Event,
        on_poll: Callable[[PollResult], None] | None = None,
        max_sleep: float = 60.0,
    ) -> None:
        """Poll feeds as they fall due, code and fuse what they bring, and send the alerts
        that are due, until ``stop``: one process keeps the event record current."""
        while not stop.is_set():
            stored = 0
            for result in self.poll_due():
                stored += result.report.count(Status.STORED)
                if on_poll is not None:
                    on_poll(result)
                if stop.is_set():
                    return
            if stored:
                self.code_events()
                self.fuse()
            self.run_alerts()  # after fusion: alerts see what the poll brought
            stop.wait(self._seconds_to_next_poll(max_sleep))

    def _seconds_to_next_poll(self, max_sleep: float) -> float:
        upcoming = [f.next_poll for f in self.feeds() if f.next_poll is not None]
        if not upcoming:
            return max_sleep
        return max(0.05, min(max_sleep, (min(upcoming) - _now()).total_seconds()))

    # -- reading

    def articles(
        self, limit: int = 50, offset: int = 0, include_duplicates: bool = True
    ) -> list[StoredArticle]:
        return self.store.list_articles(
            limit=limit, offset=offset, include_duplicates=include_duplicates
        )

    def article(self, article_id: int) -> StoredArticle:
        return self.store.get_article(article_id)

    def mentions_of(self, article_id: int) -> list[StoredMention]:
        """The stored event mentions of an article, with their location and provenance."""
        return self.store.mentions_of(article_id)

    def copies(self, article_id: int) -> list[StoredArticle]:
        return self.store.copies_of(article_id)

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        return self.store.search(query, limit=limit)

    def issues(self) -> list[IngestIssue]:
        return self.store.list_issues()

    def stats(self) -> dict[str, int]:
        counts = self.store.count_articles()
        counts["feeds"] = len(self.feeds())
        counts["issues"] = len(self.issues())
        return counts

    def info(self) -> dict[str, str]:
        return {
            "database_url": self.settings.resolved_database_url,
            "data_dir": str(self.settings.data_path),
            "demo_corpus": str(DEMO_CORPUS),
        }

    # -- gazetteer

    def update_gazetteer(
        self,
        countries: Sequence[str] = (),
        all_: bool = False,
        progress: DumpProgress | None = None,
    ) -> GazetteerUpdate:
        """Download GeoNames' full dumps of ``countries`` (``all_``: of every country) and
        rebuild the gazetteer index with them. With neither, the dumps downloaded before
        are checked for updates. A failure leaves the index as it was.
        """
        from sitrep.geo import dumps
        from sitrep.geo.gazetteer import ensure_gazetteer, gazetteer_path, index_meta

        started = time.perf_counter()
        codes = None if all_ else dumps.check_countries(countries)
        if codes == []:
            codes = dumps.downloaded_countries(dumps.dumps_path(self.settings))
        if codes == []:
            raise InputError(
                "E601",
                "no country named and no GeoNames dump downloaded yet",
                "name countries with --countries SY,TR or use --all",
            )
        downloads = dumps.download_dumps(self.settings, codes, progress)
        path = gazetteer_path(self.settings)
        before = index_meta(path)
        scope = _rebuild_scope(before, codes)
        changed = before is not None and before.get("countries") != _scope_text(scope)
        if progress is not None:
            progress("updating the gazetteer index", 0, None)
        built = ensure_gazetteer(self.settings, scope, force=changed)
        meta = {"path": str(path), **(built or index_meta(path) or {})}
        return GazetteerUpdate(downloads, meta, built is not None, time.perf_counter() - started)

    def gazetteer_info(self) -> dict[str, str]:
        """The configured gazetteer index's path and meta table; E302 if there is none."""
        from sitrep.geo.gazetteer import Gazetteer, gazetteer_path

        path = gazetteer_path(self.settings)
        with Gazetteer.open(path) as gazetteer:
            return {"path": str(path), **gazetteer.meta}

    # -- demo

    def demo_targets(self, corpus: Path = DEMO_CORPUS) -> list[str]:
        """The demo corpus as ingest targets: every part but the held-back revisions."""
        if not corpus.is_dir():
            raise InputError("E101", f"{corpus}: the demo corpus is missing")
        return [
            str(path)
            for path in sorted(corpus.iterdir())
            if not path.name.startswith(".")
            and path.name not in DEMO_HELD_BACK
            and (path.is_dir() or path.suffix in (".html", ".txt", ".jsonl", ".xml"))
        ]


def _rebuild_scope(meta: dict[str, str] | None, countries: list[str] | None) -> set[str] | None:
    """The countries an updated index holds: those it held and those just downloaded."""
    if countries is None or meta is None or meta.get("countries", "all") == "all":
        return None
    return set(meta["countries"].split(",")) | set(countries)


def _scope_text(scope: set[str] | None) -> str:
    return ",".join(sorted(scope)) if scope else "all"


def _not_codable(article: Article) -> str | None:
    if not article.paragraphs:
        return "no article body"
    if not article.is_english:
        return f"language {article.language}: only English is coded"
    return None


def _truncation_note(article: Article) -> str | None:
    """Said of an article too long to code whole: only its start was coded."""
    from sitrep.events.coder import MAX_CODED_CHARS

    length = len(article.coding_text)
    if length <= MAX_CODED_CHARS:
        return None
    return f"coded the first {MAX_CODED_CHARS:,} of {length:,} characters"


def _source_key(document: Document, article: Article) -> str:
    """What identifies an input across runs: its URL when known, else where it came from."""
    for url in (document.url, article.url):
        if url and is_url(url):
            return url
    if document.origin == "jsonl":
        path, _, line = document.source.rpartition(":")
        return f"{Path(path).resolve()}:{line}"
    return str(Path(document.source).resolve())


def _as_copy(new: NewArticle, original: int, kind: str, score: float) -> NewArticle:
    return NewArticle(
        new.article,
        new.fingerprint,
        new.source_key,
        new.source,
        new.origin,
        new.fetched_at,
        duplicate_of=original,
        duplicate_kind=kind,
        similarity=score,
    )


def _next(now: datetime, feed: Feed) -> datetime:
    return now + timedelta(seconds=feed.interval_seconds)


def _now() -> datetime:
    return datetime.now(UTC)
