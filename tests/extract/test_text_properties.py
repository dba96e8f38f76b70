"""Properties of the flattened-text extractor on random and mutated dumps."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.extract.text import classify_lines, extract_text
from sitrep.records import Article

FIXTURES = Path(__file__).parent.parent / "fixtures" / "text"
FIXTURE_LINES = {  # unique lines, so that a line kept and a line removed are different lines
    path.name: list(
        dict.fromkeys(line for line in path.read_text("utf-8").splitlines() if line.strip())
    )
    for path in sorted(FIXTURES.glob("*.txt"))
}
FAST = settings(max_examples=100, deadline=None, database=None)
SLOW = settings(max_examples=15, deadline=None, database=None)

# Any character at all, control and format characters included; surrogates cannot be
# encoded and never reach the extractor.
any_char = st.characters(exclude_categories=["Cs"])
junk_line = st.text(any_char, max_size=80)
separators = st.sampled_from(["\n", "\r\n", "\n\n", "\r", "\u2028", "\n \t\n"])


def squash(text: str) -> str:
    """Text without whitespace, control or format characters: what survives any cleaning."""
    return "".join(
        ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in {"Cc", "Cf"}
    )


def kept_texts(article: Article) -> list[str]:
    fields = [article.title, article.subtitle, article.byline]
    return [*(f for f in fields if f), *article.captions, *article.paragraphs]


def assert_consistent(text: str, article: Article) -> None:
    """Every kept or removed string comes from the input, and nothing is both."""
    source = squash(text)
    for piece in [*kept_texts(article), *article.removed]:
        assert piece
        assert piece == piece.strip()
        assert squash(piece) in source
    lines = classify_lines(text)
    # The paragraphs are the dek, if any, then the body, in the order of the page.
    story = [line.kept for line in lines if line.label in {"subtitle", "body"}]
    assert story == list(article.paragraphs)
    assert article.subtitle is None or article.paragraphs[0] == article.subtitle
    assert [r for line in lines for r in line.removed] == list(article.removed)
    for line in lines:
        # A line is either dropped whole, or kept with only its photo credits removed.
        if line.label == "furniture":
            assert not line.kept
        else:
            assert line.kept
            assert line.text not in line.removed


@st.composite
def mutated_fixture(draw: st.DrawFn) -> str:
    """A fixture's lines shuffled, thinned, padded with junk, re-joined any which way."""
    lines = list(draw(st.permutations(FIXTURE_LINES[draw(st.sampled_from(sorted(FIXTURE_LINES)))])))
    keep = draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    lines = [line for line, k in zip(lines, keep, strict=True) if k or len(lines) < 4]
    for _ in range(draw(st.integers(0, 3))):
        lines.insert(draw(st.integers(0, len(lines))), draw(junk_line))
    if draw(st.booleans()):
        lines = [
            line.replace(" ", draw(st.sampled_from([" ", "\u00a0", "\t", "  "]))) for line in lines
        ]
    text = draw(separators).join(lines)
    return ("\ufeff" if draw(st.booleans()) else "") + text


@FAST
@given(st.text(any_char, max_size=2000))
def test_random_text_never_raises(text: str) -> None:
    assert_consistent(text, extract_text(text))


@FAST
@given(st.lists(junk_line, max_size=30), separators)
def test_random_lines_never_raise(lines: list[str], separator: str) -> None:
    text = separator.join(lines)
    assert_consistent(text, extract_text(text))


@settings(max_examples=300, deadline=None, database=None)
@given(mutated_fixture())
def test_mutated_fixtures_stay_consistent(text: str) -> None:
    article = extract_text(text)
    assert_consistent(text, article)
    # A line the input holds once cannot be both kept and removed (junk lines may repeat).
    counts = Counter(line.text for line in classify_lines(text))
    both = set(kept_texts(article)) & set(article.removed)
    assert all(counts[line] > 1 for line in both)


@SLOW
@given(st.sampled_from(sorted(FIXTURE_LINES)), st.integers(100, 1000), st.integers(0, 20))
def test_very_long_lines(name: str, repeat: int, where: int) -> None:
    lines = FIXTURE_LINES[name]
    long_line = " ".join([max(lines, key=len)] * repeat)
    text = "\n".join([*lines[:where], long_line, *lines[where:]])
    article = extract_text(text)
    assert_consistent(text, article)
    assert " ".join(long_line.split()) in article.paragraphs


@FAST
@given(
    st.sampled_from(sorted(FIXTURE_LINES)), st.text(st.characters(categories=["Cc"]), min_size=1)
)
def test_control_characters_change_nothing_but_themselves(name: str, controls: str) -> None:
    lines = FIXTURE_LINES[name]
    dirty = "\n".join(line + controls.replace("\n", "").replace("\r", "") for line in lines)
    assert_consistent(dirty, extract_text(dirty))
