"""Flattened text dumps -> Article, by a rule-based line classifier.

A page flattened to text keeps its furniture (skip links, menus, paywall pitches, share
buttons, "Most read" lists) between the lines of the story. Every non-blank line gets
one label and the name of the rule that chose it (:func:`classify_lines`). The passes
run in order and an earlier pass wins:

1. cues: date lines, and the patterns of :mod:`sitrep.extract.furniture` for lines that
   are never story text (navigation menus and syndication notes included);
2. blocks: short headings that belong to a paywall pitch or a "Most read" list;
3. metadata: the byline, and captions that say so (label, credit, "This picture");
4. layout: the first headline-like line is the title and the line after it the dek,
   one-sentence scene descriptions are captions, substantive lines are the body, and
   any short heading left over is furniture (teasers, list items, subheads).

The dek is also the lead paragraph: ``Article.paragraphs`` is the article's text as the
page shows it, from the standfirst on, because the standfirst is part of what the
article says and later stages read only the paragraphs. So the dek is both
``subtitle`` and ``paragraphs[0]``, as in the HTML extractor.

Most cues are English (a few French and Arabic ones are listed); the layout pass needs
none, so dumps in other languages still get a title and body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from typing import Literal
from urllib.parse import urlsplit

from sitrep.extract.dates import infer_published
from sitrep.extract.furniture import (
    LIST_OPENERS,
    PITCH_RULES,
    byline_names,
    caption_text,
    describes_picture,
    furniture_cue,
    strip_credits,
)
from sitrep.records import Article

__all__ = ["Label", "Line", "classify_lines", "extract_text", "strip_credits"]

Label = Literal["furniture", "title", "subtitle", "byline", "caption", "body"]

HEADLINE_MAX_WORDS = 25
DEK_MAX_WORDS = 60
CAPTION_MAX_WORDS = 80
SCENE_MAX_WORDS = 45
LONG_LINE_WORDS = 30  # a line this long is body text whatever its punctuation

_TERMINAL = ".!?؟…。"
_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«(["
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u00ad"))  # BOM, zero-width space, soft hyphen
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Line:
    """One non-blank line of a dump, whitespace-normalised, with its label.

    ``kept`` is what goes into the Article (a caption without its credits, a byline
    without "By"); ``removed`` is what goes into ``Article.removed``.
    """

    text: str
    label: Label
    rule: str
    kept: str = ""
    removed: tuple[str, ...] = ()


# --- word lists ----------------------------------------------------------------------

# fmt: off
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "gen", "maj", "col", "lt", "capt", "sgt", "adm", "brig", "sen",
    "rep", "gov", "pres", "prof", "st", "no", "jr", "sr", "vs", "etc", "inc", "co", "corp",
    "ltd", "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec",
})
# Words before a verb form that make it an infinitive or a noun ("to walk", "the rise").
_NOT_A_SUBJECT = frozenset({"to", "will", "would", "can", "could", "may", "might", "must",
                            "should", "shall", "did", "does", "do", "not", "a", "an", "the",
                            "of", "for", "on", "in", "their", "his", "her", "its", "long"})
# fmt: on
# Verbs a caption uses for what a picture shows, in the present tense; forms that are
# also common nouns in war reporting ("patrols", "marches", "rests") are left out.
_VISUAL_VERB = re.compile(
    r"(walk|stand|sit|ride|carr(y|ie)|gather|inspect|billow|rise|wait|sleep|pray|mourn|"
    r"react|salute)s?"
)


# --- line shapes ---------------------------------------------------------------------


def _word_count(line: str) -> int:
    return len(line.split())


def _ending(line: str) -> str:
    return line.rstrip(_CLOSERS)[-1:]


def _sentences(line: str) -> int:
    """Sentence count, not fooled by "Maj. Gen.", "U.S." or "Jan. 28"."""
    tokens = line.split()
    count = 0
    for i, token in enumerate(tokens):
        core = token.rstrip(_CLOSERS)
        if not core or core[-1] not in _TERMINAL:
            continue
        if i + 1 < len(tokens):
            word = core.rstrip(".").lower()
            if core.endswith(".") and (word in _ABBREVIATIONS or len(word) <= 1 or "." in word):
                continue
            if tokens[i + 1].lstrip(_OPENERS)[:1].islower():
                continue
        count += 1
    return max(count, 1) if tokens else 0


def _is_heading(line: str) -> bool:
    """Short and without a sentence's final punctuation (a question may be a headline)."""
    ending = _ending(line)
    return (
        _word_count(line) <= HEADLINE_MAX_WORDS
        and len(line) <= 250
        and (ending not in _TERMINAL or ending in "?!؟")
        and ending not in ",;:-–—|/"
    )


def _is_substantial(line: str) -> bool:
    words = _word_count(line)
    # Scripts written without spaces have few "words" but many characters.
    return words >= LONG_LINE_WORDS or len(line) >= 250 or (words >= 10 and _sentences(line) > 1)


def _is_short_sentence(line: str) -> bool:
    return _ending(line) in _TERMINAL and _word_count(line) >= 3


# A wire lede starts with a dateline ("BEIRUT (Reuters) -"), a dek never does.
_LEDE_DATELINE = re.compile(r"^[A-Z][A-Z'.-]{2,}(,? [A-Z][\w'.-]*){0,3} ?(\([^()]{1,30}\))? ?[-—–]")


def _is_dek(line: str) -> bool:
    words = _word_count(line)
    if words < 4 or words > DEK_MAX_WORDS or _LEDE_DATELINE.match(line):
        return False
    sentences = _sentences(line)
    return _is_heading(line) or sentences == 1 or (sentences == 2 and words <= 30)


def _is_scene(line: str) -> bool:
    """One short sentence describing what a picture shows: "A man walks past ..."."""
    if _ending(line) != "." or _word_count(line) > SCENE_MAX_WORDS or _sentences(line) > 1:
        return False
    if any(quote in line for quote in '"“”«»'):
        return False  # quoted speech is reporting, not a picture
    tokens = [token.strip(",;:").lower() for token in line.split()[:10]]
    return any(
        _VISUAL_VERB.fullmatch(t) and tokens[i - 1] not in _NOT_A_SUBJECT
        for i, t in enumerate(tokens)
        if i
    )


# --- captions -----------------------------------------------------------------------


def _explicit_caption(line: str) -> Line | None:
    """A line that says it is a caption: a label, a photo credit, "This picture ..."."""
    if _word_count(line) > CAPTION_MAX_WORDS:
        return None
    text, credits = strip_credits(line)
    if not text:
        return Line(line, "furniture", "photo-credit", removed=credits)
    if (unlabelled := caption_text(text)) is not None:
        rule, text = "caption-label", unlabelled
    elif credits:
        rule = "photo-credit"
    elif describes_picture(text) and _sentences(text) <= 2:
        rule = "picture-description"
    else:
        return None
    if not text:
        return _furniture(line, "empty-caption")
    return Line(line, "caption", rule, kept=text, removed=credits)


# --- the passes ----------------------------------------------------------------------

_Tags = list[Line | None]


def _furniture(line: str, rule: str) -> Line:
    return Line(line, "furniture", rule, removed=(line,))


def _split_lines(text: str) -> list[str]:
    """Non-blank lines, whitespace collapsed (tabs, NBSP), BOM and control chars gone."""
    cleaned = (_CONTROL.sub(" ", raw.translate(_INVISIBLE)) for raw in text.splitlines())
    return [line for line in (" ".join(raw.split()) for raw in cleaned) if line]


def _mark_cues(lines: Sequence[str], tags: _Tags) -> None:
    for i, line in enumerate(lines):
        if rule := furniture_cue(line):
            tags[i] = _furniture(line, rule)


def _mark_list_blocks(lines: Sequence[str], tags: _Tags) -> None:
    """Headings listed under a bare "Most read" or "Related" are teasers for other stories."""
    inside = False
    for i, line in enumerate(lines):
        tag = tags[i]
        if tag is None and inside and _is_heading(line):
            tags[i] = _furniture(line, "list-item")
        elif tag is None:
            inside = False
        elif tag.rule in LIST_OPENERS:
            inside = _word_count(line) <= 5 and ":" not in line.rstrip(":")
        elif tag.rule != "no-letters":  # list numbering does not end the list
            inside = False


def _mark_pitch_headlines(lines: Sequence[str], tags: _Tags) -> None:
    """A short heading just above a paywall pitch is the pitch's own headline."""
    story = (i for i, line in enumerate(lines) if tags[i] is None and _is_substantial(line))
    first_body = next(story, len(lines))
    run = 0  # pitch lines right below line i
    for i in range(len(lines) - 1, -1, -1):
        tag, line = tags[i], lines[i]
        # Above the story a lone "Subscribe" button may follow the real title: there,
        # only a block of pitch lines claims the heading above it.
        claimed = run and (i > first_body or run >= 2)
        if tag is None and claimed and _is_heading(line) and _word_count(line) <= 12:
            tag = tags[i] = _furniture(line, "pitch-headline")
        run = run + 1 if tag is not None and tag.rule in PITCH_RULES else 0


def _metadata(line: str, have_byline: bool) -> Line | None:
    if names := byline_names(line):
        if have_byline:
            return _furniture(line, "extra-byline")
        return Line(line, "byline", "byline", kept=names)
    return _explicit_caption(line)


def _mark_metadata(lines: Sequence[str], tags: _Tags) -> None:
    have_byline = False
    for i, line in enumerate(lines):
        if tags[i] is None and (tag := _metadata(line, have_byline)):
            tags[i] = tag
            have_byline = have_byline or tag.label == "byline"


def _mark_title_and_dek(lines: Sequence[str], tags: _Tags) -> None:
    """The first headline-like line before the body is the title; the line after, the dek.

    The story starts at its title: a short sentence above it is a promo or a notice, not
    a paragraph ("Breaking news.", "You are reading a free article.").
    """
    open_lines = [i for i, tag in enumerate(tags) if tag is None]
    first_body = next((i for i in open_lines if _is_substantial(lines[i])), len(lines))
    above: list[int] = []
    for i in open_lines:
        line = lines[i]
        if _is_masthead(line, lines, open_lines, i, first_body):
            tags[i] = _furniture(line, "masthead")
            continue
        if _is_heading(line) and _word_count(line) >= 3:
            tags[i] = Line(line, "title", "headline", kept=line)
            for k in above:
                tags[k] = _furniture(lines[k], "above-title")
            _mark_dek(lines, tags, i + 1)
            return
        if i >= first_body:
            return
        if _is_heading(line):  # one or two words above the title: a section name
            tags[i] = _furniture(line, "section-label")
        elif not _is_scene(line):  # a picture may stand above the headline
            above.append(i)


def _is_masthead(
    line: str, lines: Sequence[str], open_lines: Sequence[int], i: int, first_body: int
) -> bool:
    """The outlet's name in capitals above the headline ("THE CEDAR POST"): a short line of
    capitals, with a headline of ordinary case still to come before the story."""
    letters = [ch for ch in line if ch.isalpha()]
    if not letters or not all(ch.isupper() for ch in letters):
        return False
    if not 2 <= _word_count(line) <= 5:  # one word in capitals is a section ("ANALYSIS")
        return False
    later = [k for k in open_lines if i < k < first_body]
    return any(
        _is_heading(lines[k]) and _word_count(lines[k]) >= 3 and not lines[k].isupper()
        for k in later
    )


def _mark_dek(lines: Sequence[str], tags: _Tags, j: int) -> None:
    # Furniture may sit between title and dek; a byline or a date line ends the header.
    while (
        j < len(lines) and (tag := tags[j]) and tag.label == "furniture" and tag.rule != "dateline"
    ):
        j += 1
    # A title and a single paragraph are a brief: the paragraph is its body, not a dek.
    body_follows = any(
        tag is None and _is_substantial(lines[k]) for k, tag in enumerate(tags) if k > j
    )
    if j < len(lines) and tags[j] is None and _is_dek(lines[j]) and body_follows:
        tags[j] = Line(lines[j], "subtitle", "dek", kept=lines[j])


def _mark_body(lines: Sequence[str], tags: _Tags) -> None:
    for i, line in enumerate(lines):
        if tags[i] is None and _is_scene(line):
            tags[i] = Line(line, "caption", "scene", kept=line)
        elif tags[i] is None and (_is_substantial(line) or _is_short_sentence(line)):
            tags[i] = Line(line, "body", "paragraph", kept=line)
    last_body = max((i for i, tag in enumerate(tags) if tag and tag.label == "body"), default=-1)
    for i, line in enumerate(lines):
        if tags[i] is None:  # subheads, teasers, pitch lines no cue knows
            where = "trailing" if i > last_body else "stray"
            tags[i] = _furniture(line, f"{where}-heading" if _is_heading(line) else "fragment")


def classify_lines(text: str) -> list[Line]:
    """Every non-blank line of ``text`` with its label and the rule that chose it."""
    lines = _split_lines(text)
    tags: _Tags = [None] * len(lines)
    _mark_cues(lines, tags)
    _mark_list_blocks(lines, tags)
    _mark_pitch_headlines(lines, tags)
    _mark_metadata(lines, tags)
    _mark_title_and_dek(lines, tags)
    _mark_body(lines, tags)
    return [tag for tag in tags if tag is not None]


# --- the Article ---------------------------------------------------------------------

_STORY = ("subtitle", "body")  # the paragraphs: the dek leads them (see the module docstring)


def _host(url: str | None) -> str | None:
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:  # a malformed URL names no site
        return None
    return host.removeprefix("www.") if host else None


def _publication(
    given: date | datetime | None, lines: Sequence[Line]
) -> tuple[date | datetime | None, bool]:
    if given is not None:
        return given, False
    # A date line or a dated byline says exactly when the page was published; only
    # without one is the date inferred from the dates the story mentions.
    stamps = [line.text for line in lines if line.rule == "dateline" or line.label == "byline"]
    texts = [line.text for line in lines if line.label != "furniture"]
    story_year = infer_published(texts)
    inferred = infer_published(
        stamps, default_year=story_year.year if story_year else None
    ) or infer_published([*stamps, *texts])
    return inferred, inferred is not None


def extract_text(
    text: str,
    *,
    url: str | None = None,
    published: date | datetime | None = None,
    site: str | None = None,
) -> Article:
    """The article in a flattened text dump; an Article without paragraphs if none."""
    lines = classify_lines(text)

    def first(label: Label) -> str | None:
        return next((line.kept for line in lines if line.label == label), None)

    when, inferred = _publication(published, lines)
    return Article(
        title=first("title"),
        subtitle=first("subtitle"),
        byline=first("byline"),
        published=when,
        published_inferred=inferred,
        site=site or _host(url) or _masthead(lines),
        url=url,
        language=None,
        captions=tuple(line.kept for line in lines if line.label == "caption"),
        paragraphs=tuple(line.kept for line in lines if line.label in _STORY),
        removed=tuple(item for line in lines for item in line.removed),
    )


def _masthead(lines: list[Line]) -> str | None:
    """The outlet's name as a dump keeps it: a short title-case line among the page's
    opening furniture, just before its navigation ("EastMed Review", then "Menu")."""
    opening = [line for line in lines[:_MASTHEAD_SCAN] if line.label == "furniture"]
    for line, after in pairwise(opening):
        words = line.text.split()
        if line.rule == "masthead":
            return line.text.title()  # "THE CEDAR POST": The Cedar Post
        if (
            line.rule == "section-label"
            and after.rule == "navigation"
            and 1 <= len(words) <= 4
            and not line.text.isupper()
            and all(w[0].isupper() for w in words)
        ):
            return line.text
    return None


_MASTHEAD_SCAN = 6
