"""What changed for a saved search between two moments, read from the event history.

An alert reports events that are new and match the search, and revisions that matter to an
event that matches it (before or after): fatalities revised, the event retracted, a dispute
appeared. An event that only gained another report is not news to a subscriber.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sitrep.store.events import EventFilter, record_matches
from sitrep.store.searches import EventState

__all__ = ["Change", "describe_fatalities", "headline", "revisions", "what_changed"]


@dataclass(frozen=True)
class Change:
    event_id: int
    kind: str  # new | revised | retracted
    headline: str
    details: tuple[str, ...]  # "fatalities revised from 33 to 34", ...
    record: dict[str, Any]  # the event as it now stands (as it last stood if retracted)


def what_changed(
    history: Mapping[int, tuple[EventState | None, EventState]],
    where: EventFilter,
    min_confidence: float = 0.0,
) -> list[Change]:
    """The changes worth an alert, newest event first."""
    found = [
        change
        for event_id, (before, after) in history.items()
        if (change := _change(event_id, before, after, where, min_confidence)) is not None
    ]
    return sorted(found, key=lambda c: (c.record.get("date") or "", c.event_id), reverse=True)


def _change(
    event_id: int,
    before: EventState | None,
    after: EventState,
    where: EventFilter,
    min_confidence: float,
) -> Change | None:
    gone = after.action == "retracted"
    existed = before is not None and before.action != "retracted"
    shown = before.record if gone and before is not None else after.record
    if float(shown.get("confidence") or 0) < min_confidence:
        return None
    if not existed:
        if gone or not record_matches(after.record, where):
            return None
        return Change(event_id, "new", headline(after.record), ("new event",), after.record)
    assert before is not None  # existed
    if not (record_matches(before.record, where) or record_matches(after.record, where)):
        return None
    if gone:
        details: tuple[str, ...] = (f"event retracted ({after.cause})",)
        return Change(event_id, "retracted", headline(before.record), details, before.record)
    details = revisions(before.record, after.record)
    if not details:
        return None
    return Change(event_id, "revised", headline(after.record), details, after.record)


def revisions(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """The revisions that matter between two states of one event, in words."""
    found: list[str] = []
    old, new = before.get("fatalities"), after.get("fatalities")
    if (_value(old), _range(old)) != (_value(new), _range(new)):
        found.append(
            f"fatalities revised from {describe_fatalities(old)} to {describe_fatalities(new)}"
        )
    found.extend(_outlet_revisions(before, after))
    if after.get("disputed") and not before.get("disputed"):
        fields = ", ".join(after.get("disputed_fields") or ()) or "a field"
        found.append(f"dispute appeared: sources disagree on {fields}")
    return tuple(found)


def _outlet_revisions(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """An outlet giving a new toll ("fatalities revised from 33 to 34 (Levant Wire)"), even
    when the event's own, most conservative, figure stays as it was."""
    old, new = _figures_by_outlet(before), _figures_by_outlet(after)
    found = []
    for outlet in sorted(new):
        added = new[outlet] - old.get(outlet, set())
        if added and outlet in old:
            was = ", ".join(sorted(old[outlet]))
            found.append(f"fatalities revised from {was} to {', '.join(sorted(added))} ({outlet})")
    return found


def _figures_by_outlet(record: Mapping[str, Any]) -> dict[str, set[str]]:
    claims = (record.get("claims") or {}).get("fatalities") or ()
    figures: dict[str, set[str]] = {}
    for claim in claims:
        low, high = claim.get("low"), claim.get("high")
        figure = str(low) if low == high else f"{low} to {high}"
        for outlet in claim.get("outlets") or ():
            figures.setdefault(str(outlet), set()).add(figure)
    return figures


def describe_fatalities(fatalities: Any) -> str:
    """The figure, and the range of the reports when they differ: "12 (reports: 12 to 20)"."""
    value = _value(fatalities)
    if value is None:
        return "none reported"
    bounds = _range(fatalities)
    if len(bounds) == 2 and bounds[0] != bounds[1]:
        return f"{value} (reports: {_range_text(fatalities)})"
    return str(value)


def headline(record: Mapping[str, Any]) -> str:
    """One line naming the event: day, kind and place."""
    location = record.get("location") or {}
    place = (location.get("geo") or {}).get("name") or location.get("text") or "unknown place"
    kind = record.get("sub_event_type") or record.get("event_type") or "event"
    return f"{record.get('date') or 'undated'}: {kind} in {place}"


def _value(fatalities: Any) -> int | None:
    return fatalities.get("value") if isinstance(fatalities, Mapping) else None


def _range(fatalities: Any) -> tuple[int, ...]:
    found = fatalities.get("range") if isinstance(fatalities, Mapping) else None
    return tuple(found or ())


def _range_text(fatalities: Any) -> str:
    bounds = _range(fatalities)
    if len(bounds) != 2:
        return "none"
    low, high = bounds
    return str(low) if low == high else f"{low} to {high}"
