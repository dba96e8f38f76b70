"""Table definitions shared by the migrations and the queries (SQLAlchemy Core)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # What identifies one input across runs: its URL, else the path/JSONL line it came from.
    Column("source_key", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("origin", String(16), nullable=False),
    Column("url", Text),
    Column("content_hash", String(64), nullable=False),
    Column("title", Text),
    Column("subtitle", Text),
    Column("byline", Text),
    Column("published", String(32)),  # ISO date or datetime as the page gave it
    Column("published_inferred", Boolean, nullable=False, default=False),
    Column("site", Text),
    Column("language", String(8)),
    Column("body", Text, nullable=False),
    Column("paragraphs", JSON, nullable=False),
    Column("captions", JSON, nullable=False),
    Column("removed", JSON, nullable=False),
    Column("duplicate_of", Integer, ForeignKey("articles.id")),
    Column("duplicate_kind", String(8)),  # exact | near
    Column("similarity", Float),
    Column("fetched_at", DateTime(timezone=True)),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("source_key", "content_hash", name="uq_articles_source_content"),
)
Index("ix_articles_content_hash", articles.c.content_hash)
Index("ix_articles_duplicate_of", articles.c.duplicate_of)
Index("ix_articles_published", articles.c.published)

# MinHash signatures and LSH band keys of original (non-duplicate) articles.
article_signatures = Table(
    "article_signatures",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("signature", LargeBinary, nullable=False),
    Column("shingles", Integer, nullable=False),
)
article_bands = Table(
    "article_bands",
    metadata,
    Column("band", Integer, nullable=False),
    Column("bucket", BigInteger, nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
)
Index("ix_article_bands_lookup", article_bands.c.band, article_bands.c.bucket)

feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("title", Text),
    Column("interval_seconds", Integer, nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled", DateTime(timezone=True)),
    Column("next_poll", DateTime(timezone=True)),
    Column("last_status", String(32)),
    Column("last_error", Text),
    Column("articles_seen", Integer, nullable=False, default=0),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Validators for conditional GET of any URL sitrep fetched (articles, sitemaps).
http_cache = Table(
    "http_cache",
    metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("status", Integer),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
)

# The latest skip or failure of each input, so they are visible in the store, not only
# in one run's output. A later success removes the row.
ingest_issues = Table(
    "ingest_issues",
    metadata,
    Column("source", Text, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("reason", String(32), nullable=False),
    Column("detail", Text, nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
)


# Which articles were coded, by which coder version (model, knowledge base, rules).
article_coding = Table(
    "article_coding",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("coder_version", String(64), nullable=False),
    Column("status", String(16), nullable=False),  # coded | skipped
    Column("reason", Text),
    Column("mentions", Integer, nullable=False),
    Column("coded_at", DateTime(timezone=True), nullable=False),
)

# One row per event mention; the full record is kept as JSON, key fields as columns.
event_mentions = Table(
    "event_mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("ordinal", Integer, nullable=False),
    Column("event_type", Text, nullable=False),
    Column("sub_event_type", Text, nullable=False),
    Column("actor1_id", Text),
    Column("actor2_id", Text),
    Column("event_date", String(10)),
    Column("date_precision", String(8), nullable=False),
    Column("location_text", Text),
    Column("modality", String(16), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("record", JSON, nullable=False),
    Column("coder_version", String(64), nullable=False),
    UniqueConstraint("article_id", "ordinal", name="uq_event_mentions_article_ordinal"),
)
Index("ix_event_mentions_article", event_mentions.c.article_id)
Index("ix_event_mentions_type", event_mentions.c.sub_event_type)
Index("ix_event_mentions_date", event_mentions.c.event_date)

# Fused events: one row per real-world event; the fused record as JSON, filter keys as
# columns, and the summary fusion matches new mentions against (``cluster``).
fused_events = Table(
    "fused_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_key", String(32), nullable=False, unique=True),
    Column("event_type", Text, nullable=False),
    Column("sub_event_type", Text, nullable=False),
    Column("first_date", String(10)),
    Column("last_date", String(10)),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(8)),
    Column("actor1_id", Text),
    Column("actor2_id", Text),
    Column("confidence", Float, nullable=False),
    Column("disputed", Integer, nullable=False),
    Column("outlets", Integer, nullable=False),
    Column("confirmations", Integer, nullable=False),
    Column("fatalities", Integer),
    Column("retracted", Integer, nullable=False),
    Column("record", JSON, nullable=False),
    Column("summary", Text),  # what a map shows of it, as JSON text (see store.event_json)
    Column("cluster", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_fused_events_dates", fused_events.c.first_date, fused_events.c.last_date)
Index("ix_fused_events_type", fused_events.c.sub_event_type)
_PAGE = ("retracted", "first_date", "id", "lon", "lat")  # see migration 0008 (PostgreSQL: DESC)
Index("ix_fused_events_type_page", fused_events.c.event_type, *_PAGE)
Index("ix_fused_events_page", *_PAGE)
Index("ix_fused_events_confidence", fused_events.c.confidence)

# Which event each mention belongs to, how sure fusion was, and what else it might be.
event_members = Table(
    "event_members",
    metadata,
    Column("mention_id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("fused_events.id"), nullable=False),
    Column("score", Float, nullable=False),
    Column("alternatives", JSON, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
)
Index("ix_event_members_event", event_members.c.event_id)

# Append-only changelog: every change to an event, with the record as it then stood.
event_history = Table(
    "event_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("fused_events.id"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("action", String(16), nullable=False),  # created | mention_added | retracted ...
    Column("cause", Text, nullable=False),
    Column("record", JSON, nullable=False),
)
Index("ix_event_history_event_at", event_history.c.event_id, event_history.c.at)

# Analysts' decisions (merge, split, pin), replayed by every later fusion run.
event_decisions = Table(
    "event_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("kind", String(8), nullable=False),  # merge | split | pin
    Column("event_key", String(32), nullable=False),
    Column("detail", JSON, nullable=False),
)

# Accounts (sitrep.store.accounts): people, their sessions and API tokens, and failed
# logins for rate limiting. Secrets (session ids, tokens) are stored only as SHA-256 hashes.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),  # viewer | analyst | admin
    Column("created_at", DateTime(timezone=True), nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)
Index("ix_sessions_user", sessions.c.user_id)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("label", Text, nullable=False),
    Column("hint", String(16), nullable=False),  # the secret's first characters, to tell apart
    Column("created_at", DateTime(timezone=True), nullable=False),
)
Index("ix_api_tokens_user", api_tokens.c.user_id)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False),
    Column("client", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_login_failures_lookup", login_failures.c.name, login_failures.c.client)

# Saved searches and alerts (sitrep.store.searches). A search is the query string of the
# events list; its feed token lets feed readers in when anonymous reading is off. Feed and
# unsubscribe tokens are kept as they are, not hashed: every feed link and every e-mail
# shows them again, and each opens only one search's feed or ends one subscription.
saved_searches = Table(
    "saved_searches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("query", Text, nullable=False),
    Column("feed_token", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("owner", "name", name="uq_saved_searches_owner_name"),
)

alert_subscriptions = Table(
    "alert_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("search_id", Integer, ForeignKey("saved_searches.id"), nullable=False),
    Column("email", String(320), nullable=False),
    Column("mode", String(16), nullable=False),  # immediate | daily | weekly
    Column("min_confidence", Float, nullable=False),
    Column("token", String(64), nullable=False, unique=True),
    # Changes up to this moment are covered: enqueued, or found to be none.
    Column("checked_until", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),  # unsubscribed
)
Index("ix_alert_subscriptions_search", alert_subscriptions.c.search_id)

# Messages to send, one per (subscription, window): the unique key makes enqueueing
# idempotent, and the stored message (with its Message-ID) makes a retry send the same bytes.
alert_outbox = Table(
    "alert_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subscription_id", Integer, ForeignKey("alert_subscriptions.id"), nullable=False),
    Column("window_key", String(80), nullable=False),
    Column("recipient", String(320), nullable=False),
    Column("message", Text, nullable=False),
    Column("status", String(16), nullable=False),  # pending | sent | cancelled
    Column("attempts", Integer, nullable=False),
    Column("next_attempt", DateTime(timezone=True), nullable=False),
    Column("claimed_until", DateTime(timezone=True)),  # a sender's lease on the row
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("subscription_id", "window_key", name="uq_alert_outbox_window"),
)
Index("ix_alert_outbox_due", alert_outbox.c.status, alert_outbox.c.next_attempt)
