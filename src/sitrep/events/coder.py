"""Article -> event mentions: one record per event a sentence reports, with its evidence.

The article is read segment by segment (title, captions, paragraphs), so that a sentence
never runs across a caption and a paragraph. For each sentence the classifier decides
whether it reports an event and of which type; the parse around the trigger gives the
actors' roles; the sentence's places, time expressions and quantities give location,
date and magnitude; the attribution of the sentence says who says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sitrep.events.classify import Classification
from sitrep.events.framing import (
    aspirational,
    attached,
    claimant,
    demanded,
    hypothetical,
    place_role,
    running_total,
    since_clause,
)
from sitrep.events.ontology import SITREP_EVENT_TYPE, by_sub_event
from sitrep.events.roles import Roles, assign_roles, trigger_token
from sitrep.events.story import (
    VIOLENT,
    Story,
    latest_violent,
    mention_date,
    narrative_times,
    retold,
    told_before,
)
from sitrep.geo.resolve import demonym_country
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
STATEMENT = by_sub_event("Official statement/accusation")
_SPEAKER_IS_ACTOR = {STATEMENT.name, "Agreement"}
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
        return self.code_many([article])[0][0]

    def code_many(self, articles: Sequence[Article]) -> list[tuple[list[EventMention], list[str]]]:
        """Each article's mentions, and every place name it contains (geocoding context).

        The segments of all the articles go through the pipeline together: the model
        parses large batches faster than one article's handful of paragraphs at a time.
        """
        segmented = [_segments(article) for article in articles]
        docs = iter(self.nlp.pipe(s.text for segments in segmented for s in segments))
        coded = []
        for article, segments in zip(articles, segmented, strict=True):
            story = Story(_anchor(article.published), anchor_inferred=article.published_inferred)
            places: list[str] = []
            for segment in segments:
                doc = next(docs)
                self._code_segment(segment, doc, story)
                places += [span.text for span in doc.spans.get("places", [])]
            coded.append((story.mentions, places))
        return coded

    def _code_segment(self, segment: _Segment, doc: Doc, story: Story) -> None:
        sentences = [s for s in doc.sents if not _table_row(segment.text, s.start_char)]
        times = (
            resolve_times(segment.text, story.anchor, at_least=story.anchor_inferred)
            if story.anchor
            else []
        )
        verdicts = self.classify(sentences)
        for sentence, verdict in zip(sentences, verdicts, strict=True):
            attribution = attribute(sentence, story.attributions)
            story.attributions.append(attribution)
            claimer = claimant(sentence)
            if claimer is not None:
                verdict = _claimed(verdict, story.mentions)
            elif verdict is not None:
                verdict = _reframed(sentence, verdict, story)
                if verdict is None:
                    continue  # a goal, a hypothesis or background: no event of its own
            verdict = verdict or _presence(sentence)
            if verdict is None:
                continue
            mention = self._mention(
                segment, sentence, verdict, attribution, times, story, claimed=claimer is not None
            )
            if claimer is not None:
                mention = self._claim(mention, sentence, claimer)
            period = mention.date_text if mention.date_precision != "day" else None
            if _says_something(mention) and not running_total(sentence, period):
                story.mentions.append(mention)
        narrated = narrative_times(times, segment.text)
        story.last_time = narrated[-1] if narrated else story.last_time

    def _claim(self, mention: EventMention, sentence: Span, claimer: Token) -> EventMention:
        """A claim of responsibility: the claimant is actor 1 of the event it claims."""
        spans = [s for s in _actor_spans(sentence) if s.start <= claimer.i < s.end]
        span = spans[0] if spans else sentence.doc[claimer.left_edge.i : claimer.i + 1]
        return replace(
            mention,
            actor1=self._actor(span),
            attribution=span.text,
            attribution_cue="claimed responsibility",
            modality="reported",
        )

    def _mention(
        self,
        segment: _Segment,
        sentence: Span,
        verdict: Classification,
        attribution: Attribution,
        times: list[TimeRef],
        story: Story,
        *,
        claimed: bool = False,  # a claim of responsibility: the claimant is no mere source
    ) -> EventMention:
        trigger = trigger_token(sentence, verdict.trigger)
        source_span = (attribution.start, attribution.end)
        actors = self._actor_spans(sentence)
        if verdict.sub_event_type not in _SPEAKER_IS_ACTOR and not claimed:
            actors = [a for a in actors if not _inside(a, source_span) and not _speaker(a, trigger)]
        roles = assign_roles(sentence, trigger, actors)
        if verdict.sub_event_type in _MOVER_IS_ACTOR and roles.actor1 is None:
            roles = replace(roles, actor1=roles.actor2, actor2=None)
        elif verdict.sub_event_type in _MOVER_IS_ACTOR and _sends(trigger) and roles.actor2:
            # "Iran has sent fighters from the Fatemiyoun": the force sent is what deploys,
            # with the state that sent it beside it.
            sender = (roles.actor1,) if roles.actor1 is not None else ()
            roles = Roles(roles.actor2, None, (*sender, *roles.associated))
        if verdict.event_type in VIOLENT and _civilians(roles.actor1):
            # Civilians suffer political violence; they are never its actor 1 (ACLED).
            roles = replace(roles, actor1=None, actor2=roles.actor2 or roles.actor1)
        # "Russian air support for the Syrian forces": the nationality is the supporter.
        supporting = verdict.sub_event_type == SUPPORT
        national = _national_modifier(trigger) if roles.actor1 is None or supporting else None
        if supporting and national is not None:
            roles = replace(roles, actor1=None, actor2=roles.actor2 or roles.actor1)
        location = _location(sentence, segment, actors, trigger)
        # "the blast", "the attack": an event the article already reported, told again.
        told = (
            latest_violent(story.mentions)
            if claimed
            else told_before(trigger, verdict, story.mentions)
        )
        date_, precision, date_text = mention_date(sentence, trigger, times, story, told)
        named1, actor2 = self._actor(roles.actor1), self._actor(roles.actor2)
        confidence = verdict.confidence * (0.9 if roles.actor1 is not None else 0.7)
        confidence *= 0.95 if location is not None else 0.85
        confidence *= _MODALITY_WEIGHT.get(attribution.modality, 0.8)
        confidence *= 0.8 if precision == "unknown" else 1.0
        return EventMention(
            event_type=verdict.event_type or "",
            sub_event_type=verdict.sub_event_type or "",
            plover=verdict.plover,
            actor1=named1 or self._national_unlike(national, actor2),
            actor2=actor2,
            associated=_distinct([self._actor(s) for s in roles.associated], (named1, actor2)),
            date=date_,
            date_precision=precision,
            date_text=date_text,
            location=location or (told.location if told else None),
            magnitudes=_magnitudes(sentence),
            attribution=attribution.describe(),
            attribution_cue=attribution.cue,
            modality=_own_modality(attribution.modality, trigger),
            evidence=Evidence(
                sentence.text,
                segment.offset + sentence.start_char,
                segment.offset + sentence.end_char,
                segment.kind,
            ),
            trigger=verdict.trigger,
            confidence=round(min(1.0, max(0.0, confidence)), 3),
        )

    def _actor_spans(self, sentence: Span) -> list[Span]:
        """Actor spans, plus capitals that stand for their state ("Ankara accused ...")."""
        spans = _actor_spans(sentence)
        for place in sentence.doc.spans.get("places", []):
            country = _CAPITALS.get(place.text)
            if country is None or not _within(place, sentence):
                continue
            if place.root.dep_ in ("nsubj", "nsubjpass", "agent") or place.root.head.lower_ == "by":
                found = self.lookup_actor_by_name(country)
                if found is not None and found.actor_id:
                    span = Span(sentence.doc, place.start, place.end, label=found.kind or "")
                    span.kb_id_ = found.actor_id
                    spans.append(span)
        return sorted(spans, key=lambda s: s.start)

    def _national(self, demonym: Span | None) -> ActorRef | None:
        """The state behind "Russian air support": the demonym's country, if the KB has it."""
        if demonym is None:
            return None
        country = demonym_country(demonym.text)
        # "Syrian shelling": the state if the KB names it, else its forces ("Syrian forces").
        found = (
            (
                self.lookup_actor_by_name(country)
                or self.lookup_actor_by_name(f"{demonym.text} forces")
            )
            if country
            else None
        )
        return replace(found, text=demonym.text) if found else ActorRef(text=demonym.text)

    def _national_unlike(self, demonym: Span | None, victim: ActorRef | None) -> ActorRef | None:
        """:meth:`_national`, unless it names the target itself: in "13 Syrian soldiers
        killed" the nationality is the dead's, not their killers'."""
        found = self._national(demonym)
        if found and victim and found.actor_id and found.actor_id == victim.actor_id:
            return None
        return found

    def _actor(self, span: Span | None) -> ActorRef | None:
        if span is None:
            return None
        if span.kb_id_:
            return replace(self.lookup_actor(span.kb_id_), text=span.text)
        armed = _national_arms(span)
        if armed is not None:  # "Turkish F-16 jets": the state whose arms they are
            found = self._national(armed)
            if found is not None and found.actor_id:
                return replace(found, text=span.text)
        return ActorRef(text=span.text)


_ARMED_KINDS = {"militia", "rebel_group", "state_forces"}
PRESENCE = "Troop deployment/reinforcement"
SUPPORT = "Military support by a third party"


_SENDING = frozenset({"send", "dispatch", "deploy"})


def _sends(trigger: Token) -> bool:
    return trigger.lemma_.lower() in _SENDING


def _reframed(sentence: Span, verdict: Classification, story: Story) -> Classification | None:
    """The verdict as the sentence frames its trigger: None for a goal ("a step to regain
    the M5") or a hypothesis ("the right to respond to any attack"); the event a sentence
    retells when its trigger is background ("the heaviest loss since it first sent
    troops in"); a statement when the trigger is what its maker demands ("must withdraw
    by the end of February")."""
    trigger = trigger_token(sentence, verdict.trigger)
    if aspirational(trigger) or hypothetical(trigger):
        return None
    if since_clause(trigger):
        return retold(sentence, story.mentions)
    demand = demanded(trigger) if verdict.sub_event_type != STATEMENT.name else None
    if demand is None:
        return verdict
    return Classification(
        STATEMENT.event_type, STATEMENT.name, min(verdict.confidence, 0.7), demand.text
    )


def _own_modality(modality: str, trigger: Token) -> str:
    """The sentence's modality, unless the trigger is a past of its own: in "the front
    line around Saraqib, retaken by rebels on Thursday, is where both sides will test
    each other" the retaking happened; only the testing is to come."""
    own_helpers = {c.lower_ for c in trigger.children if c.dep_ in ("aux", "auxpass")}
    past = trigger.tag_ in ("VBD", "VBN") and not own_helpers & {"will", "would", "'ll", "be"}
    return "asserted" if modality == "planned" and past else modality


# Verbs whose subject says who reports, not who acts.
_SAYING = frozenset({"say", "report", "tell", "announce", "confirm", "add", "state", "note"})


def _speaker(actor: Span, trigger: Token) -> bool:
    """A second source in the sentence, or whom a source speaks to: "residents said ...,
    the monitor said", "residents told reporters". Not the subject of a report whose
    event has no subject of its own: "Four Turkish soldiers reported killed"."""
    root, verb = actor.root, actor.root.head
    if root.dep_ not in ("nsubj", "dobj", "dative") or verb.i == trigger.i:
        return False
    if verb.lemma_.lower() not in _SAYING:
        return False
    path = {trigger.i, *(a.i for a in trigger.ancestors)}
    reported = next((c for c in verb.children if c.i in path), None)
    return reported is None or any(c.dep_.startswith("nsubj") for c in reported.children)


def _civilians(span: Span | None) -> bool:
    return span is not None and span.label_ == "civilians"


def _claimed(verdict: Classification | None, before: list[EventMention]) -> Classification:
    """What a claim of responsibility is about: the latest violent event already coded
    ("claimed the bombing" after the bombing), else what the sentence itself names."""
    claimed = latest_violent(before)
    if claimed is not None:
        trigger = verdict.trigger if verdict else None
        confidence = verdict.confidence if verdict else 0.6
        return Classification(claimed.event_type, claimed.sub_event_type, confidence, trigger)
    return verdict or Classification("Strategic developments", "Other", 0.4, None)


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
    relatives = {p.start: relative_after(segment.text, p.end_char) for p in places}
    # "al-Nayrab, 14 km southeast of Idlib": Idlib only locates al-Nayrab.
    places = [p for p in places if not _reference_point(p, places, relatives)]
    if not places:
        return None
    # Where the event happened hangs from the trigger ("deployed to the Idlib front"); a
    # place that describes an actor ("groups in Syria") is only a fallback.
    roles = {p.start: place_role(p, trigger, actors) for p in places}
    # Among the sites, a named town beats "Idlib province": it says more.
    place = min(
        places,
        key=lambda p: (
            _ROLE_RANK[roles[p.start]],
            _AREA_WORD.match(segment.text, p.end_char) is not None,
            not attached(p, trigger),
            p.start,
        ),
    )
    candidates = place._.place_candidates if Span.has_extension("place_candidates") else None
    return LocationRef(
        text=place.text,
        start=segment.offset + place.start_char,
        end=segment.offset + place.end_char,
        relative=relatives[place.start],
        candidates=tuple(str(c) for c in candidates or ()),
        role=roles[place.start],
    )


_AREA_WORD = re.compile(r"\s+(?:province|governorate|countryside|region|district)\b", re.I)
# Which place an event is put at when a sentence names several.
_ROLE_RANK = {"site": 0, "destination": 1, "context": 2, "actor_base": 3, "origin": 4}


_TITLES = frozenset(
    "secretary minister president envoy spokesman spokeswoman ambassador official officials "
    "leader commander general delegation embassy government ministry".split()
)


# Weapons and arms a nationality may qualify: "Turkish F-16 jets", "Russian warplanes".
_ARMS = frozenset(
    """jet jets warplane warplanes aircraft plane planes helicopter helicopters gunship
    gunships drone drones artillery howitzer howitzers tank tanks rocket rockets missile
    missiles f-16 f-16s su-24 su-24s su-22 su-34 mig-23 mig-29""".split()
)


def _national_arms(span: Span) -> Span | None:
    """The nationality in an actor span that names weapons, not people ("Turkish F-16
    jets"); "Syrian civilians" is no one's arms, so it stays as written."""
    words = {t.lower_ for t in span} | {t.lower_ for t in span.root.subtree if t.i >= span.start}
    if not words & _ARMS:
        return None
    for token in span:
        if token.ent_type_ == "NORP" or demonym_country(token.text):
            return span.doc[token.i : token.i + 1]
    return None


def _national_modifier(trigger: Token) -> Span | None:
    """ "Russian" in "Russian air support": a nationality qualifying the trigger noun, not
    the victims it acts on ("killed 20 Turkish soldiers")."""
    modifiers = [c for c in trigger.children if c.dep_ in ("amod", "compound", "nmod")]
    heads = [trigger.head] if trigger.dep_ in ("compound", "amod") else []
    for token in (trigger, *modifiers, *heads):
        for child in token.children:
            if child.dep_ in ("amod", "compound", "nmod") and child.ent_type_ in ("NORP", "GPE"):
                return child.doc[child.i : child.i + 1]
    return None


def _reference_point(place: Span, places: list[Span], relatives: dict[int, str | None]) -> bool:
    """The place is the landmark of another place's relative description."""
    return any(
        (relative := relatives[other.start]) is not None
        and other.end_char < place.start_char <= other.end_char + 80
        and place.text in relative
        for other in places
    )


def _modifier(place: Span) -> bool:
    """A place that only qualifies a person or body ("US Secretary of State")."""
    root = place.root
    if root.dep_ not in ("nmod", "compound", "amod", "poss"):
        return False
    return root.head.ent_type_ == "PERSON" or root.head.lower_ in _TITLES


def _distinct(
    actors: list[ActorRef | None], taken: tuple[ActorRef | None, ...]
) -> tuple[ActorRef, ...]:
    """Associated actors, each once, none that is already actor 1 or 2."""
    seen = {a.actor_id or a.text for a in taken if a is not None}
    kept = []
    for actor in actors:
        if actor is not None and (key := actor.actor_id or actor.text) not in seen:
            seen.add(key)
            kept.append(actor)
    return tuple(kept)


def _says_something(mention: EventMention) -> bool:
    """A mention with no actor, no place and no date of its own tells an analyst nothing
    ("a burnt-out car at the scene")."""
    own_date = mention.date_text is not None and mention.date_text in mention.evidence.text
    return bool(mention.actor1 or mention.actor2 or mention.location or mention.magnitudes) or (
        own_date
    )


def _table_row(text: str, at: int) -> bool:
    """Whether the line around ``at`` is a table row flattened to text ("| Ariha | 14 |")."""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    return text[line_start : line_end if line_end >= 0 else len(text)].count("|") >= 2


# Capitals that news uses for their governments ("Ankara accused ...").
_CAPITALS = {
    "Ankara": "Turkey",
    "Moscow": "Russia",
    "Tehran": "Iran",
    "Damascus": "Syria",
    "Washington": "United States",
    "Baghdad": "Iraq",
    "Beirut": "Lebanon",
    "Amman": "Jordan",
    "Riyadh": "Saudi Arabia",
}


def _magnitudes(sentence: Span) -> tuple[Magnitude, ...]:
    return tuple(
        Magnitude(q.measure, q.low, q.high, q.qualifier, q.text)
        for q in find_quantities(sentence.text)
        if q.qualifier != "part"
        and (q.measure != "other" or q.noun in ("fighters", "troops", "soldiers"))
    )


def _within(span: Span, sentence: Span) -> bool:
    return sentence.start <= span.start and span.end <= sentence.end


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _inside(span: Span, chars: tuple[int | None, int | None]) -> bool:
    start, end = chars
    return start is not None and end is not None and start <= span.start_char < end
