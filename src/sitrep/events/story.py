"""What coding an article remembers as it goes, and when each mention happened.

A sentence is dated by its own time expression, else by the event it retells ("the
blast"), else by the latest time the story has told; a retelling ("the strike is the
heaviest loss ...") takes the type of the last violent event told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from spacy.tokens import Span, Token

from sitrep.events.classify import Classification
from sitrep.events.framing import days_relative
from sitrep.nlp.attribution import Attribution
from sitrep.nlp.timex import TimeRef
from sitrep.records import EventMention

__all__ = [
    "VIOLENT",
    "Story",
    "latest_violent",
    "mention_date",
    "narrative_times",
    "retold",
    "told_before",
]


@dataclass
class Story:
    """What coding an article has learnt so far, for the sentences that follow."""

    anchor: date | None  # the article's date
    anchor_inferred: bool = False  # the latest date the text states: it was written then or later
    mentions: list[EventMention] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    last_time: TimeRef | None = None  # the latest time expression of earlier segments


VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


def latest_violent(mentions: list[EventMention]) -> EventMention | None:
    return next((m for m in reversed(mentions) if m.event_type in VIOLENT), None)


def mention_date(
    sentence: Span,
    trigger: Token,
    times: list[TimeRef],
    story: Story,
    told: EventMention | None,
) -> tuple[date | None, str, str | None]:
    """Date, precision and the words that gave it.

    The sentence's own time expression wins; an event told again ("the blast") keeps the
    date it was first given; a narrative sentence takes the latest time given before it
    in the article, else the article's date to the week. A nominal mention with none of
    these ("developments including the killing of Soleimani") is background: undated.
    """
    inside = [t for t in times if sentence.start_char <= t.start < sentence.end_char]
    shift = days_relative(trigger)
    if shift is not None:  # "the strikes came a day after troops captured the town"
        return _shifted(inside, story, shift, _main_subject(trigger))
    own, placed = _attached(inside, trigger)
    if own is not None and (placed or told is None):
        return own.first, own.precision, own.text
    if told is not None:  # what the sentence retells is surer than a time the parse cannot place
        return told.date, told.date_precision, told.date_text
    if trigger.pos_ in ("NOUN", "PROPN") and not _narrative(sentence):
        return None, "unknown", None
    earlier = [t for t in times if t.end <= sentence.start_char]
    before = narrative_times(earlier, sentence.doc.text) or (
        [story.last_time] if story.last_time else []
    )
    if before:
        return before[-1].first, before[-1].precision, before[-1].text
    return story.anchor, "week", None


def _attached(inside: list[TimeRef], trigger: Token) -> tuple[TimeRef | None, bool]:
    """The sentence's time expression that dates the trigger: the one nearest it in the
    parse ("funerals on Friday for soldiers killed in an air strike on Thursday evening":
    the strike was on Thursday), among those that reach it without passing through a
    clause of their own ("the town government forces had captured in February") or
    naming another event ("in response to the February 27 attack"). When the parse
    places none, the first in the sentence; the flag says whether the parse placed it."""
    chain = [trigger, *trigger.ancestors]
    steps = {token.i: n for n, token in enumerate(chain)}
    doc = trigger.doc

    def distance(time: TimeRef) -> int | None:
        span = doc.char_span(time.start, time.end, alignment_mode="expand")
        if span is None:
            return None
        naming = doc.text[: time.start].rstrip().lower().endswith(_NAMING)
        for node in (span.root, *span.root.ancestors):
            if node.i in steps:
                return None if naming and node.i != trigger.i else steps[node.i]
            own = node.head.i == trigger.i  # "the ceasefire that came into force on Friday"
            if node.dep_ in _CLAUSES and node.pos_ in ("VERB", "AUX") and not own:
                return None
        return None

    placed = [(d, n) for n, time in enumerate(inside) if (d := distance(time)) is not None]
    if placed:
        return inside[min(placed)[1]], True
    return (inside[0] if inside else None), False


def _shifted(
    inside: list[TimeRef], story: Story, days: int, subject: str | None
) -> tuple[date | None, str, str | None]:
    """A date given relative to the main clause's: that clause's own day, else the day of
    the event it returns to ("the strikes came ..."), else of the event told last."""
    dated = [m for m in story.mentions if m.date is not None and m.date_precision == "day"]
    named = [m for m in dated if subject and (m.trigger or "").lower().endswith(subject)]
    told = [m.date for m in (named or dated) if m.date is not None]
    if inside and inside[0].precision == "day":
        base = inside[0].first
    elif told:
        base = told[-1]
    else:
        return None, "unknown", None
    return base + timedelta(days=days), "day", None


def narrative_times(times: list[TimeRef], text: str) -> list[TimeRef]:
    """Times that set when the story is, not those naming another event: "on Sunday"
    carries to the sentences after it, "the February 27 attack" does not."""
    return [
        t
        for t in times
        if not text[: t.start].rstrip().lower().endswith(_NAMING)
        and not _SINCE.search(text[max(0, t.start - 120) : t.start])
    ]


# "the deadliest attack since Russia and Turkey announced a truce last week": the time of
# the event the clause compares with, not of the story.
_SINCE = re.compile(r"\bsince\b[^.;!?]*$", re.I)


_NAMING = (" the", " this", " that", "'s", "’s")
# Clauses of their own: a time inside one dates its verb, not the trigger outside it.
_CLAUSES = frozenset({"relcl", "advcl", "ccomp", "acl", "conj", "parataxis", "xcomp", "pcomp"})


def _main_subject(trigger: Token) -> str | None:
    """The definite noun a sentence's main clause is about ("the strikes" came ...)."""
    subjects = [c for c in trigger.sent.root.children if c.dep_ in ("nsubj", "nsubjpass")]
    if subjects and any(c.lower_ == "the" for c in subjects[0].children):
        return subjects[0].lower_
    return None


def _narrative(sentence: Span) -> bool:
    """The sentence tells what happened (its main verb is in a past tense) or what is
    happening, or has just happened, as it is written ("activists say strikes are
    pounding al-Nayrab", "the monitor says shelling has killed 13 soldiers")."""
    root = sentence.root
    tags = {root.tag_, *(c.tag_ for c in root.children if c.dep_ in ("aux", "auxpass"))}
    past = bool(tags & {"VBD", "VBN"}) and not any(
        c.dep_ == "aux" and c.tag_ == "MD" for c in root.children
    )
    return past or any(_current(verb) for verb in (root, *root.children))


def _current(verb: Token) -> bool:
    """A present progressive ("are pounding") or a present perfect ("has killed"): what
    is happening, or has just happened, as the report is written."""
    if verb.dep_ not in ("ROOT", "ccomp"):
        return False
    helpers = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    if verb.tag_ == "VBG":
        return bool(helpers & {"is", "are", "'s", "'re"})
    return verb.tag_ == "VBN" and bool(helpers & {"has", "have", "'s", "'ve"})


_VIOLENT_NOUNS = frozenset(
    "strike strikes attack attacks blast bombing bombings shelling raid raids explosion "
    "explosions assault airstrike airstrikes".split()
)


def retold(sentence: Span, mentions: list[EventMention]) -> Classification | None:
    """What a sentence whose subject is "the strike" (or "this attack") retells: the
    last violent event the article told, with its type."""
    subject = next((t for t in sentence.root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.lower_ not in _VIOLENT_NOUNS:
        return None
    if not _definite(subject):
        return None
    told = latest_violent(mentions)
    if told is None:
        return None
    return Classification(told.event_type, told.sub_event_type, 0.6, subject.text)


def told_before(
    trigger: Token, verdict: Classification, mentions: list[EventMention]
) -> EventMention | None:
    """The earlier mention a definite event noun refers back to ("the attack"), or the
    subject of the trigger verb does ("the raids hit a crowded market", "the unit was
    hit"), or that the sentence lays at someone's door ("officials blamed Syrian
    aircraft")."""
    if verdict.event_type in VIOLENT and trigger.sent.root.lemma_.lower() in _BLAME:
        return latest_violent(mentions)
    if trigger.pos_ == "VERB":
        subject = next((c for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or not _definite(subject):
            return None
        struck = subject.dep_ == "nsubjpass" and verdict.event_type in VIOLENT
        return latest_violent(mentions) if struck or subject.lower_ in _VIOLENT_NOUNS else None
    if trigger.pos_ != "NOUN" or not _definite(trigger):
        return None
    same = [m for m in mentions if m.event_type == verdict.event_type]
    violent = [m for m in mentions if m.event_type in VIOLENT]
    if same:
        return same[-1]
    return violent[-1] if violent and verdict.event_type in VIOLENT else None


_BLAME = frozenset({"blame", "accuse"})


def _definite(noun: Token) -> bool:
    """ "the strike", "this attack", "Thursday's strike"."""
    return any(
        (c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those"))
        or c.dep_ == "poss"
        for c in noun.children
    )
