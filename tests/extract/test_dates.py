"""Dates stated in text, and the publication date they imply."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.extract.dates import date_spans, dates_in_text, infer_published, is_date_line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Troops entered the town on February 3, 2020, officials said.", date(2020, 2, 3)),
        ("Troops entered the town on 3 February 2020.", date(2020, 2, 3)),
        ("Troops entered the town on Feb. 3, 2020.", date(2020, 2, 3)),
        ("Troops entered the town on Feb 3 2020.", date(2020, 2, 3)),
        ("Troops entered the town on Sept. 5, 2019.", date(2019, 9, 5)),
        ("DATELINE FEBRUARY 4, 2020", date(2020, 2, 4)),
        ("Troops entered the town on the 3rd of March, 2020.", date(2020, 3, 3)),
        ("Published 2020-02-03T10:15:00Z", date(2020, 2, 3)),
        ("Des familles ont fui le 3 février 2020.", date(2020, 2, 3)),
        ("Le cessez-le-feu est entré en vigueur le 6 mars 2020.", date(2020, 3, 6)),
        ("Un accord a été conclu le 1er mars 2020.", date(2020, 3, 1)),
    ],
)
def test_full_dates(text: str, expected: date) -> None:
    assert dates_in_text(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "On Jan. 27, the envoy criticised the assault.",  # followed by a comma
        "The town fell on Jan. 27.",  # followed by a full stop
        "The town fell on Jan. 27; the highway followed.",
        "The town fell on 27 Jan, a monitor said.",
        "The town fell (Jan. 27) after a week of fighting.",
    ],
)
def test_yearless_dates_take_the_default_year(text: str) -> None:
    assert dates_in_text(text, default_year=2020) == [date(2020, 1, 27)]


def test_yearless_dates_take_the_year_of_full_dates_in_the_same_text() -> None:
    text = "Saraqib fell on Feb. 6. The photo was taken on March 2, 2020."
    assert dates_in_text(text) == [date(2020, 2, 6), date(2020, 3, 2)]


def test_full_dates_win_over_the_default_year() -> None:
    assert dates_in_text("On Jan. 28 and on 3 February 2020.", default_year=2015) == [
        date(2020, 1, 28),
        date(2020, 2, 3),
    ]


def test_yearless_dates_without_any_year_are_skipped() -> None:
    assert dates_in_text("The town fell on Jan. 28.") == []


def test_a_yearless_date_late_in_the_year_belongs_to_the_year_before() -> None:
    text = "The offensive began on Dec. 19. By January 2, 2020, tens of thousands had fled."
    assert dates_in_text(text) == [date(2019, 12, 19), date(2020, 1, 2)]


@pytest.mark.parametrize(
    "text",
    [
        "Rebels may 3 times have tried, and troops may be tired.",
        "Officials said talks may resume soon.",
        "They march 10 kilometres a day.",  # the verb, not the month
        "Fighting continued through March 2020.",  # no day
        "The report is dated 03/02/2020.",  # slashed numeric dates are ambiguous
        "Shelling on 30 February 2020 was reported.",  # no such day
        "The ceasefire of 12 May 1985 is long forgotten.",  # implausibly old
        "A plan for June 1, 2999 was floated.",  # implausibly far ahead
        "In 2020-13-45 nothing happened.",
        "Three Marines and 3 Mayors attended.",
    ],
)
def test_things_that_are_not_dates(text: str) -> None:
    assert dates_in_text(text, default_year=2020) == []


def test_dates_come_in_order_of_first_appearance_without_repeats() -> None:
    text = "On March 5, 2020 talks ended; on Feb. 27, 2020 troops died; on March 5, 2020 again."
    assert dates_in_text(text) == [date(2020, 3, 5), date(2020, 2, 27)]


def test_date_spans_cover_yearless_dates_too() -> None:
    text = "Jan. 28 and February 3, 2020"
    assert [text[a:b] for a, b in date_spans(text)] == ["Jan. 28", "February 3, 2020"]


def test_infer_published_is_the_latest_date_stated_across_texts() -> None:
    texts = [
        "A photo dated February 11, 2020 shows the wreck of a helicopter near Nairab.",
        "On Feb. 6, troops entered Saraqib. On Feb. 10, a Turkish post came under fire.",
        "A monitor counted the displaced on Feb. 3.",
    ]
    assert infer_published(texts) == date(2020, 2, 11)


def test_infer_published_reads_yearless_dates_with_the_year_of_other_texts() -> None:
    texts = ["A ceasefire was agreed on March 5.", "Soldiers died on February 27, 2020."]
    assert infer_published(texts) == date(2020, 3, 5)


def test_infer_published_is_none_without_dates() -> None:
    assert infer_published([]) is None
    assert infer_published(["No date here.", "Nor on Jan. 28 without a year."]) is None


YESTERDAY = "Yesterday, Tuesday 11 February, the monitor said the highway was open."


def test_infer_published_takes_a_default_year_for_yearless_dates() -> None:
    assert infer_published([YESTERDAY], default_year=2020) == date(2020, 2, 11)
    # Full dates in the texts win over the default year.
    assert infer_published(["On Jan. 28.", "On 3 February 2019."], default_year=2020) == date(
        2019, 2, 3
    )


@pytest.mark.parametrize(
    "texts",
    [
        [YESTERDAY],
        # A bare year is no date: "since 2012" says nothing about when "11 February" was.
        [YESTERDAY, "Damascus had not held the whole road since 2012."],
    ],
)
def test_a_weekday_alone_never_gives_the_year(texts: list[str]) -> None:
    assert infer_published(texts) is None


def test_a_weekday_rejects_a_year_it_does_not_fit() -> None:
    assert infer_published([YESTERDAY], default_year=2019) is None  # 11 Feb 2019: a Monday
    texts = [YESTERDAY, "A photo taken on March 1, 2019 shows the road."]
    assert infer_published(texts) == date(2019, 3, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Troops entered Saraqib on Monday, March 2, officials said.", date(2020, 3, 2)),
        ("Strikes hit the city on Wednesday, January 15.", date(2020, 1, 15)),
        ("Sunday the 1st of March was the first day of the operation.", date(2020, 3, 1)),
        ("Les frappes ont repris mardi 11 février.", date(2020, 2, 11)),
        ("Talks were set for Thu 5 March.", date(2020, 3, 5)),
    ],
)
def test_weekdays_that_fit_keep_their_dates(text: str, expected: date) -> None:
    assert dates_in_text(text, default_year=2020) == [expected]
    assert dates_in_text(text, default_year=2021) == []


def test_a_weekday_is_checked_after_the_year_before_is_chosen() -> None:
    text = "The push began on Thursday, Dec. 19. By January 2, 2020, thousands had fled."
    assert dates_in_text(text) == [date(2019, 12, 19), date(2020, 1, 2)]


def test_full_dates_are_kept_whatever_their_weekday() -> None:
    assert dates_in_text("On Monday, February 11, 2020, talks began.") == [date(2020, 2, 11)]


@pytest.mark.parametrize(
    "line",
    [
        "February 6, 2020 / 11:42 AM",
        "Wed 19 Feb 2020 09.12 GMT",
        "Published: 4 Feb 2020",
        "Updated February 5, 2020 3:05 p.m.",
        "Publié le 2 mars 2020 à 10h15 - Mis à jour le 2 mars 2020 à 12h40",
        "2020-02-06",
        "5 hours ago",
        "Updated 40 minutes ago",
    ],
)
def test_date_lines(line: str) -> None:
    assert is_date_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Troops entered Saraqib on February 6, 2020.",
        "February 2020",
        "Idlib, February 6, 2020",
        "",
    ],
)
def test_lines_that_say_more_than_a_date(line: str) -> None:
    assert not is_date_line(line)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سيطرت القوات يوم الثلاثاء 25 شباط/فبراير 2020 على البلدة", date(2020, 2, 25)),
        ("في ٢٥ فبراير ٢٠٢٠ قصفت الطائرات", date(2020, 2, 25)),
        ("منذ 3 كانون الثاني 2020 نزح الآلاف", date(2020, 1, 3)),
        ("وفي 5 آذار وقع الاتفاق بعد قمة 1 آذار/مارس 2020", date(2020, 3, 5)),
    ],
)
def test_arabic_month_names_and_digits(text: str, expected: date) -> None:
    assert infer_published([text]) == expected
