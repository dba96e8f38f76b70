"""Plain sentences from fused records, each with a footnote to its events and articles.

No language model: a sentence is assembled from a development's fields (who, what,
where, when, how many, who says so). The notes fusion writes for each event supply the
clause for event types this module has no phrasing of its own for.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sitrep.brief.select import Development, Item, Region

__all__ = [
    "Footnote",
    "Notes",
    "Section",
    "Sentence",
    "Source",
    "day_phrase",
    "development_sentence",
    "join_names",
    "period_phrase",
]

ARTICLES_PER_NOTE = 6
_NOTES_CLAUSE = re.compile(r"^(?:On|In|During) [^,]+, (?P<clause>.+?)\.(?:\s|$)")
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


@dataclass(frozen=True)
class Source:
    article_id: int
    outlet: str
    title: str
    url: str | None


@dataclass(frozen=True)
class Footnote:
    number: int
    events: tuple[int, ...]
    sources: tuple[Source, ...]
    more_events: int = 0  # events behind the sentence that the note does not list


@dataclass(frozen=True)
class Sentence:
    text: str
    note: int


@dataclass
class Section:
    key: str
    title: str
    sentences: list[Sentence] = field(default_factory=list)
    empty: str = ""  # said instead when there is nothing to report
    heading: dict[int, str] = field(default_factory=dict)  # sub-headings before sentence i

    def groups(self) -> list[tuple[str, list[Sentence]]]:
        """The sentences under their sub-headings ("" for none)."""
        found: list[tuple[str, list[Sentence]]] = []
        for index, sentence in enumerate(self.sentences):
            if index in self.heading or not found:
                found.append((self.heading.get(index, ""), []))
            found[-1][1].append(sentence)
        return found


ArticleInfo = Callable[[int], tuple[str, str | None]]  # article id -> (title, url)


class Notes:
    """Numbers footnotes in order of first citation; the same events cite the same note."""

    def __init__(self, article_info: ArticleInfo, max_events: int = 8) -> None:
        self._article_info = article_info
        self._max_events = max_events
        self._by_events: dict[tuple[int, ...], int] = {}
        self.footnotes: list[Footnote] = []

    def cite(self, items: Sequence[Item]) -> int:
        chosen = sorted(items, key=lambda i: (-len(i.outlets), -i.confidence, i.id))
        shown = tuple(sorted(i.id for i in chosen[: self._max_events]))
        if shown in self._by_events:
            return self._by_events[shown]
        number = len(self.footnotes) + 1
        pairs = dict.fromkeys(a for i in chosen[: self._max_events] for a in i.articles)
        sources = tuple(
            Source(article_id, outlet, *self._article_info(article_id))
            for article_id, outlet in list(pairs)[:ARTICLES_PER_NOTE]
        )
        self.footnotes.append(Footnote(number, shown, sources, len(chosen) - len(shown)))
        self._by_events[shown] = number
        return number

    def say(self, section: Section, text: str, items: Sequence[Item]) -> None:
        section.sentences.append(Sentence(_capital(text), self.cite(items)))


def development_sentence(development: Development) -> str:
    """ "On 28 January 2020, Syrian government forces took control of Maaret al-Numan,
    according to Frontline Daily and Northwest Monitor." """
    lead = development.lead
    spellings = list(dict.fromkeys(i.place for i in development.items if i.place))
    place = lead.place
    if len(spellings) > 1:  # outlets transliterate differently: show how each wrote it
        others = join_names([s for s in spellings if s != lead.place])
        place = f"{lead.place} (also written {others})"
    text = f"{day_phrase(lead.date, lead.date_precision)}, {what_happened(lead, place)}"
    if lead.fatalities:
        text += f", with {_killed(lead)}"
    text += f", according to {join_names(development.outlets)}"
    other_days = sorted({i.date for i in development.items} - {lead.date})
    if other_days:
        days = join_names([day_phrase(d, "day", bare=True) for d in other_days])
        text += f" (some reports date it {days})"
    return _capital(text) + "."


def what_happened(item: Item, place: str = "") -> str:
    """The clause saying what happened, without the date."""
    by = _actor(item, "actor1")
    against = _actor(item, "actor2")
    where = place or item.place or "an unknown place"
    if item.sub_event_type == "Non-violent transfer of territory":
        return f"{where} changed hands without fighting" + (f" ({by})" if by else "")
    if item.territorial:
        taker = by or "unidentified forces"
        return f"{taker} took control of {where}" + (f" from {against}" if against else "")
    found = _NOTES_CLAUSE.match(item.notes)
    if found:
        return found.group("clause")
    return f"{item.sub_event_type or item.event_type or 'an event'} in {where}".lower()


def killed_phrase(item: Item) -> str:
    return _killed(item)


def claims_phrase(claims: Iterable[tuple[str, Sequence[str]]]) -> str:
    """ "Frontline Daily says 5; Levant Wire says 5 to 8" """
    return "; ".join(f"{join_names(outlets)} {_says(outlets)} {value}" for value, outlets in claims)


def period_phrase(since: str | None, until: str | None) -> str:
    if since and until:
        return (
            f"from {day_phrase(since, 'day', bare=True)} to {day_phrase(until, 'day', bare=True)}"
        )
    if since:
        return f"since {day_phrase(since, 'day', bare=True)}"
    if until:
        return f"up to {day_phrase(until, 'day', bare=True)}"
    return "over the whole record"


def region_phrase(region: Region | None) -> str:
    return f"in {region.name}" if region else "across every area"


def day_phrase(iso: str, precision: str = "day", bare: bool = False) -> str:
    """ "On 28 January 2020" (or "28 January 2020" when ``bare``), "In February 2020"."""
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return "At an unknown date" if not bare else "an unknown date"
    month = f"{_MONTHS[day.month - 1]} {day.year}"
    if precision == "year":
        return f"{day.year}" if bare else f"In {day.year}"
    if precision == "month":
        return month if bare else f"In {month}"
    return f"{day.day} {month}" if bare else f"On {day.day} {month}"


def join_names(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def most_common_type(items: Iterable[Item]) -> str:
    counts = Counter(i.event_type for i in items if i.event_type)
    return counts.most_common(1)[0][0] if counts else "events"


def _actor(item: Item, role: str) -> str:
    return next((name for _, name, r in item.actors if r == role), "")


def _killed(item: Item) -> str:
    text = f"{item.fatalities} reported killed"
    if item.fatality_range and item.fatality_range[0] != item.fatality_range[1]:
        low, high = item.fatality_range
        text += f" (reports range from {low} to {high})"
    return text


def _says(outlets: Sequence[str]) -> str:
    return "says" if len(outlets) == 1 else "say"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
