"""The event coder as the service uses it: built once per process, versioned for provenance."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Span

from sitrep.events.classify import Classification, classify_spans
from sitrep.events.coder import Coder
from sitrep.geo.gazetteer import default_gazetteer, gazetteer_path
from sitrep.geo.locate import Locator
from sitrep.nlp.actors import ActorKB, actor_kb
from sitrep.nlp.pipeline import build_pipeline
from sitrep.nlp.places import PlaceRecognizer
from sitrep.records import ActorRef, Article, EventMention
from sitrep.settings import Settings

__all__ = ["CODER_RULES_VERSION", "CodingReport", "EventCoder", "load_coder"]

# Bump when the coder's own rules change, so that `sitrep process --recode` recodes.
CODER_RULES_VERSION = "4"


@dataclass
class CodingReport:
    coded: int = 0
    events: int = 0
    truncated: int = 0  # articles too long to code whole: only their start was coded
    skipped: Counter[str] = field(default_factory=Counter)

    def add(
        self, article_id: int, mentions: int, reason: str | None, *, truncated: bool = False
    ) -> None:
        if reason is None:
            self.coded += 1
            self.events += mentions
            self.truncated += truncated
        else:
            self.skipped[reason] += 1


class EventCoder:
    def __init__(self, nlp: Language, kb: ActorKB, locator: Locator | None = None) -> None:
        self.nlp = nlp
        self.kb = kb
        self.locator = locator
        self._coder = Coder(nlp, self._classify, self._lookup, self._lookup_name)
        model = f"{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
        self.version = f"{model}+kb.{kb.version[:8]}+rules.{CODER_RULES_VERSION}"

    def code(self, article: Article) -> list[EventMention]:
        """Coded and geocoded mentions of the article's events."""
        return self.code_many([article])[0]

    def code_many(self, articles: Sequence[Article]) -> list[list[EventMention]]:
        """:meth:`code` for several articles, parsed in one batch."""
        coded = self._coder.code_many(articles)
        if self.locator is None:
            return [mentions for mentions, _ in coded]
        return [
            self.locator.locate(mentions, article.coding_text, places)
            for article, (mentions, places) in zip(articles, coded, strict=True)
        ]

    def classify_texts(self, texts: Sequence[str]) -> list[Classification | None]:
        sentences = [doc[:] for doc in self.nlp.pipe(texts)]
        return self._classify(sentences)

    def _classify(self, sentences: Sequence[Span]) -> list[Classification | None]:
        return classify_spans(sentences)

    def _lookup_name(self, name: str) -> ActorRef | None:
        actor = self.kb.find(name)
        return self._lookup(actor.id) if actor else None

    def _lookup(self, actor_id: str) -> ActorRef:
        actor = self.kb.get(actor_id)
        return ActorRef(text=actor.name, actor_id=actor.id, name=actor.name, kind=actor.kind,
                        sponsors=tuple(a.id for a in self.kb.sponsors_of(actor.id)))  # fmt: skip


def load_coder(settings: Settings) -> EventCoder:
    """The coder for these settings, built on first use and kept for the process."""
    default_gazetteer(settings)  # builds the index on first use
    return _coder(settings.actor_paths, str(gazetteer_path(settings)))


@lru_cache(maxsize=2)
def _coder(actor_files: tuple[str, ...], gazetteer: str) -> EventCoder:
    kb = actor_kb(actor_files)
    nlp = build_pipeline(actor_files, gazetteer)
    # Geocoding reads the index the place recogniser has open, and shares its name cache.
    places = nlp.get_pipe("sitrep_places")
    assert isinstance(places, PlaceRecognizer)  # build_pipeline adds it
    return EventCoder(nlp, kb, Locator(places.gazetteer))
