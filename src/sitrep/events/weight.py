"""How much a trigger counts: a plan, an attempt, background, the support a side had, or
a negation weigh less than a fact the sentence reports."""

from __future__ import annotations

from spacy.tokens import Token

__all__ = ["modality_factor", "negation_factor"]

_UNREAL_HEADS = frozenset(
    {"attempt", "try", "seek", "plan", "aim", "threaten", "vow", "bid", "prepare", "intend"}
    | {"step", "effort", "push", "want", "hope"}
)
_MODALS = frozenset({"will", "would", "could", "may", "might", "should", "shall", "can"})
_BACKGROUND_PREPS = frozenset({"despite", "amid", "amidst"})
# "troops backed by Russian warplanes took ...": the support describes who took it.
_SUPPORT_HEADS = frozenset({"back", "support", "aid", "assist", "cover", "escort"})
# "in response to the attack that killed ...": what is answered is background.
_ANSWERED = frozenset({"response", "retaliation", "revenge", "reprisal"})


def modality_factor(token: Token) -> float:
    """Attempts, plans and background ("despite the strikes") count less than facts."""
    factor = 1.0
    if any(c.dep_ == "aux" and c.lemma_ in _MODALS for c in token.children):
        factor *= 0.6
    if (
        token.dep_ in ("xcomp", "acl", "relcl", "advcl")
        and token.head.lemma_.lower() in _UNREAL_HEADS
    ):
        factor *= 0.6  # "an attempt to capture", "plans to attack"
    if any(a.dep_ == "prep" and a.lower_ in _BACKGROUND_PREPS for a in token.ancestors):
        factor *= 0.6
    if _supporting(token):
        factor *= 0.5
    if any(a.lemma_.lower() in _ANSWERED and a.pos_ == "NOUN" for a in token.ancestors):
        factor *= 0.5
    return factor


def _supporting(token: Token) -> bool:
    """Whether the trigger names the support of the event's actor ("troops supported by
    air strikes", "rebels backed by Turkey") rather than the event."""
    for ancestor in (token, *token.ancestors):
        if ancestor.lemma_.lower() in _SUPPORT_HEADS and ancestor.dep_ in ("acl", "relcl"):
            return ancestor.head.pos_ in ("NOUN", "PROPN")
    return False


def negation_factor(token: Token) -> float:
    return 0.5 if any(child.dep_ == "neg" for child in token.children) else 1.0
