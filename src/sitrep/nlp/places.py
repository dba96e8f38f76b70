"""Gazetteer-backed place names: the spans the small NER model misses or mislabels.

en_core_web_sm tags "Maaret al-Numan" as PERSON and "al-Nayrab" or "Saraqib" as ORG. The
``sitrep_places`` component looks every capitalised n-gram (1-5 words, allowing Arabic
articles and hyphens inside: "Jisr ash-Shughur") up in the gazetteer by its
transliteration-tolerant key and keeps those that match a place well enough:

- the candidate places are restricted to the focus countries, countries themselves,
  sitrep's supplement, and elsewhere to places of ``min_population`` or more, so that
  the thousands of villages named like English words stay out;
- a stop list of English words, months, demonyms and organisations (the cities500 list
  has places called Mobile, Of, Kill and Said) blocks the rest, and one-word matches
  must be proper nouns (or follow "village of", "town of", "city of");
- a span inside a longer non-place entity ("Tahrir al-Sham", "George Washington") or
  equal to a date or a nationality is not a place.

Output: ``doc.spans["places"]``, label GPE (populated places and countries) or LOC
(everything else), ``kb_id_`` the best candidate's id, and ``span._.place_candidates``
all candidate ids in rank order for the geocoder.

NER entities: a *confident* place span (a close match to a Middle-East or supplement
place, or one written with an Arabic article) replaces the PERSON/ORG/NORP entities it
covers in ``doc.ents`` and is added there as GPE/LOC. Downstream components (actors,
events) read ``doc.ents``, and leaving "Maaret al-Numan" as a PERSON would make a town
an actor. Only whole entities inside the place span are replaced; an entity that reaches
beyond it is left alone (it may be an organisation named after a place), and so is
everything when ``relabel_ents`` is false. ``doc.spans["places"]`` is the full record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sitrep.geo.gazetteer import Candidate, Gazetteer, Scope, default_gazetteer
from sitrep.geo.names import ARTICLES, bare_name, similarity
from sitrep.geo.resolve import demonym_country

__all__ = [
    "DEFAULT_STOP_WORDS",
    "FOCUS_COUNTRIES",
    "PLACE_STOP_WORDS",
    "PlaceRecognizer",
    "make_place_recognizer",
]

FOCUS_COUNTRIES = ("SY", "TR", "IQ", "LB", "JO", "IR", "IL", "PS", "YE", "RU", "US")
# Where the NER's PERSON/ORG labels on Arabic names are known to be wrong.
_REGION = frozenset({"SY", "TR", "IQ", "LB", "JO", "IR", "IL", "PS", "YE"})
_MAX_WORDS = 5
_CUES = (("village", "of"), ("town", "of"), ("city", "of"), ("villages", "of"))
# Lower-case words that may sit inside a place name ("Rostov-on-Don", "Deir ez-Zor").
_CONNECTORS = ARTICLES | {"de", "del", "la", "le", "di", "da", "do", "upon", "on", "sur", "am"}
_NOT_PLACES = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "NORP"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_PROMINENT = 100_000
# Capitalised words after a place name that do not make it another name: "Idlib Province".
_PLACE_NOUNS = frozenset(
    "province governorate city town village county district region countryside "
    "airport air base border crossing highway road front frontline "
    "mountains mountain plain valley river".split()
)
# Candidates kept for the geocoder: spelling variants, not key collisions.
_KEEP_SIMILARITY = 0.75

# Capitalised words that are places somewhere in cities500 but far more often something
# else in news: months and days, English words, titles, demonyms, organisations.
PLACE_STOP_WORDS = frozenset(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
    mobile of kill said says say told deal reading bath nice split police most bar van
    batman media mission independence liberty union republic security justice commerce
    hope energy industry progress unity victory freedom peace defence defense opposition
    army navy government regime state forces force rebels troops militia front council
    ministry minister president general colonel commander spokesman sheikh king prince
    emir imam mayor governor senator secretary official officials sources source report
    reports news press agency times post guardian telegraph reuters monitor observatory
    north south east west northern southern eastern western central middle upper lower
    new old great little grand saint city town village province district region area
    camp base airport border crossing highway road river mount mountain valley lake sea
    gulf bay island islands coast countryside capital centre center county parish
    street st ave avenue rd hall park court bank ridge grove trail bridge market hills
    heights square plaza church school college university hospital township
    northeast northwest southeast southwest god man act vice passover christmas easter
    mr mrs ms dr sen rep gov lt sgt capt gen col maj prof jr sr inc co corp ltd rev
    hamas hezbollah hizbollah nusra daesh isis isil qaeda taliban houthi houthis ypg sdf
    pkk hts fsa sna irgc idf nato un eu
    syrian syrians turkish turk turks russian russians iranian iranians iraqi iraqis
    lebanese kurdish kurd kurds american americans israeli israelis palestinian
    palestinians arab arabs arabic saudi emirati qatari jordanian yemeni egyptian
    afghan afghans pakistani british french german european western eastern islamic
    georgian mexican canadian chinese japanese korean indian african asian italian
    spanish greek irish scottish english welsh dutch polish ukrainian swedish latino
    muslim muslims christian christians sunni shia shiite alawite druze jewish
    """.split()
)
# spaCy's English stop words ("Of", "Become", "Whereas") too, but not "us": the U.S.
DEFAULT_STOP_WORDS = PLACE_STOP_WORDS | (STOP_WORDS - {"us"})


@dataclass(frozen=True)
class _Match:
    """A candidate span with its ranked, eligible candidates."""

    start: int
    end: int
    words: int
    candidates: tuple[Candidate, ...]
    cued: bool

    @property
    def best(self) -> Candidate:
        return self.candidates[0]


# All candidate ids, best first, for the geocoder; and how closely the text matched.
if not Span.has_extension("place_candidates"):
    Span.set_extension("place_candidates", default=())
if not Span.has_extension("place_similarity"):
    Span.set_extension("place_similarity", default=0.0)


@Language.factory(
    "sitrep_places",
    assigns=["doc.spans", "doc.ents", "span._.place_candidates", "span._.place_similarity"],
    default_config={
        "gazetteer_path": "",
        "span_key": "places",
        "min_population": 10_000,
        "focus_countries": list(FOCUS_COUNTRIES),
        "relabel_ents": True,
        "extra_stop_words": [],
    },
)
def make_place_recognizer(
    nlp: Language,
    name: str,
    gazetteer_path: str,
    span_key: str,
    min_population: int,
    focus_countries: list[str],
    relabel_ents: bool,
    extra_stop_words: list[str],
) -> PlaceRecognizer:
    """The ``sitrep_places`` component; an empty ``gazetteer_path`` means the default."""
    return PlaceRecognizer(
        gazetteer_path=Path(gazetteer_path) if gazetteer_path else None,
        span_key=span_key,
        min_population=min_population,
        focus_countries=focus_countries,
        relabel_ents=relabel_ents,
        stop_words=DEFAULT_STOP_WORDS | {w.lower() for w in extra_stop_words},
    )


class PlaceRecognizer:
    """Finds gazetteer places in a parsed Doc; see the module docstring for the rules."""

    def __init__(
        self,
        gazetteer_path: Path | None = None,
        span_key: str = "places",
        min_population: int = 10_000,
        focus_countries: Iterable[str] = FOCUS_COUNTRIES,
        relabel_ents: bool = True,
        stop_words: frozenset[str] = DEFAULT_STOP_WORDS,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        self.gazetteer_path = gazetteer_path
        self.span_key = span_key
        self.min_population = min_population
        self.focus = frozenset(c.upper() for c in focus_countries)
        self.relabel_ents = relabel_ents
        self.stop_words = stop_words
        self.scope = Scope(self.focus, min_population)
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        """Opened on first use, so building a pipeline stays cheap."""
        if self._gazetteer is None:
            path = self.gazetteer_path
            self._gazetteer = Gazetteer.open(path) if path else default_gazetteer()
        return self._gazetteer

    def __call__(self, doc: Doc) -> Doc:
        view = _View(doc)
        matches = self._select(view, self._matches(doc))
        spans = [self._span(doc, m) for m in matches]
        doc.spans[self.span_key] = spans
        if self.relabel_ents:
            confident = [s for s, m in zip(spans, matches, strict=True) if _confident(doc, m)]
            _relabel(doc, view.ents, confident)
        return doc

    def _matches(self, doc: Doc) -> list[_Match]:
        """Every n-gram that could be a place name, with its candidates in scope.

        After "village of" any place will do; elsewhere only places in :attr:`scope`.
        """
        grams = [
            (start, end, doc[start:end].text, _cued(doc, start))
            for start in _starts(doc)
            for end in _ends(doc, start)
        ]
        lookup = self.gazetteer.lookup_many
        scoped = lookup({text for _, _, text, cued in grams if not cued}, scope=self.scope)
        anywhere = lookup({text for _, _, text, cued in grams if cued})
        matches = []
        for start, end, text, cued in grams:
            candidates = (anywhere if cued else scoped).get(text, [])
            kept = tuple(c for c in candidates if c.similarity >= _KEEP_SIMILARITY)
            if kept:
                words = sum(1 for t in doc[start:end] if not t.is_punct and not _article(t))
                matches.append(_Match(start, end, words, kept, cued))
        return matches

    def _select(self, view: _View, matches: list[_Match]) -> list[_Match]:
        """Accepted matches, longest first, without overlaps, in text order."""
        taken: set[int] = set()
        accepted = []
        for match in sorted(matches, key=lambda m: (-m.words, m.start)):
            if taken.intersection(range(match.start, match.end)):
                continue
            if self._accept(view, match):
                accepted.append(match)
                taken.update(range(match.start, match.end))
        return sorted(accepted, key=lambda m: m.start)

    def _accept(self, view: _View, match: _Match) -> bool:
        best, place = match.best, match.best.place
        tokens = view.doc[match.start : match.end]
        if match.words == 0 or best.similarity < (0.8 if match.words == 1 else 0.75):
            return False  # "As", "At": an article alone is no name
        if match.words == 1 and not self._one_word_ok(view, tokens[-1], match):
            return False
        named = [_word(t) for t in tokens if t.lower_ not in _CONNECTORS]
        if not best.exact and any(word in self.stop_words for word in named):
            return False  # "West Hama" is not the place "Westham"
        if not (match.cued or place.is_supplement or place.country in _REGION):
            # Elsewhere sitrep's job is only what the NER misses: a name of a small
            # town far away ("Chief", "Fire Department") needs the NER's agreement that
            # it is a place at all.
            tagged = any(t.ent_type_ in _PLACE_LABELS for t in tokens)
            prominent = place.feature_class == "A" or place.population >= _PROMINENT
            if not (best.exact and (tagged or prominent)):
                return False
        return _fits_entities(view, match)

    def _one_word_ok(self, view: _View, token: Token, match: _Match) -> bool:
        word, place = _word(token), match.best.place
        if word in self.stop_words or len(word) < 2:
            return False
        country_or_ours = place.feature_class == "A" or place.is_supplement
        if token.is_upper and len(word) <= 4 and not country_or_ours:
            return False  # acronyms: "IRS", "TIF"
        if word in view.person_words and not _confident(view.doc, match):
            return False  # "Henry" after "Chiquita Raquel Henry"
        nxt = token.nbor() if token.i + 1 < len(token.doc) else None
        continued = nxt is not None and nxt.is_title and nxt.lower_ not in _PLACE_NOUNS
        if continued and not country_or_ours:
            return False  # the first word of a longer name: "Main Street", "Hayat Tahrir"
        tagged = token.ent_type_ in _PLACE_LABELS
        if not (match.cued or tagged) and view.tagged and token.pos_ != "PROPN":
            return False
        return match.cued or _own_name(match.best) or place.population >= 1_000 or country_or_ours

    def _span(self, doc: Doc, match: _Match) -> Span:
        best = match.best.place
        label = "GPE" if best.feature_class in ("P", "A") else "LOC"
        span = Span(doc, match.start, match.end, label=label, kb_id=best.id)
        span._.place_candidates = tuple(c.place.id for c in match.candidates)
        span._.place_similarity = match.best.similarity
        return span


class _View:
    """What the rules read from a Doc, computed once per Doc."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.ents: tuple[Span, ...] = tuple(doc.ents)
        self.tagged = doc.has_annotation("POS")
        # Words of people's names: "Henry" alone later in the text is still the person.
        self.person_words = {
            _word(t) for ent in self.ents if ent.label_ == "PERSON" and len(ent) > 1 for t in ent
        }


def _word(token: Token) -> str:
    return token.lower_.rstrip(".")


def _starts(doc: Doc) -> Iterable[int]:
    """Capitalised words, and articles before a capitalised word not ending a name."""
    for token in doc:
        if token.lower_ == "the":
            continue  # "The Hague" is found as "Hague"
        if _capitalised(token) and not _article(token):
            yield token.i
        elif _article(token) and _after_article(doc, token.i) is not None:
            before = doc[token.i - 1] if token.i > 0 else None
            # "Tahrir al-Sham": an article after a name continues that name.
            if not (before is not None and _capitalised(before)):
                yield token.i


def _article(token: Token) -> bool:
    return token.lower_ in ARTICLES and token.lower_ != "the"


def _after_article(doc: Doc, i: int) -> Token | None:
    """The capitalised word an article belongs to: "al-Nayrab", "al Nayrab", "an-Nayrab".

    Only "al" and "el" may stand without a hyphen: "an", "as", "at" are English words
    ("an Ohio man").
    """
    nxt = i + 1
    if nxt < len(doc) and doc[nxt].text == "-":
        nxt += 1
    elif doc[i].lower_ not in ("al", "el"):
        return None
    return doc[nxt] if nxt < len(doc) and _capitalised(doc[nxt]) else None


def _ends(doc: Doc, start: int) -> Iterable[int]:
    """Ends of n-grams from ``start``: up to five words, ending on a capitalised word."""
    words = 0
    for i in range(start, len(doc)):
        token = doc[i]
        if token.text == "-" and i > start:
            continue
        if not (_capitalised(token) or token.lower_ in _CONNECTORS):
            return
        words += 1
        if words > _MAX_WORDS:
            return
        if _capitalised(token):
            yield i + 1


def _capitalised(token: Token) -> bool:
    text = token.text
    return text[:1].isupper() and any(ch.isalpha() for ch in text) and not token.is_punct


def _cued(doc: Doc, start: int) -> bool:
    """After "village of", "town of", "city of" (and "the village of al-...")."""
    if start < 2:
        return False
    return (doc[start - 2].lower_, doc[start - 1].lower_) in _CUES


def _fits_entities(view: _View, match: _Match) -> bool:
    """Whether the NER's entities leave room for a place at this span."""
    for ent in view.ents:
        if ent.end <= match.start or ent.start >= match.end:
            continue
        same = (ent.start, ent.end) == (match.start, match.end)
        inside = match.start <= ent.start and ent.end <= match.end  # ent within the span
        if ent.label_ in _PLACE_LABELS:
            if not inside and ent.start != match.start:
                return False  # "Street" of "Orchard Street", "Hall" of "City Hall"
            continue
        if inside and not same:
            if not _confident(view.doc, match):
                return False  # a shorter entity the place span would swallow
            continue
        if ent.label_ == "NORP" and same and _city_not_people(view.doc, match):
            continue  # the small model calls "Aleppo" a nationality now and then
        if ent.label_ in _NOT_PLACES:
            return False  # "May" is a date, "Syrian" a nationality
        if not inside:
            return False  # part of a longer name: "Tahrir al-Sham", "George Washington"
        if not _confident(view.doc, match):
            return False  # the same span as a PERSON or ORG: only a sure place wins
    return True


def _city_not_people(doc: Doc, match: _Match) -> bool:
    """A NORP span that is exactly a known town's own name and no demonym ("Aleppo")."""
    best = match.best
    text = doc[match.start : match.end].text
    return (
        best.exact
        and _own_name(best)
        and best.place.population >= 10_000
        and demonym_country(text) is None
        and not text.lower().endswith(("an", "ese", "ish", "i"))
    )


def _confident(doc: Doc, match: _Match) -> bool:
    """A match sure enough to overrule the NER's PERSON/ORG/NORP on the same words."""
    best = match.best
    place = best.place
    if best.similarity < 0.85:
        return False
    tokens = doc[match.start : match.end]
    arabic_form = any(t.lower_ in ARTICLES for t in tokens) or any("'" in t.text for t in tokens)
    if not (arabic_form or place.country in _REGION or place.is_supplement):
        return False
    if match.words == 1:
        return _own_name(best) or place.is_supplement or place.population >= 1_000
    return True


def _own_name(candidate: Candidate) -> bool:
    """The place's own name or a spelling of it ("Teftanaz"), not another name of it.

    A hamlet's other names are weak evidence alone: "Khan" is an alternate name of
    Khirbat Tin Nur, and far more often a surname.
    """
    if candidate.primary:
        return True
    own = bare_name(candidate.place.name)
    return similarity(candidate.form, own, _KEEP_SIMILARITY) >= _KEEP_SIMILARITY


def _relabel(doc: Doc, ents: Sequence[Span], spans: Sequence[Span]) -> None:
    """Put confident place spans into doc.ents, replacing the entities they cover."""
    if not spans:
        return
    kept = [ent for ent in ents if not any(_covers(s, ent) for s in spans)]
    added = [s for s in spans if not any(_overlaps(s, ent) for ent in kept)]
    try:
        doc.ents = sorted([*kept, *added], key=lambda s: s.start)
    except ValueError:  # overlapping entities: leave the NER's analysis as it was
        return


def _covers(outer: Span, inner: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
