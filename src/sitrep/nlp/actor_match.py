"""Finding actor names in text: surface-form normalisation and a token-level matcher.

Names of Syrian actors come in many spellings: "Hay'at Tahrir al-Sham", "Hayat Tahrir
ash-Sham", "Hayat Tahrir al Sham". Both the aliases and the text are cut into word
tokens the same way and compared token by token after folding case, diacritics and
apostrophes; the Arabic article in any of its forms (al-, el-, ash-, an-, ...) becomes
"al", so one alias covers all of them. Capitalisation still matters where it carries
meaning: an alias written in capitals ("HTS", "SANA") matches only capitals, and a
capitalised alias word ("Monitor" in "Al-Monitor") matches only a capitalised word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, count
from operator import not_

__all__ = ["ActorMention", "AliasMatcher", "lookup_key"]

_APOSTROPHES = "'’ʼʿʾ‘`´"
# A word, apostrophes inside it included ("Hay'at", "Nu'man"), then a possessive 's kept
# apart ("army's" is the word "army"). Splitting on this pattern leaves the separators,
# words and possessives in one list, whose running lengths give every word's offsets
# without a Python-level loop over the text: the matcher's speed rests on that.
_WORD_SPLIT = re.compile(
    rf"([^\W_]+(?:[{_APOSTROPHES}](?![sS](?![^\W_]))[^\W_]+)*)"
    rf"((?:[{_APOSTROPHES}][sS](?![^\W_]))?)"
)
_STRIP_APOSTROPHES = str.maketrans("", "", _APOSTROPHES)
# Letters that Unicode decomposition leaves alone but transliterations spell plainly.
_PLAIN_LETTERS = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ß": "ss"})
_ARTICLE = "al"
# "al"/"el" are the article wherever they stand; the assimilated forms (ash-Sham,
# an-Numan) only when hyphenated, since "an", "as" and "at" are English words too.
_ALWAYS_ARTICLES = frozenset({"al", "el"})
_HYPHENATED_ARTICLES = (
    frozenset("ad adh an ar as ash at ath az ed en er es esh et ez".split()) | _ALWAYS_ARTICLES
)
_HYPHENS = "-‐‑"
# What may separate two words of one name: spaces, a hyphen or one line break, after an
# optional possessive ("Iran's Revolutionary Guards"); a full stop only after an initial
# ("U.S. forces"). Any other punctuation, or a blank line, ends the name.
_GAP = re.compile(rf"(?:[{_APOSTROPHES}]s)?(?:[ \t\u00a0{re.escape(_HYPHENS)}]|\n(?!\n)){{1,2}}")
_INITIAL_GAP = re.compile(r"\.[ \u00a0]?")

# Case constraints of an alias word, checked against the text word.
ANY, TITLE, UPPER = 0, 1, 2


@dataclass(frozen=True)
class ActorMention:
    """One actor name found in a text: character offsets, the text, the actor.

    ``alternatives`` lists the other actors an ambiguous alias may name; ``actor_id``
    is the default reading.
    """

    start: int
    end: int
    surface: str
    actor_id: str
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Pattern:
    keys: tuple[str, ...]
    cases: tuple[int, ...]
    actor_ids: tuple[str, ...]


@dataclass(frozen=True)
class Tokens:
    """The words of a text as parallel lists: offsets, folded keys, spellings."""

    text: str
    starts: list[int]
    ends: list[int]
    keys: list[str]  # folded; the Arabic article in any spelling is "al"
    raws: list[str]  # as written, without a possessive 's

    def __len__(self) -> int:
        return len(self.keys)


def fold(word: str) -> str:
    """Lower case without diacritics or apostrophes: "Hay'at" -> "hayat"."""
    low = word.lower()
    if low.isascii():
        return low.translate(_STRIP_APOSTROPHES) if "'" in low or "`" in low else low
    low = low.translate(_PLAIN_LETTERS)
    if unicodedata.is_normalized("NFKD", low):  # nothing to take apart: other scripts
        return low.translate(_STRIP_APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", low)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.translate(_STRIP_APOSTROPHES)


def tokenize(text: str) -> Tokens:
    """The words of ``text`` with offsets and folded keys."""
    parts = _WORD_SPLIT.split(text)  # separator, word, possessive, separator, ...
    ends_of_parts = list(accumulate(map(len, parts)))
    raws = parts[1::3]
    starts, ends = ends_of_parts[0:-1:3], ends_of_parts[1::3]
    lowered = "\0".join(raws).lower()
    keys = lowered.split("\0")
    if not lowered.isascii() or any(a in lowered for a in _APOSTROPHES):
        # Fold only the words that need it, found without a Python-level loop.
        odd = set(compress(count(), map(not_, map(str.isascii, keys))))
        odd.update(compress(count(), map(not_, map(str.isalnum, keys))))
        for i in odd:
            keys[i] = fold(keys[i])
    for i in compress(count(), map(_HYPHENATED_ARTICLES.__contains__, keys)):
        if keys[i] in _ALWAYS_ARTICLES or text[ends[i] : ends[i] + 1] in _HYPHENS:
            keys[i] = _ARTICLE
    return Tokens(text, starts, ends, keys, raws)


def lookup_key(surface: str) -> tuple[str, ...]:
    """The key under which a surface form is looked up: no article, no leading "the".

    Two aliases with the same key name the same thing as far as lookup can tell, so the
    knowledge base also uses this key to find aliases shared between actors.
    """
    keys = [key for key in tokenize(surface).keys if key != _ARTICLE]
    return tuple(keys[1:] if keys[:1] == ["the"] and len(keys) > 1 else keys)


def _case_of(key: str, raw: str) -> int:
    if key == _ARTICLE:
        return ANY  # "al-Nusra" and "Al-Nusra" are the same name
    if raw.isupper():
        return UPPER
    return TITLE if raw[:1].isupper() else ANY


def _patterns(alias: str) -> list[tuple[tuple[str, ...], tuple[int, ...]]]:
    """Token keys and case constraints the matcher looks for to find ``alias``.

    A leading "the" is dropped so that spans start at the name ("the Syrian army" ->
    "Syrian army"), except where the rest is ordinary words ("the regime", "the
    opposition") that would match far too much alone. When the alias has an article
    and at least two other words, the article-less spelling is looked for too
    ("Hayat Tahrir Sham"); with one word left ("Al-Monitor") it would be too loose.
    """
    tokens = tokenize(alias)
    words = [(key, _case_of(key, raw)) for key, raw in zip(tokens.keys, tokens.raws, strict=True)]
    if len(words) > 1 and words[0][0] == "the" and any(case for _, case in words[1:]):
        words = words[1:]
    content = [(key, case) for key, case in words if key != _ARTICLE]
    variants = [words] if len(content) < 2 or len(content) == len(words) else [words, content]
    return [(tuple(k for k, _ in v), tuple(c for _, c in v)) for v in variants]


class AliasMatcher:
    """Longest-match, non-overlapping search for many aliases in one pass over the words.

    Aliases are indexed by their first word and then their second, so a text word costs
    one set lookup unless it can start a name, and "the" costs one more.
    """

    def __init__(self, aliases: Iterable[tuple[str, str]]) -> None:
        """``aliases``: (surface, actor id) pairs; for a shared alias, the first id wins."""
        merged: dict[tuple[tuple[str, ...], tuple[int, ...]], list[str]] = {}
        for surface, actor_id in aliases:
            for pattern in _patterns(surface):
                ids = merged.setdefault(pattern, [])
                if actor_id not in ids:
                    ids.append(actor_id)
        # first word -> second word ("" for one-word aliases) -> patterns, longest first
        self._index: dict[str, dict[str, list[_Pattern]]] = {}
        for (keys, cases), ids in merged.items():
            second = keys[1] if len(keys) > 1 else ""
            by_second = self._index.setdefault(keys[0], {})
            by_second.setdefault(second, []).append(_Pattern(keys, cases, tuple(ids)))
        for by_second in self._index.values():
            for patterns in by_second.values():
                patterns.sort(key=lambda pattern: -len(pattern.keys))

    def matches(self, text: str) -> list[ActorMention]:
        """Every alias in ``text``, leftmost-longest first, none overlapping."""
        tokens = tokenize(text)
        keys, index = tokens.keys, self._index
        found: list[ActorMention] = []
        free = 0  # the first word not inside an earlier match
        for i in compress(count(), map(index.__contains__, keys)):
            if i < free:
                continue
            by_second = index[keys[i]]
            following = by_second.get(keys[i + 1]) if i + 1 < len(keys) else None
            pattern = _first_fit(tokens, i, following) or _first_fit(tokens, i, by_second.get(""))
            if pattern is None:
                continue
            free = i + len(pattern.keys)
            start = _start_with_article(tokens, i, found)
            end = tokens.ends[free - 1]
            ids = pattern.actor_ids
            found.append(ActorMention(start, end, text[start:end], ids[0], ids[1:]))
        return found


def _first_fit(tokens: Tokens, i: int, patterns: list[_Pattern] | None) -> _Pattern | None:
    """The first (longest) of ``patterns`` written at word ``i``; their first word fits."""
    if not patterns:
        return None
    keys, raws = tokens.keys, tokens.raws
    for pattern in patterns:
        j = i + len(pattern.keys)
        if j > len(keys) or keys[i + 1 : j] != list(pattern.keys[1:]):
            continue
        if all(
            _case_fits(case, raws[k]) for k, case in zip(range(i, j), pattern.cases, strict=True)
        ) and all(_joined(tokens, k) for k in range(i, j - 1)):
            return pattern
    return None


def _case_fits(case: int, raw: str) -> bool:
    if case == ANY:
        return True
    return raw.isupper() if case == UPPER else raw[:1].isupper()


def _joined(tokens: Tokens, left: int) -> bool:
    """Whether word ``left`` and the next can belong to one name."""
    gap = tokens.text[tokens.ends[left] : tokens.starts[left + 1]]
    if _GAP.fullmatch(gap):
        return True
    return len(tokens.raws[left]) <= 2 and _INITIAL_GAP.fullmatch(gap) is not None


def _start_with_article(tokens: Tokens, i: int, found: Sequence[ActorMention]) -> int:
    """Where a match at word ``i`` starts: "al-Nusra Front" found as "Nusra Front"."""
    start = tokens.starts[i]
    if i == 0 or tokens.keys[i - 1] != _ARTICLE:
        return start
    previous = tokens.starts[i - 1]
    if found and found[-1].end > previous:
        return start
    gap = tokens.text[tokens.ends[i - 1] : start]
    return previous if gap == " " or (len(gap) == 1 and gap in _HYPHENS) else start
