"""Matching keys for place names written in many transliterations.

One Arabic name reaches English news in many Latin spellings: Maaret al-Numan, Ma'arrat
an-Nu'man, Maarrat al-Nouman, Maarret enn Naamane. :func:`name_key` maps all of them to
one short key ("mrtnmn") by dropping what transliterations disagree on (articles and
their sun-letter assimilation, apostrophes for ayn and hamza, diacritics, doubled letters,
short and long vowels) and keeping what they agree on: the consonant skeleton and the
first letter of each word. The key is deliberately lossy; a key match only nominates
candidates, which callers rank by how closely the written forms agree (:func:`similarity`).

:func:`arabic_key` does the same for names in Arabic script, and :func:`match_key` picks
the right one for any name. :func:`fold_name` is the light normalisation used to decide
whether a mention is *exactly* one of a place's names (:func:`bare_name` adds: up to
articles and spaces).
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

__all__ = [
    "ARTICLES",
    "arabic_key",
    "bare_name",
    "bare_of_fold",
    "fold_name",
    "has_arabic",
    "key_of_fold",
    "match_key",
    "name_key",
    "similarity",
    "strip_articles",
]

# Arabic's definite article as transliterated, with the sun-letter assimilations
# (an-Nu'man, ash-Shughur, ad-Dana, ez-Zor) and the French "enn" of old maps.
ARTICLES = frozenset(
    "al el il ul an as ad ar at az ash adh ath ed en es er et ez esh edh eth enn the".split()
)

# Marks for ayn and hamza, and the apostrophes that stand in for them.
_APOSTROPHES = "'’‘`´ʿʾʼʻʽˈ′ʔʕ"
# Letters that NFKD does not decompose into a base letter plus a mark.
_LETTERS = {"ı": "i", "ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
_FOLD_TABLE = str.maketrans(
    {
        **dict.fromkeys(_APOSTROPHES, ""),
        **dict.fromkeys("-‐‑‒–—_/,", " "),
        ".": "",
        **_LETTERS,
    }
)
_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w ]+")

# Spellings that differ between English, French and German transliterations of one
# Arabic letter: kh/k (Sheikhoun, Cheykoun), ch/sh (French), dj/j, q/k, ou/u, dh/d.
_DIGRAPHS = {
    "ou": "u",
    "oo": "u",
    "ee": "i",
    "dj": "j",
    "ch": "sh",
    "kh": "k",
    "dh": "d",
    "th": "t",
    "gh": "g",
    "ph": "f",
    "ck": "k",
    "q": "k",
}
_DIGRAPH = re.compile("|".join(sorted(_DIGRAPHS, key=len, reverse=True)))
_DOUBLE = re.compile(r"(.)\1+")
# A final h after a vowel is the taa marbuta (Hamah/Hama, Arihah/Ariha).
_FINAL_H = re.compile(r"(?<=[aeiou])h$")
# Vowels (and the semivowels of diphthongs: Shaykhun/Sheikhun, Zawr/Zor) vary most.
_VOWELS = re.compile(r"[aeiouyw]")
# A word's first letter is kept, but its vowel is only told apart as a / i / u.
_INITIAL = {"e": "i", "o": "u"}


def fold_name(name: str) -> str:
    """Case, diacritics, apostrophes and punctuation removed; words kept.

    "Ma‘arrat an-Nu‘mān" -> "maarrat an numan". Two names with the same fold are the
    same name written with different typography.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = base.casefold().translate(_FOLD_TABLE)
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


def strip_articles(folded: str) -> str:
    """The folded name without articles, unless the name is nothing but articles."""
    words = folded.split()
    kept = [w for w in words if _DOUBLE.sub(r"\1", w) not in ARTICLES]
    return " ".join(kept or words)


@lru_cache(maxsize=65_536)
def name_key(name: str) -> str:
    """A matching key for a Latin-script place name that transliterations agree on.

    Rules, in order: fold (NFKD, no diacritics, lower case, no apostrophes or ayn/hamza
    marks, hyphens as spaces); drop the articles in :data:`ARTICLES` (unless the name is
    only articles); in each word unify transliteration digraphs (ou->u, kh->k, ch->sh,
    q->k, ...), collapse doubled letters, drop a final h after a vowel, keep the first
    letter (a vowel as a / i / u) and drop the vowels and y/w after it; join the words
    without spaces (Kafr Nabl = Kafranbel) and collapse doubled letters again.
    """
    return key_of_fold(fold_name(name))


def key_of_fold(folded: str) -> str:
    """:func:`name_key` of a name already passed through :func:`fold_name`."""
    words = strip_articles(folded).split()
    stems = [_DOUBLE.sub(r"\1", _DIGRAPH.sub(_digraph, w)) for w in words]
    return _DOUBLE.sub(r"\1", "".join(_skeleton(w) for w in stems))


def _digraph(match: re.Match[str]) -> str:
    return _DIGRAPHS[match.group(0)]


def _skeleton(word: str) -> str:
    word = _FINAL_H.sub("", word)
    if not word:
        return ""
    return _INITIAL.get(word[0], word[0]) + _VOWELS.sub("", word[1:])


_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
# Short vowels, shadda, sukun, tanween, superscript alef, Quranic marks; tatweel.
_TASHKEEL = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_TABLE = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ی": "ي",  # Persian yeh
        "ک": "ك",  # Persian kaf
        "ؤ": "و",
        "ئ": "ي",
        "ء": "",
        "-": " ",
        "ـ": "",
    }
)


def has_arabic(name: str) -> bool:
    return _ARABIC_LETTER.search(name) is not None


@lru_cache(maxsize=16_384)
def arabic_key(name: str) -> str:
    """A matching key for an Arabic-script name.

    Strips tashkeel and tatweel, unifies the alef forms, taa marbuta with haa and alef
    maqsura with yaa, drops the hamza carriers and the article "ال" at the start of each
    word, and joins the words ("معرة النعمان" -> "معرهنعمان").
    """
    text = _TASHKEEL.sub("", unicodedata.normalize("NFKC", name).casefold())
    text = text.translate(_ARABIC_TABLE)
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in text.split()]
    return "".join(words)


def match_key(name: str) -> str:
    """The key a gazetteer indexes a name under: :func:`arabic_key` or :func:`name_key`."""
    return arabic_key(name) if has_arabic(name) else name_key(name)


def bare_name(name: str) -> str:
    """The name folded, without articles and spaces: "Ma'arrat an-Nu'man" -> "maarratnuman".

    Two names with the same bare form are the same name (exact match).
    """
    return bare_of_fold(fold_name(name))


def bare_of_fold(folded: str) -> str:
    """:func:`bare_name` of a name already passed through :func:`fold_name`."""
    return strip_articles(folded).replace(" ", "")


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """How closely two bare names (:func:`bare_name`) agree, in [0, 1].

    A key match nominates a candidate; this tells a spelling variant ("saraqeb" for
    "saraqib", 0.86) from an unrelated word that happens to share the key ("hamas" for
    "homs", 0.67). Pairs that cannot reach ``floor`` score 0 without the full comparison,
    which matters because a short key can be shared by hundreds of names.
    """
    if a == b:
        return 1.0
    if 2 * min(len(a), len(b)) < floor * (len(a) + len(b)):
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if floor and matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()
