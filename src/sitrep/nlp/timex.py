"""Time expressions resolved against the article's date, with ACLED-style precision.

"On Jan. 28" in an article of 3 February 2020 is 2020-01-28 (day); "Monday" is the
latest Monday on or before the article's date (day); "last week" is the week before
(week); "earlier in January" is January (month); "earlier this year" is the year.
Explicit dates come from :mod:`sitrep.extract.dates`; this module adds the relative
ones and the anchoring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Literal

from sitrep.extract.dates import WrittenDate, written_dates
from sitrep.nlp.quantities import NUMBER_WORDS

__all__ = ["Precision", "TimeRef", "resolve_times"]

Precision = Literal["day", "week", "month", "year"]
# ACLED's time_precision codes: 1 the day is known, 2 the week, 3 the month.
ACLED_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
# A yearless date this far after the article's date belongs to the year before.
FUTURE_SLACK = timedelta(days=7)

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NUMBERS = {**NUMBER_WORDS, "a": 1}

_SAME_DAY = re.compile(r"\b(today|this (morning|afternoon|evening)|tonight|earlier today)\b", re.I)
_DAY_BEFORE = re.compile(r"\b(yesterday|last night|the previous day|the day before)\b", re.I)
_TWO_DAYS = re.compile(r"\bthe day before yesterday\b", re.I)
_DAYS_AGO = re.compile(
    rf"\b(?P<n>\d+|{'|'.join(sorted(_NUMBERS, key=len, reverse=True))}) "
    r"(?P<unit>days?|weeks?|months?) ago\b",
    re.I,
)
_WEEKDAY = re.compile(rf"\b(?P<last>last )?(?P<day>{'|'.join(_WEEKDAYS)})\b", re.I)
_WEEK = re.compile(r"\b(?P<which>last|this|earlier this|the previous|the past) week\b", re.I)
_MONTH_REL = re.compile(r"\b(?P<which>last|this|earlier this|late last|early last) month\b", re.I)
_YEAR_REL = re.compile(r"\b(?P<which>last|this|earlier this) year\b", re.I)
# A month named alone needs a lead-in, so that "may" the verb is never a month.
_MONTH_ALONE = re.compile(
    r"\b(?P<lead>(?:(?:in|during|since|until|through|throughout|by|of|from|before|after) )?"
    r"(?:(?:earlier|later|early|late) (?:in )?|mid-|the (?:end|beginning|start|middle) of )?)"
    rf"(?P<month>{'|'.join(m.capitalize() for m in _MONTHS)})(?:,? (?P<year>\d{{4}}))?\b"
)


@dataclass(frozen=True)
class TimeRef:
    """One time expression in a text and the period it names."""

    start: int
    end: int
    text: str
    first: date  # the period's first day (for a day, the day itself)
    precision: Precision
    last: date  # the period's last day

    @property
    def acled_precision(self) -> int:
        return ACLED_PRECISION[self.precision]


def resolve_times(text: str, anchor: date, *, at_least: bool = False) -> list[TimeRef]:
    """Every time expression in ``text``, resolved against ``anchor``, in text order.

    ``at_least``: the anchor is only the earliest the text can have been written (the
    latest date it states), so a weekday the day after it ("on Monday" after
    "on Sunday, January 26") is that next day, not the one six days before.
    """
    found: list[TimeRef] = [
        ref for written in written_dates(text) if (ref := _explicit(text, written, anchor))
    ]
    explicit = list(found)
    weekdays = partial(_weekdays, at_least=at_least)
    for finder in (_relative_days, weekdays, _weeks, _months_alone, _relative_months, _years):
        for ref in finder(text, anchor):
            if not any(ref.start < other.end and other.start < ref.end for other in found):
                found.append(ref)
    # "Yesterday, Tuesday 11 February": the date written out says which day is meant.
    found = [ref for ref in found if not _restated(text, ref, explicit)]
    return sorted(found, key=lambda ref: ref.start)


_RESTATING = re.compile(r"[,\s]*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day[,\s]*)?", re.I)


def _restated(text: str, ref: TimeRef, explicit: list[TimeRef]) -> bool:
    """A relative day followed at once by a written date that restates it."""
    if ref in explicit or ref.precision != "day":
        return False
    return any(
        other.start >= ref.end and _RESTATING.fullmatch(text, ref.end, other.start)
        for other in explicit
    )


# How many days after the latest date it states an undated text may name by weekday.
_AFTER_THE_LATEST_DATE = 1
_FUTURE_CUE = re.compile(
    r"\b(?:will|shall|would|next|scheduled|due|expected|planned|set to|starting)\b", re.I
)


def _explicit(text: str, written: WrittenDate, anchor: date) -> TimeRef | None:
    year = written.year if written.year is not None else anchor.year
    day = _safe_date(year, written.month, written.day)
    if day is not None and written.year is None and day > anchor + FUTURE_SLACK:
        # Past by default ("Dec. 28" in January); a plan says when it is due ("will
        # begin on March 15"), and then the coming date is meant.
        planned = _FUTURE_CUE.search(text, max(0, written.start - 80), written.start)
        if planned is None or day > anchor + timedelta(days=120):
            day = _safe_date(year - 1, written.month, written.day)
    if day is None:
        return None
    return TimeRef(written.start, written.end, text[written.start : written.end], day, "day", day)


def _relative_days(text: str, anchor: date) -> list[TimeRef]:
    refs = [_day(m, anchor - timedelta(days=2)) for m in _TWO_DAYS.finditer(text)]
    refs += [_day(m, anchor) for m in _SAME_DAY.finditer(text)]
    refs += [_day(m, anchor - timedelta(days=1)) for m in _DAY_BEFORE.finditer(text)]
    for match in _DAYS_AGO.finditer(text):
        raw = match["n"].lower()
        count = int(raw) if raw.isdigit() else _NUMBERS[raw]
        unit = match["unit"].lower()
        if unit.startswith("day"):
            refs.append(_day(match, anchor - timedelta(days=count)))
        elif unit.startswith("week"):
            refs.append(_week(match, anchor - timedelta(weeks=count)))
        else:
            refs.append(_month(match, *_shift_month(anchor.year, anchor.month, -count)))
    return refs


def _weekdays(text: str, anchor: date, *, at_least: bool = False) -> list[TimeRef]:
    refs = []
    for match in _WEEKDAY.finditer(text):
        weekday = _WEEKDAYS.index(match["day"].lower())
        back = (anchor.weekday() - weekday) % 7
        if match["last"] and back == 0:
            back = 7
        if at_least and not match["last"] and back >= 7 - _AFTER_THE_LATEST_DATE:
            back -= 7  # the day after the latest date the text states
        refs.append(_day(match, anchor - timedelta(days=back)))
    return refs


def _weeks(text: str, anchor: date) -> list[TimeRef]:
    refs = []
    for match in _WEEK.finditer(text):
        this_week = match["which"].lower() in ("this", "earlier this", "the past")
        day = anchor if this_week else anchor - timedelta(weeks=1)
        refs.append(_week(match, day))
    return refs


def _months_alone(text: str, anchor: date) -> list[TimeRef]:
    refs = []
    for match in _MONTH_ALONE.finditer(text):
        if not match["lead"] and not match["year"]:
            continue
        month = _MONTHS.index(match["month"].lower()) + 1
        year = int(match["year"]) if match["year"] else anchor.year
        if not match["year"] and (year, month) > (anchor.year, anchor.month):
            year -= 1  # "in December" written in January
        refs.append(_month(match, year, month))
    return refs


def _relative_months(text: str, anchor: date) -> list[TimeRef]:
    refs = []
    for match in _MONTH_REL.finditer(text):
        step = 0 if match["which"].lower() in ("this", "earlier this") else -1
        refs.append(_month(match, *_shift_month(anchor.year, anchor.month, step)))
    return refs


def _years(text: str, anchor: date) -> list[TimeRef]:
    refs = []
    for match in _YEAR_REL.finditer(text):
        year = anchor.year - (1 if match["which"].lower() == "last" else 0)
        first, last = date(year, 1, 1), date(year, 12, 31)
        refs.append(TimeRef(match.start(), match.end(), match.group(0), first, "year", last))
    return refs


def _day(match: re.Match[str], day: date) -> TimeRef:
    return TimeRef(match.start(), match.end(), match.group(0), day, "day", day)


def _week(match: re.Match[str], day: date) -> TimeRef:
    monday = day - timedelta(days=day.weekday())
    return TimeRef(
        match.start(), match.end(), match.group(0), monday, "week", monday + timedelta(days=6)
    )


def _month(match: re.Match[str], year: int, month: int) -> TimeRef:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return TimeRef(
        match.start(), match.end(), match.group(0), first, "month", following - timedelta(days=1)
    )


def _shift_month(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
