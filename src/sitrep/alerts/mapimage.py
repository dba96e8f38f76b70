"""A small map of events as a PNG, for e-mails (inline: mail clients block remote images).

It is the brief's static map (:func:`sitrep.brief.charts.map_png`, with the offline
basemap) when matplotlib is installed; without it, a plain locator drawn here: each event
a dot in its type's colour on a graticule spanning the events, one line per degree.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Sequence
from typing import Any

from sitrep.errors import ConfigError

__all__ = ["events_map_png"]

WIDTH, HEIGHT = 360, 240
_BACKGROUND = (238, 242, 245)
_GRID = (200, 208, 214)
_MARGIN = 0.25  # degrees around the events
MAIL_MAP_INCHES = 4.0


def events_map_png(events: Sequence[dict[str, Any]]) -> bytes | None:
    """The map of the events that have coordinates; None if none has."""
    points = [(geo["lon"], geo["lat"], e.get("event_type")) for e in events if (geo := _geo(e))]
    if not points:
        return None
    try:
        from sitrep.brief.charts import map_png
        from sitrep.brief.select import item_of

        return map_png([item_of(e) for e in events], None, (), MAIL_MAP_INCHES)
    except (ImportError, ConfigError):  # no matplotlib: the plain locator
        return locator_png(points)


def locator_png(points: Sequence[tuple[float, float, str | None]]) -> bytes:
    """Dots at (lon, lat) in their event type's colour, on a one-degree graticule."""
    from sitrep.web.filters import type_style  # the web package imports the service

    west, east = _span([p[0] for p in points])
    south, north = _span([p[1] for p in points])
    pixels = bytearray(bytes(_BACKGROUND) * (WIDTH * HEIGHT))

    def at(lon: float, lat: float) -> tuple[int, int]:
        x = (lon - west) / (east - west) * (WIDTH - 1)
        y = (north - lat) / (north - south) * (HEIGHT - 1)
        return round(x), round(y)

    for meridian in range(math.ceil(west), math.floor(east) + 1):
        _fill(pixels, at(meridian, north)[0], 0, 1, HEIGHT, _GRID)
    for parallel in range(math.ceil(south), math.floor(north) + 1):
        _fill(pixels, 0, at(west, parallel)[1], WIDTH, 1, _GRID)
    for lon, lat, event_type in points:
        x, y = at(lon, lat)
        _fill(pixels, x - 3, y - 3, 7, 7, (255, 255, 255))
        _fill(pixels, x - 2, y - 2, 5, 5, _rgb(type_style(event_type)[0]))
    return _png(pixels)


def _geo(event: dict[str, Any]) -> dict[str, Any] | None:
    geo = (event.get("location") or {}).get("geo") or {}
    return geo if geo.get("lat") is not None and geo.get("lon") is not None else None


def _span(values: list[float]) -> tuple[float, float]:
    low, high = min(values) - _MARGIN, max(values) + _MARGIN
    return low, high


def _fill(pixels: bytearray, x: int, y: int, w: int, h: int, rgb: tuple[int, int, int]) -> None:
    for row in range(max(y, 0), min(y + h, HEIGHT)):
        for col in range(max(x, 0), min(x + w, WIDTH)):
            start = (row * WIDTH + col) * 3
            pixels[start : start + 3] = bytes(rgb)


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _png(pixels: bytearray) -> bytes:
    stride = WIDTH * 3
    raw = b"".join(b"\x00" + bytes(pixels[y * stride : (y + 1) * stride]) for y in range(HEIGHT))
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
