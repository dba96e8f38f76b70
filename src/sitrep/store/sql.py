"""The SQL store: SQLite (default, embedded) and PostgreSQL through SQLAlchemy Core."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    tuple_,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, SQLAlchemyError

from sitrep.errors import StoreError
from sitrep.isodates import parse_iso
from sitrep.records import Article, Feed, StoredArticle
from sitrep.store import search as fulltext
from sitrep.store.accounts import AccountQueries
from sitrep.store.base import IngestIssue, NewArticle, SearchHit
from sitrep.store.browse import BrowseQueries
from sitrep.store.coding import CodingQueries
from sitrep.store.events import EventQueries
from sitrep.store.schema import (
    article_bands,
    article_signatures,
    articles,
    feeds,
    http_cache,
    ingest_issues,
)
from sitrep.store.searches import SearchQueries

__all__ = ["SqlStore", "open_store"]

_MIGRATIONS = Path(__file__).parent / "migrations"


def open_store(url: str) -> SqlStore:
    """Open (creating and migrating as needed) the store at a SQLAlchemy URL."""
    return SqlStore(url)


class SqlStore(CodingQueries, EventQueries, BrowseQueries, AccountQueries, SearchQueries):
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _create_engine(url)
        self.dialect = self.engine.dialect.name
        try:
            self._migrate()
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise StoreError(
                "E302", f"cannot open the store at {_safe(url)}: {_first_line(exc)}"
            ) from exc

    # -- plumbing

    def _migrate(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        with self.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction; SQLite takes the write lock up front to avoid deadlocks."""
        with self.engine.connect().execution_options(sitrep_write=True) as conn, conn.begin():
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    # -- articles

    def find_article(self, source_key: str, content_hash: str) -> int | None:
        query = select(articles.c.id).where(
            articles.c.source_key == source_key, articles.c.content_hash == content_hash
        )
        with self._read() as conn:
            return conn.execute(query).scalar_one_or_none()

    def find_by_url(self, url: str) -> int | None:
        query = select(articles.c.id).where(articles.c.url == url).order_by("id").limit(1)
        with self._read() as conn:
            return conn.execute(query).scalar_one_or_none()

    def find_original_by_hash(self, content_hash: str) -> int | None:
        query = (
            select(articles.c.id)
            .where(articles.c.content_hash == content_hash, articles.c.duplicate_of.is_(None))
            .order_by(articles.c.id)
            .limit(1)
        )
        with self._read() as conn:
            return conn.execute(query).scalar_one_or_none()

    def near_candidates(self, bands: Sequence[int]) -> list[tuple[int, bytes, int]]:
        pairs = list(enumerate(bands))
        if not pairs:
            return []
        matches = (
            select(article_bands.c.article_id)
            .where(tuple_(article_bands.c.band, article_bands.c.bucket).in_(pairs))
            .distinct()
        )
        query = select(
            article_signatures.c.article_id,
            article_signatures.c.signature,
            article_signatures.c.shingles,
        ).where(article_signatures.c.article_id.in_(matches))
        with self._read() as conn:
            return [
                (row.article_id, bytes(row.signature), row.shingles) for row in conn.execute(query)
            ]

    def add_article(self, new: NewArticle) -> int:
        """Insert the article, its signature and band keys in one transaction.

        Raises :class:`StoreError` E304-free: a concurrent insert of the same source and
        content is reported by returning the existing id.
        """
        art = new.article
        row = {
            "source_key": new.source_key,
            "source": new.source,
            "origin": new.origin,
            "url": art.url,
            "content_hash": new.fingerprint.content_hash,
            "title": art.title,
            "subtitle": art.subtitle,
            "byline": art.byline,
            "published": art.published.isoformat() if art.published else None,
            "published_inferred": art.published_inferred,
            "site": art.site,
            "language": art.language,
            "body": art.text,
            "paragraphs": list(art.paragraphs),
            "captions": list(art.captions),
            "removed": list(art.removed),
            "duplicate_of": new.duplicate_of,
            "duplicate_kind": new.duplicate_kind,
            "similarity": new.similarity,
            "fetched_at": new.fetched_at,
            "ingested_at": datetime.now(UTC),
        }
        try:
            with self._write() as conn:
                inserted = insert(articles).values(row).returning(articles.c.id)
                article_id = int(conn.execute(inserted).scalar_one())
                if new.duplicate_of is None:
                    self._index_signature(conn, article_id, new)
                return article_id
        except IntegrityError:
            existing = self.find_article(new.source_key, new.fingerprint.content_hash)
            if existing is None:
                raise
            return existing

    @staticmethod
    def _index_signature(conn: Connection, article_id: int, new: NewArticle) -> None:
        conn.execute(
            insert(article_signatures).values(
                article_id=article_id,
                signature=new.fingerprint.signature,
                shingles=new.fingerprint.shingles,
            )
        )
        conn.execute(
            insert(article_bands),
            [
                {"band": band, "bucket": bucket, "article_id": article_id}
                for band, bucket in enumerate(new.fingerprint.bands)
            ],
        )

    def get_article(self, article_id: int) -> StoredArticle:
        with self._read() as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).one_or_none()
        if row is None:
            raise StoreError("E303", f"no article with id {article_id}")
        return _stored_article(row._mapping)

    def list_articles(
        self, *, limit: int = 50, offset: int = 0, include_duplicates: bool = True
    ) -> list[StoredArticle]:
        query = select(articles).order_by(articles.c.id.desc()).limit(limit).offset(offset)
        if not include_duplicates:
            query = query.where(articles.c.duplicate_of.is_(None))
        with self._read() as conn:
            return [_stored_article(row._mapping) for row in conn.execute(query)]

    def count_articles(self) -> dict[str, int]:
        query = select(
            func.count(),
            func.count(articles.c.duplicate_of),
            func.count(articles.c.id)
            .filter(articles.c.language.is_not(None))
            .filter(articles.c.language != "en"),
        )
        with self._read() as conn:
            total, duplicates, foreign = conn.execute(query).one()
        return {
            "articles": int(total),
            "originals": int(total - duplicates),
            "duplicates": int(duplicates),
            "non_english": int(foreign),
        }

    def copies_of(self, article_id: int) -> list[StoredArticle]:
        query = select(articles).where(articles.c.duplicate_of == article_id).order_by("id")
        with self._read() as conn:
            return [_stored_article(row._mapping) for row in conn.execute(query)]

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        with self._read() as conn:
            rows = fulltext.search(conn, self.dialect, query, limit)
            ids = [article_id for article_id, _, _ in rows]
            by_id = {
                row.id: _stored_article(row._mapping)
                for row in conn.execute(select(articles).where(articles.c.id.in_(ids)))
            }
        return [SearchHit(by_id[i], score, snippet) for i, score, snippet in rows if i in by_id]

    # -- feeds and validators

    def add_feed(self, url: str, interval_seconds: int, now: datetime) -> Feed:
        values = {
            "url": url,
            "interval_seconds": interval_seconds,
            "next_poll": now,
            "articles_seen": 0,
            "created_at": now,
        }
        try:
            with self._write() as conn:
                inserted = insert(feeds).values(values).returning(feeds.c.id)
                feed_id = int(conn.execute(inserted).scalar_one())
        except IntegrityError as exc:
            raise StoreError("E304", f"feed {url} is already registered") from exc
        return self.get_feed(feed_id)

    def remove_feed(self, feed_id: int) -> None:
        self.get_feed(feed_id)
        with self._write() as conn:
            conn.execute(delete(feeds).where(feeds.c.id == feed_id))

    def get_feed(self, feed_id: int) -> Feed:
        with self._read() as conn:
            row = conn.execute(select(feeds).where(feeds.c.id == feed_id)).one_or_none()
        if row is None:
            raise StoreError("E303", f"no feed with id {feed_id}")
        return _feed(row._mapping)

    def list_feeds(self) -> list[Feed]:
        with self._read() as conn:
            return [_feed(row._mapping) for row in conn.execute(select(feeds).order_by("id"))]

    def update_feed(self, feed_id: int, **values: object) -> None:
        with self._write() as conn:
            conn.execute(update(feeds).where(feeds.c.id == feed_id).values(**values))

    def validators(self, url: str) -> tuple[str | None, str | None]:
        query = select(http_cache.c.etag, http_cache.c.last_modified).where(http_cache.c.url == url)
        with self._read() as conn:
            row = conn.execute(query).one_or_none()
        return (row.etag, row.last_modified) if row else (None, None)

    def save_validators(
        self, url: str, etag: str | None, last_modified: str | None, status: int, now: datetime
    ) -> None:
        values = {"etag": etag, "last_modified": last_modified, "status": status, "fetched_at": now}
        with self._write() as conn:
            changed = conn.execute(update(http_cache).where(http_cache.c.url == url).values(values))
            if changed.rowcount == 0:
                conn.execute(insert(http_cache).values(url=url, **values))

    # -- skips and failures

    def record_issue(
        self, source: str, status: str, reason: str, detail: str, now: datetime
    ) -> None:
        values = {"status": status, "reason": reason, "detail": detail, "last_seen": now}
        with self._write() as conn:
            changed = conn.execute(
                update(ingest_issues).where(ingest_issues.c.source == source).values(values)
            )
            if changed.rowcount == 0:
                conn.execute(insert(ingest_issues).values(source=source, first_seen=now, **values))

    def clear_issue(self, source: str) -> None:
        with self._write() as conn:
            conn.execute(delete(ingest_issues).where(ingest_issues.c.source == source))

    def list_issues(self) -> list[IngestIssue]:
        query = select(ingest_issues).order_by(ingest_issues.c.last_seen.desc())
        with self._read() as conn:
            return [
                IngestIssue(
                    source=row.source,
                    status=row.status,
                    reason=row.reason,
                    detail=row.detail,
                    first_seen=_utc(row.first_seen),
                    last_seen=_utc(row.last_seen),
                )
                for row in conn.execute(query)
            ]


def _create_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError("E301", f"database URL {url!r} is malformed") from exc
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(
            "E301",
            f"database URL {_safe(url)} names backend {backend!r}",
            "use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB",
        )
    try:
        if backend == "sqlite":
            return _sqlite_engine(url, parsed.database)
        return create_engine(url, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(
            "E301",
            f"no driver for {_safe(url)}: {exc}",
            "install the PostgreSQL extra: pip install 'sitrep[postgres]'",
        ) from exc


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        try:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError("E302", f"cannot create the folder for {database}: {exc}") from exc
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        for pragma in (
            "journal_mode=WAL",  # readers never block the writer; a kill -9 loses nothing committed
            "synchronous=NORMAL",
            "foreign_keys=ON",
            "busy_timeout=30000",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("sitrep_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _stored_article(row: Any) -> StoredArticle:
    article = Article(
        title=row["title"],
        subtitle=row["subtitle"],
        byline=row["byline"],
        published=parse_iso(row["published"]),
        published_inferred=bool(row["published_inferred"]),
        site=row["site"],
        url=row["url"],
        language=row["language"],
        captions=tuple(row["captions"]),
        paragraphs=tuple(row["paragraphs"]),
        removed=tuple(row["removed"]),
    )
    return StoredArticle(
        id=row["id"],
        article=article,
        content_hash=row["content_hash"],
        source=row["source"],
        origin=row["origin"],
        ingested_at=_utc(row["ingested_at"]),
        duplicate_of=row["duplicate_of"],
        duplicate_kind=row["duplicate_kind"],
        similarity=row["similarity"],
    )


def _feed(row: Any) -> Feed:
    return Feed(
        id=row["id"],
        url=row["url"],
        interval_seconds=row["interval_seconds"],
        title=row["title"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_polled=_utc_or_none(row["last_polled"]),
        next_poll=_utc_or_none(row["next_poll"]),
        last_status=row["last_status"],
        last_error=row["last_error"],
        articles_seen=row["articles_seen"],
    )


def _utc(value: datetime | date) -> datetime:
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _utc_or_none(value: datetime | None) -> datetime | None:
    return _utc(value) if value is not None else None


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
