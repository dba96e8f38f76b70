"""Toponym resolution: which gazetteer place each place name in a document means.

Every name's candidates are scored on how well the name matches, what kind of place it
is (a country named exactly, a city, a province when the text says "province"), its
population, the document's focus (countries and provinces the other names point to
without ambiguity) and, in a second pass, its distance from the places already resolved
in the same document. The best candidate wins; its confidence is its share of the
scores of the top candidates.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from sitrep.geo.gazetteer import Candidate, Gazetteer, Place
from sitrep.geo.relative import distance_km, region_part

__all__ = ["Resolution", "Resolver", "clean_name", "demonym_country"]

# Adjectives news uses that countryinfo's demonyms lack: continents, and short forms.
_MORE_DEMONYMS = {
    "european": "Europe",
    "asian": "Asia",
    "african": "Africa",
    "us": "United States",
    "u.s.": "United States",
    "saudi": "Saudi Arabia",
}

_ADMIN_WORDS = r"province|governorate|region|countryside|state|district|county|oblast"
_ADMIN_SUFFIX = re.compile(rf"\s+(?:{_ADMIN_WORDS})$", re.I)
_CITY_PREFIX = re.compile(r"^(?:the\s+)?(?:city|town|village)\s+of\s+", re.I)
_CITY_SUFFIX = re.compile(r"\s+(?:city|town)$", re.I)
_LEADING_THE = re.compile(r"^the\s+", re.I)
_POSSESSIVE = re.compile(r"['’]s$")
_CANDIDATES = 8  # scored per name
_PROXIMITY_KM = 250.0
_SUPPORT_CANDIDATES = 5  # per name, when weighing which names lie near each other
_SUPPORT_WEIGHT = 1.0


@dataclass(frozen=True)
class Resolution:
    """What a place name was resolved to (``place`` None: nothing fits)."""

    start: int
    end: int
    text: str
    place: Place | None
    confidence: float
    hint: str | None = None  # "admin" for "Idlib province", "city" for "the city of Idlib"


def clean_name(text: str) -> tuple[str, str | None]:
    """The name to look up and what the words around it ask for.

    "Idlib province" -> ("Idlib", "admin"); "the city of Idlib" -> ("Idlib", "city").
    """
    name = _POSSESSIVE.sub("", _LEADING_THE.sub("", text.strip()))
    if _CITY_PREFIX.search(text) or _CITY_SUFFIX.search(name):
        return _CITY_SUFFIX.sub("", _CITY_PREFIX.sub("", name)), "city"
    if _ADMIN_SUFFIX.search(name):
        return _ADMIN_SUFFIX.sub("", name), "admin"
    return name, None


_AFTER = re.compile(rf"^\s+(?:{_ADMIN_WORDS})\b", re.I)
_BEFORE = re.compile(r"\b(?:city|town|village)\s+of\s+$", re.I)


def _with_context(text: str, start: int, end: int) -> tuple[str, str | None]:
    """The span's name, with a hint from the words around it ("Idlib| province")."""
    name, hint = clean_name(text[start:end])
    country = demonym_country(name)
    if country is not None:
        return country, "country"  # "Russian" forces: Russia
    if hint is None and _AFTER.match(text[end : end + 16]):
        hint = "admin"
    elif hint is None and region_part(text[max(0, start - 40) : start]) is not None:
        hint = "admin"  # "southern Idlib": the province's south, not the city's
    elif hint is None and _BEFORE.search(text[max(0, start - 16) : start]):
        hint = "city"
    return name, hint


class Resolver:
    """Resolves the place names of one document at a time against a gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def resolve(
        self, text: str, spans: Sequence[tuple[int, int]], context: Sequence[str] = ()
    ) -> list[Resolution]:
        """Resolutions for ``spans`` of ``text``; ``context`` names other places the
        document mentions (they shape the focus, they are not resolved)."""
        names = [_with_context(text, start, end) for start, end in spans]
        extra = [clean_name(c) for c in context]
        # "Laurel County" is looked up whole too: the county, not a town named Laurel.
        whole = [_LEADING_THE.sub("", text[start:end].strip()) for start, end in spans]
        found = self.gazetteer.lookup_many({*whole, *(n for n, _ in [*names, *extra])})
        options = [
            _merged(found.get(full, []), found.get(name, []))
            for full, (name, _) in zip(whole, names, strict=True)
        ]
        focus = _Focus.of([found.get(n, [])[:_CANDIDATES] for n, _ in [*names, *extra]])
        focus = replace(focus, support=_support(names, options))
        first = [_best(o, hint, focus, ()) for o, (_, hint) in zip(options, names, strict=True)]
        # Places resolved with confidence pull the others near them (never themselves).
        anchors = [(i, r[0]) for i, r in enumerate(first) if r and r[1] >= 0.6 and _pointlike(r[0])]
        results = []
        for i, ((start, end), option, (_, hint)) in enumerate(
            zip(spans, options, names, strict=True)
        ):
            near = [place for j, place in anchors if j != i]
            best = _best(option, hint, focus, near)
            place, confidence = best if best else (None, 0.0)
            results.append(Resolution(start, end, text[start:end], place, confidence, hint))
        return results

    def resolve_name(self, name: str, context: Sequence[str] = ()) -> Resolution:
        """One free-standing name (an anchor of a relative description, say)."""
        return self.resolve(name, [(0, len(name))], context)[0]


def _merged(whole: list[Candidate], bare: list[Candidate]) -> list[Candidate]:
    """Candidates of the name as written, then of its bare form, each place once."""
    if whole is bare:
        return bare[:_CANDIDATES]
    seen: set[str] = set()
    merged = []
    for candidate in [*whole[:_CANDIDATES], *bare[:_CANDIDATES]]:
        if candidate.place.id not in seen:
            seen.add(candidate.place.id)
            merged.append(candidate)
    return merged


@dataclass(frozen=True)
class _Focus:
    """Where a document is: country shares, and the provinces it names."""

    countries: dict[str, float]
    admin1: frozenset[tuple[str, str]]
    support: dict[str, float] = field(default_factory=dict)  # place id -> nearby names

    @classmethod
    def of(cls, candidate_lists: Sequence[Sequence[Candidate]]) -> _Focus:
        votes: dict[str, float] = {}
        admin1: set[tuple[str, str]] = set()
        for candidates in candidate_lists:
            exact = [c for c in candidates if c.exact] or list(candidates[:1])
            if not exact:
                continue
            countries = {c.place.country for c in exact}
            top = max(exact, key=lambda c: c.place.population)
            weight = 2.0 if top.place.kind == "country" else 1.0 if len(countries) == 1 else 0.3
            votes[top.place.country] = votes.get(top.place.country, 0.0) + weight
            if len(countries) == 1 and top.place.kind == "admin1":
                admin1.add((top.place.country, top.place.admin1))
        total = sum(votes.values()) or 1.0
        return cls({k: v / total for k, v in votes.items()}, frozenset(admin1))


def _best(
    candidates: Sequence[Candidate], hint: str | None, focus: _Focus, anchors: Sequence[Place]
) -> tuple[Place, float] | None:
    if not candidates:
        return None
    scored = sorted(
        ((_score(c, hint, focus, anchors), c.place) for c in candidates),
        key=lambda pair: pair[0],
        reverse=True,
    )
    weights = [math.exp((s - scored[0][0]) / 0.5) for s, _ in scored[:5]]
    return scored[0][1], round(weights[0] / sum(weights), 3)


def _score(c: Candidate, hint: str | None, focus: _Focus, anchors: Sequence[Place]) -> float:
    place = c.place
    score = 3.0 if c.exact else 2.0 * c.similarity
    score += 0.2 if c.primary else 0.0
    # An area's population is the sum of its towns': discounted, it does not outweigh its
    # own capital ("Idlib"), but a state still outweighs a small namesake ("Indiana").
    people = place.population / 10 if place.kind in ("admin1", "admin2") else place.population
    score += min(math.log10(people + 1), 7.5) / 5
    score += _kind_bonus(place, hint, c.exact)
    # Where the document is matters more than how famous a namesake is ("Georgia").
    score += 2.5 * focus.countries.get(place.country, 0.0)
    if (place.country, place.admin1) in focus.admin1:
        score += 0.5
    score += _SUPPORT_WEIGHT * focus.support.get(place.id, 0.0)
    if anchors:
        nearest = min(distance_km(place.lat, place.lon, a.lat, a.lon) for a in anchors)
        score += 0.8 * math.exp(-nearest / _PROXIMITY_KM)
    return score


def _support(
    names: Sequence[tuple[str, str | None]], options: Sequence[Sequence[Candidate]]
) -> dict[str, float]:
    """For each candidate town, the share of the document's other names that have a
    candidate near it: "Dublin" among Columbus, Grove City and Franklin County is the
    one in Ohio. Countries and continents neither get nor give support; they are
    everywhere in their own extent."""
    by_name: dict[str, list[Place]] = {}
    for (name, _), candidates in zip(names, options, strict=True):
        places = [c.place for c in candidates[:_SUPPORT_CANDIDATES] if _pointlike(c.place)]
        if places:
            by_name.setdefault(name.lower(), places)
    if len(by_name) < 2:
        return {}
    support: dict[str, float] = {}
    for name, places in by_name.items():
        others = [p for other, p in by_name.items() if other != name]
        for place in places:
            near = sum(
                max(
                    math.exp(-distance_km(place.lat, place.lon, o.lat, o.lon) / _PROXIMITY_KM)
                    for o in theirs
                )
                for theirs in others
            )
            support[place.id] = max(support.get(place.id, 0.0), near / len(others))
    return support


def _kind_bonus(place: Place, hint: str | None, exact: bool) -> float:
    if hint == "country":
        return 2.0 if place.kind in ("country", "continent") else -1.0
    if place.kind in ("country", "continent"):
        return 1.5 if exact else 0.0
    if hint == "admin":
        return 2.0 if place.kind in ("admin1", "admin2", "governorate", "district") else -0.5
    if hint == "city":
        return 1.0 if place.feature_class == "P" else -1.0
    if place.feature_class == "P":
        return 0.2  # a bare name is more often the city than the province
    if place.is_supplement:
        return 0.5  # the user's own features: highways, bases, crossings
    return 0.0


def _pointlike(place: Place) -> bool:
    return place.kind != "country"


def demonym_country(word: str) -> str | None:
    """The country (or continent) a demonym names: "Russian" -> "Russia"."""
    key = word.lower()
    table = _demonyms()
    return table.get(key) or (table.get(key[:-1]) if key.endswith("s") else None)


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    """Demonyms from the countryinfo package (optional: without it, only the few above)."""
    table = dict(_MORE_DEMONYMS)
    try:
        module: Any = importlib.import_module("countryinfo")
    except ImportError:
        return table
    # A demonym several territories share ("American") names the most populous.
    records = sorted(
        module.CountryInfo.all().values(), key=lambda r: -int(r.get("population") or 0)
    )
    for record in records:
        demonym, name = record.get("demonym"), record.get("name")
        if isinstance(demonym, str) and isinstance(name, str) and demonym.strip():
            table.setdefault(demonym.strip().lower(), name)
    return table
