"""ISO date and datetime parsing shared by extractors, feeds, JSONL and the store."""

from __future__ import annotations

from datetime import date, datetime

__all__ = ["parse_iso"]


def parse_iso(value: str | None) -> date | datetime | None:
    """A date for 'YYYY-MM-DD', a datetime for longer ISO strings, None if unparseable."""
    if not value:
        return None
    text = value.strip()
    try:
        if len(text) <= 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
