"""Atom 1.0 (RFC 4287) and JSON Feed 1.1 of a saved search's events.

Ids are ``tag:`` URIs (RFC 4151) that never change: an event's is minted from the site's
host, the day the event was created and its event key, so a feed reader shows a revised
event as updated, not as a new entry. Each entry links to the event's page; its content is
the event's notes and its sources.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from sitrep.alerts.changes import headline

__all__ = ["ATOM_TYPE", "JSON_FEED_TYPE", "FeedEntry", "FeedInfo", "atom_feed", "json_feed"]

ATOM_TYPE = "application/atom+xml; charset=utf-8"
JSON_FEED_TYPE = "application/feed+json; charset=utf-8"
_ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class FeedInfo:
    """The feed itself: the saved search it shows and where it lives."""

    search_id: int
    title: str
    created: datetime  # the saved search's creation: mints the feed's id
    site_url: str  # https://host, no trailing slash
    self_url: str  # this feed's own address
    page_url: str  # the events list with the search's filter


@dataclass(frozen=True)
class FeedEntry:
    record: dict[str, Any]  # the fused event, with its "id"
    created: datetime
    updated: datetime


def atom_feed(info: FeedInfo, entries: Sequence[FeedEntry]) -> str:
    ET.register_namespace("", _ATOM)
    feed = ET.Element(f"{{{_ATOM}}}feed")
    _text(feed, "id", _tag(info.site_url, info.created, f"search/{info.search_id}"))
    _text(feed, "title", info.title)
    _text(feed, "updated", _when(_latest(info, entries)))
    _link(feed, "self", info.self_url, "application/atom+xml")
    _link(feed, "alternate", info.page_url, "text/html")
    author = ET.SubElement(feed, f"{{{_ATOM}}}author")
    _text(author, "name", "sitrep")
    _text(feed, "generator", "sitrep")
    for entry in entries:
        _atom_entry(feed, info, entry)
    ET.indent(feed)
    body = ET.tostring(feed, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'


def json_feed(info: FeedInfo, entries: Sequence[FeedEntry]) -> str:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": info.title,
        "home_page_url": info.page_url,
        "feed_url": info.self_url,
        "authors": [{"name": "sitrep"}],
        "items": [_json_item(info, entry) for entry in entries],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


def _atom_entry(feed: ET.Element, info: FeedInfo, entry: FeedEntry) -> None:
    record = entry.record
    node = ET.SubElement(feed, f"{{{_ATOM}}}entry")
    _text(node, "id", _event_tag(info, entry))
    _text(node, "title", headline(record))
    _text(node, "updated", _when(entry.updated))
    _text(node, "published", _when(entry.created))
    _link(node, "alternate", _event_url(info, record), "text/html")
    for term in (record.get("event_type"), record.get("sub_event_type")):
        if term:
            ET.SubElement(node, f"{{{_ATOM}}}category", term=str(term))
    _text(node, "summary", str(record.get("notes") or headline(record)))
    _text(node, "content", content_html(record, info.site_url)).set("type", "html")


def _json_item(info: FeedInfo, entry: FeedEntry) -> dict[str, Any]:
    record = entry.record
    return {
        "id": _event_tag(info, entry),
        "url": _event_url(info, record),
        "title": headline(record),
        "summary": str(record.get("notes") or ""),
        "content_html": content_html(record, info.site_url),
        "date_published": _when(entry.created),
        "date_modified": _when(entry.updated),
        "tags": [t for t in (record.get("event_type"), record.get("sub_event_type")) if t],
    }


def content_html(record: dict[str, Any], site_url: str) -> str:
    """The event's notes and sources as an HTML fragment (escaped: it is reporting)."""
    sources = "".join(
        f'<li><a href="{escape(site_url)}/articles/{int(m["article_id"])}">'
        f"{escape(str(m.get('outlet') or 'unknown outlet'))}</a>"
        f" ({escape(str(m.get('attribution') or 'the outlet'))}):"
        f" {escape(str(m.get('evidence') or ''))}</li>"
        for m in record.get("mentions") or ()
        if m.get("article_id") is not None
    )
    notes = escape(str(record.get("notes") or ""))
    return f"<p>{notes}</p><h3>Sources</h3><ul>{sources}</ul>"


def _event_tag(info: FeedInfo, entry: FeedEntry) -> str:
    key = entry.record.get("event_key") or entry.record["id"]
    return _tag(info.site_url, entry.created, f"event/{key}")


def _tag(site_url: str, day: datetime, specific: str) -> str:
    host = urlsplit(site_url).hostname or "localhost"
    return f"tag:{host},{day.date().isoformat()}:sitrep/{specific}"


def _event_url(info: FeedInfo, record: dict[str, Any]) -> str:
    return f"{info.site_url}/events/{int(record['id'])}"


def _latest(info: FeedInfo, entries: Sequence[FeedEntry]) -> datetime:
    return max((entry.updated for entry in entries), default=info.created)


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _text(parent: ET.Element, name: str, value: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{_ATOM}}}{name}")
    node.text = value
    return node


def _link(parent: ET.Element, rel: str, href: str, media_type: str) -> None:
    ET.SubElement(parent, f"{{{_ATOM}}}link", rel=rel, href=href, type=media_type)
