"""Page furniture in flattened text: the cue tables, menus, bylines and photo credits.

:func:`furniture_cue` names the rule that makes a line furniture whatever surrounds it
(skip links, paywall pitches, share buttons, navigation menus, syndication notes);
:func:`byline_names` reads a byline; :func:`strip_credits` splits photo credits off a
caption. :mod:`sitrep.extract.text` decides everything that depends on a line's
neighbours.

Cues are English, with a few French and Arabic ones. Arabic is matched with its
optional vowel marks and tatweel removed ("تخطَّ" and "تخط" are one word), so the
Arabic patterns below are written without them.
"""

from __future__ import annotations

import re

from sitrep.extract.dates import date_spans, is_date_line

__all__ = [
    "LIST_OPENERS",
    "NAME_PARTICLES",
    "PITCH_RULES",
    "byline_names",
    "caption_text",
    "describes_picture",
    "furniture_cue",
    "is_menu",
    "strip_credits",
]

LIST_OPENERS = ("related", "tags")  # alone on a line, they head a list of teasers
PITCH_RULES = ("paywall", "pitch-headline")
NAME_PARTICLES = frozenset({"and", "&", "de", "du", "la", "le", "al", "el", "van", "von",
                            "der", "bin", "ibn", "abu", "et", "via", "for"})  # fmt: skip

# Arabic vowel marks, Quranic marks and the tatweel: optional in writing.
_ARABIC_MARKS = dict.fromkeys(
    [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, 0x0640, *range(0x06D6, 0x06EE)]
)


def _fold(line: str) -> str:
    return line.translate(_ARABIC_MARKS)


# --- cue tables ----------------------------------------------------------------------

_RELATED = (
    r"related( articles| stories| coverage| content| topics| links)?|read more|read also|"
    r"also read|see also|more (from|on|in) [^.!?:]{1,40}|recommended( for you)?|"
    r"most (read|popular|viewed|shared)|trending( now)?|editor'?s picks|"
    r"you (may|might) also (like|be interested in)|(à )?lire aussi|voir aussi|"
    r"[اأ]قر[اأ] [اأ]يضا|[اأ]قر[اأ] المزيد|(مواضيع|مقالات|[اأ]خبار|قصص) ذات صلة"
)
_SOCIAL = (
    r"facebook|twitter|x|whatsapp|linkedin|telegram|e-?mail|reddit|pinterest|messenger|"
    r"copy link|فيسبوك|فيس بوك|تويتر|واتساب|واتس اب|تلغرام|تيليغرام|لينكد ?[اإ]ن"
)
# (rule, max words, pattern): a cue only applies to lines of at most that many words,
# because body paragraphs that happen to start with "Subscribe" or "Related" are long.
# fmt: off
_CUE_TABLE: tuple[tuple[str, int, str], ...] = (
    ("skip-link", 12, r"^(skip|jump|go) to (the )?(main )?(content|navigation|search|menu)\b"),
    ("skip-link", 12, r"^aller au contenu( principal)?$"),
    ("skip-link", 8, r"^(تخط[ىي]?|انتقل|اذهب) (إلى|الى) (المحتوى|القائمة|البحث)( الرئيسي)?$"),
    ("language-switch", 10, r"^(read( this)?( article| story)? in|lire en|also available in|"
                            r"[اأ]قر[اأ] (ب|باللغة))\b\s*:?(\s*[^\s|/·]+"
                            r"(\s*[|/·]\s*[^\s|/·]+|\s+[^\s|/·]+){0,4})?$"),
    ("language-switch", 12, r"^(english|français|عربي|العربية|türkçe|español)"
                            r"(\s*[|/·]\s*(english|français|عربي|العربية|türkçe|español))*$"),
    ("syndication-note", 40, r"^((a version of )?this (article|story|piece|post|column) "
                             r"(was |is |has been )?(first |originally )?"
                             r"(appeared|published|ran|posted|republished)\b|"
                             r"(first|originally) (published|appeared) (on|in|by|at)\b|"
                             r"republished (with permission )?(from|by|courtesy of)\b|"
                             r"cet article a (d'abord |initialement )?été publié\b|"
                             r"(نشر|ظهر) (هذا )?(المقال|التقرير|الخبر) "
                             r"([اأ]ولا|في ال[اأ]صل|ل[اأ]ول مرة))"),
    ("newsletter", 25, r"^(sign up|subscribe|register)\b.{0,60}\bnewsletters?\b"),
    ("newsletter", 12, r"^((get|receive) .{0,60}\b(newsletter|in your inbox)\b|newsletters?$)"),
    ("newsletter", 25, r"\b(to|in|into) your inbox\b"),
    ("newsletter", 4, r"^((enter )?(your )?e-?mail address|enter your e-?mail)$"),
    ("newsletter", 12, r"(نشرت(نا|ها)|النشرة) (البريدية|ال[اإ]خبارية)|بريدك ال[اإ]لكتروني"),
    ("paywall", 12, r"^only [$€£]\s?\d[\d.,]*( \w+)? (per|a|/) ?(year|month|week)\b"),
    ("paywall", 40, r"^join (our|the) (community|\d[\d,.]*( million)? readers)\b"),
    ("paywall", 15, r"^(get |gain )?(unlimited )?access (to )?(the|all|our|every)\b"),
    ("paywall", 15, r"^(subscribe|unlock|abonnez-vous|je m'abonne|déjà abonné)\b"),
    # Short only: the verb also means "took part" ("اشترك مقاتلون في ...").
    ("paywall", 3, r"^(اشترك|اشتركوا|اشتراك)\b"),
    ("paywall", 12, r"^already (a|an) (subscriber|member)\b"),
    ("paywall", 25, r"^(become a (member|subscriber)|start (your )?free trial|donate\b|"
                    r"support (our|independent) journalism|you have reached your (limit|free)|"
                    r"to continue reading|this (article|content) is (for|available to))"),
    ("share", 12, r"^(share|tweet|pin)( this( article| story| page)?)?( on| via| to)?"
                  r"( (facebook|twitter|x|whatsapp|linkedin|telegram|e-?mail|reddit))?:?$"),
    ("share", 12, r"^(facebook|twitter|whatsapp|linkedin|telegram|reddit|copy link|"
                  r"click to share\b.*|partager|partagez\b.*|شارك.*)$"),
    ("share", 12, rf"^({_SOCIAL})((\s*[|/·•,]\s*|\s+)({_SOCIAL}))+$"),
    ("cookie", 120, r"^(we|this (web)?site) uses? cookies\b"),
    ("cookie", 12, r"^(accept|accept all( cookies)?|reject all|decline|i agree|got it|ok|"
                   r"manage (cookie )?(preferences|settings|options)|privacy policy|terms of use|"
                   r"cookie (settings|preferences|policy)|terms (of service|and conditions))$"),
    ("cookie", 60, r"ملفات تعريف ال[اإ]رتباط|الكوكيز"),
    ("cookie", 3, r"^(موافق|[اأ]وافق|قبول|قبول الكل|رفض)$"),
    ("follow", 12, r"^(follow (us|@\w+|\w+( \w+)?) on\b|تابع(نا|ونا) على)"),
    ("advertisement", 12, r"^(advertisement|advertising|advert|ad|sponsored( content)?|"
                          r"scroll( down)? to continue( with content)?|"
                          r"story continues below( advertisement)?|publicité|إعلان|إعلانات)$"),
    ("copyright", 30, r"^(©|\(c\)|copyright\b)|\ball rights reserved\b|جميع الحقوق محفوظة"),
    ("related", 25, rf"^({_RELATED})\s*([:|»›\-–—].*)?$"),
    ("tags", 40, r"^(tags|topics|filed under|categories|keywords|mots-clés|sujets)\s*(:.*)?$"),
    ("account", 12, r"^(log ?in|login|sign ?in|register|sign up|create (an |your )?account|"
                    r"my account|log ?out|sign out|se connecter|s'inscrire)"
                    r"(\s*[|/]\s*(log ?in|register|sign ?up|sign ?in|subscribe))?$"),
    ("button", 12, r"^(print|print this (page|article)|e-?mail|e-?mail this( article)?|save|"
                   r"save (article|for later)|bookmark|comments?|\d+ comments?|listen|"
                   r"listen to (this )?article|download|font size|text size|imprimer|envoyer)$"),
    ("navigation", 12, r"^(menu|home|search|close|back to top|top|next|previous|show more|"
                       r"load more|more|open menu|close menu|accueil|rechercher)$"),
    ("navigation", 12, r"^[^.!?]{1,40}(\s[>›»/]\s[^.!?]{1,40})+$"),  # Home > World > Syria
    ("read-time", 12, r"^\d+\s*(min|mins|minutes?)( read)?$"),
    ("agency-credit", 30, r"^(additional )?(reporting|writing|editing|compiled|translated) by\b"),
)
# The names of a news site's sections, as a menu lists them: lower case, and Arabic
# without its article "ال".
_SECTIONS = frozenset("""
    home news latest live world region regions local national international politics economy
    business markets finance money energy climate environment science technology tech health
    education culture arts books lifestyle life style travel food sport sports football
    weather opinion opinions comment analysis features investigations interviews podcast
    podcasts video videos photos multimedia newsletters subscribe about contact advertise terms
    privacy careers jobs events archive topics more search menu account login us uk europe
    africa asia americas middle east security defence defense diplomacy society media
    entertainment obituaries editorials columns blogs puzzles games shop donate help
    accueil actualités monde france politique économie société idées débats planète sciences
    vidéos régions abonnement
    رئيسية أخبار اخبار سياسة اقتصاد رياضة ثقافة رأي آراء تحليلات تحليل منوعات فيديو صحة علوم
    تكنولوجيا عالم عربي دولي محليات تقارير مقالات بودكاست اشترك
""".split())
# fmt: on
_FURNITURE_CUES = tuple((rule, n, re.compile(p, re.IGNORECASE)) for rule, n, p in _CUE_TABLE)
_MENU_SEPARATOR = re.compile(r"\s+[|·•/]\s+|\s*[|·•]\s*")
_MENU_PUNCTUATION = frozenset(".!?؟,;:()[]\"“”«»'’")
MENU_MAX_WORDS = 25


def _section_word(word: str) -> bool:
    word = word.casefold()
    return word in _SECTIONS or (word.startswith("ال") and word[2:] in _SECTIONS)


def is_menu(line: str) -> bool:
    """A navigation menu: three or more short capitalised items, mostly section names.

    "Home Analysis Politics Economy Podcasts Subscribe", "About | Contact | Terms",
    "الرئيسية سياسة اقتصاد رياضة"; never a sentence, so no sentence punctuation.
    """
    line = _fold(line)
    if len(line.split()) > MENU_MAX_WORDS or any(ch in _MENU_PUNCTUATION for ch in line):
        return False
    parts = _MENU_SEPARATOR.split(line)
    words = [w for w in line.split() if w != "&"]  # "Arts & Culture"
    items = [part.split() for part in parts] if len(parts) > 1 else [[w] for w in words]
    items = [[w for w in item if w != "&"] for item in items]
    if len(items) < 3 or any(not item or len(item) > 3 for item in items):
        return False
    if any(not w[0].isalpha() or w[0].islower() for item in items for w in item):
        return False
    hits = sum(any(_section_word(w) for w in item) for item in items)
    return hits >= 2 and 2 * hits >= len(items)


def furniture_cue(line: str) -> str | None:
    """The rule that makes ``line`` furniture wherever it stands, or None."""
    if is_date_line(line):  # before the cues: "February 6, 2020 / 11:42 AM" is no breadcrumb
        return "dateline"
    if not any(ch.isalpha() for ch in line):
        return "no-letters"  # separators, counters, page numbers
    words = len(line.split())
    folded = _fold(line)
    rule = next((r for r, n, cue in _FURNITURE_CUES if words <= n and cue.search(folded)), None)
    return rule or ("navigation" if is_menu(line) or _is_switch(line) else None)


def _is_switch(line: str) -> bool:
    """A row of one- or two-word links between bars: "English Edition | Türkçe",
    "Sign in | Subscribe". A headline with a section label before a bar ("Analysis | Why
    Idlib matters") has a longer part."""
    parts = [part.split() for part in line.split("|")]
    return (
        len(parts) >= 2
        and all(1 <= len(part) <= 2 for part in parts)
        and not any(ch in _MENU_PUNCTUATION for ch in line)
    )


# --- bylines ------------------------------------------------------------------------

_BYLINE = re.compile(r"^(?:by|par|بقلم)\s*:?\s+(?P<names>.+)$", re.IGNORECASE)
_BYLINE_END = re.compile(r"\s+(?:[|•·—–-]|in|à|updated|published)\s+|\s*\|\s*", re.IGNORECASE)
BYLINE_MAX_WORDS = 16


def byline_names(line: str) -> str | None:
    """The names in a byline ("By Jane Doe in Beirut" -> "Jane Doe"), or None."""
    match = _BYLINE.match(line) if len(line.split()) <= BYLINE_MAX_WORDS else None
    if match is None:
        return None
    names = _BYLINE_END.split(match["names"], maxsplit=1)[0]
    if spans := date_spans(names):  # "By Jane Doe, February 4, 2020"
        names = names[: spans[0][0]]
    words = names.strip(" ,;:-–—").split()
    # "By the time troops arrived, ..." is a sentence, not a byline.
    lower = [w for w in words if w[0].islower() and w not in NAME_PARTICLES]
    if not words or len(words) > 10 or any(not w.startswith("al-") for w in lower):
        return None
    return " ".join(words)


# --- captions and photo credits ------------------------------------------------------

_AGENCIES = (
    r"AFP|AP|Reuters|REUTERS|EPA|EPA-EFE|Getty Images|Anadolu Agency|Anadolu|SANA|"
    "Xinhua|dpa|DPA|UNICEF|UNHCR|أ ف ب|أ.ف.ب|رويترز|الأناضول|غيتي"
)
_CREDIT_WORDS = (
    r"photo|photograph|picture|image|file photo|photo credit|credit|crédit|"
    r"تصوير|صورة|الصورة|مصدر الصورة"
)
_CREDIT_PATTERNS = (
    # (Photo by X / AFP), (Photo: X), [Photo credit: X], (تصوير: X)
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
    r"released|made available|obtained)\b"
    # صورة التقطت ... تظهر: "a picture taken ... shows"
    r"|^(?:في |هذه )?(?:ال)?صور[ةه]\s+(?:\S+\s+){0,12}?(?:التقطت|تظهر|يظهر|نشرت|وزعت|بثت)",
    re.IGNORECASE,
)


def _looks_like_credit(who: str) -> bool:
    words = who.replace("/", " / ").split()
    names = (not w[0].isalpha() or w[0].isupper() or w in NAME_PARTICLES for w in words)
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


def caption_text(line: str) -> str | None:
    """What follows a "Caption:" or "Photo:" label, or None if ``line`` has no label."""
    labelled = _CAPTION_LABEL.match(line)
    return line[labelled.end() :] if labelled else None


def describes_picture(line: str) -> bool:
    """Whether ``line`` starts like a wire caption: "This picture taken on ... shows"."""
    return _PICTURE.match(_fold(line)) is not None
