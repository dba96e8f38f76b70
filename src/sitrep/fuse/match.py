"""Whether a mention and an event describe the same happening, and how likely.

Four things must fit: the type (the same sub-event type, or kinds of violence that news
describes interchangeably), the date (within each other's precision), the place (within
the union of their uncertainty radii) and the actors (the same, or linked in the actor
knowledge base). Each gives a score in [0, 1]; the match score is their product,
and a mention joins an event only above a threshold.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sitrep.geo.relative import distance_km

__all__ = [
    "THRESHOLD",
    "FusionMention",
    "compatible_types",
    "date_window",
    "match_score",
]

THRESHOLD = 0.5
# Days either side of a date that its precision leaves open (ACLED-style precisions).
# A year is too vague to fuse on: such mentions only meet reports of the same date.
_WINDOW = {"day": 1, "week": 7, "month": 31}
# Kinds of the same violence that outlets describe differently: one reports "clashes",
# another "the army took the town"; one "shelling", another "strikes".
_FAMILIES = (
    frozenset(
        {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}
    ),
    frozenset({"Air/drone strike", "Shelling/artillery/missile attack"}),
    frozenset({"Remote explosive/landmine/IED", "Suicide bomb", "Grenade"}),
    frozenset(
        {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}
    ),
    frozenset({"Violent demonstration", "Mob violence"}),
)
# Battles, remote violence and violence against civilians: ACLED's political violence.
_POLITICAL_VIOLENCE = frozenset().union(*_FAMILIES[:3], {"Attack", "Chemical weapon"})
_NEAR_KM = 2.0  # slack added to the radii: reports of one strike may name points apart

Related = Callable[[str, str], bool]


@dataclass(frozen=True)
class FusionMention:
    """What fusion needs of a stored mention and of the article it comes from."""

    id: int
    article_id: int
    outlet: str
    reported: date | None  # when the article was published (or stored)
    event_type: str
    sub_event_type: str
    date: date | None
    date_precision: str
    actor1: str | None  # knowledge-base ids
    actor2: str | None
    lat: float | None
    lon: float | None
    radius_km: float
    confidence: float
    record: dict[str, Any]  # the stored mention record, for summaries
    also_in: tuple[str, ...] = ()  # outlets that ran copies of the article


def date_window(mention: FusionMention) -> int:
    return _WINDOW.get(mention.date_precision, 0)


def compatible_types(a: str, b: str) -> float:
    """1 for the same sub-event type, 0.8 for one family of violence, 0.6 for political
    violence of any kind (one outlet's "attack" is another's "air strike"), else 0."""
    if a == b:
        return 1.0
    if any(a in family and b in family for family in _FAMILIES):
        return 0.8
    return 0.6 if a in _POLITICAL_VIOLENCE and b in _POLITICAL_VIOLENCE else 0.0


def match_score(
    mention: FusionMention,
    sub_event_type: str,
    day: date,
    points: list[tuple[float, float, float]],
    actors: set[str],
    related: Related,
    slack: int = 0,
    modality: str = "asserted",
) -> float:
    """How well ``mention`` fits an event with these types, dates, points and actors;
    ``slack`` is the days the event's own date leaves open (its precision)."""
    parts = {
        "type": compatible_types(mention.sub_event_type, sub_event_type)
        * _modality_fit(mention, modality),
        "date": _date_fit(mention, day, slack),
        "place": _place_fit(mention, points),
        "actors": _actor_fit(mention, actors, related),
    }
    # A product, not a mean: every doubt counts, and one misfit is enough to keep apart.
    return math.prod(parts.values())


def _modality_fit(mention: FusionMention, modality: str) -> float:
    """A plan ("will begin patrols") is not the event that later happens, nor one denied."""
    ours = str(mention.record.get("modality") or "asserted")
    return 1.0 if (ours == "planned") == (modality == "planned") else 0.0


def _date_fit(mention: FusionMention, day: date, slack: int) -> float:
    if mention.date is None:
        return 0.0  # undated background is never fused
    slack = max(slack, date_window(mention))
    gap = abs((day - mention.date).days)
    if gap <= slack:
        return 1.0 if gap <= 1 else 0.7
    return 0.0


def _place_fit(mention: FusionMention, points: list[tuple[float, float, float]]) -> float:
    if mention.lat is None or mention.lon is None or not points:
        return 0.75  # one side does not say where: a doubt, not a misfit
    for lat, lon, radius in points:
        reach = mention.radius_km + radius + _NEAR_KM
        if distance_km(mention.lat, mention.lon, lat, lon) <= reach:
            return 1.0
    return 0.0


def _actor_fit(mention: FusionMention, actors: set[str], related: Related) -> float:
    mine = {a for a in (mention.actor1, mention.actor2) if a}
    if not mine or not actors:
        return 0.9  # unnamed on one side
    if mine & actors:
        return 1.0
    if any(related(a, b) for a in mine for b in actors):
        return 0.9  # "Iran-backed militias" and the Fatemiyoun Division
    return 0.45  # named differently: possible (outlets label the same side differently)
