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

import htmldate
import lxml.html
from lxml import etree
from trafilatura import bare_extraction

from sitrep.extract.dates import infer_published
from sitrep.extract.text import strip_credits
from sitrep.isodates import parse_iso
from sitrep.records import Article

__all__ = ["extract_html"]

_BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "dt",
    "dd",
    "figcaption",
    "caption",
    "blockquote",
    "pre",
    "address",
    "header",
    "footer",
    "nav",
    "aside",
    "section",
    "article",
    "main",
    "span",
    "a",
    "button",
    "label",
    "small",
    "time",
    "strong",
    "em",
    "b",
    "i",
}
_INVISIBLE = {"script", "style", "noscript", "template", "head", "svg", "iframe"}
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
        include_comments=False,
        include_tables=True,
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
    page_date, inferred = _published(tree, doc.date, published, body, clean_captions)
    kept = {_norm(x) for x in (*body, *captions, title or "", subtitle or "")}
    removed = [line for line in page_lines if _norm(line) not in kept and not _within(line, kept)]
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
    if isinstance(html, str):
        # lxml refuses str input that carries an XML encoding declaration.
        html = html.encode("utf-8")
    if not html.strip():
        return None
    try:
        parser = lxml.html.HTMLParser(remove_comments=True, encoding=None)
        tree = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return None
    return tree


def _visible_lines(tree: lxml.html.HtmlElement) -> list[str]:
    """The page's visible text as lines, in order, one per text-bearing block."""
    lines: list[str] = []
    body = tree.find("body")
    if body is None:
        return lines
    for element in body.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _INVISIBLE or any(a.tag in _INVISIBLE for a in element.iterancestors()):
            continue
        parts = [element.text or ""]
        parts += [child.tail or "" for child in element if not _is_block(child)]
        text = _clean(" ".join(parts))
        if text and (not lines or lines[-1] != text):
            lines.append(text)
    return lines


def _is_block(element: lxml.html.HtmlElement) -> bool:
    return isinstance(element.tag, str) and element.tag in _BLOCK_TAGS


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
    body: list[str] = []
    for raw in text.split("\n"):
        line = _clean(raw)
        if not line:
            continue
        key = _norm(line)
        # trafilatura may repeat the headline (after a kicker such as "Analysis") in the body.
        if key in caption_keys or (title and key == _norm(title) and len(body) < 3):
            continue
        body.append(line)
    return body


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
    tree: lxml.html.HtmlElement,
    extracted: str | None,
    given: date | datetime | None,
    body: list[str],
    captions: list[str],
) -> tuple[date | datetime | None, bool]:
    if given:
        return given, False
    stated = parse_iso(extracted)
    if stated is None:
        try:
            stated = parse_iso(htmldate.find_date(tree, extensive_search=False, original_date=True))
        except Exception:
            stated = None
    if stated is not None:
        return stated, False
    inferred = infer_published([*captions, *body])
    return inferred, inferred is not None


def _within(line: str, kept: set[str]) -> bool:
    """True when the line is part of a kept block (trafilatura joins inline pieces)."""
    key = _norm(line)
    return len(key) > 3 and any(key in k for k in kept if len(k) > len(key))


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
