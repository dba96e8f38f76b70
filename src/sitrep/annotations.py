"""Highlights of an article from its stored event mentions: where the actors, places,
dates, triggers and event sentences are, as offsets into its paragraphs.

Mentions keep offsets into :attr:`Article.coding_text` (title, captions and paragraphs
joined by blank lines) for the evidence sentence and the place; actors, dates and
triggers are kept as text and found again inside the evidence sentence. Pure functions
over records: no NLP runs here.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sitrep.records import Article

__all__ = ["LABELS", "CodingText", "mention_spans"]

LABELS = ("ACTOR", "PLACE", "DATE", "TRIGGER", "EVENT")


@dataclass(frozen=True)
class CodingText:
    """An article's coding text, and where each of its segments starts in it."""

    text: str
    starts: tuple[int, ...]
    lengths: tuple[int, ...]
    paragraphs: tuple[int | None, ...]  # each segment's paragraph index; None if no paragraph

    @classmethod
    def of(cls, article: Article) -> CodingText:
        segments = article.segments()
        starts, paragraphs, offset, index = [], [], 0, 0
        for kind, text in segments:
            starts.append(offset)
            paragraphs.append(index if kind == "paragraph" else None)
            index += kind == "paragraph"
            offset += len(text) + 2  # the blank line between segments
        lengths = tuple(len(text) for _, text in segments)
        return cls(article.coding_text, tuple(starts), lengths, tuple(paragraphs))

    def locate(self, start: int, end: int) -> tuple[int, int, int] | None:
        """(paragraph, start, end) of a coding-text range inside one paragraph, else None
        (a title or a caption, or offsets that do not fit the article)."""
        segment = bisect_right(self.starts, start) - 1
        paragraph = self.paragraphs[segment] if segment >= 0 else None
        local = start - self.starts[segment]
        if paragraph is None or end <= start or local + end - start > self.lengths[segment]:
            return None
        return paragraph, local, local + end - start


def mention_spans(
    mention: dict[str, Any], coding: CodingText, event_id: int | None
) -> Iterator[dict[str, Any]]:
    """The labelled spans of one stored mention (those inside a paragraph)."""
    evidence = mention.get("evidence") or {}
    sentence, base = str(evidence.get("text") or ""), int(evidence.get("start") or 0)
    found: list[tuple[str, int, int, Any]] = []
    if sentence:
        found.append(("EVENT", base, base + len(sentence), event_id))
    location = mention.get("location") or {}
    if location.get("text") and location.get("end"):
        place = (location.get("geo") or {}).get("place_id")
        found.append(("PLACE", int(location["start"]), int(location["end"]), place))
    for role in ("actor1", "actor2", *(["associated"] * len(mention.get("associated") or []))):
        actors = mention.get(role)
        for actor in actors if isinstance(actors, list) else [actors]:
            if actor and actor.get("text"):
                found += _within(sentence, base, "ACTOR", actor["text"], actor.get("actor_id"))
    if mention.get("date_text"):
        found += _within(sentence, base, "DATE", mention["date_text"], mention.get("date"))
    if mention.get("trigger"):
        found += _within(sentence, base, "TRIGGER", mention["trigger"], event_id)
    for label, start, end, ref in found:
        where = coding.locate(start, end)
        if where is not None:
            paragraph, local_start, local_end = where
            yield {
                "paragraph": paragraph,
                "start": local_start,
                "end": local_end,
                "label": label,
                "text": coding.text[start:end],
                "ref": ref,
            }


def _within(
    sentence: str, base: int, label: str, text: str, ref: Any
) -> list[tuple[str, int, int, Any]]:
    """The first whole-word occurrence of ``text`` in the evidence sentence."""
    match = re.search(rf"(?<!\w){re.escape(text)}(?!\w)", sentence)
    if match is None:
        return []
    return [(label, base + match.start(), base + match.end(), ref)]
