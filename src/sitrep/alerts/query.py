"""A saved search is the query string of the events list, parsed the way its page parses it.

The fields are those of :class:`sitrep.web.filters.Filters`, checked against the same
limits as the page's form, so a search saved from the page filters the same events again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from sitrep.errors import InputError
from sitrep.store.events import EventFilter

if TYPE_CHECKING:  # the web package imports the service, which imports this module
    from sitrep.web.filters import Filters

__all__ = ["event_filter", "parse_query"]

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_LENGTH = {"event_type": 100, "actor": 100, "outlet": 200, "q": 200}
_TRUE = {"1", "true", "on", "yes"}
_FALSE = {"0", "false", "off", "no", ""}


def parse_query(text: str) -> Filters:
    """The filter of a query string (``event_type=Battles&q=Idlib``, a leading ``?`` or a
    whole URL's query part is fine); E801 names the parameter that is wrong."""
    from sitrep.web.filters import Filters

    query = text.strip().partition("?")[2] if "?" in text else text.strip()
    values: dict[str, str] = {}
    known = set(Filters.__dataclass_fields__)
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name not in known:
            raise _bad(name, value, f"is not a filter (one of: {', '.join(sorted(known))})")
        if name in values:
            raise _bad(name, value, "is given twice")
        values[name] = value.strip()
    since, until = _day(values, "since"), _day(values, "until")
    if since and until and since > until:
        raise _bad("until", until, f"is before since ({since})")
    return Filters(
        since=since,
        until=until,
        event_type=_text(values, "event_type"),
        actor=_text(values, "actor"),
        outlet=_text(values, "outlet"),
        min_confidence=_confidence(values.get("min_confidence", "")),
        disputed=_flag(values.get("disputed", "")),
        q=_text(values, "q"),
    )


def event_filter(text: str, family: Callable[[list[str]], tuple[str, ...]]) -> EventFilter:
    return parse_query(text).event_filter(family)


def _day(values: dict[str, str], name: str) -> str:
    value = values.get(name, "")
    if value and not _DAY.match(value):
        raise _bad(name, value, "is not a day (YYYY-MM-DD)")
    return value


def _text(values: dict[str, str], name: str) -> str:
    value = values.get(name, "")
    if len(value) > _MAX_LENGTH[name]:
        raise _bad(name, value[:40] + "...", f"is longer than {_MAX_LENGTH[name]} characters")
    return value


def _confidence(value: str) -> float:
    if not value:
        return 0.0
    try:
        number = float(value)
    except ValueError:
        raise _bad("min_confidence", value, "is not a number") from None
    if not 0.0 <= number <= 1.0:
        raise _bad("min_confidence", value, "is not between 0 and 1")
    return number


def _flag(value: str) -> bool:
    if value.lower() not in _TRUE | _FALSE:
        raise _bad("disputed", value, "is not 1 or 0")
    return value.lower() in _TRUE


def _bad(name: str, value: str, problem: str) -> InputError:
    return InputError(
        "E801",
        f"saved search query: {name}={value!r} {problem}",
        "use the query string of a filtered events page, e.g. event_type=Battles&q=Idlib",
    )
