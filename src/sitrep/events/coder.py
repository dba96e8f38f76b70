"""Article -> event mentions: one record per event a sentence reports, with its evidence.

The article is read segment by segment (title, captions, paragraphs), so that a sentence
never runs across a caption and a paragraph. For each sentence the classifier decides
whether it reports an event and of which type; the parse around the trigger gives the
actors' roles; the sentence's places, time expressions and quantities give location,
date and magnitude; the attribution of the sentence says who says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sitrep.events.classify import Classification
from sitrep.events.ontology import SITREP_EVENT_TYPE
from sitrep.events.roles import assign_roles, trigger_token
from sitrep.nlp.attribution import Attribution, attribute
from sitrep.nlp.locations import relative_after
from sitrep.nlp.quantities import find_quantities
from sitrep.nlp.timex import TimeRef, resolve_times
from sitrep.records import (
    ActorRef,
    Article,
    EventMention,
    Evidence,
    LocationRef,
    Magnitude,
)

__all__ = ["MAX_CODED_CHARS", "Coder"]

# Longer articles are coded up to this many characters (the rest is reported as cut).
MAX_CODED_CHARS = 60_000
# Named entities taken as actors the knowledge base does not know. NORP is left out: a
# nationality alone ("Turkish", "Syrian") is an adjective; the KB names national forces.
_ACTOR_ENTS = {"PERSON", "ORG"}
_PLACE_ENTS = {"GPE", "LOC", "FAC"}
# Sub-event types whose speaker is the actor (a statement's source is who made it).
_SPEAKER_IS_ACTOR = {"Official statement/accusation", "Agreement"}
# Sub-event types whose passive subject is the actor ("groups were deployed to ...").
_MOVER_IS_ACTOR = {"Troop deployment/reinforcement", "Headquarters or base established"}
_MODALITY_WEIGHT = {
    "asserted": 1.0,
    "reported": 0.95,
    "alleged": 0.8,
    "denied": 0.6,
    "planned": 0.6,
}


Classifier = Callable[[Sequence[Span]], list[Classification | None]]
ActorLookup = Callable[[str], ActorRef]


@dataclass(frozen=True)
class _Segment:
    kind: str
    text: str
    offset: int  # where the segment starts in Article.coding_text


class Coder:
    """Codes articles with one spaCy pipeline, one classifier and one actor lookup."""

    def __init__(
        self,
        nlp: Language,
        classify: Classifier,
        lookup_actor: ActorLookup,
        lookup_actor_by_name: Callable[[str], ActorRef | None] = lambda _name: None,
    ) -> None:
        self.nlp = nlp
        self.classify = classify
        self.lookup_actor = lookup_actor
        self.lookup_actor_by_name = lookup_actor_by_name

    def code(self, article: Article) -> list[EventMention]:
        anchor = _anchor(article.published)
        segments = _segments(article)
        docs = list(self.nlp.pipe(s.text for s in segments))
        mentions: list[EventMention] = []
        earlier: list[Attribution] = []
        for segment, doc in zip(segments, docs, strict=True):
            mentions += self._code_segment(segment, doc, anchor, earlier)
        return mentions

    def _code_segment(
        self, segment: _Segment, doc: Doc, anchor: date | None, earlier: list[Attribution]
    ) -> list[EventMention]:
        sentences = list(doc.sents)
        times = resolve_times(segment.text, anchor) if anchor else []
        verdicts = self.classify(sentences)
        mentions = []
        for sentence, verdict in zip(sentences, verdicts, strict=True):
            attribution = attribute(sentence, earlier)
            earlier.append(attribution)
            verdict = verdict or _presence(sentence)
            if verdict is None:
                continue
            mentions.append(self._mention(segment, sentence, verdict, attribution, times, anchor))
        return mentions

    def _mention(
        self,
        segment: _Segment,
        sentence: Span,
        verdict: Classification,
        attribution: Attribution,
        times: list[TimeRef],
        anchor: date | None,
    ) -> EventMention:
        trigger = trigger_token(sentence, verdict.trigger)
        source_span = (attribution.start, attribution.end)
        actors = _actor_spans(sentence)
        if verdict.sub_event_type not in _SPEAKER_IS_ACTOR:
            actors = [a for a in actors if not _inside(a, source_span)]
        roles = assign_roles(sentence, trigger, actors)
        if verdict.sub_event_type in _MOVER_IS_ACTOR and roles.actor1 is None:
            roles = replace(roles, actor1=roles.actor2, actor2=None)
        # "Russian air support for the Syrian forces": the nationality is the supporter.
        supporting = verdict.sub_event_type == SUPPORT
        national = _national_modifier(trigger) if roles.actor1 is None or supporting else None
        if supporting and national is not None:
            roles = replace(roles, actor1=None, actor2=roles.actor2 or roles.actor1)
        when = _when(sentence, times)
        location = _location(sentence, segment, actors, trigger)
        confidence = verdict.confidence * (0.9 if roles.actor1 is not None else 0.7)
        confidence *= 0.95 if location is not None else 0.85
        confidence *= _MODALITY_WEIGHT.get(attribution.modality, 0.8)
        return EventMention(
            event_type=verdict.event_type or "",
            sub_event_type=verdict.sub_event_type or "",
            plover=verdict.plover,
            actor1=self._actor(roles.actor1) or self._national(national),
            actor2=self._actor(roles.actor2),
            associated=tuple(a for s in roles.associated if (a := self._actor(s)) is not None),
            date=when.first if when else anchor,
            date_precision=when.precision if when else "week",
            date_text=when.text if when else None,
            location=location,
            magnitudes=_magnitudes(sentence),
            attribution=attribution.describe(),
            attribution_cue=attribution.cue,
            modality=attribution.modality,
            evidence=Evidence(
                sentence.text,
                segment.offset + sentence.start_char,
                segment.offset + sentence.end_char,
                segment.kind,
            ),
            trigger=verdict.trigger,
            confidence=round(min(1.0, max(0.0, confidence)), 3),
        )

    def _national(self, demonym: Span | None) -> ActorRef | None:
        """The state behind "Russian air support": the demonym's country, if the KB has it."""
        if demonym is None:
            return None
        country = _COUNTRY_OF_DEMONYM.get(demonym.text.lower())
        found = self.lookup_actor_by_name(country) if country else None
        return replace(found, text=demonym.text) if found else ActorRef(text=demonym.text)

    def _actor(self, span: Span | None) -> ActorRef | None:
        if span is None:
            return None
        if span.kb_id_:
            return replace(self.lookup_actor(span.kb_id_), text=span.text)
        return ActorRef(text=span.text)


_ARMED_KINDS = {"militia", "rebel_group", "state_forces"}
PRESENCE = "Troop deployment/reinforcement"
SUPPORT = "Military support by a third party"


def _presence(sentence: Span) -> Classification | None:
    """A count of an armed group's fighters in a place ("400 to 800 X fighters were in Y").

    No trigger verb says "deployed", but the sentence reports a force on the ground: coded
    as a deployment with a modest confidence.
    """
    counts = [q for q in find_quantities(sentence.text) if q.measure == "troops"]
    armed = [
        s
        for s in sentence.doc.spans.get("actors", [])
        if _within(s, sentence) and s.label_ in _ARMED_KINDS
    ]
    places = [s for s in sentence.doc.spans.get("places", []) if _within(s, sentence)]
    if counts and armed and places:
        return Classification(SITREP_EVENT_TYPE, PRESENCE, 0.55, None)
    return None


def _anchor(published: date | datetime | None) -> date | None:
    if isinstance(published, datetime):
        return published.date()
    return published


def _segments(article: Article) -> list[_Segment]:
    """What is coded: captions and paragraphs. Headlines restate (or tease) the body."""
    segments, offset, budget = [], 0, MAX_CODED_CHARS
    for kind, text in article.segments():
        if budget <= 0:
            break
        if kind != "title":
            segments.append(_Segment(kind, text[:budget], offset))
        offset += len(text) + 2  # the blank line between segments in coding_text
        budget -= len(text)
    return segments


def _actor_spans(sentence: Span) -> list[Span]:
    """Knowledge-base actors, then named entities the knowledge base does not know."""
    doc = sentence.doc
    known = [s for s in doc.spans.get("actors", []) if _within(s, sentence)]
    places = [s for s in doc.spans.get("places", []) if _within(s, sentence)]
    unknown = [
        e
        for e in sentence.ents
        if e.label_ in _ACTOR_ENTS and not any(_overlaps(e, k) for k in [*known, *places])
    ]
    return sorted([*known, *unknown], key=lambda s: s.start)


def _location(
    sentence: Span, segment: _Segment, actors: list[Span], trigger: Token
) -> LocationRef | None:
    doc = sentence.doc
    places = [s for s in doc.spans.get("places", []) if _within(s, sentence)]
    places += [
        e
        for e in sentence.ents
        if e.label_ in _PLACE_ENTS and not any(_overlaps(e, p) for p in places)
    ]
    places = [p for p in places if not any(_overlaps(p, a) for a in actors) and not _modifier(p)]
    if not places:
        return None
    # Where the event happened hangs from the trigger ("deployed to the Idlib front"); a
    # place that describes an actor ("groups in Syria") is only a fallback.
    place = min(places, key=lambda p: (not _attached_to(p, trigger), p.start))
    candidates = place._.place_candidates if Span.has_extension("place_candidates") else None
    return LocationRef(
        text=place.text,
        start=segment.offset + place.start_char,
        end=segment.offset + place.end_char,
        relative=relative_after(segment.text, place.end_char),
        candidates=tuple(str(c) for c in candidates or ()),
    )


_TITLES = frozenset(
    "secretary minister president envoy spokesman spokeswoman ambassador official officials "
    "leader commander general delegation embassy government ministry".split()
)


# Demonyms of the states that most often act from outside in these wars.
_COUNTRY_OF_DEMONYM = {
    "russian": "Russia",
    "iranian": "Iran",
    "turkish": "Turkey",
    "american": "United States",
    "us": "United States",
    "u.s.": "United States",
    "israeli": "Israel",
    "syrian": "Syria",
    "iraqi": "Iraq",
    "british": "United Kingdom",
    "french": "France",
    "saudi": "Saudi Arabia",
    "emirati": "United Arab Emirates",
    "qatari": "Qatar",
    "jordanian": "Jordan",
    "lebanese": "Lebanon",
    "chinese": "China",
}


def _national_modifier(trigger: Token) -> Span | None:
    """ "Russian" in "Russian air support": a nationality qualifying the trigger noun."""
    for token in (trigger, *trigger.children, trigger.head):
        for child in token.children:
            if child.dep_ in ("amod", "compound", "nmod") and child.ent_type_ in ("NORP", "GPE"):
                return child.doc[child.i : child.i + 1]
    return None


_PLACE_PREPS = {"in", "at", "on", "near", "to", "into", "around", "outside", "across", "over"}


def _attached_to(place: Span, trigger: Token) -> bool:
    """The place is the object of a locative preposition of the trigger (or its object)."""
    token = place.root
    for _ in range(4):
        head = token.head
        if head.i == token.i:
            return False
        if (
            head.dep_ == "prep"
            and head.lower_ in _PLACE_PREPS
            and head.head.i in (trigger.i, *(c.i for c in trigger.children if c.dep_ == "dobj"))
        ):
            return True
        token = head
    return False


def _modifier(place: Span) -> bool:
    """A place that only qualifies a person or body ("US Secretary of State")."""
    root = place.root
    if root.dep_ not in ("nmod", "compound", "amod", "poss"):
        return False
    return root.head.ent_type_ == "PERSON" or root.head.lower_ in _TITLES


def _when(sentence: Span, times: list[TimeRef]) -> TimeRef | None:
    """The sentence's own time expression, else the latest one earlier in the segment."""
    inside = [t for t in times if sentence.start_char <= t.start < sentence.end_char]
    if inside:
        return inside[0]
    before = [t for t in times if t.end <= sentence.start_char]
    return before[-1] if before else None


def _magnitudes(sentence: Span) -> tuple[Magnitude, ...]:
    return tuple(
        Magnitude(q.measure, q.low, q.high, q.qualifier, q.text)
        for q in find_quantities(sentence.text)
        if q.measure != "other" or q.noun in ("fighters", "troops", "soldiers")
    )


def _within(span: Span, sentence: Span) -> bool:
    return sentence.start <= span.start and span.end <= sentence.end


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _inside(span: Span, chars: tuple[int | None, int | None]) -> bool:
    start, end = chars
    return start is not None and end is not None and start <= span.start_char < end
