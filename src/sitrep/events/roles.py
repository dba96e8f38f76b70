"""Who did it and to whom: actor roles from the dependency parse around the trigger.

The agent of the trigger (its subject, or the object of "by" in the passive) is actor 1;
what it acts on (its direct object, a passive subject, the object of "from", "against",
"on" or "for") is actor 2; actors joined to actor 1 ("X and its allies", "X, backed by
Y") are associated. When the parse says nothing, the nearest actor before the trigger is
actor 1 and the nearest after it actor 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

__all__ = ["Roles", "assign_roles", "trigger_token"]

_AGENT_DEPS = {"nsubj", "agent", "csubj"}
_PATIENT_DEPS = {"dobj", "nsubjpass", "attr", "iobj"}
_PATIENT_PREPS = {"from", "against", "on", "for", "at", "upon", "over"}
_MAX_CLIMB = 6  # dependency steps from an actor up to the trigger
_FUNCTION_WORDS = frozenset("had has have been be was were is are a an the to of".split())


@dataclass(frozen=True)
class Roles:
    actor1: Span | None
    actor2: Span | None
    associated: tuple[Span, ...]


def trigger_token(sentence: Span, trigger: str | None) -> Token:
    """The token of the classifier's trigger phrase in the sentence, else the root."""
    if trigger:
        # The trigger's content word: "had been deployed" is about "deployed".
        words = [w for w in trigger.lower().split() if w not in _FUNCTION_WORDS] or [
            trigger.lower()
        ]
        for token in sentence:
            if token.lower_ == words[0] or token.lemma_.lower() == words[0]:
                # "air strike": the phrase's head noun, not its modifier.
                while token.dep_ in ("compound", "amod") and (
                    token.head.lower_ in words or token.head.lemma_.lower() in words
                ):
                    token = token.head
                return token
        for token in sentence:
            if words[-1] in (token.lower_, token.lemma_.lower()):
                return token
    return sentence.root


def assign_roles(sentence: Span, trigger: Token, actors: Sequence[Span]) -> Roles:
    """Actor 1, actor 2 and associated actors among the actor spans of one sentence."""
    if not actors:
        return Roles(None, None, ())
    covered = {i: span.start for span in actors for i in range(span.start, span.end)}
    labelled = [(span, _relation(span, trigger, covered)) for span in actors]
    if trigger.dep_ == "acl" and trigger.tag_ == "VBN":  # "Turkish soldiers killed in Idlib"
        described = trigger.head.i
        labelled = [(s, "patient" if s.start <= described < s.end else r) for s, r in labelled]
    verb = _passive_verb(trigger)
    if verb is not None:  # "soldiers were killed by Syrian shelling": they are its target
        labelled = [(span, role or _relation(span, verb, covered)) for span, role in labelled]
    blame = _blame_verb(trigger)
    if blame is not None:  # "the monitor blamed Russian jets for the strikes"
        labelled = [(span, _blamed_role(span, blame) or role) for span, role in labelled]
    headline = _headline_passive(trigger)
    if headline:  # "13 Syrian soldiers killed": the dead, not the killers
        labelled = [(span, "patient" if role == "agent" else role) for span, role in labelled]
    agents = [s for s, role in labelled if role == "agent"]
    patients = [s for s, role in labelled if role == "patient"]
    # "leaders of Hurras al-Din and Ansar al-Tawhid died": who is joined to a victim is one.
    struck = {p.start for p in patients}
    patients += [
        s
        for s in actors
        if s.start not in struck and (_first_conjunct(s, actors) or s).start in struck
    ]
    sources = [s for s, role in labelled if role == "source"]
    actor1 = (
        agents[0] if agents else _nearest(actors, trigger, before=True, taken=patients + sources)
    )
    if headline and not agents:
        actor1 = None  # the headline names who died, not who killed them
    actor2 = (
        patients[0]
        if patients
        else _nearest(actors, trigger, before=False, taken=[actor1, *sources])
    )
    if actor2 is not None and actor1 is not None and actor2.start == actor1.start:
        actor2 = None
    # "from rebel and terrorist groups": the first of coordinated actors leads.
    actor1 = _first_conjunct(actor1, actors)
    led = _first_conjunct(actor2, actors)
    if led is not None and (actor1 is None or led.start != actor1.start):
        actor2 = led
    elif actor2 is not None and actor1 is not None and actor1.start <= actor2.start:
        actor2 = None  # "Russian and Turkish troops will patrol": both sides of actor 1
    chosen = {s.start for s in (actor1, actor2) if s is not None}
    associated = tuple(
        s
        for s in actors
        if s.start not in chosen
        and not _qualifies(s, covered)
        and (_joined_to(s, actor1, actor2) or _first_conjunct(s, actors) in (actor1, actor2))
    )
    return Roles(actor1, actor2, associated)


_DYING = frozenset({"die", "perish", "succumb"})
_CASUALTY_VERBS = frozenset({"killed", "wounded", "injured", "hurt", "dead"})
_REPORTED = frozenset({"report", "fear", "believe", "confirm"})


_BLAME_VERBS = frozenset({"blame", "accuse", "hold"})


def _blame_verb(trigger: Token) -> Token | None:
    """The verb that lays the event at someone's door: "blamed Russian jets for the
    strikes" (the trigger is what they are blamed for), "blamed government aircraft"
    (the trigger is who is blamed)."""
    head = trigger.head
    if trigger.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("for", "of"):
        head = head.head
    elif trigger.dep_ != "dobj":
        return None
    return head if head.lemma_.lower() in _BLAME_VERBS and head.pos_ == "VERB" else None


def _blamed_role(span: Span, blame: Token) -> str | None:
    """The blamed are the agents; who blames them is a source, not a side."""
    token = span.root
    if token.head.i == blame.i and token.dep_ == "dobj":
        return "agent"
    if token.head.i == blame.i and token.dep_ in _AGENT_DEPS:
        return "source"
    return None


def _headline_passive(trigger: Token) -> bool:
    """A headline's "13 soldiers killed": a casualty verb with a subject and nothing
    else, no object, no auxiliary and no "by", is a passive with its auxiliary dropped."""
    if trigger.lower_ not in _CASUALTY_VERBS or trigger.pos_ not in ("VERB", "ADJ"):
        return False
    deps = {child.dep_ for child in trigger.children}
    if deps & {"dobj", "aux", "auxpass", "agent", "attr"}:
        return False
    if "nsubj" in deps:
        return True
    # "Four Turkish soldiers reported killed": the subject is the reporting verb's.
    head = trigger.head
    return (
        trigger.dep_ in ("ccomp", "xcomp", "oprd")
        and head.lemma_.lower() in _REPORTED
        and not any(c.dep_ == "dobj" for c in head.children)
    )


def _passive_verb(trigger: Token) -> Token | None:
    """The passive verb whose agent phrase holds the trigger noun ("killed by shelling";
    the small model may hang "shelling" from "regime" in "by Syrian regime shelling")."""
    token = trigger
    for _ in range(2):
        by = token.head
        if token.dep_ == "pobj" and by.dep_ == "agent" and by.head.i != by.i:
            return by.head
        if token.dep_ not in ("acl", "compound", "amod") or by.i == token.i:
            return None
        token = by
    return None


def _first_conjunct(span: Span | None, actors: Sequence[Span]) -> Span | None:
    if span is None:
        return None
    for other in actors:
        between = span.doc[other.end : span.start]
        coordinated = all(t.lower_ in ("and", "or", ",") for t in between)
        if other.start < span.start and 0 < len(between) <= 2 and coordinated:
            return _first_conjunct(other, actors)
    return span


def _relation(span: Span, trigger: Token, covered: dict[int, int]) -> str | None:
    """How an actor span hangs from the trigger: agent, patient, or None.

    An actor that only qualifies another ("US" in "US Secretary of State Mike Pompeo")
    has no role of its own: the climb stops when it enters another actor's span.
    """
    token = span.root
    for _ in range(_MAX_CLIMB):
        head = token.head
        if head.i == token.i or covered.get(head.i, span.start) != span.start:
            return None
        if head.i == trigger.i or _same_predicate(head, trigger):
            role = _role_of(token)
            # "fighters died in the attack": who dies suffers it.
            return "patient" if role == "agent" and head.lemma_.lower() in _DYING else role
        if head.dep_ == "prep" and head.head.i == trigger.i:
            return (
                "agent"
                if head.lower_ == "by"
                else ("patient" if head.lower_ in _PATIENT_PREPS else None)
            )
        if token.dep_ == "pobj" and head.lower_ == "by" and head.head.i == trigger.i:
            return "agent"
        token = head
    return None


def _role_of(token: Token) -> str | None:
    if token.dep_ in _AGENT_DEPS:
        return "agent"
    if token.dep_ in _PATIENT_DEPS:
        return "patient"
    if token.dep_ == "prep":
        if token.lower_ == "by":
            return "agent"
        if token.lower_ in _PATIENT_PREPS:
            return "patient"
    return None


def _same_predicate(head: Token, trigger: Token) -> bool:
    """The trigger is a noun ("bombardment") or an xcomp of the verb the actor hangs from."""
    if trigger.head.i == head.i and trigger.dep_ in ("xcomp", "dobj", "ccomp", "pobj"):
        return True
    # "soldiers were killed in an air strike": the strike's victims hang from "killed",
    # or from the verb it is joined to ("were killed and five others wounded in ...",
    # "forces neutralised 309 soldiers and destroyed helicopters").
    via = trigger.head
    joined = {head.i, *(t.i for t in head.conjuncts)}
    if via.i in joined and via.i != head.i and trigger.dep_ in ("dobj", "pobj"):
        return True
    return trigger.dep_ == "pobj" and via.dep_ == "prep" and via.head.i in joined


def _nearest(
    actors: Sequence[Span], trigger: Token, *, before: bool, taken: Sequence[Span | None]
) -> Span | None:
    used = {s.start for s in taken if s is not None}
    actors = [s for s in actors if not _own_clause(s, trigger) and not _above(s, trigger)]
    if before:
        options = [s for s in actors if s.end <= trigger.i and s.start not in used]
        return options[-1] if options else None
    options = [s for s in actors if s.start > trigger.i and s.start not in used]
    return options[0] if options else None


_CLAUSES = frozenset({"advcl", "ccomp", "conj", "parataxis"})
_RELATIVES = frozenset({"that", "which", "who", "whom", "whose"})


def _own_clause(span: Span, trigger: Token) -> bool:
    """Whether the actor is acted on in another clause with a subject of its own: in
    "soldiers killed in a regime air strike, as the armed forces continued to pound
    regime positions", the positions are what the armed forces pound, not the strike's
    target. The subject of such a clause may still be the trigger's actor ("forces
    entered the town, SANA reported, taking ..."), and what the trigger itself says
    ("said regime forces must withdraw") is its own."""
    path = {trigger.i, *(a.i for a in trigger.ancestors)}
    token = span.root
    while token.i not in path and token.head.i != token.i:
        subject = _own_subject(token, besides=span)
        if token.dep_ in _CLAUSES and subject and token.head.i != trigger.i:
            return True
        token = token.head
    return False


def _own_subject(verb: Token, besides: Span | None = None) -> bool:
    """Whether the verb has a subject of its own: not a relative pronoun ("the strike
    that hit ..."), and not the actor in question (``besides``)."""
    return any(
        c.dep_ in ("nsubj", "nsubjpass")
        and c.lower_ not in _RELATIVES
        and not (besides is not None and besides.start <= c.i < besides.end)
        for c in verb.children
    )


def _above(span: Span, trigger: Token) -> bool:
    """Whether the actor acts outside the clause the trigger is told in: in "Turkey held
    funerals for soldiers killed in a regime air strike", Turkey holds the funerals (the
    strike is told inside a description of the soldiers); in "Ankara had tried to send a
    convoy, but an air strike stopped it", Ankara tried, and the strike has a clause and
    a subject of its own."""
    path = [trigger, *trigger.ancestors]
    ends = ((n, _closes(t)) for n, t in enumerate(path))
    ceiling = next((n + steps for n, steps in ends if steps), None)
    if ceiling is None or ceiling >= len(path):
        return False
    inside = {t.i for t in path[:ceiling]}
    outside = {t.i for t in path[ceiling:]}
    for node in (span.root, *span.root.ancestors):
        if node.i in inside:
            return False
        if node.i in outside:
            return True
    return False


def _closes(token: Token) -> int:
    """How many steps of the trigger's path, from this token on, still belong to its
    clause (0: the clause goes on): a passive participle and the noun it describes
    ("soldiers killed in ..."), or a clause joined to another with its own subject ("but
    an air strike stopped it"). An active participle ("a statement condemning ...")
    speaks for the clause it sits in."""
    if token.dep_ == "acl" and token.tag_ == "VBN":
        return 2
    # Not reported speech ("the Kremlin said both leaders had agreed"): the source is set
    # apart elsewhere, and for statements and agreements it is the actor.
    return 1 if token.dep_ in ("conj", "advcl", "relcl") and _own_subject(token) else 0


def _qualifies(span: Span, covered: dict[int, int]) -> bool:
    """The actor only qualifies the actor it hangs from ("US" in "US Secretary ...")."""
    root = span.root
    inside_other = covered.get(root.head.i, span.start) != span.start
    return inside_other and root.dep_ in ("nmod", "compound", "amod", "poss")


def _joined_to(span: Span, *anchors: Span | None) -> bool:
    """Coordinated with, or attached by "with"/"of"/"backed by" to, one of the anchors."""
    for anchor in anchors:
        if anchor is None:
            continue
        token = span.root
        for _ in range(_MAX_CLIMB):
            if anchor.start <= token.i < anchor.end:
                return True
            if token.head.i == token.i:
                break
            token = token.head
    return False
