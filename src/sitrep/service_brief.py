"""The service's situation reports: a period's fused events as a short sourced brief.

A part of :class:`sitrep.service.Service` (mixed into it). It only reads the store.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sitrep.errors import InputError
from sitrep.service_base import ServiceMixin
from sitrep.store.events import EventFilter

if TYPE_CHECKING:
    from sitrep.brief.render import Report
    from sitrep.brief.sections import Displacement
    from sitrep.brief.select import Item, Region
    from sitrep.geo.gazetteer import Gazetteer
    from sitrep.records import StoredArticle

__all__ = ["BriefOutput", "BriefService"]

# Actors checked for activity before the period: the most active ones, one query each.
NEW_ACTOR_CHECKS = 40
MENTION_BATCH = 500
# Which gazetteer entry a region name means, when several share it: areas before places.
_REGION_KINDS = {"admin1": 0, "country": 1, "admin2": 2}


@dataclass(frozen=True)
class BriefOutput:
    content: bytes
    media_type: str
    events: int  # events the brief covers
    footnotes: int


class BriefService(ServiceMixin):
    def article(self, article_id: int) -> StoredArticle:  # pragma: no cover - provided
        raise NotImplementedError

    def _gazetteer(self) -> Gazetteer:  # pragma: no cover - provided by CatalogService
        raise NotImplementedError

    def brief(
        self,
        region: str | None = None,
        since: str | None = None,
        until: str | None = None,
        actors: Sequence[str] = (),
        fmt: str = "html",
        out: str | Path | IO[bytes] | None = None,
        paper: str = "a4",
        where: EventFilter | None = None,
        base_url: str = "",
    ) -> BriefOutput:
        """A situation report of the events in ``region`` from ``since`` to ``until``
        (ISO dates, inclusive) as html, pdf or md; written to ``out`` when given.

        ``where`` narrows further (the web page's filters); ``actors`` covers their proxies.
        """
        from sitrep.brief.render import FORMATS, MEDIA_TYPES, PAPERS, render

        if fmt not in FORMATS:
            raise InputError("E111", f"a brief cannot be written as {fmt!r}", "use html, pdf or md")
        if paper not in PAPERS:
            raise InputError("E111", f"unknown paper size {paper!r}", "use a4 or letter")
        report = self.brief_report(region, since, until, actors, where, fmt != "md", base_url)
        content = render(report, fmt, paper)
        _write(content, out)
        return BriefOutput(content, MEDIA_TYPES[fmt], report.events, len(report.footnotes))

    def brief_report(
        self,
        region: str | None = None,
        since: str | None = None,
        until: str | None = None,
        actors: Sequence[str] = (),
        where: EventFilter | None = None,
        charts: bool = True,
        base_url: str = "",
    ) -> Report:
        """The brief's content before it is rendered: sections, footnotes, charts."""
        from sitrep.brief.charts import map_png, timeline_png
        from sitrep.brief.render import CHART_WIDTH_IN, Report
        from sitrep.brief.sections import build_sections
        from sitrep.brief.select import developments
        from sitrep.brief.write import Notes, period_phrase

        since, until = _day(since, "since"), _day(until, "until")
        area = self.resolve_region(region) if region else None
        items = self._brief_items(area, since, until, actors, where)
        new_actors = self._new_actors(items, since)
        ranked = developments(items, new_actors)
        notes = Notes(self._article_info())
        sections = build_sections(
            ranked,
            items,
            area,
            (since, until),
            new_actors,
            self._displacement(items),
            self._actor_name,
            notes,
        )
        report = Report(
            title=f"Situation report: {area.name if area else 'all areas'}",
            period=_capital(period_phrase(since, until)),
            generated=datetime.now(UTC).strftime("%d %B %Y, %H:%M UTC"),
            sections=sections,
            footnotes=notes.footnotes,
            outlets=Counter(o for i in items for o in i.outlets).most_common(),
            events=len(items),
            base_url=base_url.rstrip("/"),
        )
        if charts:
            report.charts["map"] = map_png(items, area, ranked[:5], CHART_WIDTH_IN)
            report.charts["timeline"] = timeline_png(items, CHART_WIDTH_IN)
        return report

    def resolve_region(self, name: str) -> Region:
        """A region name as the gazetteer knows it: an admin-1 area ("Idlib" governorate)
        before a country, a district, or a place of that name."""
        from sitrep.brief.select import Region

        exact = [c.place for c in self._gazetteer().lookup(name.strip()) if c.exact]
        if not exact:
            raise InputError(
                "E113",
                f"region {name!r} is not an area, country or place in the gazetteer",
                "try a governorate or province name such as 'Idlib', or a country",
            )
        place = min(exact, key=lambda p: (_REGION_KINDS.get(p.kind, 3), -p.population))
        kind = place.kind if place.kind in ("admin1", "country") else "place"
        return Region(
            name=place.name,
            kind=kind,
            country=place.country,
            lat=place.lat,
            lon=place.lon,
            radius_km=place.radius_km,
            admin1=place.name if kind == "admin1" else "",
        )

    def _brief_items(
        self,
        area: Region | None,
        since: str | None,
        until: str | None,
        actors: Sequence[str],
        where: EventFilter | None,
    ) -> list[Item]:
        from sitrep.brief.select import item_of

        family = self.actor_family(list(actors)) if actors else ()
        query = dataclasses.replace(
            where or EventFilter(),
            since=since or (where.since if where else None),
            until=until or (where.until if where else None),
            actors=family or (where.actors if where else ()),
            bbox=area.bbox if area else (where.bbox if where else None),
        )
        found = []
        for record in self.store.iter_events(query):
            geo = (record.get("location") or {}).get("geo") or {}
            if area is None or area.contains(geo):
                found.append(item_of(record))
        return found

    def _new_actors(self, items: Sequence[Item], since: str | None) -> frozenset[str]:
        """Actors of the period with no event before it (the most active ones only)."""
        if not since or not items:
            return frozenset()
        before = (date.fromisoformat(since) - timedelta(days=1)).isoformat()
        activity = Counter(a for i in items for a, _, _ in i.actors)
        fresh = set()
        for actor, _ in activity.most_common(NEW_ACTOR_CHECKS):
            if not self.store.list_events(EventFilter(until=before, actors=(actor,)), limit=1):
                fresh.add(actor)
        return frozenset(fresh)

    def _displacement(self, items: Sequence[Item]) -> list[Displacement]:
        """Displacement figures in the mentions whose evidence speaks of displacement."""
        from sitrep.brief.sections import Displacement

        wanted = {m: (item, outlet) for item in items for m, outlet in item.displacement_mentions}
        ids = sorted(wanted)
        found = []
        for start in range(0, len(ids), MENTION_BATCH):
            for facts in self.store.mention_facts(ids[start : start + MENTION_BATCH]):
                item, outlet = wanted[facts.mention_id]
                for figure in facts.record.get("magnitudes") or ():
                    if figure.get("measure") == "displaced":
                        low, high = int(figure["low"]), int(figure["high"])
                        found.append(Displacement(item, low, high, outlet))
        return sorted(found, key=lambda d: (-d.high, d.item.date, d.item.id))

    def _article_info(self) -> Any:
        cache: dict[int, tuple[str, str | None]] = {}

        def info(article_id: int) -> tuple[str, str | None]:
            if article_id not in cache:
                article = self.article(article_id).article
                cache[article_id] = (article.title or "untitled", article.url)
            return cache[article_id]

        return info

    def _actor_name(self, actor_id: str) -> str:
        kb = self._actor_kb()
        return kb.get(actor_id).name if actor_id in kb else actor_id


def _day(value: str | None, name: str) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InputError(
            "E114", f"--{name} {value!r} is not a date", "write it as YYYY-MM-DD"
        ) from None


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _write(content: bytes, out: str | Path | IO[bytes] | None) -> None:
    if out is None:
        return
    if isinstance(out, (str, Path)):
        Path(out).write_bytes(content)
    else:
        out.write(content)
