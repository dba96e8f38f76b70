"""Time expressions resolved against the article's date."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.nlp.timex import resolve_times

ANCHOR = date(2020, 2, 3)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("On Jan. 28, the army recaptured the town.", date(2020, 1, 28), "day"),
        ("The strike on February 3, 2020 killed eight.", date(2020, 2, 3), "day"),
        ("Fighting resumed on 27 December.", date(2019, 12, 27), "day"),
        ("Joint patrols will begin on Feb. 15.", date(2020, 2, 15), "day"),
        ("Joint patrols began on Feb. 15.", date(2019, 2, 15), "day"),
        ("Talks will resume on Sept. 1.", date(2019, 9, 1), "day"),  # too far ahead
        ("Shelling continued today.", date(2020, 2, 3), "day"),
        ("Rescuers worked through the night after yesterday's raid.", date(2020, 2, 2), "day"),
        ("The convoy arrived on Saturday.", date(2020, 2, 1), "day"),
        ("The talks began on Monday.", date(2020, 2, 3), "day"),
        ("The talks began last Monday.", date(2020, 1, 27), "day"),
        ("Three days ago, rebels attacked.", date(2020, 1, 31), "day"),
        ("Clashes intensified last week.", date(2020, 1, 27), "week"),
        ("Earlier in January, reports said groups had deployed.", date(2020, 1, 1), "month"),
        ("Thousands fled in December.", date(2019, 12, 1), "month"),
        ("Since mid-January the front has moved north.", date(2020, 1, 1), "month"),
        ("The offensive began earlier this month.", date(2020, 2, 1), "month"),
        ("Talks collapsed last month.", date(2020, 1, 1), "month"),
        ("The ceasefire agreed earlier this year collapsed.", date(2020, 1, 1), "year"),
    ],
)
def test_resolves_against_the_article_date(text: str, expected: date, precision: str) -> None:
    [ref] = resolve_times(text, ANCHOR)
    assert (ref.first, ref.precision) == (expected, precision)
    assert text[ref.start : ref.end] == ref.text


def test_periods_have_their_last_day_and_acled_code() -> None:
    week, month = resolve_times("Clashes last week; earlier in January, strikes.", ANCHOR)
    assert (week.first, week.last, week.acled_precision) == (date(2020, 1, 27), date(2020, 2, 2), 2)
    assert (month.first, month.last, month.acled_precision) == (
        date(2020, 1, 1),
        date(2020, 1, 31),
        3,
    )


def test_no_false_times() -> None:
    text = "Officials may meet again, and the march to the border continued. Mobile units moved."
    assert resolve_times(text, ANCHOR) == []


def test_explicit_dates_are_not_read_twice() -> None:
    refs = resolve_times("On January 28 and in early February the army advanced.", ANCHOR)
    assert [(r.text, r.precision) for r in refs] == [
        ("January 28", "day"),
        ("in early February", "month"),
    ]


def test_a_written_date_restates_the_relative_day_before_it() -> None:
    # "Yesterday" counted from a date the text only infers would be a day off.
    text = "Yesterday, Tuesday 11 February, the monitor reported gains."
    refs = resolve_times(text, date(2020, 2, 11), at_least=True)
    assert [(r.text, r.first) for r in refs] == [("11 February", date(2020, 2, 11))]


def test_a_weekday_after_the_latest_stated_date_is_the_next_day() -> None:
    # The text's latest date is Sunday 2 February: it was written then or later, so its
    # "Monday" is the 3rd, not 27 January; its "Friday" is still the one before.
    latest = date(2020, 2, 2)
    text = "On Monday, the envoy condemned the strikes. On Friday, shelling hit Ariha."
    monday, friday = resolve_times(text, latest, at_least=True)
    assert (monday.first, friday.first) == (date(2020, 2, 3), date(2020, 1, 31))
    assert resolve_times(text, latest)[0].first == date(2020, 1, 27)  # a known date
