"""HTML extraction on our fixture pages: body, captions apart, dek, dates, furniture."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.extract.html import extract_html

PAGES = Path(__file__).parent.parent / "fixtures" / "html"


def _page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def test_article_with_metadata() -> None:
    article = extract_html(_page("wire-saraqib.html"))
    assert article.title == "Government troops push into Saraqib as Turkish posts come under fire"
    assert (
        article.subtitle == "The crossroads town controls the junction of the M4 and M5 highways."
    )
    assert article.byline == "Rana Haddad"
    assert article.site == "Cedar Wire"
    assert article.url == "https://cedarwire.example/news/2020/02/06/saraqib-push"
    assert isinstance(article.published, date | datetime)
    assert article.published.isoformat().startswith("2020-02-06")
    assert article.published_inferred is False
    # The dek stays the lead paragraph too: it is part of what the article says.
    assert len(article.paragraphs) == 5
    assert article.paragraphs[0] == article.subtitle
    assert article.paragraphs[1].startswith("Syrian government forces and allied militias")
    assert article.captions == (
        "Smoke rises over the eastern edge of Saraqib on February 5, 2020.",
    )
    body = article.text
    for furniture in ("Advertisement", "We use cookies", "Related stories", "Sign up", "©"):
        assert furniture not in body
    assert "Smoke rises" not in body  # the caption is kept apart from the body
    removed = " | ".join(article.removed)
    for furniture in (
        "Advertisement",
        "Sign up for our newsletter",
        "© 2020 Cedar Wire",
        "(Photo by Cedar Wire staff / CW)",
    ):
        assert furniture in removed


def test_date_inferred_from_text_when_the_page_has_none() -> None:
    article = extract_html(_page("undated-ariha.html"))
    assert article.title == "Air strikes hit market district in Ariha"
    assert article.published == date(2020, 1, 29)
    assert article.published_inferred is True
    assert len(article.paragraphs) == 3
    assert "Share on Facebook" not in article.text


def test_date_given_by_the_caller_wins() -> None:
    article = extract_html(_page("undated-ariha.html"), published=date(2020, 1, 30))
    assert article.published == date(2020, 1, 30)
    assert article.published_inferred is False


@pytest.mark.parametrize("html", [b"", b"   ", "<html></html>", b"<p>\x00\xff</p>"])
def test_empty_pages_give_an_empty_body(html: bytes | str) -> None:
    assert len(extract_html(html).text.split()) <= 1


def test_index_page_has_too_little_text_to_be_an_article() -> None:
    # Whether to skip is decided at one boundary (extract.extract, by min_words).
    assert len(extract_html(_page("no-article.html")).text.split()) < 20


_TAGS = st.sampled_from(
    [
        "p",
        "div",
        "article",
        "h1",
        "figure",
        "figcaption",
        "nav",
        "script",
        "table",
        "td",
        "li",
        "ul",
        "span",
        "a",
        "meta",
        "title",
        "body",
    ]
)


@st.composite
def _html(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(_TAGS)
        text = draw(st.text(max_size=80))
        closed = draw(st.booleans())
        parts.append(f"<{tag}>{text}" + (f"</{tag}>" if closed else ""))
    return "".join(parts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_html())
def test_random_html_never_raises(html: str) -> None:
    article = extract_html(html)
    assert isinstance(article.paragraphs, tuple)


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2000), st.integers(0, 4000))
def test_mutated_real_page_never_raises(noise: bytes, position: int) -> None:
    page = _page("wire-saraqib.html")
    position = min(position, len(page))
    mutated = page[:position] + noise + page[position + len(noise) // 2 :]
    extract_html(mutated)


def test_a_footer_year_dates_a_page_that_gives_no_other() -> None:
    # Only the footer has a year; the weekday confirms it, and "since 1 December" is the
    # December before, not the one after.
    body = " ".join(
        f"<p>{text} Rescue workers and local officials gave the same account.</p>"
        for text in (
            "Yesterday, Tuesday 11 February, government forces took the last villages "
            "along the highway.",
            "About 689,000 people have been displaced since 1 December.",
            "Shelling hit the air base on Monday, killing five soldiers.",
        )
    )
    html = (
        "<html><head><title>The highway</title></head><body><article><h1>The highway</h1>"
        f"{body}</article><footer><p>© 2020 Northwest Monitor. All rights reserved.</p>"
        "</footer></body></html>"
    )
    article = extract_html(html)
    assert article.published == date(2020, 2, 11) and article.published_inferred
    without_footer = extract_html(html.replace("© 2020 ", ""))
    assert without_footer.published is None  # a yearless date alone dates nothing
