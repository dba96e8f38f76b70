"""Publication dates inferred from what an article's text states.

A page without a machine-readable date still names the days it reports on. An article
cannot predate the events it describes, so the latest date the text states is the
earliest date it can have been published: :func:`infer_published` returns that.

Recognised forms: ``February 3, 2020``, ``Feb. 3, 2020``, ``3 February 2020``,
``Jan. 28`` / ``28 Jan`` (no year: borrowed from the full dates in the same texts),
ISO ``2020-02-03``, French ``3 février 2020`` / ``1er mars``, and Arabic ``25 شباط/فبراير 2020``
(Levantine and Egyptian month names, either or both; Arabic-Indic digits too). Slashed numeric dates
(``03/02/2020``) are skipped on purpose: day-first and month-first readings differ.

A weekday written just before a date ("Tuesday 11 February", "on Monday, March 2")
checks the year a yearless date was given: if that day is no Tuesday, the date is
dropped. A weekday never chooses the year itself: one weekday fits many years.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "WrittenDate",
    "date_spans",
    "dates_in_text",
    "infer_published",
    "is_date_line",
    "written_dates",
]

FIRST_PLAUSIBLE_YEAR = 1990
# A yearless date that would fall this long after the latest full date most likely
# belongs to the year before ("Dec. 28" in an article dated early January).
YEARLESS_LOOKAHEAD = timedelta(days=60)

_EN_MONTHS: dict[str, int] = {
    "January": 1,
    "February": 2,
    "March": 3,
    "April": 4,
    "May": 5,
    "June": 6,
    "July": 7,
    "August": 8,
    "September": 9,
    "October": 10,
    "November": 11,
    "December": 12,
    "Jan": 1,
    "Feb": 2,
    "Mar": 3,
    "Apr": 4,
    "Jun": 6,
    "Jul": 7,
    "Aug": 8,
    "Sep": 9,
    "Sept": 9,
    "Oct": 10,
    "Nov": 11,
    "Dec": 12,
}
_FR_MONTHS: dict[str, int] = {
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
}

# Levantine (Syriac-derived) and Egyptian (Latin-derived) names; pages often give both,
# as in "شباط/فبراير".
_AR_MONTHS: dict[str, int] = {
    "كانون الثاني": 1, "يناير": 1, "شباط": 2, "فبراير": 2, "آذار": 3, "اذار": 3, "مارس": 3,
    "نيسان": 4, "أبريل": 4, "ابريل": 4, "إبريل": 4, "أيار": 5, "ايار": 5, "مايو": 5,
    "حزيران": 6, "يونيو": 6, "يونيه": 6, "تموز": 7, "يوليو": 7, "يوليه": 7, "آب": 8,
    "أغسطس": 8, "اغسطس": 8, "أيلول": 9, "ايلول": 9, "سبتمبر": 9, "تشرين الأول": 10,
    "تشرين الاول": 10, "أكتوبر": 10, "اكتوبر": 10, "تشرين الثاني": 11, "نوفمبر": 11,
    "كانون الأول": 12, "كانون الاول": 12, "ديسمبر": 12,
}  # fmt: skip
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _alternation(names: Iterable[str]) -> str:
    # Longest first, so "Sept" wins over "Sep" and "June" over "Jun".
    return "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))


# English names are matched case-sensitively (capitalised or upper case only), so that
# the verbs "may" and "march" are never read as months; French names are lower case
# in running text, and a day number must sit next to them anyway.
_EN = _alternation([*_EN_MONTHS, *(m.upper() for m in _EN_MONTHS)])
_FR = f"(?i:{_alternation(_FR_MONTHS)})"
_AR = _alternation(_AR_MONTHS)
_MONTH = rf"(?:{_EN}|{_FR}|{_AR})"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_YEAR = r"\d{4}"

_DATE_RE = re.compile(
    # February 3, 2020 / Feb. 3 / Jan. 27, (month first)
    rf"\b(?P<m1>{_MONTH})\.?\s+(?P<d1>{_DAY})(?:st|nd|rd|th)?(?!\d)"
    rf"(?:,?\s+(?P<y1>{_YEAR})(?!\d))?"
    # 3 February 2020 / 28 Jan / 1er mars 2020 (day first)
    rf"|(?<![\d.,])(?P<d2>{_DAY})(?:st|nd|rd|th|er)?\s+(?:of\s+)?(?P<m2>{_MONTH})\b\.?"
    rf"(?:\s*/\s*(?:{_AR})\b)?"
    rf"(?:,?\s+(?P<y2>{_YEAR})(?!\d))?"
    # 2020-02-03 (ISO)
    r"|(?<![\d-])(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})(?![\d-])"
)


_WEEKDAYS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        [
            ("monday", "mon", "lundi"),
            ("tuesday", "tue", "tues", "mardi"),
            ("wednesday", "wed", "mercredi"),
            ("thursday", "thu", "thur", "thurs", "jeudi"),
            ("friday", "fri", "vendredi"),
            ("saturday", "sat", "samedi"),
            ("sunday", "sun", "dimanche"),
        ]
    )
    for name in names
}
# "Tuesday 11 February", "Monday, March 2", "Sunday the 1st of March", "mardi 11 février"
_WEEKDAY_BEFORE = re.compile(
    rf"\b(?P<weekday>{_alternation(_WEEKDAYS)})\.?,?\s+(?:the\s+|le\s+)?$", re.IGNORECASE
)

# What a page's date line says besides the date: "Published on Wed 19 Feb 2020 09.12 GMT".
_DATE_LINE_FILLER = re.compile(
    r"\b(first |last )?(published|updated|posted|modified|on|at|publié|mis à jour|le|à|"
    r"gmt|utc|bst|est|edt|cet|am|pm|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|mon|tue|wed|thu|fri|sat|sun|lundi|mardi|mercredi|jeudi|vendredi|samedi|"
    r"dimanche)\b|\d{1,2}[:h.]\d{2}|[ap]\.m\.",
    re.IGNORECASE,
)
_AGO = re.compile(
    r"^((updated|published|posted)\s*:?\s*)?(about )?\d+ (seconds?|minutes?|mins?|hours?|"
    r"hrs?|days?|weeks?) ago$",
    re.IGNORECASE,
)
DATE_LINE_MAX_WORDS = 20


@dataclass(frozen=True)
class WrittenDate:
    """One date as written: the year is None when the text left it out."""

    year: int | None
    month: int
    day: int
    start: int
    end: int
    weekday: int | None = None  # Monday is 0, as in date.weekday()


def _month_number(name: str) -> int:
    return _EN_MONTHS.get(name.capitalize()) or _FR_MONTHS.get(name.lower()) or _AR_MONTHS[name]


def _plausible(year: int) -> bool:
    return FIRST_PLAUSIBLE_YEAR <= year <= date.today().year + 1


def _scan(text: str) -> list[WrittenDate]:
    found: list[WrittenDate] = []
    # One character for one: offsets into the translated text are offsets into the text.
    text = text.translate(_ARABIC_DIGITS)
    for match in _DATE_RE.finditer(text):
        groups = match.groupdict()
        if groups["y3"] is not None:
            year: int | None = int(groups["y3"])
            month, day = int(groups["m3"]), int(groups["d3"])
        else:
            month = _month_number(groups["m1"] or groups["m2"])
            day = int(groups["d1"] or groups["d2"])
            written = groups["y1"] or groups["y2"]
            year = int(written) if written else None
        if year is not None and not _plausible(year):
            # A historical date ("12 May 1985") or a count read as a year: neither can
            # be when a report on current events was published.
            continue
        found.append(
            WrittenDate(year, month, day, match.start(), match.end(), _weekday_before(text, match))
        )
    return found


def _weekday_before(text: str, match: re.Match[str]) -> int | None:
    before = _WEEKDAY_BEFORE.search(text, max(0, match.start() - 20), match.start())
    return _WEEKDAYS[before["weekday"].lower()] if before else None


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 30 February, or 29 February of a common year
        return None


def _resolve(found: list[WrittenDate], default_year: int | None) -> list[date]:
    full = [d for f in found if f.year is not None and (d := _make(f.year, f.month, f.day))]
    reference = max(full) if full else None
    fallback_year = reference.year if reference else default_year
    if reference is None and fallback_year is not None:
        # No full date: a yearless one whose weekday fits the borrowed year ("Tuesday 11
        # February" in 2020) anchors the others ("since 1 December" is then 2019's).
        confirmed = [
            d
            for f in found
            if f.weekday is not None
            and (d := _make(fallback_year, f.month, f.day))
            and d.weekday() == f.weekday
        ]
        reference = max(confirmed) if confirmed else None
    dates: list[date] = []
    for f in found:
        if f.year is not None:
            resolved = _make(f.year, f.month, f.day)
        elif fallback_year is None:
            continue
        else:
            resolved = _make(fallback_year, f.month, f.day)
            if resolved and reference and resolved > reference + YEARLESS_LOOKAHEAD:
                resolved = _make(fallback_year - 1, f.month, f.day)
            if resolved and f.weekday is not None and resolved.weekday() != f.weekday:
                resolved = None  # the borrowed year is wrong for this date
        if resolved is not None and resolved not in dates:
            dates.append(resolved)
    return dates


def dates_in_text(text: str, *, default_year: int | None = None) -> list[date]:
    """The dates ``text`` states, in order of first appearance, without repeats.

    A date written without a year takes the year of the latest full date in the same
    text, else ``default_year``; with neither it is skipped.
    """
    return _resolve(_scan(text), default_year)


def written_dates(text: str) -> list[WrittenDate]:
    """Every date written in ``text``, as written (a yearless one has ``year=None``)."""
    return _scan(text)


def date_spans(text: str) -> list[tuple[int, int]]:
    """Where dates are written in ``text`` (start, end), including yearless ones."""
    return [(f.start, f.end) for f in _scan(text)]


def infer_published(texts: Iterable[str], *, default_year: int | None = None) -> date | None:
    """The earliest possible publication date: the latest date the texts state.

    The texts are read together, so a yearless "Jan. 28" in one paragraph takes its
    year from "February 3, 2020" in another, else ``default_year``; with neither, a
    yearless date is skipped, even "Tuesday 11 February".
    """
    found = [f for text in texts for f in _scan(text)]
    dates = _resolve(found, default_year)
    return max(dates) if dates else None


def is_date_line(line: str) -> bool:
    """Whether ``line`` only says when a page was published or updated.

    "February 6, 2020 / 11:42 AM", "Publié le 2 mars 2020 à 10h15", "5 hours ago": a date,
    times, weekdays and words such as "Updated", and nothing else with letters in it.
    """
    if len(line.split()) > DATE_LINE_MAX_WORDS:
        return False
    if _AGO.match(line.strip()):
        return True
    found = _scan(line)
    rest = line
    for f in reversed(found):
        rest = f"{rest[: f.start]} {rest[f.end :]}"
    return bool(found) and not any(ch.isalpha() for ch in _DATE_LINE_FILLER.sub(" ", rest))
