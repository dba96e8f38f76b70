"""Typed, immutable records that cross stage boundaries.

ingest -> :class:`Document` -> extract -> :class:`Article` -> store -> :class:`StoredArticle`
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

__all__ = [
    "ActorRef",
    "Article",
    "Document",
    "EventMention",
    "Evidence",
    "Feed",
    "Fingerprint",
    "IngestReport",
    "LocationRef",
    "Magnitude",
    "Outcome",
    "Status",
    "StoredArticle",
]

DocumentKind = Literal["html", "text"]


@dataclass(frozen=True)
class Document:
    """One raw input, before extraction.

    ``source`` is what the user (or a feed) named, used in messages; ``url`` is the
    article's address when known (an http(s) URL, or a ``file://`` URI for local files).
    """

    source: str
    kind: DocumentKind
    content: str | bytes
    url: str | None = None
    published: datetime | date | None = None  # from feed or JSONL metadata
    title: str | None = None  # from feed metadata
    fetched_at: datetime | None = None
    origin: str = "file"  # file | url | feed | sitemap | jsonl
    # HTTP validators of the fetched page, remembered only once the article is stored,
    # so that a crash between fetch and store cannot turn the page into a "not modified".
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Article:
    """What the extractor made of one document: clean text and metadata."""

    title: str | None
    subtitle: str | None
    byline: str | None
    published: datetime | date | None
    published_inferred: bool
    site: str | None
    url: str | None
    language: str | None
    captions: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The body as one string, paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)

    def segments(self) -> list[tuple[str, str]]:
        """(kind, text) of everything event coding reads, in reading order.

        The dek is the first paragraph as well as the subtitle, so it is read once.
        """
        parts = [("title", self.title)] if self.title else []
        parts += [("caption", caption) for caption in self.captions]
        parts += [("paragraph", paragraph) for paragraph in self.paragraphs]
        return parts

    @property
    def coding_text(self) -> str:
        """Title, captions and paragraphs joined by blank lines: evidence offsets point here."""
        return "\n\n".join(text for _, text in self.segments())

    @property
    def is_english(self) -> bool:
        return self.language in (None, "en")

    def to_json(self) -> dict[str, Any]:
        """The public JSON shape of ``sitrep extract --format json`` (keys are fixed)."""
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "byline": self.byline,
            "published": self.published.isoformat() if self.published else None,
            "published_inferred": self.published_inferred,
            "site": self.site,
            "url": self.url,
            "language": self.language,
            "captions": list(self.captions),
            "paragraphs": list(self.paragraphs),
            "removed": list(self.removed),
        }


@dataclass(frozen=True)
class Fingerprint:
    """What duplicate detection needs of an article body (see :mod:`sitrep.extract.dedup`)."""

    content_hash: str  # sha256 of the normalised body
    signature: bytes  # MinHash minima, little-endian uint64
    shingles: int  # how many distinct shingles the body has (to turn Jaccard into containment)
    bands: tuple[int, ...]  # one signed 63-bit key per LSH band, for the store's index


@dataclass(frozen=True)
class StoredArticle:
    """An article as the store holds it."""

    id: int
    article: Article
    content_hash: str
    source: str
    origin: str
    ingested_at: datetime
    duplicate_of: int | None = None
    duplicate_kind: str | None = None  # "exact" | "near"
    similarity: float | None = None


class Status(StrEnum):
    STORED = "stored"
    DUPLICATE = "duplicate"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    """What happened to one input item during ingest."""

    source: str
    status: Status
    reason: str = ""  # skip reason / error code / duplicate kind
    detail: str = ""
    article_id: int | None = None


@dataclass
class IngestReport:
    """Summary of one ingest run; counts by status, reasons for skips and failures."""

    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status is status)

    def of(self, status: Status) -> list[Outcome]:
        return [o for o in self.outcomes if o.status is status]

    @property
    def ok(self) -> bool:
        return self.count(Status.FAILED) == 0


@dataclass(frozen=True)
class Feed:
    id: int
    url: str
    interval_seconds: int
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_polled: datetime | None = None
    next_poll: datetime | None = None
    last_status: str | None = None
    last_error: str | None = None
    articles_seen: int = 0


# -- event coding -----------------------------------------------------------------------


@dataclass(frozen=True)
class ActorRef:
    """An actor as a mention names it, and the knowledge-base actor it resolves to."""

    text: str
    actor_id: str | None = None
    name: str | None = None
    kind: str | None = None
    sponsors: tuple[str, ...] = ()  # ids of the actor's sponsors on the event's date


@dataclass(frozen=True)
class GeoLocation:
    """Where geocoding put an event, how precisely, and why."""

    lat: float | None
    lon: float | None
    geo_precision: int  # ACLED: 1 the named place, 2 near it / part of a district, 3 region
    radius_km: float
    place_id: str | None = None  # gazetteer id: a GeoNames id or "sitrep:..."/"admin1:..."
    geonames_id: int | None = None
    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    feature_class: str | None = None
    confidence: float = 0.0
    reasoning: str = ""  # "14 km southeast of Idlib, from the caption"
    review: bool = False  # unresolved, or only a country: an analyst should look


@dataclass(frozen=True)
class LocationRef:
    """Where a mention says the event happened (resolved to coordinates by geocoding)."""

    text: str
    start: int
    end: int
    relative: str | None = None  # "about 14 kilometres southeast of the city of Idlib"
    candidates: tuple[str, ...] = ()  # gazetteer ids, best first
    # What the place is to the event: site | destination | origin | actor_base | context
    role: str = "site"
    geo: GeoLocation | None = None  # filled by geocoding


@dataclass(frozen=True)
class Magnitude:
    measure: str  # fatalities | injured | displaced | troops | other
    low: int
    high: int
    qualifier: str | None
    text: str


@dataclass(frozen=True)
class Evidence:
    """The sentence an event comes from: offsets into :attr:`Article.coding_text`."""

    text: str
    start: int
    end: int
    segment: str  # title | subtitle | caption | paragraph


@dataclass(frozen=True)
class EventMention:
    event_type: str
    sub_event_type: str
    plover: str | None
    actor1: ActorRef | None
    actor2: ActorRef | None
    associated: tuple[ActorRef, ...]
    date: date | None
    date_precision: str  # day | week | month | year | unknown (background, undated)
    date_text: str | None
    location: LocationRef | None
    magnitudes: tuple[Magnitude, ...]
    attribution: str  # "the outlet", "The Daily Telegraph", "media reports, citing ..."
    attribution_cue: str | None
    modality: str  # asserted | reported | alleged | denied | planned
    evidence: Evidence
    trigger: str | None
    confidence: float

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data
