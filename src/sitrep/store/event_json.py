"""Events as JSON text for the API: a record with its id, a GeoJSON point feature.

A page of events is the API's hot path, and records are big (every claim and outlet).
So the store keeps, next to each record, the few properties a map shows as JSON text
(``fused_events.summary``), and pages are answered by splicing stored JSON text into
the response instead of decoding each record and encoding it again.
"""

from __future__ import annotations

import json
import math
from typing import Any

__all__ = ["feature_text", "map_properties", "record_text", "summary_text"]


def map_properties(record: dict[str, Any]) -> dict[str, Any]:
    """What a map shows of an event (the GeoJSON properties, but for its id)."""
    location = record.get("location") or {}
    geo = location.get("geo") or {}
    return {
        "date": record.get("date"),
        "event_type": record["event_type"],
        "sub_event_type": record["sub_event_type"],
        "notes": record.get("notes"),
        "confidence": record["confidence"],
        "disputed": bool(record.get("disputed")),
        "outlets": len(record.get("outlets") or ()),
        "confirmations": record.get("confirmations", 0),
        "radius_km": geo.get("radius_km"),
        "geo_precision": geo.get("geo_precision"),
        "location": geo.get("name") or location.get("text"),
        "actor1": _name(record.get("actor1")),
        "actor2": _name(record.get("actor2")),
        "fatalities": (record.get("fatalities") or {}).get("value"),
    }


def summary_text(record: dict[str, Any]) -> str:
    """The map properties as the store keeps them."""
    return json.dumps(map_properties(record), ensure_ascii=False, separators=(",", ":"))


def record_text(event_id: int, text: str) -> str:
    """A stored record's JSON text with the event's id as its first member."""
    rest = text.strip()[1:].lstrip()
    return f'{{"id":{event_id}' + ("}" if rest.startswith("}") else "," + rest)


def feature_text(event_id: int, lon: float, lat: float, summary: str) -> str:
    """A GeoJSON point feature from the stored summary of a located event."""
    properties = record_text(event_id, summary)
    geometry = f'{{"type":"Point","coordinates":{_point(lon, lat)}}}'
    return f'{{"type":"Feature","geometry":{geometry},"properties":{properties}}}'


def _point(lon: float | None, lat: float | None) -> str:
    if isinstance(lon, float) and isinstance(lat, float) and math.isfinite(lon + lat):
        return f"[{lon!r},{lat!r}]"  # a finite float's repr is its JSON number
    return json.dumps([lon, lat], separators=(",", ":"))


def _name(actor: Any) -> str | None:
    if not isinstance(actor, dict):
        return None
    return actor.get("name") or actor.get("text")
