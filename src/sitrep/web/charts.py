"""Charts drawn on the server as SVG: they need no script, and every bar is a link."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sitrep.web.filters import EVENT_TYPES, type_style

__all__ = ["Bar", "Chart", "activity_chart", "timeline_chart"]

WIDTH = 960
HEIGHT = 240
MARGIN_LEFT = 36
MARGIN_BOTTOM = 28
MAX_DAYS = 400  # past this a bar is thinner than a pixel; the page asks for a narrower range


@dataclass(frozen=True)
class Bar:
    """One stacked segment: a day and type, its place in the chart and its colour."""

    day: str
    event_type: str
    count: int
    x: float
    y: float
    width: float
    height: float
    color: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]  # x and label of the day ticks
    y_ticks: list[tuple[float, int]]
    types: list[tuple[str, str, str, int]]  # type, colour, shape, total
    first: str | None
    last: str | None
    truncated: bool

    @property
    def empty(self) -> bool:
        return not self.bars


def timeline_chart(items: list[dict[str, Any]]) -> Chart:
    """Events per day, stacked by type, from ``{"date", "event_type", "count"}`` rows."""
    per_day: dict[str, dict[str, int]] = defaultdict(dict)
    for item in items:
        if item.get("date"):
            per_day[item["date"]][item["event_type"]] = int(item["count"])
    return _stacked(per_day)


def activity_chart(activity: list[dict[str, Any]]) -> Chart:
    """An actor's events per day, one colour."""
    per_day = {a["date"]: {"": int(a["count"])} for a in activity if a.get("date")}
    return _stacked(per_day)


def _stacked(per_day: dict[str, dict[str, int]]) -> Chart:
    days = _day_range(sorted(per_day))
    truncated = len(days) > MAX_DAYS
    days = days[-MAX_DAYS:]
    tallest = max((sum(per_day.get(d, {}).values()) for d in days), default=0)
    plot_w, plot_h = WIDTH - MARGIN_LEFT - 8, HEIGHT - MARGIN_BOTTOM - 8
    step = plot_w / max(len(days), 1)
    unit = plot_h / max(tallest, 1)
    bars = []
    for i, day in enumerate(days):
        top = float(HEIGHT - MARGIN_BOTTOM)
        for event_type in _type_order(per_day.get(day, {})):
            count = per_day[day][event_type]
            color = type_style(event_type)[0] if event_type else "#0072B2"
            top -= count * unit
            x = MARGIN_LEFT + i * step + step * 0.1
            bars.append(
                Bar(day, event_type, count, x, top, max(step * 0.8, 1), count * unit, color)
            )
    totals: dict[str, int] = defaultdict(int)
    for bar in bars:
        totals[bar.event_type] += bar.count
    types = [(t, *type_style(t), totals[t]) for t in _type_order(totals) if t]
    return Chart(
        WIDTH,
        HEIGHT,
        bars,
        _day_ticks(days, step),
        _count_ticks(tallest, unit),
        types,
        days[0] if days else None,
        days[-1] if days else None,
        truncated,
    )


def _day_range(days: list[str]) -> list[str]:
    """Every day from the first to the last, so that quiet days show as gaps."""
    if not days:
        return []
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    return [(first + timedelta(n)).isoformat() for n in range((last - first).days + 1)]


def _type_order(counts: dict[str, int]) -> list[str]:
    known = [t for t in EVENT_TYPES if t in counts]
    return known + sorted(t for t in counts if t not in EVENT_TYPES)


def _day_ticks(days: list[str], step: float) -> list[tuple[float, str]]:
    every = max(1, len(days) // 8)
    return [
        (MARGIN_LEFT + i * step + step / 2, day) for i, day in enumerate(days) if i % every == 0
    ]


def _count_ticks(tallest: int, unit: float) -> list[tuple[float, int]]:
    every = max(1, -(-tallest // 4))
    return [(HEIGHT - MARGIN_BOTTOM - n * unit, n) for n in range(0, tallest + 1, every)]
