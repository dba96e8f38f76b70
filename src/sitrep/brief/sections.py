"""The report's sections, in order, from the period's ranked developments.

Each section says a bounded number of things (the top developments, not every event),
so a brief over 10,000 events reads like one over 30.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sitrep.brief.select import Development, Item, Region
from sitrep.brief.write import (
    Notes,
    Section,
    claims_phrase,
    day_phrase,
    development_sentence,
    join_names,
    most_common_type,
    period_phrase,
    region_phrase,
    what_happened,
)

__all__ = ["Displacement", "Limits", "build_sections"]


@dataclass(frozen=True)
class Limits:
    headline: int = 5
    areas: int = 6
    per_area: int = 3
    actors: int = 6
    territorial: int = 20
    casualties: int = 6
    disputed: int = 8


@dataclass(frozen=True)
class Displacement:
    """A displacement figure one report gave, and the event it belongs to."""

    item: Item
    low: int
    high: int
    outlet: str


def build_sections(
    ranked: Sequence[Development],
    items: Sequence[Item],
    region: Region | None,
    period: tuple[str | None, str | None],
    new_actors: frozenset[str],
    displacement: Sequence[Displacement],
    actor_name: Callable[[str], str],
    notes: Notes,
    limits: Limits = Limits(),
) -> list[Section]:
    return [
        _headline(ranked, items, region, period, notes, limits),
        _by_area(ranked, notes, limits),
        _actors(items, new_actors, actor_name, notes, limits),
        _territory(ranked, notes, limits),
        _casualties(items, displacement, notes, limits),
        _disputed(ranked, notes, limits),
    ]


def _headline(
    ranked: Sequence[Development],
    items: Sequence[Item],
    region: Region | None,
    period: tuple[str | None, str | None],
    notes: Notes,
    limits: Limits,
) -> Section:
    section = Section("summary", "Summary", empty="No events were recorded for this period.")
    if not items:
        return section
    top = ranked[: limits.headline]
    for development in top:
        notes.say(section, development_sentence(development), development.items)
    outlets = {o for i in items for o in i.outlets}
    killed = sum(i.fatalities or 0 for i in items)
    overview = (
        f"In all, {len(items)} events were recorded {region_phrase(region)} "
        f"{period_phrase(*period)}, from {len(outlets)} outlets"
    )
    if killed:
        overview += f", with at least {killed} people reported killed"
    notes.say(section, overview + ".", [i for d in top for i in d.items])
    return section


def _by_area(ranked: Sequence[Development], notes: Notes, limits: Limits) -> Section:
    section = Section("areas", "Key developments by area", empty="No event could be placed.")
    by_area: dict[str, list[Development]] = defaultdict(list)
    for development in ranked:
        if development.lead.area != "Unlocated":
            by_area[development.lead.area].append(development)
    weight = {
        area: sum(d.score for d in found[: limits.per_area]) for area, found in by_area.items()
    }
    for area in sorted(by_area, key=lambda a: (-weight[a], a))[: limits.areas]:
        found = by_area[area]
        section.heading[len(section.sentences)] = f"{area} ({_count(len(found), 'development')})"
        for development in found[: limits.per_area]:
            notes.say(section, development_sentence(development), development.items)
    return section


def _actors(
    items: Sequence[Item],
    new_actors: frozenset[str],
    actor_name: Callable[[str], str],
    notes: Notes,
    limits: Limits,
) -> Section:
    section = Section("actors", "Actor activity", empty="No known actor was named.")
    involved: dict[str, list[Item]] = defaultdict(list)
    names: dict[str, str] = {}
    initiated: Counter[str] = Counter()
    for item in items:
        for actor_id, name, role in item.actors:
            involved[actor_id].append(item)
            names[actor_id] = name
            initiated[actor_id] += role == "actor1"
    ordered = sorted(involved, key=lambda a: (-len(involved[a]), a))
    for actor_id in ordered[: limits.actors]:
        found = involved[actor_id]
        text = (
            f"{names[actor_id]} took part in {_count(len(found), 'event')} "
            f"({initiated[actor_id]} as the initiator), most often "
            f"{most_common_type(found).lower()}."
        )
        notes.say(section, text, found)
    fresh = [a for a in ordered if a in new_actors]
    if fresh:
        listed = [f"{names[a]} ({_count(len(involved[a]), 'event')})" for a in fresh[:8]]
        text = f"Not seen before this period: {join_names(listed)}."
        notes.say(section, text, [i for a in fresh[:8] for i in involved[a]])
    _sponsor_links(section, items, actor_name, notes, limits)
    return section


def _sponsor_links(
    section: Section,
    items: Sequence[Item],
    actor_name: Callable[[str], str],
    notes: Notes,
    limits: Limits,
) -> None:
    backed: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in items:
        for proxy, sponsor in dict.fromkeys(item.sponsors):
            backed[proxy, sponsor].append(item)
    links = sorted(backed, key=lambda k: (-len(backed[k]), k))[: limits.actors]
    for proxy, sponsor in links:
        found = backed[proxy, sponsor]
        text = (
            f"{proxy}, which the actor knowledge base lists as backed by "
            f"{actor_name(sponsor)}, took part in {_count(len(found), 'event')}."
        )
        notes.say(section, text, found)


def _territory(ranked: Sequence[Development], notes: Notes, limits: Limits) -> Section:
    section = Section("territory", "Territorial changes", empty="No territory changed hands.")
    changes = sorted(
        (d for d in ranked if d.lead.territorial), key=lambda d: (d.date, d.event_ids[0])
    )
    for development in changes[: limits.territorial]:
        notes.say(section, development_sentence(development), development.items)
    if len(changes) > limits.territorial:
        rest = changes[limits.territorial :]
        text = f"{_count(len(rest), 'further change')} are in the event record."
        notes.say(section, text.capitalize(), [i for d in rest for i in d.items])
    return section


def _casualties(
    items: Sequence[Item], displacement: Sequence[Displacement], notes: Notes, limits: Limits
) -> Section:
    section = Section(
        "casualties", "Casualties and displacement", empty="No figures were reported."
    )
    deadly = sorted((i for i in items if i.fatalities), key=lambda i: (-(i.fatalities or 0), i.id))
    if deadly:
        low = sum(i.fatality_range[0] if i.fatality_range else i.fatalities or 0 for i in deadly)
        high = sum(i.fatality_range[1] if i.fatality_range else i.fatalities or 0 for i in deadly)
        text = f"Reports put the dead at {low} to {high} across {_count(len(deadly), 'event')}"
        notes.say(section, text + ", counting the lowest and highest figure of each.", deadly)
    for item in deadly[: limits.casualties]:
        claims = [(_span(lo, hi), outlets) for lo, hi, outlets in item.fatality_claims]
        text = f"{day_phrase(item.date, item.date_precision)}, {what_happened(item)}"
        if claims:
            text += f"; on the dead, {claims_phrase(claims)}"
        notes.say(section, text + ".", [item])
    for figure in displacement[: limits.casualties]:
        item = figure.item
        text = (
            f"{day_phrase(item.date, item.date_precision)}, {figure.outlet} reported "
            f"{_span(figure.low, figure.high)} people displaced around {item.place or 'the area'}."
        )
        notes.say(section, text, [item])
    return section


def _disputed(ranked: Sequence[Development], notes: Notes, limits: Limits) -> Section:
    section = Section("disputed", "What is disputed", empty="No report contradicts another.")
    disputed = [i for d in ranked for i in d.items if i.disputed][: limits.disputed]
    for item in disputed:
        for name in item.disputed:
            claims = [(_claim_value(c), c.get("outlets") or ()) for c in item.claims.get(name, ())]
            text = (
                f"{day_phrase(item.date, item.date_precision)}, {what_happened(item)}; "
                f"reports disagree on the {name.replace('actor1', 'actor')}"
            )
            if claims:
                text += f": {claims_phrase(claims)}"
            notes.say(section, text + ".", [item])
    return section


def _claim_value(claim: dict[str, object]) -> str:
    if "low" in claim and "high" in claim:
        return _span(int(str(claim["low"])), int(str(claim["high"])))
    for key in ("name", "date", "actor_id", "value"):
        if claim.get(key) is not None:
            return str(claim[key])
    return "another account"


def _span(low: int, high: int) -> str:
    return f"{low:,}" if low == high else f"{low:,} to {high:,}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
