"""What an analyst may pin, and in what shape: a pinned field replaces fusion's, so it
must look like one ("12" becomes ``{"value": 12, "range": [12, 12]}``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sitrep.errors import InputError
from sitrep.events.ontology import all_types

__all__ = ["PINNABLE", "pin_value"]

_PRECISIONS = ("day", "week", "month", "year", "unknown")


def pin_value(field: str, value: Any) -> Any:
    """``value`` in the shape fusion gives ``field``; E115 names what is wrong."""
    shape = _SHAPES.get(field)
    if shape is None:
        raise InputError(
            "E110", f"{field!r} cannot be pinned (one of: {', '.join(sorted(_SHAPES))})"
        )
    try:
        return shape(value)
    except (TypeError, ValueError) as error:
        raise InputError("E115", f"cannot pin {field} to {value!r}: {error}") from None


def _fatalities(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        number = _count(value.get("value"))
        low, high = (_count(v) for v in value.get("range") or (number, number))
        if not low <= number <= high:
            raise ValueError("the value must lie within the range")
        return {"value": number, "range": [low, high]}
    number = _count(value)
    return {"value": number, "range": [number, number]}


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError("a count is a whole number")
    number = int(value)
    if number < 0:
        raise ValueError("a count cannot be negative")
    return number


def _day(value: Any) -> str:
    return date.fromisoformat(str(value)).isoformat()


def _precision(value: Any) -> str:
    if value not in _PRECISIONS:
        raise ValueError(f"one of {', '.join(_PRECISIONS)}")
    return str(value)


def _sub_event_type(value: Any) -> str:
    if value not in {t.name for t in all_types()}:
        raise ValueError("not a sub-event type of the ontology")
    return str(value)


def _event_type(value: Any) -> str:
    if value not in {t.event_type for t in all_types()}:
        raise ValueError("not an event type of the ontology")
    return str(value)


def _named(key: str) -> Callable[[Any], dict[str, Any]]:
    """A place or an actor: a name alone, or the record's own shape."""

    def shape(value: Any) -> dict[str, Any]:
        if isinstance(value, dict) and value.get("text"):
            return value
        if isinstance(value, str) and value.strip():
            text = " ".join(value.split())
            return (
                {"text": text, key: None}
                if key == "geo"
                else {"text": text, key: None, "name": text}
            )
        raise ValueError("give a name")

    return shape


def _notes(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("notes are text")
    return value.strip()


_SHAPES: dict[str, Callable[[Any], Any]] = {
    "event_type": _event_type,
    "sub_event_type": _sub_event_type,
    "date": _day,
    "date_precision": _precision,
    "location": _named("geo"),
    "actor1": _named("actor_id"),
    "actor2": _named("actor_id"),
    "fatalities": _fatalities,
    "notes": _notes,
}
PINNABLE = frozenset(_SHAPES)
