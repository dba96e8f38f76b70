"""Situation reports: a period's fused events as a short brief whose every sentence cites
the events and articles behind it (HTML, Markdown, PDF). See docs/briefs.md."""

from __future__ import annotations

from sitrep.brief.render import FORMATS, PAPERS, Report, render
from sitrep.brief.select import Development, Item, Region, developments, item_of

__all__ = [
    "FORMATS",
    "PAPERS",
    "Development",
    "Item",
    "Region",
    "Report",
    "developments",
    "item_of",
    "render",
]
