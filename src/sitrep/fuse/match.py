"""Whether a mention and an event describe the same happening, and how likely.

Four things must fit: the type (the same sub-event type, or kinds of violence that news
describes interchangeably), the date (within each other's precision), the place (within
the union of their uncertainty radii) and the actors (the same, or linked in the actor
knowledge base). Each gives a score in [0, 1]; the match score is their product,
and a mention joins an event only above a threshold.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sitrep.geo.relative import distance_km

__all__ = [
    "THRESHOLD",
    "EventProfile",
    "FusionMention",
    "compatible_types",
    "counts_casualties_only",
    "date_window",
    "is_response",
    "is_scene",
    "is_separate",
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
# Everything a conflict story may describe as one happening, told from different sides.
_CONFLICT = _POLITICAL_VIOLENCE | {
    "Disrupted weapons use",
    "Non-violent transfer of territory",
    "Looting/property destruction",
}
# Ground changing hands, told as taken or as given up.
_TERRITORY = frozenset(
    {
        "Government regains territory",
        "Non-state actor overtakes territory",
        "Non-violent transfer of territory",
    }
)
_HANDED_OVER = 0.6
_SAME_STORY_TYPES = 0.6
_ANY_VIOLENCE = 0.8  # a report that only counts the dead, against any political violence
# Triggers that only say someone was killed or hurt, not how.
_CASUALTY_WORDS = frozenset(
    "kill killed kills killing wound wounded wounds injure injured dead died death deaths "
    "casualties".split()
)
_SAME_ARTICLE_LIFT = 1.3
_UNDATED_IN_STORY = 0.7  # an undated sentence fits its own story's events, loosely
# Statements and agreements: a place that does not fit is a doubt (see _place_fit).
_SAID = frozenset({"Official statement/accusation", "Agreement"})
_ELSEWHERE_SAID = 0.75
# Acts whose two actors are parties, not attacker and target: "Russia and Turkey agreed"
# and "Turkey reached a deal with Russia" name the same sides.
_PARTIES = frozenset({"Agreement"})

Related = Callable[[str, str], bool]
# Location roles that do not say where the event happened ("the Britain-based monitor",
# "speaking before flying to Ukraine").
_NOT_THE_SCENE = frozenset({"context", "origin", "actor_base"})


# "In retaliation, Turkish forces ...", "the ministry said forces had responded by ...":
# the answer to an attack is an event of its own, whatever else it shares with it.
_RESPONSE = re.compile(
    r"\b(?:retaliat\w*|in response|responded|(?:hit|hits|hitting|struck|strike) back)\b", re.I
)
_NOT_THE_RESPONSE = 0.2
# "In a separate attack, ...", "Elsewhere, ...": the sentence says it leaves the event
# its article was telling.
_SEPARATE = re.compile(
    r"\b(?:separate(?:ly)?|elsewhere|another (?:attack|strike|raid|incident))\b", re.I
)


def is_response(record: dict[str, Any]) -> bool:
    """Whether a mention's sentence reports a riposte to another event."""
    evidence = record.get("evidence") or {}
    return bool(_RESPONSE.search(str(evidence.get("text") or "")))


def is_separate(record: dict[str, Any]) -> bool:
    """Whether a mention's sentence says it tells another event than its article's."""
    evidence = record.get("evidence") or {}
    return bool(_SEPARATE.search(str(evidence.get("text") or "")))


def counts_casualties_only(record: dict[str, Any]) -> bool:
    """Whether a mention of violence was coded from its dead and wounded alone ("13
    soldiers killed"): its trigger names no weapon and no kind of fighting."""
    trigger = str(record.get("trigger") or "").lower()
    return trigger in _CASUALTY_WORDS and record.get("sub_event_type") in _POLITICAL_VIOLENCE


def is_scene(location: dict[str, Any], sub_event_type: str | None = None) -> bool:
    """Whether a mention's location is where its event happened, as far as it says. Where
    a force was going is where a deployment happened, not where a strike on it did ("a
    convoy heading to reinforce the post at Morek")."""
    role = location.get("role")
    if role == "destination" and sub_event_type in _POLITICAL_VIOLENCE:
        return False
    return role not in _NOT_THE_SCENE


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
    response: bool = False  # the sentence reports a riposte ("in retaliation")
    separate: bool = False  # the sentence leaves its article's event ("in a separate attack")
    casualties_only: bool = False  # violence told by its dead alone: any kind may fit


def date_window(mention: FusionMention) -> int:
    return _WINDOW.get(mention.date_precision, 0)


def compatible_types(a: str, b: str) -> float:
    """1 for the same sub-event type, 0.8 for one family of violence, 0.6 for political
    violence of any kind (one outlet's "attack" is another's "air strike"), else 0."""
    if a == b:
        return 1.0
    if any(a in family and b in family for family in _FAMILIES):
        return 0.8
    if {a, b} <= _TERRITORY:
        return _HANDED_OVER  # "the rebels withdrew" and "the army took the town"
    return 0.7 if a in _POLITICAL_VIOLENCE and b in _POLITICAL_VIOLENCE else 0.0


class EventProfile(Protocol):
    """What a mention is matched against: an event as fusion has built it so far."""

    sub_event_type: str  # its founding report's
    types: set[str]  # every sub-event type its reports gave
    day: date
    window: int  # days its date leaves open (its most precise report's precision)
    points: list[tuple[float, float, float]]
    attackers: set[str]  # actor 1 ids its reports gave
    targets: set[str]  # actor 2 ids
    articles: set[int]
    modality: str
    response: bool  # founded on a riposte to another event


def match_score(
    mention: FusionMention, event: EventProfile, related: Related, *, lift: bool = True
) -> float:
    """How well ``mention`` fits ``event``: the product of the type, date, place and actor
    fits, with a lift (unless ``lift`` is off) when the event already holds a sentence
    of the same article."""
    if mention.separate and mention.article_id in event.articles:
        return 0.0
    parts = (
        _type_fit(mention, event),
        _date_fit(mention, event.day, event.window)
        if mention.date is not None or mention.article_id not in event.articles
        else _UNDATED_IN_STORY,
        _place_fit(mention, event.points),
        _actor_fit(mention, event, related),
    )
    # A product, not a mean: every doubt counts, and one misfit is enough to keep apart.
    score = math.prod(parts)
    if lift and mention.article_id in event.articles and score > 0:
        # An article tells one story: its later sentences ("the strike", "the dead
        # included") mostly return to the event it has already described.
        score = min(1.0, score * _SAME_ARTICLE_LIFT)
    return score


def _type_fit(mention: FusionMention, event: EventProfile) -> float:
    same_story = mention.article_id in event.articles
    if mention.casualties_only:
        # "Wounded soldiers were brought to hospitals": violence of some kind, which one
        # the sentence does not say. Its coded type is the classifier's guess.
        types = event.types if same_story else {event.sub_event_type}
        fit = _ANY_VIOLENCE if types & _POLITICAL_VIOLENCE else 0.0
        return fit * _modality_fit(mention, event.modality) * _riposte_fit(mention, event)
    # Other outlets are matched on the type the event was founded on, so that a chain
    # of "clash" then "capture" then "deployment" cannot walk an event across kinds.
    types = event.types if same_story else {event.sub_event_type}
    fit = max((compatible_types(mention.sub_event_type, t) for t in types), default=0.0)
    if fit == 0.0 and same_story:
        # Within one story, "army units moved in" (a deployment) after "the army took the
        # town" (a capture) is the same happening told from another side.
        fit = _SAME_STORY_TYPES if _conflict(mention.sub_event_type, event.types) else 0.0
    return fit * _modality_fit(mention, event.modality) * _riposte_fit(mention, event)


def _riposte_fit(mention: FusionMention, event: EventProfile) -> float:
    """A riposte is not the attack it answers, even on the same day and in the same area."""
    if mention.response == event.response:
        return 1.0
    return _NOT_THE_RESPONSE


def _conflict(sub_event_type: str, types: set[str]) -> bool:
    return sub_event_type in _CONFLICT and bool(types & _CONFLICT)


def _modality_fit(mention: FusionMention, modality: str) -> float:
    """A plan ("will begin patrols") is not the event that later happens, nor one denied.
    What is said and agreed is one act however it is told: "a truce would take hold" and
    "the truce collapsed" are the same truce."""
    if mention.sub_event_type in _SAID:
        return 1.0
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
        # Within the union of the two uncertainties, and no further: two towns a few
        # kilometres apart, each named as such, are two places.
        reach = mention.radius_km + radius
        if distance_km(mention.lat, mention.lon, lat, lon) <= reach:
            return 1.0
    # What is said and agreed happens where it is said, and reports place it by the
    # dateline ("ANKARA") or by what it is about ("Idlib"): a doubt, not a misfit.
    return _ELSEWHERE_SAID if mention.sub_event_type in _SAID else 0.0


def _actor_fit(mention: FusionMention, event: EventProfile, related: Related) -> float:
    """Actors are compared side by side: attacker with attacker, target with target. A
    report naming only the target and an event naming only the attacker do not differ;
    they each leave a side unnamed."""
    if mention.sub_event_type in _POLITICAL_VIOLENCE and _reversed(mention, event, related):
        return 0.2  # the other side hitting back: a retaliation, not the same strike
    sides = _sides(mention.actor1, mention.actor2, event, related)
    if mention.sub_event_type in _PARTIES:
        swapped = _sides(mention.actor2, mention.actor1, event, related)
        sides = max(sides, swapped, key=lambda fits: (min(fits, default=1.0), len(fits)))
    if not sides:
        return 0.9  # no side named on both: unnamed, a doubt
    if mention.article_id in event.articles:
        # One story naming the side that withdrew after naming the side that advanced.
        return max(0.9, min(sides))
    if max(sides) >= 0.9 and min(sides) < 0.9:
        return 0.7  # one side agrees, the other is named differently: a doubt
    return min(sides)


def _sides(
    actor1: str | None, actor2: str | None, event: EventProfile, related: Related
) -> list[float]:
    """How each side the mention names fits the same side of the event."""
    return [
        _side_fit(actor, group, related)
        for actor, group in ((actor1, event.attackers), (actor2, event.targets))
        if actor and group
    ]


def _side_fit(actor: str, group: set[str], related: Related) -> float:
    if actor in group:
        return 1.0
    if any(related(actor, other) for other in group):
        return 0.9  # "Iran-backed militias" and the Fatemiyoun Division
    return 0.45  # named differently: possible (outlets label the same side differently)


def _reversed(mention: FusionMention, event: EventProfile, related: Related) -> bool:
    """Whether the mention has the sides the other way round: its attacker is only the
    event's target, or its target only the event's attacker ("four Turkish soldiers
    killed" against "Turkish jets struck regime positions")."""

    def among(actor: str | None, group: set[str]) -> bool:
        return actor is not None and any(actor == g or related(actor, g) for g in group)

    attacker, target = mention.actor1, mention.actor2
    hit_back = (
        among(attacker, event.targets)
        and not among(attacker, event.attackers)
        and (target is None or among(target, event.attackers))
    )
    struck = (
        among(target, event.attackers) and not among(target, event.targets) and attacker is None
    )
    return hit_back or struck
