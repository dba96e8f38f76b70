"""Who says so, and how firmly: attribution and modality from the parse and cue lexicons.

"The newspaper said ..." is *reported* by the newspaper; "media reports, citing Turkish
intelligence, ..." is *reported* by media reports that cite Turkish intelligence;
"Damascus denied ..." is *denied*; "Turkey will ..." is *planned*; a sentence with no cue
is *asserted* by the outlet itself. A definite description ("the newspaper", "the
ministry") or a pronoun stands for the latest named source of the article.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Span, Token

__all__ = ["Attribution", "Modality", "attribute", "attribute_sentences"]

Modality = Literal["asserted", "reported", "alleged", "denied", "planned"]

_REPORTED = {
    "say",
    "report",
    "tell",
    "state",
    "announce",
    "confirm",
    "add",
    "note",
    "publish",
    "quote",
    "reveal",
    "estimate",
    "write",
    "indicate",
    "tweet",
    "declare",
    "insist",
    "warn",
    "criticize",
    "criticise",
    "condemn",
}
_ALLEGED = {"claim", "allege", "accuse", "blame", "charge", "assert"}
_DENIED = {"deny", "reject", "dismiss", "refute"}
_PLANNING = {"plan", "intend", "vow", "threaten", "prepare", "aim", "pledge", "promise"}
_FUTURE = {"will", "shall", "would"}
# Words that refer back to a source named earlier in the article.
_BACK_REFERENCES = {
    "newspaper",
    "paper",
    "daily",
    "ministry",
    "monitor",
    "observatory",
    "group",
    "agency",
    "official",
    "officials",
    "spokesman",
    "spokeswoman",
    "statement",
    "report",
    "he",
    "she",
    "they",
    "it",
    "army",
    "military",
    "channel",
    "broadcaster",
    "outlet",
    "website",
}
_ANONYMOUS = {"report", "reports", "sources", "source", "residents", "witnesses", "activists"}


@dataclass(frozen=True)
class Attribution:
    source: str | None  # None: the outlet itself asserts it
    modality: Modality
    cue: str | None = None  # "said", "according to", "citing", "denied"...
    via: str | None = None  # who passes it on: "media reports" citing the source
    start: int | None = None  # character offsets of the source in the document
    end: int | None = None

    def describe(self) -> str:
        if self.source is None:
            return "the outlet"
        return f"{self.via}, citing {self.source}" if self.via else self.source


def attribute(sentence: Span, earlier: list[Attribution] | None = None) -> Attribution:
    """The attribution of one parsed sentence; ``earlier`` ones resolve back-references."""
    earlier = earlier or []
    found = _according_to(sentence) or _citing(sentence) or _reporting_verb(sentence)
    modality = _modality(sentence, found.modality if found else None)
    if found is None:
        return Attribution(None, modality)
    resolved = _resolve_back_reference(found, earlier)
    return Attribution(
        resolved.source, modality, resolved.cue, resolved.via, resolved.start, resolved.end
    )


def attribute_sentences(sentences: list[Span]) -> list[Attribution]:
    """Attributions of an article's sentences in order, each resolving against the earlier."""
    result: list[Attribution] = []
    for sentence in sentences:
        result.append(attribute(sentence, result))
    return result


def _according_to(sentence: Span) -> Attribution | None:
    if "ccording" not in sentence.text:
        return None
    for token in sentence:
        if token.lower_ == "according" and token.i + 1 < sentence.end:
            to = token.doc[token.i + 1]
            objects = [c for c in to.children if c.dep_ == "pobj"]
            if to.lower_ == "to" and objects:
                return _from_phrase(objects[0], "according to", "reported")
    return None


def _citing(sentence: Span) -> Attribution | None:
    if "cit" not in sentence.text.lower():
        return None
    for token in sentence:
        if token.lemma_ == "cite" and token.pos_ == "VERB":
            objects = [c for c in token.children if c.dep_ in ("dobj", "pobj")]
            if not objects:
                continue
            cited = _from_phrase(objects[0], "citing", "reported")
            via = _reports_noun(sentence)
            return Attribution(cited.source, "reported", "citing", via, cited.start, cited.end)
    return None


# "ran a report", "carried a story", "aired footage": an outlet reporting.
_PUBLISHING = {"run", "carry", "air", "broadcast", "publish", "print"}
_PUBLISHED = {"report", "story", "article", "investigation", "footage", "interview", "piece"}


def _reporting_verb(sentence: Span) -> Attribution | None:
    for token in sentence:
        lemma = token.lemma_.lower()
        if lemma in _PUBLISHING and any(
            c.dep_ == "dobj" and c.lemma_.lower() in _PUBLISHED for c in token.children
        ):
            lemma = "publish"
        modality: Modality | None = (
            "reported"
            if lemma in _REPORTED
            else "alleged"
            if lemma in _ALLEGED
            else "denied"
            if lemma in _DENIED
            else None
        )
        if modality is None or token.pos_ not in ("VERB", "AUX") or _reported_dead(token):
            continue
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        active = [s for s in subjects if s.dep_ == "nsubj"]
        if len(active) > 1:  # an apposition parsed as two subjects: "The paper The Times"
            return _from_tokens(active[0].left_edge, active[-1].right_edge, token.text, modality)
        if active:
            return _from_phrase(active[0], token.text, modality)
        if lemma in ("report", "say") and subjects:  # "it was reported that ..."
            return Attribution("unnamed reports", "reported", token.text)
    return None


_CASUALTIES = frozenset({"killed", "dead", "wounded", "injured", "missing", "captured"})


def _reported_dead(verb: Token) -> bool:
    """ "Four soldiers reported killed": a headline's passive, the soldiers no source."""
    following = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
    return verb.lower_ == "reported" and following is not None and following.lower_ in _CASUALTIES


def _from_tokens(first: Token, last: Token, cue: str, modality: Modality) -> Attribution:
    start, end = first.idx, last.idx + len(last.text)
    return Attribution(first.doc.text[start:end], modality, cue, None, start, end)


def _from_phrase(head: Token, cue: str, modality: Modality) -> Attribution:
    tokens = [t for t in head.subtree if not t.is_punct]
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return Attribution(head.doc.text[start:end], modality, cue, None, start, end)


def _resolve_back_reference(found: Attribution, earlier: list[Attribution]) -> Attribution:
    if found.source is None:
        return found
    words = found.source.lower().split()
    refers_back = (
        len(words) <= 3
        and words[-1] in _BACK_REFERENCES
        and not any(w[:1].isupper() for w in found.source.split()[1:])
    )
    named = [
        a for a in earlier if a.source and a.source.lower().split()[-1] not in _BACK_REFERENCES
    ]
    if refers_back and named:
        latest = named[-1]
        return Attribution(
            latest.source, found.modality, found.cue, latest.via, latest.start, latest.end
        )
    return found


def _reports_noun(sentence: Span) -> str | None:
    """ "media reports", "Press reports": who passes a cited source on (the small model
    sometimes tags "reports" as a verb, so the words themselves decide)."""
    for token in sentence:
        if token.lower_ in ("report", "reports"):
            first = token.i
            while first > sentence.start and token.i - first < 2:
                before = token.doc[first - 1]
                if before.pos_ not in ("NOUN", "ADJ", "PROPN") or before.is_punct:
                    break
                first -= 1
            return token.doc[first : token.i + 1].text
    return None


def _modality(sentence: Span, found: Modality | None) -> Modality:
    if found in ("denied", "alleged"):
        return found
    for token in sentence:
        if token.lower_ in _FUTURE and token.dep_ == "aux":
            return "planned"
        if token.lemma_.lower() in _PLANNING and any(c.dep_ == "xcomp" for c in token.children):
            return "planned"
    return found or "asserted"
