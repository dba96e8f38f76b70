"""Quantities and ranges in news text: how many were killed, wounded, displaced, deployed.

"between 400 and 800 fighters" is a range (400, 800); "at least 33 soldiers were killed"
is a lower bound; "dozens" is vague (24, 99). Each quantity gets the noun it counts and,
from the words around it, what it measures: fatalities, injured, displaced, troops.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["NUMBER_WORDS", "Measure", "Quantity", "find_quantities", "parse_number"]

Measure = Literal["fatalities", "injured", "displaced", "detained", "troops", "other"]

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a dozen": 12,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
# Vague amounts as ranges: "dozens" is more than two dozen and fewer than a hundred.
_VAGUE = {
    "dozens": (24, 99),
    "scores": (40, 199),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "several": (3, 9),
    "a handful": (3, 6),
}
_QUALIFIERS = {
    "at least": "min",
    "more than": "min",
    "over": "min",
    "upwards of": "min",
    "nearly": "max",
    "almost": "max",
    "up to": "max",
    "fewer than": "max",
    "less than": "max",
    "about": "approx",
    "around": "approx",
    "some": "approx",
    "roughly": "approx",
    "approximately": "approx",
    "an estimated": "approx",
    "close to": "max",
}

_WORD_NUMBER = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_NUMBER = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?:{_WORD_NUMBER})(?:[- ](?:{_WORD_NUMBER}))?)"
    rf"(?: (?:{'|'.join(_SCALES)}))?"
)
_QUALIFIER = "|".join(sorted(_QUALIFIERS, key=len, reverse=True))
_VAGUE_RE = "|".join(sorted(_VAGUE, key=len, reverse=True))
# What is counted: people, units and things that conflict reporting counts.
_COUNTED = (
    "people|persons|individuals|civilians|children|women|men|soldiers|troops|fighters|"
    "militants|rebels|personnel|police|policemen|officers|commandos|gunmen|militiamen|"
    "mercenaries|members|families|residents|refugees|migrants|villages|towns|houses|homes|"
    "buildings|targets|vehicles|tanks|aircraft|drones|jets|helicopters|strikes|airstrikes|"
    "explosions|rockets|missiles|shells|bombs|dead|wounded|injured|workers|staff|students|"
    "protesters|demonstrators|detainees|prisoners|hostages|bodies|victims|casualties"
)
_NOUN = rf"(?: (?:[A-Z][\w'-]+|[a-z-]+)){{0,2}}? (?P<noun>{_COUNTED})"

_QUANTITY = re.compile(
    rf"\b(?:(?P<qual>{_QUALIFIER}) )?"
    rf"(?:between (?P<lo1>{_NUMBER}) and (?P<hi1>{_NUMBER})"
    rf"|(?P<lo2>{_NUMBER}) ?(?:-|–|to) ?(?P<hi2>{_NUMBER})"
    rf"|(?P<vague>{_VAGUE_RE})(?: of)?"
    rf"|(?P<one>{_NUMBER}))"
    rf"(?:{_NOUN})?\b",
    re.IGNORECASE,
)

_CONTEXT = 60  # characters after the quantity read for what it measures
_MEASURES: tuple[tuple[Measure, re.Pattern[str]], ...] = (
    (
        "fatalities",
        re.compile(
            r"\b(killed|dead|died|death toll|deaths|killing|lost their lives|"
            r"slain|martyred|bodies|fatalities)\b",
            re.I,
        ),
    ),
    (
        "injured",
        re.compile(r"\b(wounded|wounding|injured|injuring|injuries|hurt|casualties)\b", re.I),
    ),
    (
        "displaced",
        re.compile(
            r"\b(displaced|displacing|fled|flee|fleeing|homeless|uprooted|refugees|"
            r"evacuated)\b",
            re.I,
        ),
    ),
    (
        "detained",
        re.compile(r"\b(arrested|arresting|detained|detaining|abducted|kidnapped)\b", re.I),
    ),
    (
        "troops",
        re.compile(
            r"\b(fighters|troops|soldiers|militiamen|forces|personnel|commandos|militants|"
            r"reinforcements|deployed|tanks|armoured vehicles)\b",
            re.I,
        ),
    ),
)


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    text: str
    low: int
    high: int
    qualifier: str | None  # min | max | approx, from "at least", "up to", "about"...
    noun: str | None
    measure: Measure

    @property
    def exact(self) -> bool:
        return self.low == self.high and self.qualifier is None


def parse_number(text: str) -> int | None:
    """'900,000' -> 900000, '1.5 million' -> 1500000, 'thirty-three' -> 33."""
    words = text.lower().replace(",", "").replace("-", " ").split()
    if not words:
        return None
    scale = 1
    if words[-1] in _SCALES:
        scale = _SCALES[words.pop()]
    if len(words) == 1 and re.fullmatch(r"\d+(\.\d+)?", words[0]):
        return round(float(words[0]) * scale)
    phrase = " ".join(words)
    if phrase in NUMBER_WORDS:
        return NUMBER_WORDS[phrase] * scale
    if all(w in NUMBER_WORDS for w in words):
        return sum(NUMBER_WORDS[w] for w in words) * scale
    return None


def find_quantities(text: str) -> list[Quantity]:
    """Counts of people and things in ``text`` with their measure, in text order."""
    found: list[Quantity] = []
    for match in _QUANTITY.finditer(text):
        bounds = _bounds(match)
        if bounds is None or _looks_like_a_date_or_year(match, text):
            continue
        low, high = bounds
        noun = match["noun"].lower() if match["noun"] else None
        cue = _cue_before(text, match.start()) or _toll_before(text, match.start())
        if noun is None and match["lo1"] is None and cue is None:
            # A bare number ("Resolution 2254", "the M5") or "several" counts nothing we know;
            # "between 400 and 800" may follow the noun it counts, "wounding 9" the verb.
            continue
        qualifier = _QUALIFIERS.get(match["qual"].lower()) if match["qual"] else None
        measure = cue or _measure(text, match)
        if found and _PART.search(text, 0, match.start()):
            # "including 11 children": a breakdown of the count before, measuring the same.
            qualifier, measure = "part", found[-1].measure
        found.append(
            Quantity(
                match.start(), match.end(), match.group(0), low, high, qualifier, noun, measure
            )
        )
    return found


def _bounds(match: re.Match[str]) -> tuple[int, int] | None:
    if match["vague"]:
        return _VAGUE[match["vague"].lower()]
    low_text = match["lo1"] or match["lo2"] or match["one"]
    high_text = match["hi1"] or match["hi2"] or low_text
    low, high = parse_number(low_text), parse_number(high_text)
    if low is None or high is None or low > high:
        return None
    return low, high


def _looks_like_a_date_or_year(match: re.Match[str], text: str) -> bool:
    value = match["one"] or ""
    after = text[match.end() : match.end() + 1]
    year_like = bool(re.fullmatch(r"(19|20)\d\d", value)) and not match["noun"]
    return year_like or after == ":"


# A verb right before the count says what it counts: "killing at least 32", "wounding 9".
_CUE_BEFORE = re.compile(r"\b(?P<verb>[a-z]+ing|killed|wounded|injured|arrested|detained) $")
_PART = re.compile(r"\b(?:including|among them|of whom|among whom) $", re.I)


def _cue_before(text: str, start: int) -> Measure | None:
    found = _CUE_BEFORE.search(text, max(0, start - 20), start)
    if found is None:
        return None
    for measure, pattern in _MEASURES:
        if pattern.fullmatch(found["verb"]):
            return measure
    return None


# A count reached by a toll: "the number of soldiers killed ... has risen to 34".
_RISE_BEFORE = re.compile(
    r"\b(?:risen|rose|climbed|increased|reached|jumped|gone up|went up|stands at|stood at)"
    r"(?: to)? $"
)


def _toll_before(text: str, start: int) -> Measure | None:
    """What a toll that "has risen to" the count measures, from its sentence's subject."""
    if _RISE_BEFORE.search(text, max(0, start - 20), start) is None:
        return None
    subject = re.split(r"[.;!?]\s", text[:start])[-1]
    for measure, pattern in _MEASURES:
        if pattern.search(subject):
            return measure
    return None


def _measure(text: str, match: re.Match[str]) -> Measure:
    """What the words after the quantity say it measures, else the words before it."""
    after = re.split(r"[.;]", text[match.start() : match.end() + _CONTEXT], maxsplit=1)[0]
    before = re.split(r"[.;]", text[max(0, match.start() - _CONTEXT) : match.start()])[-1]
    for window in (after, before):
        for measure, pattern in _MEASURES:
            if pattern.search(window):
                return measure
    return "other"
