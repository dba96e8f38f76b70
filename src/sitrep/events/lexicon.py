"""The classifier's trigger and cue lexicons: loaded from ``sitrep/data/triggers.yaml``
and matched against parsed text.

The YAML file says what the words are and how patterns are written; this module reads
it once per process, compiles the patterns into an index by first word, and finds
matches in a sequence of spaCy tokens: on lower-cased text or lemma, hyphens ignored
(between tokens and inside them),
longest match first, so that a blocker such as "stun grenade" hides "grenade".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from spacy.tokens import Token

from sitrep.events.ontology import by_sub_event

__all__ = [
    "TRIGGERS_FILE",
    "Match",
    "Pattern",
    "cue_index",
    "match",
    "rule_names",
    "tag_cues",
    "trigger_index",
]

TRIGGERS_FILE = Path(__file__).resolve().parent.parent / "data" / "triggers.yaml"
_HYPHENS = frozenset({"-", "–", "—", "‐"})

Kind = Literal["event", "rule", "block", "cue"]
Index = dict[str, list["Pattern"]]


@dataclass(frozen=True)
class Word:
    text: str  # lower case, or "*" for any token
    pos: str | None  # required coarse part of speech, if any


@dataclass(frozen=True)
class Pattern:
    words: tuple[Word, ...]
    label: str  # sub-event name, rule name or cue class; "" for a blocker
    kind: Kind
    weight: float


@dataclass(frozen=True)
class Match:
    tokens: tuple[Token, ...]
    pattern: Pattern

    @property
    def text(self) -> str:
        first, last = self.tokens[0], self.tokens[-1]
        return first.doc[first.i : last.i + 1].text

    @property
    def head(self) -> Token:
        """The matched token whose syntactic head lies outside the match."""
        inside = {token.i for token in self.tokens}
        for token in self.tokens:
            if token.head.i not in inside or token.head.i == token.i:
                return token
        return self.tokens[0]

    @property
    def bounds(self) -> tuple[int, int]:
        return self.tokens[0].i, self.tokens[-1].i


@cache
def _data() -> dict[str, Any]:
    """The YAML file, read once per process."""
    data = yaml.safe_load(TRIGGERS_FILE.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not {"triggers", "rules", "blockers", "cues"} <= set(data):
        raise ValueError(f"{TRIGGERS_FILE}: expected triggers, rules, blockers and cues")
    return data


@cache
def trigger_index() -> Index:
    """Direct triggers, rule triggers and blockers, indexed by first word."""
    data = _data()
    entries: list[tuple[str, Kind, float, str]] = []
    for name, groups in data["triggers"].items():
        by_sub_event(name)  # a misspelt sub-event type fails here, not at scoring time
        entries += [(name, "event", float(g["weight"]), g["words"]) for g in groups]
    for rule, groups in data["rules"].items():
        entries += [(rule, "rule", float(g["weight"]), g["words"]) for g in groups]
    entries.append(("", "block", 1.0, data["blockers"]))
    return _compile(entries)


@cache
def cue_index() -> Index:
    """Cue classes (gov, civilian, weapon ...), indexed by first word."""
    return _compile((name, "cue", 1.0, words) for name, words in _data()["cues"].items())


def rule_names() -> frozenset[str]:
    """The context rules the YAML file refers to (the classifier must know each one)."""
    return frozenset(_data()["rules"])


def _compile(entries: Iterable[tuple[str, Kind, float, str]]) -> Index:
    index: dict[str, list[Pattern]] = defaultdict(list)
    for label, kind, weight, spec in entries:
        for phrase in spec.split("|"):
            words = tuple(_word(w) for w in phrase.replace("-", " ").split())
            if words:
                index[words[0].text].append(Pattern(words, label, kind, weight))
    return dict(index)


def _word(written: str) -> Word:
    text, _, pos = written.partition("/")
    return Word(text.lower(), pos or None)


def _forms(token: Token) -> set[str]:
    """The token's lower-cased text and lemma, hyphens dropped ("re-entered": "reentered")."""
    return {form.replace("-", "") for form in (token.lower_, token.lemma_.lower())}


def _fits(word: Word, token: Token) -> bool:
    if word.pos is not None and token.pos_ != word.pos:
        return False
    return word.text == "*" or word.text in _forms(token)


def match(tokens: Sequence[Token], index: Index) -> list[Match]:
    """Pattern matches in ``tokens``, longest first; blockers and what they hide dropped.

    Two matches may share words only if they cover the very same words (one phrase can
    be a trigger and a rule trigger at once).
    """
    stream = [token for token in tokens if token.text not in _HYPHENS]
    found: list[Match] = []
    for start, token in enumerate(stream):
        for key in _forms(token):
            for pattern in index.get(key, ()):
                window = stream[start : start + len(pattern.words)]
                if len(window) == len(pattern.words) and all(
                    _fits(w, t) for w, t in zip(pattern.words, window, strict=True)
                ):
                    found.append(Match(tuple(window), pattern))
    found.sort(key=lambda m: (-len(m.tokens), -m.pattern.weight))
    kept: list[Match] = []
    seen: set[tuple[int, int, str, str]] = set()
    for candidate in found:
        span = candidate.bounds
        identity = (*span, candidate.pattern.label, candidate.pattern.kind)
        if identity in seen:  # the same words, found through both their text and their lemma
            continue
        seen.add(identity)
        if all(span == k.bounds or span[1] < k.bounds[0] or k.bounds[1] < span[0] for k in kept):
            kept.append(candidate)
    return [m for m in kept if m.pattern.kind != "block"]


def tag_cues(tokens: Sequence[Token]) -> dict[int, set[str]]:
    """Token index -> the cue classes it belongs to."""
    tags: dict[int, set[str]] = defaultdict(set)
    for found in match(tokens, cue_index()):
        for token in found.tokens:
            tags[token.i].add(found.pattern.label)
    return tags
