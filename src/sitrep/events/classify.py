"""A rule-based sub-event classifier for a sentence or a short news snippet.

1. **Triggers** from :mod:`sitrep.events.lexicon` match lower-cased text or spaCy lemma
   ("shelled" -> "shell"), hyphens ignored, longest match first ("stun grenade" hides
   "grenade"). A direct trigger votes for one sub-event type with its lexicon weight.
2. **Context rules** relabel triggers whose meaning depends on the sentence, reading the
   dependency parse: who took ground (the agent, else the side it was taken *from*)
   decides between the two territory types; seizing people is an arrest or abduction,
   seizing weapons a disrupted attack; civilian victims make killing an "Attack", armed
   ones an "Armed clash", a crowd as agent "Mob violence"; state agents arrest, others
   abduct; a protest is peaceful unless the text shows protesters' violence, lethal
   force against them, or dispersal; a condemning root verb outranks the generic
   violence it talks about; triggers under "attempt"/"plan", with a modal ("will"), or
   inside "despite ..." count less; a trigger inside what another one explains ("seized
   weapons", "formed a drone unit", "arrested over the bombing") drops.
3. **Scoring.** Each type keeps its best weight (lead sentence fully, later ones at 90%,
   negated triggers at half) plus a little for repeats; the best wins, and confidence
   drops when a rival comes close.

Texts longer than :data:`MAX_CHARS` are cut: the classifier is meant for a sentence or a
snippet, whose lead carries the event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sitrep.events import lexicon
from sitrep.events.lexicon import Match
from sitrep.events.ontology import by_sub_event
from sitrep.events.weight import modality_factor, negation_factor
from sitrep.nlp.pipeline import MODEL_NAME, load_model

__all__ = [
    "MAX_CHARS",
    "MODEL_NAME",
    "Classification",
    "classify",
    "classify_doc",
    "classify_many",
    "classify_spans",
    "load_english_model",
]

MAX_CHARS = 5_000

GRT, NSAOT = "Government regains territory", "Non-state actor overtakes territory"
NVTT = "Non-violent transfer of territory"
CLASH, ATTACK, MOB = "Armed clash", "Attack", "Mob violence"
ABDUCTION, ARRESTS = "Abduction/forced disappearance", "Arrests"
DWU, HQ, CHANGE = (
    "Disrupted weapons use",
    "Headquarters or base established",
    "Change to group/activity",
)
PEACEFUL, INTERVENTION = "Peaceful protest", "Protest with intervention"
EXCESSIVE, RIOT = "Excessive force against protesters", "Violent demonstration"
LOOTING, STATEMENT = "Looting/property destruction", "Official statement/accusation"
PROTEST = "@protest"  # placeholder until the whole text shows which kind of protest

# Killing that ACLED files as violence against civilians whoever the victims once were.
_ONE_SIDED = frozenset({"execute", "execution", "behead", "massacre", "torture", "slaughter"})
_STATEMENT_ROOTS = frozenset(
    {"condemn", "accuse", "denounce", "blame", "deplore", "criticize", "criticise", "decry", "urge"}
)
_REASON_PREPS = frozenset({"for", "over", "due", "because", "after", "following", "on"})
_TOPIC_PREPS = frozenset({"against", "over", "about", "for", "following", "after", "at", "of"})
_TOPIC_VERBS = frozenset({"demand", "denounce", "condemn", "call", "decry", "mourn", "protest"})
_CORE = frozenset({"dobj", "obj", "nsubjpass", "attr", "oprd", "dative"})
_EXPLOSIONS = frozenset(
    {
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
        "Suicide bomb",
        "Chemical weapon",
    }
)


@dataclass(frozen=True)
class Classification:
    """The classifier's answer for one text; all ``None`` when no trigger fired."""

    event_type: str | None
    sub_event_type: str | None
    confidence: float
    trigger: str | None

    @property
    def plover(self) -> str | None:
        """The PLOVER code of the sub-event type, e.g. "ASSAULT/aerial/drone"."""
        return str(by_sub_event(self.sub_event_type).plover) if self.sub_event_type else None

    def to_json(self) -> dict[str, Any]:
        return {
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "confidence": self.confidence,
            "trigger": self.trigger,
        }


NOTHING = Classification(None, None, 0.0, None)


@cache
def load_english_model() -> Language:
    """Load the pinned English spaCy model, once per process, on first use."""
    return load_model()


def classify(text: str) -> Classification:
    """Classify one sentence or snippet."""
    return classify_many([text])[0]


def classify_many(texts: Iterable[str], batch_size: int = 64) -> list[Classification]:
    """Classify many texts with one batched parse; one result per text, in order."""
    prepared = [(text or "")[:MAX_CHARS] for text in texts]
    docs = load_english_model().pipe(prepared, batch_size=batch_size)
    return [classify_doc(doc) if doc.text.strip() else NOTHING for doc in docs]


def classify_spans(spans: Sequence[Span]) -> list[Classification | None]:
    """Classify already parsed sentences; ``None`` where no event is reported."""
    results = [classify_doc(span) for span in spans]
    return [r if r.sub_event_type is not None else None for r in results]


def classify_doc(doc: Doc | Span) -> Classification:
    """Classify a parsed text (a Doc, or a sentence span of a larger Doc)."""
    tokens = list(doc)
    if not tokens:
        return NOTHING
    sentence_of = _sentence_index(doc)
    context = _Context(tokens, lexicon.tag_cues(tokens), sentence_of)
    matches = lexicon.match(tokens, lexicon.trigger_index())
    hits = [hit for found in matches for hit in context.hits(found)]
    return _decide(context.adjust(hits), sentence_of)


def _sentence_index(doc: Doc | Span) -> dict[int, int]:
    """Token index -> sentence number (0 = lead); empty when no sentence boundaries."""
    whole = doc if isinstance(doc, Doc) else doc.doc
    lo, hi = (0, len(whole)) if isinstance(doc, Doc) else (doc.start, doc.end)
    try:
        sentences = [s for s in whole.sents if s.end > lo and s.start < hi]
    except ValueError:
        return {}
    return {t.i: n for n, sentence in enumerate(sentences) for t in sentence if lo <= t.i < hi}


# --- hits and whole-text corrections ----------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    label: str
    weight: float
    trigger: str
    token: Token
    scope: frozenset[int] = frozenset()  # tokens this hit explains (other hits there drop)


@dataclass(frozen=True)
class _Label:
    name: str
    scope: frozenset[int] = frozenset()


class _Context:
    """One parsed text with its cue tags; turns trigger matches into labelled hits."""

    def __init__(
        self, tokens: Sequence[Token], cues: dict[int, set[str]], sentence_of: dict[int, int]
    ) -> None:
        self.tokens = tokens
        self.cues = cues
        self.sentence_of = sentence_of

    def has(self, tokens: Iterable[Token], cue: str) -> bool:
        return any(cue in self.cues.get(t.i, ()) for t in tokens)

    def count(self, tokens: Iterable[Token], cue: str) -> int:
        return sum(cue in self.cues.get(t.i, ()) for t in tokens)

    def sentence(self, token: Token) -> int:
        return self.sentence_of.get(token.i, 0)

    def hits(self, found: Match) -> list[_Hit]:
        pattern, head = found.pattern, found.head
        weight = pattern.weight * modality_factor(head)
        if pattern.kind == "event":
            return [_Hit(pattern.label, weight, found.text, head)]
        label = _RULES[pattern.label](self, found)
        return [_Hit(label.name, weight, found.text, head, label.scope)] if label else []

    def adjust(self, hits: list[_Hit]) -> list[_Hit]:
        """Corrections that need every hit at once."""
        scoped = [h for h in hits if h.scope]
        hits = [h for h in hits if not any(h.token.i in s.scope for s in scoped if s is not h)]
        if any(h.label == PROTEST for h in hits):
            hits = self._in_protest(hits)
        return self._handover(self._statement(hits))

    def _in_protest(self, hits: list[_Hit]) -> list[_Hit]:
        """Inside a demonstration, violence and arrests describe the protest itself.

        The setting is each sentence naming the protest and its neighbours; what the
        protest is *about* ("against the killing of ...") is not part of it.
        """
        protests = [h for h in hits if h.label == PROTEST]
        named = {self.sentence(h.token) for h in protests}
        setting = {n + step for n in named for step in (-1, 0, 1)}
        nearby = [t for t in self.tokens if self.sentence(t) in setting]
        about = {i for h in protests for i in _topic(h.token)} | _demands(nearby)
        scene = [t for t in nearby if t.i not in about]
        label = self._protest_kind(scene, {h.token.i for h in protests})
        weight = {RIOT: 0.95, EXCESSIVE: 0.9, INTERVENTION: 0.85, PEACEFUL: 0.75}[label]
        absorbed = {ATTACK, CLASH, MOB, LOOTING, ARRESTS, INTERVENTION, "Grenade"}
        kept = [
            h
            for h in hits
            if h.label != PROTEST
            and not (h.label in absorbed and self.sentence(h.token) in setting)
        ]
        return [*kept, _Hit(label, weight, protests[0].trigger, protests[0].token)]

    def _protest_kind(self, scene: Sequence[Token], protesters: set[int]) -> str:
        riot = [t for t in scene if "riot" in self.cues.get(t.i, ())]
        if any(_agent_side(self, t) != "gov" for t in riot):
            return RIOT
        lethal = [t for t in scene if "lethal" in self.cues.get(t.i, ())]
        if self.has(scene, "force") or any(self._against(t, protesters) for t in lethal):
            return EXCESSIVE
        if riot or self.has(scene, "intervention"):
            return INTERVENTION
        return PEACEFUL

    def _against(self, lethal: Token, protesters: set[int]) -> bool:
        """Killing done by the state, or suffered by the protesters."""
        head = lethal if lethal.pos_ == "VERB" else lethal.head
        victims = _core(head) + _subject(head)
        hit = {t.i for t in victims} & protesters or self.has(victims, "civilian")
        return _agent_side(self, head) == "gov" or bool(hit)

    def _statement(self, hits: list[_Hit]) -> list[_Hit]:
        """ "X condemned the attack on Y" is a statement, unless Y is a specific event. The
        condemning verb may be the sentence's own or hang from what it asserts ("said ...
        but accused Moscow of ...", "issued a statement condemning ...")."""
        roots = [
            h
            for h in hits
            if h.label == STATEMENT
            and h.token.lemma_.lower() in _STATEMENT_ROOTS
            and _asserted(h.token)
            and self.sentence(h.token) == 0
        ]
        if not roots:
            return hits
        about = {
            t.i
            for root in roots
            for c in root.token.children
            if "subj" not in c.dep_
            for t in c.subtree
        }
        out = [
            _Hit(h.label, h.weight * 0.7, h.trigger, h.token)
            if h.token.i in about and h.weight < 0.85
            else h
            for h in hits
            if h is not roots[0]
        ]
        return [*out, _Hit(STATEMENT, 0.8, roots[0].trigger, roots[0].token)]

    def _handover(self, hits: list[_Hit]) -> list[_Hit]:
        """Ground changing hands "without a fight", by handover, or after the other side
        pulled out (unless the same sentence reports fighting) is non-violent."""
        violent = {CLASH, ATTACK, *_EXPLOSIONS}
        boosted = []
        for handover in (h for h in hits if h.label == NVTT):
            here = self.sentence(handover.token)
            taken = [
                h.weight for h in hits if h.label in (GRT, NSAOT) and self.sentence(h.token) == here
            ]
            fought = any(h.label in violent and self.sentence(h.token) == here for h in hits)
            if taken and (handover.weight >= 0.9 or not fought):
                boosted.append(_Hit(NVTT, max(taken) + 0.05, handover.trigger, handover.token))
        return hits + boosted


def _asserted(verb: Token) -> bool:
    """Whether a verb is what its sentence asserts: the root, or joined to it through
    coordination, reported speech or the statement it describes."""
    token = verb
    while token.dep_ != "ROOT":
        if token.dep_ not in ("conj", "ccomp", "acl", "xcomp", "dobj") or token.head is token:
            return False
        token = token.head
    return True


def _topic(protest: Token) -> set[int]:
    """Token indices of what a protest is about: "against the arrest of ..."."""
    heads = [protest, protest.head] if protest.pos_ == "NOUN" else [protest]
    out: set[int] = set()
    for head in heads:
        for child in head.children:
            cause = child.dep_ == "prep" and child.lower_ in _TOPIC_PREPS
            said = child.dep_ == "dobj" and head.lemma_.lower() in _TOPIC_VERBS
            if cause or said:
                out |= _clause(child)
    return out


def _demands(tokens: Iterable[Token]) -> set[int]:
    """What demanding or denouncing verbs say: "to decry the arrests", "calling for ..."."""
    out: set[int] = set()
    for token in tokens:
        if token.pos_ == "VERB" and token.lemma_.lower() in _TOPIC_VERBS:
            out |= {i for c in token.children if c.dep_ != "advcl" for i in _clause(c)}
    return out


def _clause(token: Token) -> set[int]:
    """A phrase's tokens, without adverbial clauses hanging from it ("as police fired")."""
    out = {token.i}
    for child in token.children:
        if child.dep_ != "advcl":
            out |= _clause(child)
    return out


# --- the parse: arguments, agents, sides ------------------------------------------------


def _core(head: Token) -> list[Token]:
    """The head's direct objects (and passive subject), with their phrases."""
    return [t for c in head.children if c.dep_ in _CORE for t in c.subtree]


def _core_heads(head: Token) -> list[Token]:
    """The nouns heading the head's objects, with their compounds and conjuncts
    ("a senior commander who heads the explosives unit" is a person, not a weapon)."""
    out: list[Token] = []
    for child in head.children:
        if child.dep_ in _CORE:
            for noun in (child, *child.conjuncts):
                out += [noun, *(c for c in noun.children if c.dep_ in ("compound", "amod"))]
    return out


def _is_person(context: _Context, tokens: Sequence[Token]) -> bool:
    return (
        context.has(tokens, "person")
        or context.has(tokens, "civilian")
        or any(t.ent_type_ in ("PERSON", "NORP") for t in tokens)
    )


def _arguments(head: Token) -> list[Token]:
    """The head's objects and prepositional phrases (not its subject, not "by"/"from")."""
    out = _core(head)
    for child in head.children:
        prep = child.dep_ == "prep" and child.lower_ not in ("by", "from")
        modifier = child.dep_ in ("compound", "amod") and head.pos_ == "NOUN"
        if prep or modifier:
            out += list(child.subtree)
    return out


def _subject(verb: Token) -> list[Token]:
    """A verb's agent phrase: subject, "by" agent, or that of the verb it hangs from."""
    for _ in range(4):
        for child in verb.children:
            if child.dep_ in ("nsubj", "csubj", "agent"):
                return list(child.subtree)
        if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN"):
            return list(verb.head.subtree)[:12]
        if verb.dep_ == "pcomp":  # "after seizing the town": the subject of what follows
            verb = verb.head
        if verb.dep_ not in ("conj", "xcomp", "advcl", "prep") or verb.head is verb:
            break
        verb = verb.head
    return []


def _side(context: _Context, phrase: Sequence[Token]) -> str | None:
    """'gov', 'nonstate', 'crowd' or None for a noun phrase."""
    if not phrase:
        return None
    if context.has(phrase, "progov"):
        return "gov"
    gov, nonstate = context.count(phrase, "gov"), context.count(phrase, "nonstate")
    if gov != nonstate and (gov == 0 or nonstate == 0):
        return "gov" if gov else "nonstate"
    if gov and nonstate:  # "rebels fighting the army": the head noun decides
        for token in phrase:
            tags = context.cues.get(token.i, set()) & {"gov", "nonstate"}
            if tags and token.dep_ in ("nsubj", "pobj", "nsubjpass", "conj", "ROOT", "dobj"):
                return tags.pop()
    if context.has(phrase, "crowd"):
        return "crowd"
    if context.has(phrase, "forces"):  # "Syrian forces", "army units": a state's by default
        return "gov"
    return None


def _agent_side(context: _Context, token: Token) -> str | None:
    return _side(context, _subject(token))


def _territory_side(context: _Context, head: Token, found: Match) -> str | None:
    """Who gained ground: the agent; else the state's opponent if the state lost it;
    else the only side the rest of the sentence names."""
    if "fall" in {t.lemma_.lower() for t in found.tokens}:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("to", "into"):
                return _side(context, list(child.subtree))
    side = _agent_side(context, head)
    if side in ("gov", "nonstate"):
        return side
    losing = [list(c.subtree) for c in head.children if c.dep_ in _CORE or c.lower_ == "from"]
    lost = {_side(context, phrase) for phrase in losing}
    if "gov" in lost:  # "seized the village from the army"
        return "nonstate"
    loser_tokens = {t.i for phrase in losing for t in phrase}
    rest = [
        t
        for t in context.tokens
        if context.sentence(t) == context.sentence(head) and t.i not in loser_tokens
    ]
    if context.has(rest, "gov") or context.has(rest, "progov"):
        return "gov"
    if context.has(rest, "nonstate"):
        return "nonstate"
    return "gov" if "nonstate" in lost else None


# --- rules ------------------------------------------------------------------------------


_STRONG_REGAIN = frozenset({"recapture", "retake", "regain", "liberate", "reclaim", "reenter"})


def _rule_territory(context: _Context, found: Match, regain: bool) -> _Label | None:
    head = found.head
    objects, scope = _core_heads(head), frozenset(t.i for t in _core(head))
    where = _arguments(head) + [t for c in head.children if c.lower_ == "from" for t in c.subtree]
    words = {t.lemma_.lower() for t in found.tokens}
    place = bool(words & {"control", "over", "fall", "ground"}) or context.has(where, "place")
    place = place or any(t.ent_type_ in ("GPE", "LOC", "FAC") for t in where)
    if context.has(objects, "weapon"):  # "seized weapons", "mines were cleared"
        return _Label(DWU, scope)
    if regain and context.has(_cleared_of(objects), "weapon"):
        return None  # "clearing the town of mines": the town was taken; this is no taking
    if _is_person(context, objects) and not context.has(objects, "place"):
        armed = context.has(objects, "gov") or context.has(objects, "nonstate")
        if regain:  # "drove the militants out" is ground; "freed the hostages" is not
            return _territory(context, head, found, regain) if armed or place else None
        taker = _agent_side(context, head)
        return _Label(ABDUCTION if taker == "nonstate" else ARRESTS, scope)
    strong = regain and head.lemma_.lower().replace("-", "") in _STRONG_REGAIN
    return _territory(context, head, found, regain) if place or strong else None


def _cleared_of(objects: Sequence[Token]) -> list[Token]:
    """What the objects are cleared of: "the town of mines"."""
    return [
        t
        for o in objects
        for c in o.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for t in c.subtree
    ]


def _territory(context: _Context, head: Token, found: Match, regain: bool) -> _Label:
    side = _territory_side(context, head, found)
    if side is None:
        return _Label(GRT if regain else NSAOT)
    return _Label(GRT if side == "gov" else NSAOT)


def _rule_regain(context: _Context, found: Match) -> _Label | None:
    return _rule_territory(context, found, regain=True)


def _rule_take(context: _Context, found: Match) -> _Label | None:
    return _rule_territory(context, found, regain=False)


def _rule_fight(context: _Context, found: Match) -> _Label | None:
    return _Label(MOB if _agent_side(context, found.head) == "crowd" else CLASH)


def _rule_harm(context: _Context, found: Match) -> _Label | None:
    head = found.head
    if _agent_side(context, head) == "crowd":
        return _Label(MOB)
    if head.lemma_.lower() in _ONE_SIDED:
        return _Label(ATTACK)
    victims = _arguments(head) + [t for c in head.conjuncts for t in _core(c)]
    if head.dep_ in ("acl", "relcl", "amod") and head.head.pos_ in ("NOUN", "PROPN"):
        victims += list(head.head.subtree)  # "a soldier killed by ...", "wounded civilians"
    if head.pos_ == "NOUN" and head.dep_ in ("nsubjpass", "dobj", "nsubj"):
        victims += _arguments(head.head)  # "an attack was launched on a base"
    civilian = context.count(victims, "civilian")
    armed = context.count(victims, "combatant") + context.count(victims, "nonstate")
    return _Label(CLASH if armed > civilian else ATTACK)


def _rule_detain(context: _Context, found: Match) -> _Label | None:
    head = found.head
    # "arrested over the bombing": the reason is not a second event.
    reasons = [
        c for c in head.children if c.dep_ in ("prep", "advcl") and c.lower_ in _REASON_PREPS
    ]
    scope = frozenset(t.i for c in reasons for t in c.subtree)
    side = _agent_side(context, head)
    return _Label(ABDUCTION if side == "nonstate" else ARRESTS, scope)


def _rule_disrupt(context: _Context, found: Match) -> _Label | None:
    head = found.head
    near = _core(head) + ([t for t in head.subtree if t.i != head.i] if head.pos_ == "NOUN" else [])
    if context.has(near, "weapon") or context.has(found.tokens, "weapon"):
        return _Label(DWU, frozenset(t.i for t in near))
    return None


def _rule_establish(context: _Context, found: Match) -> _Label | None:
    core = _core(found.head)
    scope = frozenset(t.i for t in core)  # "formed a drone unit" is not a drone strike
    if context.has(core, "base"):
        return _Label(HQ, scope)
    return _Label(CHANGE, scope) if context.has(_core_heads(found.head), "group") else None


def _rule_protest(context: _Context, found: Match) -> _Label | None:
    return _Label(PROTEST)  # resolved by _Context.adjust, which sees the whole text


_Rule = Callable[[_Context, Match], "_Label | None"]
_RULES: dict[str, _Rule] = {
    "regain": _rule_regain,
    "take": _rule_take,
    "fight": _rule_fight,
    "harm": _rule_harm,
    "detain": _rule_detain,
    "disrupt": _rule_disrupt,
    "establish": _rule_establish,
    "protest": _rule_protest,
}


# --- scoring ----------------------------------------------------------------------------


def _decide(hits: list[_Hit], sentence_of: dict[int, int]) -> Classification:
    scores: dict[str, float] = {}
    best: dict[str, _Hit] = {}
    counts: dict[str, int] = defaultdict(int)
    for hit in sorted(hits, key=lambda h: h.token.i):  # ties go to the earliest trigger
        # The lead sentence of a news snippet states its event; later ones add background.
        lead = sentence_of.get(hit.token.i, 0) == 0
        weight = hit.weight * (1.0 if lead else 0.9) * negation_factor(hit.token)
        # "air and artillery bombardment" is one report of shelling, not two.
        one_phrase = hit.token.dep_ in ("compound", "amod", "nmod") and any(
            other.label == hit.label and other.token.i == hit.token.head.i for other in hits
        )
        counts[hit.label] += 0 if one_phrase else 1
        if weight > scores.get(hit.label, 0.0):
            scores[hit.label], best[hit.label] = weight, hit
    if not scores:
        return NOTHING
    for label, n in counts.items():
        scores[label] += min(0.1, 0.05 * (n - 1))
    ranked = sorted(scores, key=lambda label: -scores[label])
    top = scores[ranked[0]]
    runner_up = scores[ranked[1]] if len(ranked) > 1 else 0.0
    confidence = min(1.0, top) * (1.0 - 0.25 * runner_up / top)
    sub_event = by_sub_event(ranked[0])
    return Classification(
        sub_event.event_type, sub_event.name, round(confidence, 3), best[ranked[0]].trigger
    )
