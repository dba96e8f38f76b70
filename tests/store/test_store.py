"""The store contract, run against SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from sitrep.errors import StoreError
from sitrep.extract.dedup import fingerprint
from sitrep.records import ActorRef, Article, EventMention, Evidence, LocationRef, Magnitude
from sitrep.store import NewArticle, SqlStore, open_store
from sitrep.store.base import MARK_END, MARK_START

NOW = datetime(2020, 2, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(database_url: str) -> Iterator[SqlStore]:
    opened = open_store(database_url)
    yield opened
    opened.close()


def _article(title: str, paragraphs: list[str], **fields: object) -> Article:
    values: dict[str, object] = {
        "title": title,
        "subtitle": None,
        "byline": None,
        "published": date(2020, 1, 28),
        "published_inferred": False,
        "site": "levantwire.example",
        "url": None,
        "language": "en",
        "captions": (),
        "paragraphs": tuple(paragraphs),
        "removed": (),
    }
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


def _new(article: Article, key: str, **link: object) -> NewArticle:
    return NewArticle(article, fingerprint(article.text), key, key, "file", None, **link)  # type: ignore[arg-type]


CAPTURE = [
    "Syrian government forces entered Maaret al-Numan on Tuesday after rebel fighters withdrew "
    "from the town, which sits on the M5 highway between Damascus and Aleppo.",
    "Residents had fled in their tens of thousands during weeks of air strikes.",
]
SHELLING = [
    "Artillery fire hit the outskirts of Saraqib overnight, a monitoring group said, "
    "as Turkish reinforcements moved into positions east of Idlib city.",
]


def test_article_round_trip_keeps_every_field(store: SqlStore) -> None:
    article = _article(
        "Army enters Maaret al-Numan",
        CAPTURE,
        subtitle="The town on the M5 changes hands",
        byline="Staff reporter",
        published=datetime(2020, 1, 28, 18, 30, tzinfo=UTC),
        url="https://levantwire.example/2020/01/28/maaret",
        captions=("Smoke over the town — file picture",),
        removed=("Skip to main content", "Only $100 per year."),
    )
    article_id = store.add_article(_new(article, article.url or ""))
    stored = store.get_article(article_id)
    assert stored.article == article
    assert stored.duplicate_of is None
    assert stored.ingested_at.tzinfo is not None


def test_same_source_and_content_is_stored_once(store: SqlStore) -> None:
    article = _article("Army enters Maaret al-Numan", CAPTURE)
    first = store.add_article(_new(article, "/corpus/a.html"))
    again = store.add_article(_new(article, "/corpus/a.html"))
    assert first == again
    assert store.count_articles()["articles"] == 1
    assert store.find_article("/corpus/a.html", fingerprint(article.text).content_hash) == first


def test_copies_link_to_their_original(store: SqlStore) -> None:
    article = _article("Army enters Maaret al-Numan", CAPTURE)
    original = store.add_article(_new(article, "https://a.example/1"))
    copy = store.add_article(
        _new(
            article,
            "https://b.example/1",
            duplicate_of=original,
            duplicate_kind="exact",
            similarity=1.0,
        )
    )
    assert store.find_original_by_hash(fingerprint(article.text).content_hash) == original
    assert [c.id for c in store.copies_of(original)] == [copy]
    assert store.count_articles() == {
        "articles": 2,
        "originals": 1,
        "duplicates": 1,
        "non_english": 0,
    }


def test_near_candidates_come_from_shared_bands(store: SqlStore) -> None:
    capture = _article("Army enters Maaret al-Numan", CAPTURE)
    shelling = _article("Shelling near Saraqib", SHELLING)
    capture_id = store.add_article(_new(capture, "k1"))
    store.add_article(_new(shelling, "k2"))
    edited = _article("Town falls", [*CAPTURE[:1], CAPTURE[1].replace("tens of", "many")])
    found = [hit[0] for hit in store.near_candidates(fingerprint(edited.text).bands)]
    assert found == [capture_id]
    assert store.near_candidates(fingerprint("nothing like the others at all").bands) == []


def test_search_ranks_title_matches_first_and_skips_copies(store: SqlStore) -> None:
    body_only = store.add_article(
        _new(_article("Turkish convoy moves", [SHELLING[0] + " Saraqib."]), "k1")
    )
    in_title = store.add_article(_new(_article("Saraqib shelled overnight", SHELLING), "k2b"))
    store.add_article(_new(_article("Army enters Maaret al-Numan", CAPTURE), "k3"))
    copy = _new(
        _article("Saraqib shelled overnight", SHELLING),
        "k4",
        duplicate_of=in_title,
        duplicate_kind="exact",
    )
    store.add_article(copy)
    hits = store.search("saraqib")
    assert [h.article.id for h in hits] == [in_title, body_only]
    assert hits[0].score >= hits[1].score
    assert MARK_START in hits[0].snippet
    assert MARK_END in hits[0].snippet


@pytest.mark.parametrize(
    ("query", "expected_titles"),
    [
        ("al-Numan", ["Army enters Maaret al-Numan"]),
        ('"rebel fighters withdrew"', ["Army enters Maaret al-Numan"]),
        ("highway -Saraqib", ["Army enters Maaret al-Numan"]),
        ("fighter", ["Army enters Maaret al-Numan"]),  # stemmed on both backends
        ("'); DROP TABLE articles; --", []),
        ('"" * ( ) NEAR', ["Shelling near Saraqib"]),  # operators are plain words
        ("", []),
    ],
)
def test_search_syntax_is_safe(store: SqlStore, query: str, expected_titles: list[str]) -> None:
    store.add_article(_new(_article("Army enters Maaret al-Numan", CAPTURE), "k1"))
    store.add_article(
        _new(_article("Shelling near Saraqib", [*SHELLING, "The highway was shut."]), "k2")
    )
    assert [h.article.article.title for h in store.search(query)] == expected_titles
    assert store.count_articles()["articles"] == 2


def test_feeds_lifecycle(store: SqlStore) -> None:
    feed = store.add_feed("https://levantwire.example/rss", 900, NOW)
    assert feed.next_poll == NOW
    assert feed.articles_seen == 0
    with pytest.raises(StoreError) as excinfo:
        store.add_feed("https://levantwire.example/rss", 60, NOW)
    assert excinfo.value.code == "E304"
    store.update_feed(feed.id, etag='"v2"', last_polled=NOW, next_poll=NOW + timedelta(minutes=15))
    updated = store.get_feed(feed.id)
    assert updated.etag == '"v2"'
    assert updated.next_poll == NOW + timedelta(minutes=15)
    store.remove_feed(feed.id)
    assert store.list_feeds() == []
    with pytest.raises(StoreError) as missing:
        store.get_feed(feed.id)
    assert missing.value.code == "E303"


def test_validators_and_issues_upsert(store: SqlStore) -> None:
    url = "https://levantwire.example/a"
    assert store.validators(url) == (None, None)
    store.save_validators(url, '"a"', None, 200, NOW)
    store.save_validators(url, '"b"', "Mon, 03 Feb 2020 10:00:00 GMT", 200, NOW)
    assert store.validators(url) == ('"b"', "Mon, 03 Feb 2020 10:00:00 GMT")
    store.record_issue("x.html", "failed", "E104", "x.html: binary", NOW)
    store.record_issue("x.html", "failed", "E104", "x.html: binary", NOW + timedelta(hours=1))
    [issue] = store.list_issues()
    assert issue.first_seen == NOW
    assert issue.last_seen == NOW + timedelta(hours=1)
    store.clear_issue("x.html")
    assert store.list_issues() == []


def test_reopening_a_store_keeps_its_data(database_url: str) -> None:
    first = open_store(database_url)
    article_id = first.add_article(_new(_article("Army enters Maaret al-Numan", CAPTURE), "k"))
    first.close()
    second = open_store(database_url)
    assert second.get_article(article_id).article.title == "Army enters Maaret al-Numan"
    second.close()


def test_bad_urls_are_clear_errors(tmp_path: object) -> None:
    for url, code in [
        ("mysql://u@h/db", "E301"),
        ("not a url", "E301"),
        ("sqlite:////proc/forbidden/x.db", "E302"),
    ]:
        with pytest.raises(StoreError) as excinfo:
            open_store(url)
        assert excinfo.value.code == code, url


def _mention(sub_event: str, start: int) -> EventMention:
    return EventMention(
        event_type="Battles",
        sub_event_type=sub_event,
        plover="ASSAULT",
        actor1=ActorRef(
            "Syrian army", "syrian-government-forces", "Syrian government forces", "state_forces"
        ),
        actor2=ActorRef("rebels"),
        associated=(),
        date=date(2020, 1, 28),
        date_precision="day",
        date_text="On Jan. 28",
        location=LocationRef("Maaret al-Numan", 40, 55),
        magnitudes=(Magnitude("fatalities", 3, 3, None, "three fighters"),),
        attribution="the outlet",
        attribution_cue=None,
        modality="asserted",
        evidence=Evidence(
            "On Jan. 28 the army entered Maaret al-Numan.", start, start + 45, "paragraph"
        ),
        trigger="entered",
        confidence=0.8,
    )


def test_coding_is_recorded_per_version_and_replaced_on_recode(store: SqlStore) -> None:
    capture = store.add_article(_new(_article("Army enters Maaret al-Numan", CAPTURE), "k1"))
    shelling = store.add_article(_new(_article("Shelling near Saraqib", SHELLING), "k2"))
    copy = store.add_article(
        _new(_article("Copy", CAPTURE), "k3", duplicate_of=capture, duplicate_kind="exact")
    )
    assert store.articles_to_code("v1", recode=False, limit=10) == [capture, shelling]
    mentions = [_mention("Government regains territory", 0), _mention("Armed clash", 50)]
    store.save_coding(capture, "v1", mentions, status="coded", reason=None, now=NOW)
    store.save_coding(shelling, "v1", [], status="skipped", reason="no events", now=NOW)
    assert store.articles_to_code("v1", recode=False, limit=10) == []
    assert store.articles_to_code("v2", recode=False, limit=10) == []
    assert store.articles_to_code("v2", recode=True, limit=10) == [capture, shelling]
    stored = store.mentions_of(capture)
    assert [m["sub_event_type"] for m in stored] == ["Government regains territory", "Armed clash"]
    assert stored[0]["actor1"]["actor_id"] == "syrian-government-forces"
    assert stored[0]["date"] == "2020-01-28" and stored[0]["coder_version"] == "v1"
    store.save_coding(capture, "v2", mentions[:1], status="coded", reason=None, now=NOW)
    assert len(store.mentions_of(capture)) == 1
    assert store.coding_counts() == {"coded": 1, "not_coded": 1, "event_mentions": 1}
    assert [m["article_id"] for m in store.iter_mentions(batch=1)] == [capture]
    assert copy not in store.articles_to_code("v3", recode=True, limit=10)
