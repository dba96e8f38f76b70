"""Highlighted article text, built safely: every piece of text is escaped here, in Python,
and only our own tags are joined around it (templates never mark article text ``|safe``)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from markupsafe import Markup, escape

__all__ = ["LABELS", "evidence_ranges", "mark_paragraph"]

# displaCy's idea: the label shown after the span, a colour per label (see style.css)
LABELS = {
    "ACTOR": "Actor",
    "PLACE": "Place",
    "DATE": "Date",
    "TRIGGER": "Event trigger",
    "EVENT": "Event sentence",
}
_INLINE = set(LABELS) - {"EVENT"}  # event sentences are marked as evidence, not as spans


def mark_paragraph(
    text: str, spans: Sequence[dict[str, Any]], evidence: Sequence[tuple[int, int, int]]
) -> Markup:
    """``text`` with entity ``spans`` labelled and ``evidence`` ranges (start, end, mention id)
    marked. Entities are kept whole; an evidence mark closes and reopens around them when
    the two cross, so the tags always nest."""
    entities = _non_overlapping(s for s in spans if s.get("label") in _INLINE)
    cuts = {0, len(text)}
    for s in entities:
        cuts |= {s["start"], s["end"]}
    for start, end, _ in evidence:
        cuts |= {max(0, start), min(len(text), end)}
    edges = sorted(cuts)
    entity_at = {s["start"]: s for s in entities}
    out: list[Markup] = []
    open_mark: int | None = None
    skip_until = 0
    for start, end in pairwise(edges):
        if start < skip_until:
            continue
        mark = _evidence_at(evidence, start)
        if mark != open_mark:
            if open_mark is not None:
                out.append(Markup("</mark>"))
            if mark is not None:
                out.append(Markup('<mark class="evidence" id="m{}">').format(mark))
            open_mark = mark
        entity = entity_at.get(start)
        if entity is not None:
            out.append(_entity(text[entity["start"] : entity["end"]], entity))
            skip_until = entity["end"]
        else:
            out.append(escape(text[start:end]))
    if open_mark is not None:
        out.append(Markup("</mark>"))
    return Markup("").join(out)


def evidence_ranges(text: str, sentences: Sequence[tuple[str, int]]) -> list[tuple[int, int, int]]:
    """Where each (evidence sentence, mention id) occurs in ``text``; sentences not found
    (the mention came from a caption, or the text was normalised) are left out."""
    found = []
    for sentence, mention_id in sentences:
        start = text.find(sentence.strip()) if sentence.strip() else -1
        if start >= 0:
            found.append((start, start + len(sentence.strip()), mention_id))
    return found


def _entity(text: str, span: dict[str, Any]) -> Markup:
    label = span["label"]
    return Markup(
        '<span class="ent ent-{}">{}<span class="ent-label" aria-hidden="true">{}</span>'
        '<span class="visually-hidden"> ({})</span></span>'
    ).format(label.lower(), text, label, LABELS[label])


def _evidence_at(evidence: Sequence[tuple[int, int, int]], position: int) -> int | None:
    for start, end, mention_id in evidence:
        if start <= position < end:
            return mention_id
    return None


def _non_overlapping(spans: Any) -> list[dict[str, Any]]:
    """Longest first wins where entity spans overlap, as displaCy shows one per token."""
    chosen: list[dict[str, Any]] = []
    for span in sorted(spans, key=lambda s: (s["start"] - s["end"], s["start"])):
        if span["end"] > span["start"] and all(
            span["end"] <= c["start"] or span["start"] >= c["end"] for c in chosen
        ):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s["start"])
