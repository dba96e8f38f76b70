"""HTML pages -> Article, with trafilatura for the main content and metadata.

We never extract main content ourselves: trafilatura decides what the body is. Our part
is the record around it: captions kept apart from the body, the dek, a date fallback
(htmldate on the markup, then the dates the text states), and the list of page lines
that were dropped so a reader can see what was removed.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

import lxml.html
from trafilatura import bare_extraction
from trafilatura.utils import load_html

from sitrep.extract.dates import infer_published
from sitrep.extract.text import strip_credits
from sitrep.isodates import parse_iso
from sitrep.records import Article

__all__ = ["extract_html"]

# Elements that start a new line of visible text; the rest flow inline.
_BLOCK_TAGS = frozenset(
    "p div li ul ol h1 h2 h3 h4 h5 h6 td th tr table dt dd dl figure figcaption caption "
    "blockquote pre address header footer nav aside section article main form button "
    "label br hr select option".split()
)
_INVISIBLE = frozenset("script style noscript template head svg iframe".split())
_SPACE = re.compile(r"\s+")


def extract_html(
    html: str | bytes,
    *,
    url: str | None = None,
    published: date | datetime | None = None,
) -> Article:
    """Extract the article of one HTML page; an empty Article when there is none."""
    tree = _parse(html)
    if tree is None:
        return _empty(url, published)
    page_lines = _visible_lines(tree)
    captions = _captions(tree)
    doc = bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,  # readers' comments are not the article
        include_tables=True,
        # trafilatura's own algorithm without its readability/jusText fallbacks: faster, and
        # more accurate on the article-extraction benchmark (see bench/extract.py).
        fast=True,
        # Dates from markup and URL only: a date read from the text is marked as inferred.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or isinstance(doc, dict):
        return _empty(url, published, removed=tuple(page_lines))
    title = _clean(doc.title)
    body = _body_paragraphs(doc.text or "", title=title, captions=captions)
    removed_credits: list[str] = []
    clean_captions = []
    for caption in captions:
        text, credits = strip_credits(caption)
        removed_credits.extend(credits)
        if text:
            clean_captions.append(text)
    subtitle = _subtitle(_clean(doc.description), body)
    removed = _removed(page_lines, [*body, *captions, title or "", subtitle or ""])
    page_date, inferred = _published(doc.date, published, body, clean_captions, removed)
    return Article(
        title=title,
        subtitle=subtitle,
        byline=_clean(doc.author),
        published=page_date,
        published_inferred=inferred,
        site=_clean(doc.sitename) or _host(url or doc.url),
        url=url or _clean(doc.url),
        language=None,
        captions=tuple(clean_captions),
        paragraphs=tuple(body),
        removed=tuple(removed + removed_credits),
    )


def _parse(html: str | bytes) -> lxml.html.HtmlElement | None:
    """Parse as trafilatura does (its charset detection), or None for no HTML at all."""
    if not html.strip():
        return None
    try:
        tree = load_html(html)
    except (ValueError, TypeError):
        return None
    return tree if isinstance(tree, lxml.html.HtmlElement) else None


def _visible_lines(tree: lxml.html.HtmlElement) -> list[str]:
    """The page's visible text as lines, in order, one per text-bearing block."""
    lines: list[str] = []
    body = tree.find("body")
    if body is not None:
        _collect_lines(body, lines)
    return lines


def _collect_lines(element: lxml.html.HtmlElement, lines: list[str]) -> None:
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _INVISIBLE:
            pass
        elif tag in _BLOCK_TAGS:
            _emit(" ".join(parts), lines)
            parts = []
            _collect_lines(child, lines)
        else:  # inline markup, comments, processing instructions: their text flows on
            parts.append(child.text_content() if tag else "")
        parts.append(child.tail or "")
    _emit(" ".join(parts), lines)


def _emit(text: str, lines: list[str]) -> None:
    clean = _clean(text)
    if clean and (not lines or lines[-1] != clean):
        lines.append(clean)


def _captions(tree: lxml.html.HtmlElement) -> list[str]:
    found: list[str] = []
    for node in tree.xpath(
        "//figcaption | //*[contains(@class, 'caption')][not(ancestor::figcaption)]"
    ):
        text = _clean(node.text_content())
        if text and text not in found and not any(text in f for f in found):
            found.append(text)
    return found


def _body_paragraphs(text: str, *, title: str | None, captions: list[str]) -> list[str]:
    caption_keys = {_norm(c) for c in captions}
    lines = [line for line in (_clean(raw) for raw in text.split("\n")) if line]
    body: list[str] = []
    seen: set[str] = set()
    for index, line in enumerate(lines):
        key = _norm(line)
        following = _norm(lines[index + 1]) if index + 1 < len(lines) else ""
        # trafilatura may repeat the headline (after a kicker such as "Analysis") in the
        # body, and pull quotes repeat a sentence just before the paragraph it opens.
        if (
            key in caption_keys
            or key in seen
            or (title and key == _norm(title) and len(body) < 3)
            or (len(key) >= 40 and following.startswith(key))
            or (index == 0 and title and _is_kicker(line) and following == _norm(title))
        ):
            continue
        seen.add(key)
        body.append(line)
    return body


def _is_kicker(line: str) -> bool:
    """A section label above the headline ("Analysis", "Live", "Middle East")."""
    return len(line.split()) <= 3 and not line.rstrip().endswith((".", "!", "?", '"', "”"))


def _subtitle(description: str | None, body: list[str]) -> str | None:
    """The dek: the page's description, unless it is an excerpt cut from the first paragraph.

    A dek that trafilatura kept as the lead paragraph stays there too: the standfirst is
    part of what the article says, and the text stages read the paragraphs.
    """
    if not description:
        return None
    key = _norm(description).rstrip(".… ")
    first = _norm(body[0]) if body else ""
    if first != _norm(description) and len(key) < len(first) and first.startswith(key):
        return None
    return description


def _published(
    extracted: str | None,
    given: date | datetime | None,
    body: list[str],
    captions: list[str],
    furniture: list[str],
) -> tuple[date | datetime | None, bool]:
    if given:
        return given, False
    # trafilatura already asked htmldate (markup and URL only); asking again finds nothing.
    stated = parse_iso(extracted)
    if stated is not None:
        return stated, False
    # A page that gives no year anywhere but its footer ("© 2020 Northwest Monitor"):
    # "Yesterday, Tuesday 11 February" is then that year's.
    inferred = infer_published([*captions, *body], default_year=_copyright_year(furniture))
    return inferred, inferred is not None


_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*[-–]\s*)?((?:19|20)\d{2})\b", re.I)


def _copyright_year(lines: list[str]) -> int | None:
    years = [int(m.group(1)) for line in lines for m in _COPYRIGHT.finditer(line)]
    return max(years) if years else None


def _removed(page_lines: list[str], kept: list[str]) -> list[str]:
    """Page lines that are not part of anything kept (trafilatura joins inline pieces)."""
    keys = {_norm(k) for k in kept if k}
    joined = "\n".join(keys)
    removed = []
    for line in page_lines:
        key = _norm(line)
        if key not in keys and (len(key) <= 3 or key not in joined):
            removed.append(line)
    return removed


def _empty(
    url: str | None, published: date | datetime | None, removed: tuple[str, ...] = ()
) -> Article:
    return Article(
        title=None,
        subtitle=None,
        byline=None,
        published=published,
        published_inferred=False,
        site=_host(url),
        url=url,
        language=None,
        removed=removed,
    )


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    text = _SPACE.sub(" ", value).strip()
    return text or None


def _norm(value: str) -> str:
    return _SPACE.sub(" ", value).strip().casefold()


def _host(url: str | None) -> str | None:
    if not url or not url.startswith(("http://", "https://")):
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None
