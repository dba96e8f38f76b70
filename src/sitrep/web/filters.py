"""The event filter of the analyst's pages: one form, read from the query string.

The map, the timeline, the event list and the export links share it, so that a filter set on
one page carries to the others as the same query string.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Query

from sitrep.events.ontology import ACLED_EVENT_TYPES, SITREP_EVENT_TYPE
from sitrep.store.events import EventFilter

__all__ = [
    "EVENT_TYPES",
    "TYPE_STYLES",
    "FilterQuery",
    "Filters",
    "filters_from_query",
    "type_style",
]

_DAY = r"^(\d{4}-\d{2}-\d{2})?$"  # forms send empty fields as ""
EVENT_TYPES = (*ACLED_EVENT_TYPES, SITREP_EVENT_TYPE)
# Okabe-Ito colours (distinguishable with colour blindness) and a shape each, so that type is
# never told by colour alone. map.js draws the same shapes from the legend's data attributes.
TYPE_STYLES = {
    "Battles": ("#D55E00", "diamond"),
    "Explosions/Remote violence": ("#B86E00", "star"),
    "Violence against civilians": ("#A0527F", "triangle"),
    "Protests": ("#0072B2", "square"),
    "Riots": ("#2F7FA6", "hexagon"),
    "Strategic developments": ("#007A5A", "circle"),
    SITREP_EVENT_TYPE: ("#5A5A5A", "ring"),
}
_OTHER_STYLE = ("#5A5A5A", "ring")


def type_style(event_type: str | None) -> tuple[str, str]:
    return TYPE_STYLES.get(event_type or "", _OTHER_STYLE)


@dataclass(frozen=True)
class Filters:
    since: str = ""
    until: str = ""
    event_type: str = ""
    actor: str = ""
    outlet: str = ""
    min_confidence: float = 0.0
    disputed: bool = False
    q: str = ""

    def event_filter(
        self, family: Callable[[list[str]], tuple[str, ...]], *, located: bool = False
    ) -> EventFilter:
        """The store's filter; ``family`` widens the actor to its proxies, as the API and
        the CLI do (``Service.actor_family``)."""
        return EventFilter(
            since=self.since or None,
            until=self.until or None,
            event_type=self.event_type or None,
            actors=family([self.actor]) if self.actor else (),
            outlet=self.outlet or None,
            min_confidence=self.min_confidence,
            disputed=self.disputed,
            text=self.q or None,
            located=located,
        )

    def query(self, **changes: str) -> str:
        """The filter as a query string (empty fields left out), with ``changes`` applied."""
        values = {k: v for k, v in asdict(self).items() if v not in ("", 0.0, False)}
        values = {k: ("1" if v is True else v) for k, v in values.items()} | changes
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})

    @property
    def active(self) -> bool:
        return self != Filters()


def filters_from_query(
    since: Annotated[str, Query(pattern=_DAY)] = "",
    until: Annotated[str, Query(pattern=_DAY)] = "",
    event_type: Annotated[str, Query(max_length=100)] = "",
    actor: Annotated[str, Query(max_length=100)] = "",
    outlet: Annotated[str, Query(max_length=200)] = "",
    min_confidence: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
    disputed: bool = False,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Filters:
    """A FastAPI dependency: the filter from the page's query string."""
    return Filters(since, until, event_type, actor, outlet, min_confidence, disputed, q.strip())


FilterQuery = Annotated[Filters, Depends(filters_from_query)]
