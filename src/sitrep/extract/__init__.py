"""Document -> Article: HTML through trafilatura, flattened text through our line classifier."""

from __future__ import annotations

from dataclasses import replace

from sitrep.errors import ExtractError, Skip
from sitrep.extract.html import extract_html
from sitrep.extract.language import detect_language
from sitrep.extract.text import extract_text
from sitrep.records import Article, Document

__all__ = ["extract", "extract_document"]


def extract_document(document: Document) -> Article:
    """What the extractor makes of one document, with no judgement on whether to keep it."""
    try:
        if document.kind == "html":
            article = extract_html(document.content, url=document.url, published=document.published)
        else:
            text = document.content
            if isinstance(text, bytes):
                text = text.decode("utf-8", errors="replace")
            article = extract_text(text, url=document.url, published=document.published)
    except (ValueError, TypeError, LookupError, RecursionError) as exc:
        # Third-party parsers raise these on pathological markup; name the input instead.
        raise ExtractError("E401", f"{document.source}: extraction failed ({exc!r:.200})") from exc
    if document.title and not article.title:
        article = replace(article, title=document.title)
    sample = " ".join((article.title or "", article.text))
    return replace(article, language=detect_language(sample))


def extract(document: Document, *, min_words: int) -> Article:
    """Extract and decide: an article worth storing, or :class:`Skip` with the reason."""
    article = extract_document(document)
    if not article.paragraphs:
        raise Skip("no-article", f"{document.source}: no article body found")
    words = len(article.text.split())
    # Scripts without spaces between words (none expected here) would be undercounted.
    if words < min_words:
        raise Skip("too-short", f"{document.source}: {words} words, fewer than {min_words}")
    return article
