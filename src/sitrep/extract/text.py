"""Flattened text dumps -> Article, by a rule-based line classifier.

A page flattened to text keeps its furniture (skip links, paywall pitches, share
buttons, "Most read" lists) between the lines of the story. Every non-blank line gets
one label and the name of the rule that chose it (:func:`classify_lines`). The passes
run in order and an earlier pass wins:

1. cues: a table of patterns for lines that are never story text;
2. blocks: short headings that belong to a paywall pitch or a "Most read" list;
3. metadata: byline, date lines, captions that say so (label, credit, "This picture");
4. layout: the first headline-like line is the title and the line after it the dek,
   one-sentence scene descriptions are captions, substantive lines are the body, and
   any short heading left over is furniture (teasers, list items, subheads).

English cues do not match other languages (a few French and Arabic ones are listed);
the layout pass needs none, so French and Arabic dumps still get a title and body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from urllib.parse import urlsplit

from sitrep.extract.dates import date_spans, infer_published, is_date_line
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


# --- cue tables ----------------------------------------------------------------------

_RELATED = (
    r"related( articles| stories| coverage| content| topics| links)?|read more|read also|"
    r"also read|see also|more (from|on|in) [^.!?:]{1,40}|recommended( for you)?|"
    r"most (read|popular|viewed|shared)|trending( now)?|editor'?s picks|"
    r"you (may|might) also (like|be interested in)|(à )?lire aussi|voir aussi|"
    "اقرأ أيضا\u064b?|اقرأ المزيد|مواضيع ذات صلة"
)
_AGENCIES = (
    r"AFP|AP|Reuters|REUTERS|EPA|EPA-EFE|Getty Images|Anadolu Agency|Anadolu|SANA|"
    "Xinhua|dpa|DPA|UNICEF|UNHCR|أ ف ب|أ.ف.ب|رويترز|الأناضول|غيتي"
)
# (rule, max words, pattern): a cue only applies to lines of at most that many words,
# because body paragraphs that happen to start with "Subscribe" or "Related" are long.
# fmt: off
_CUE_TABLE: tuple[tuple[str, int, str], ...] = (
    ("skip-link", 12, r"^(skip|jump|go) to (the )?(main )?(content|navigation|search|menu)\b"),
    ("skip-link", 12, r"^aller au contenu( principal)?$"),
    ("language-switch", 5, r"^(read( this)?( article| story)? in|lire en|also available in)"
                           r"(\s+\S+){0,2}$"),
    ("language-switch", 12, r"^(english|français|عربي|العربية|türkçe|español)"
                            r"(\s*[|/·]\s*(english|français|عربي|العربية|türkçe|español))*$"),
    ("paywall", 12, r"^only [$€£]\s?\d[\d.,]*( \w+)? (per|a|/) ?(year|month|week)\b"),
    ("paywall", 40, r"^join (our|the) (community|\d[\d,.]*( million)? readers)\b"),
    ("paywall", 15, r"^(get |gain )?(unlimited )?access (to )?(the|all|our|every)\b"),
    ("paywall", 15, r"^(subscribe|unlock|abonnez-vous|je m'abonne|déjà abonné)\b"),
    ("paywall", 12, r"^already (a|an) (subscriber|member)\b"),
    ("paywall", 25, r"^(become a (member|subscriber)|start (your )?free trial|donate\b|"
                    r"support (our|independent) journalism|you have reached your (limit|free)|"
                    r"to continue reading|this (article|content) is (for|available to))"),
    ("share", 12, r"^(share|tweet|pin)( this( article| story| page)?)?( on| via| to)?"
                  r"( (facebook|twitter|x|whatsapp|linkedin|telegram|e-?mail|reddit))?:?$"),
    ("share", 12, r"^(facebook|twitter|whatsapp|linkedin|telegram|reddit|copy link|"
                  r"click to share\b.*|partager|partagez\b.*|شارك.*)$"),
    ("cookie", 120, r"^(we|this (web)?site) uses? cookies\b"),
    ("cookie", 12, r"^(accept|accept all( cookies)?|reject all|decline|i agree|got it|ok|"
                   r"manage (cookie )?(preferences|settings|options)|privacy policy|terms of use|"
                   r"cookie (settings|preferences|policy)|terms (of service|and conditions))$"),
    ("newsletter", 25, r"^(sign up|subscribe|register)\b.{0,60}\bnewsletters?\b"),
    ("newsletter", 12, r"^((get|receive) .{0,60}\b(newsletter|in your inbox)\b|newsletters?$)"),
    ("follow", 12, r"^(follow (us|@\w+|\w+( \w+)?) on\b|تابع(نا|ونا) على)"),
    ("advertisement", 12, r"^(advertisement|advertising|advert|ad|sponsored( content)?|"
                          r"scroll( down)? to continue( with content)?|"
                          r"story continues below( advertisement)?|publicité|إعلان)$"),
    ("copyright", 30, r"^(©|\(c\)|copyright\b)|\ball rights reserved\b|جميع الحقوق محفوظة"),
    ("related", 25, rf"^({_RELATED})\s*([:|»›\-–—].*)?$"),
    ("tags", 40, r"^(tags|topics|filed under|categories|keywords|mots-clés|sujets)\s*(:.*)?$"),
    ("account", 12, r"^(log ?in|login|sign ?in|register|sign up|create (an |your )?account|"
                    r"my account|log ?out|sign out|se connecter|s'inscrire)"
                    r"(\s*[|/]\s*(log ?in|register|sign ?up|sign ?in))?$"),
    ("button", 12, r"^(print|print this (page|article)|e-?mail|e-?mail this( article)?|save|"
                   r"save (article|for later)|bookmark|comments?|\d+ comments?|listen|"
                   r"listen to (this )?article|download|font size|text size|imprimer|envoyer)$"),
    ("navigation", 12, r"^(menu|home|search|close|back to top|top|next|previous|show more|"
                       r"load more|more|open menu|close menu|accueil|rechercher)$"),
    ("navigation", 12, r"^[^.!?]{1,40}(\s[>›»/]\s[^.!?]{1,40})+$"),  # Home > World > Syria
    ("read-time", 12, r"^\d+\s*(min|mins|minutes?)( read)?$"),
    ("agency-credit", 30, r"^(additional )?(reporting|writing|editing|compiled|translated) by\b"),
)
_LIST_OPENERS = ("related", "tags")  # alone on a line, they head a list of teasers
_PITCH = ("paywall", "pitch-headline")
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "gen", "maj", "col", "lt", "capt", "sgt", "adm", "brig", "sen",
    "rep", "gov", "pres", "prof", "st", "no", "jr", "sr", "vs", "etc", "inc", "co", "corp",
    "ltd", "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec",
})
_NAME_PARTICLES = frozenset({"and", "&", "de", "du", "la", "le", "al", "el", "van", "von",
                             "der", "bin", "ibn", "abu", "et", "via", "for"})
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
_FURNITURE_CUES = tuple((rule, n, re.compile(p, re.IGNORECASE)) for rule, n, p in _CUE_TABLE)


def _furniture_cue(line: str) -> str | None:
    if is_date_line(line):  # before the cues: "February 6, 2020 / 11:42 AM" is no breadcrumb
        return "dateline"
    if not any(ch.isalpha() for ch in line):
        return "no-letters"  # separators, counters, page numbers
    words = _word_count(line)
    return next((rule for rule, n, cue in _FURNITURE_CUES if words <= n and cue.search(line)), None)


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


# --- bylines ------------------------------------------------------------------------

_BYLINE = re.compile(r"^(?:by|par|بقلم)\s*:?\s+(?P<names>.+)$", re.IGNORECASE)
_BYLINE_END = re.compile(r"\s+(?:[|•·—–-]|in|à|updated|published)\s+|\s*\|\s*", re.IGNORECASE)


def _byline_names(line: str) -> str | None:
    match = _BYLINE.match(line) if _word_count(line) <= 16 else None
    if match is None:
        return None
    names = _BYLINE_END.split(match["names"], maxsplit=1)[0]
    if spans := date_spans(names):  # "By Jane Doe, February 4, 2020"
        names = names[: spans[0][0]]
    words = names.strip(" ,;:-–—").split()
    # "By the time troops arrived, ..." is a sentence, not a byline.
    lower = [w for w in words if w[0].islower() and w not in _NAME_PARTICLES]
    if not words or len(words) > 10 or any(not w.startswith("al-") for w in lower):
        return None
    return " ".join(words)


# --- captions and photo credits ------------------------------------------------------

_CREDIT_WORDS = r"photo|photograph|picture|image|file photo|photo credit|credit|crédit"
_CREDIT_PATTERNS = (
    # (Photo by X / AFP), (Photo: X), [Photo credit: X]
    re.compile(rf"[(\[]\s*(?:{_CREDIT_WORDS})s?\b[^()\[\]]{{0,120}}[)\]]$", re.IGNORECASE),
    # (AFP), (X/AFP), (AFP via Getty Images), (أ ف ب)
    re.compile(
        rf"[(\[](?:[^()\[\]]{{0,60}}/ ?)?(?:{_AGENCIES})(?: via Getty Images)?"
        r"(?: ?/[^()\[\]]{1,40})?[)\]]$"
    ),
    # REUTERS/Khalil Name, AP Photo/Name
    re.compile(r"\b(?:REUTERS|Reuters|AFP|AP Photo|EPA)/[^/.()\s][^/.()]{0,60}$"),
)
# "Photo: X/Reuters" is a credit only when what follows the colon reads like a name:
# "Photo: Families wait ..." is a labelled caption.
_LABEL_CREDIT = re.compile(rf"\b(?:{_CREDIT_WORDS})s?\s?:\s?(?P<who>[^.:()]{{1,80}})$", re.I)
_CAPTION_LABEL = re.compile(
    r"^(?:(?:photo |image )?caption|légende|photo|image|picture|photograph)\s?:\s*", re.I
)
_PICTURE = re.compile(
    r"^(?:(?:this|a|an|the|in this|in a)\s+)?(?:\w+\s+){0,2}(?:picture|photo|photograph|"
    r"image|video grab|screen grab|handout)s?\b[^.]{0,120}?\b(?:taken|shows?|showing|"
    r"released|made available|obtained)\b",
    re.IGNORECASE,
)


def _looks_like_credit(who: str) -> bool:
    words = who.replace("/", " / ").split()
    names = (not w[0].isalpha() or w[0].isupper() or w in _NAME_PARTICLES for w in words)
    return 0 < len(words) <= 12 and all(names)


def _trailing_credit(text: str) -> int | None:
    """Where a photo credit at the end of ``text`` starts, if there is one."""
    offset = max(0, len(text) - 300)  # credits are short: never scan a whole long line
    tail = text[offset:]
    for pattern in _CREDIT_PATTERNS:
        if (match := pattern.search(tail)) and (
            offset + match.start() == 0 or text[offset + match.start() - 1].isspace()
        ):
            return offset + match.start()
    if (match := _LABEL_CREDIT.search(tail)) and _looks_like_credit(match["who"]):
        before = text[: offset + match.start()].rstrip()
        if not before or before[-1] in ".!?)]|–—-":
            return offset + match.start()
    return None


def strip_credits(caption: str) -> tuple[str, tuple[str, ...]]:
    """Split the photo credits off the end of a caption: (caption, credits in order)."""
    text = caption.strip()
    credits: list[str] = []
    while (start := _trailing_credit(text)) is not None:
        credits.insert(0, text[start:].strip())
        text = text[:start].rstrip()
    return text, tuple(credits)


def _explicit_caption(line: str) -> Line | None:
    """A line that says it is a caption: a label, a photo credit, "This picture ..."."""
    if _word_count(line) > CAPTION_MAX_WORDS:
        return None
    text, credits = strip_credits(line)
    if not text:
        return Line(line, "furniture", "photo-credit", removed=credits)
    if labelled := _CAPTION_LABEL.match(text):
        rule, text = "caption-label", text[labelled.end() :]
    elif credits:
        rule = "photo-credit"
    elif _PICTURE.match(text) and _sentences(text) <= 2:
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
        if rule := _furniture_cue(line):
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
        elif tag.rule in _LIST_OPENERS:
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
        run = run + 1 if tag is not None and tag.rule in _PITCH else 0


def _metadata(line: str, have_byline: bool) -> Line | None:
    if names := _byline_names(line):
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
    """The first headline-like line before the body is the title; the line after, the dek."""
    open_lines = [i for i, tag in enumerate(tags) if tag is None]
    first_body = next((i for i in open_lines if _is_substantial(lines[i])), len(lines))
    for i in open_lines:
        line = lines[i]
        if _is_heading(line) and _word_count(line) >= 3:
            tags[i] = Line(line, "title", "headline", kept=line)
            _mark_dek(lines, tags, i + 1)
            return
        if i >= first_body:
            return
        if _is_heading(line):  # one or two words above the title: a section name
            tags[i] = _furniture(line, "section-label")


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
    # Date lines are furniture but say exactly when the page was published.
    texts = [line.text for line in lines if line.label != "furniture" or line.rule == "dateline"]
    inferred = infer_published(texts)
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
        site=site or _host(url),
        url=url,
        language=None,
        captions=tuple(line.kept for line in lines if line.label == "caption"),
        paragraphs=tuple(line.kept for line in lines if line.label == "body"),
        removed=tuple(item for line in lines for item in line.removed),
    )
