"""The fused record of an event: its fields, who claims what, corroboration, confidence.

Every field is decided from the claims of the mentions: the type and actors by weighted
vote, the date and place from the most precise reports, the fatalities by ACLED's rule
(the most conservative figure, with the range of all claims). Claims that disagree are
all kept with their sources and mark the event ``disputed``. Corroboration counts
outlets, and independent confirmations: copies of one article, and outlets passing on
the same original source, count once. See docs/fusion.md for the confidence formula.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from sitrep.fuse.match import FusionMention, Related, is_scene
from sitrep.geo.relative import distance_km

__all__ = ["independent_source", "summarize"]

# Actor kinds that label a side rather than name it: no dispute with a named actor.
_GENERIC_KINDS = {"generic", "civilians", "unidentified", ""}
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
_SOURCE_NOISE = re.compile(
    r"\b(?:the|british|american|newspaper|daily|news agency|agency|reported|said)\b", re.I
)
_VERBS = {
    "Government regains territory": "took control of {place}",
    "Non-state actor overtakes territory": "took control of {place}",
    "Armed clash": "clashed in {place}",
    "Air/drone strike": "carried out air strikes on {place}",
    "Shelling/artillery/missile attack": "shelled {place}",
    "Remote explosive/landmine/IED": "an explosive device went off in {place}",
    "Suicide bomb": "a suicide bombing took place in {place}",
    "Attack": "attacked people in {place}",
    "Abduction/forced disappearance": "abducted people in {place}",
    "Arrests": "made arrests in {place}",
    "Peaceful protest": "protested in {place}",
    "Violent demonstration": "rioted in {place}",
    "Agreement": "reached an agreement on {place}",
    "Troop deployment/reinforcement": "deployed forces to {place}",
    "Military support by a third party": "supported operations in {place}",
    "Official statement/accusation": "made a statement on {place}",
}


def independent_source(mention: FusionMention) -> str:
    """Who an account ultimately comes from: the source an outlet cites, else the original
    of the article (so syndicated copies are one source)."""
    attribution = str(mention.record.get("attribution") or "the outlet")
    if attribution != "the outlet":
        cited = attribution.split("citing ", 1)[-1]
        words = _SOURCE_NOISE.sub(" ", cited.lower()).split()
        if words:
            return "source:" + " ".join(words)
    return f"article:{mention.article_id}"  # only originals are coded: copies count here


def summarize(
    key: str,
    members: Sequence[FusionMention],
    scores: dict[int, float],
    related: Related = lambda _a, _b: False,
) -> dict[str, Any]:
    """The fused record of the event ``key`` from its member mentions."""
    members = sorted(members, key=lambda m: m.id)
    by_article = _sources_by_article(members)
    sources = set(by_article.values())
    fatalities = _figure_claims(members, "fatalities")
    actor1 = _actor_claims(members, "actor1")
    dates = _date_claims(members)
    places = _place_claims(members)
    disputed = {
        "fatalities": len(fatalities) > 1,
        "actor1": _actors_conflict(actor1, related),
        "date": len(dates) > 1,
        "location": len(places) > 1,
    }
    record: dict[str, Any] = {
        "event_key": key,
        "event_type": _vote(members, "event_type"),
        "sub_event_type": _vote(members, "sub_event_type"),
        **_when(members),
        "location": _where(members),
        "actor1": _first_actor(members, "actor1"),
        "actor2": _first_actor(members, "actor2"),
        "associated": _associated(members),
        "fatalities": _conservative(fatalities),
        "claims": {"fatalities": fatalities, "actor1": actor1, "date": dates, "location": places},
        "disputed": any(disputed.values()),
        "disputed_fields": sorted(k for k, v in disputed.items() if v),
        "outlets": sorted({o for m in members for o in (m.outlet, *m.also_in)}),
        "confirmations": len(sources),
        "earliest_report": min((m.reported for m in members if m.reported), default=None),
        "attribution_chains": sorted({_chain(m) for m in members}),
        "mentions": [_member(m, scores.get(m.id, 1.0)) for m in members],
    }
    record["confidence"] = _confidence(members, by_article, record["disputed"])
    record["field_confidence"] = _field_confidence(len(sources), disputed)
    record["notes"] = _notes(record)
    if record["earliest_report"] is not None:
        record["earliest_report"] = record["earliest_report"].isoformat()
    return record


def _vote(members: Sequence[FusionMention], attribute: str) -> str:
    weights: dict[str, float] = {}
    for m in members:
        value = getattr(m, attribute)
        weights[value] = weights.get(value, 0.0) + m.confidence
    return max(sorted(weights), key=lambda value: weights[value])


def _when(members: Sequence[FusionMention]) -> dict[str, Any]:
    dated = [m for m in members if m.date is not None]
    if not dated:
        return {"date": None, "date_precision": "unknown"}
    best = min(_PRECISION_RANK.get(m.date_precision, 4) for m in dated)
    precise = [m for m in dated if _PRECISION_RANK.get(m.date_precision, 4) == best]
    days: Counter[date] = Counter(m.date for m in precise if m.date)
    day = max(sorted(days), key=lambda d: days[d])
    return {"date": day.isoformat(), "date_precision": precise[0].date_precision}


def _geo(m: FusionMention) -> dict[str, Any] | None:
    location = m.record.get("location") or {}
    geo = location.get("geo")
    return geo if isinstance(geo, dict) and geo.get("lat") is not None else None


def _where(members: Sequence[FusionMention]) -> dict[str, Any] | None:
    """The place most outlets give; among equals the most precise, then the smallest.
    Places a sentence merely names ("the Britain-based monitor") never put the event on
    the map: with nothing better it keeps their name, unlocated."""
    located = [
        (m, geo)
        for m in members
        if (geo := _geo(m)) is not None
        and is_scene(m.record.get("location") or {}, m.sub_event_type)
    ]
    if not located:
        texts = [str((m.record.get("location") or {}).get("text")) for m in members]
        known = [t for t in texts if t != "None"]
        return {"text": known[0], "geo": None} if known else None
    outlets: dict[str, set[str]] = {}
    for m, geo in located:
        outlets.setdefault(_place_key(geo), set()).add(m.outlet)
    m, geo = min(
        located,
        key=lambda pair: (
            -len(outlets[_place_key(pair[1])]),
            pair[1]["geo_precision"],
            0 if pair[1].get("feature_class") in ("P", "S") else 1,  # a town says more
            -pair[0].confidence,
            pair[0].id,
        ),
    )
    return {
        "text": _spelling(m, [p for p, g in located if _place_key(g) == _place_key(geo)]),
        "geo": geo,
    }


def _spelling(chosen: FusionMention, same_place: Sequence[FusionMention]) -> Any:
    """The place's name as most outlets write it ("Maaret al-Numan" in two outlets, not
    "Ma'arrat al-Nu'man" in one); among equals, the chosen report's."""
    outlets: dict[str, set[str]] = {}
    for m in same_place:
        text = str((m.record.get("location") or {}).get("text"))
        outlets.setdefault(text, set()).update({m.outlet, *m.also_in})
    own = (chosen.record.get("location") or {}).get("text")
    return max(outlets, key=lambda t: (len(outlets[t]), t == str(own)), default=own)


def _place_key(geo: dict[str, Any]) -> str:
    return str(geo.get("place_id") or geo.get("name"))


def _first_actor(members: Sequence[FusionMention], role: str) -> dict[str, Any] | None:
    votes: dict[str, float] = {}
    refs: dict[str, dict[str, Any]] = {}
    for m in members:
        ref = m.record.get(role)
        if isinstance(ref, dict):
            key = str(ref.get("actor_id") or ref.get("text"))
            votes[key] = votes.get(key, 0.0) + m.confidence
            refs.setdefault(key, ref)
    if not votes:
        return None
    return refs[max(sorted(votes), key=lambda k: votes[k])]


def _associated(members: Sequence[FusionMention]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for m in members:
        for ref in m.record.get("associated") or []:
            seen.setdefault(str(ref.get("actor_id") or ref.get("text")), ref)
    return [seen[k] for k in sorted(seen)]


def _figure_claims(members: Sequence[FusionMention], measure: str) -> list[dict[str, Any]]:
    claims: dict[tuple[int, int], set[str]] = {}
    for m in members:
        for figure in m.record.get("magnitudes") or []:
            if figure.get("measure") == measure:
                span = (int(figure["low"]), int(figure["high"]))
                claims.setdefault(span, set()).add(m.outlet)
    return [
        {"low": low, "high": high, "outlets": sorted(outlets)}
        for (low, high), outlets in sorted(claims.items())
    ]


def _conservative(claims: list[dict[str, Any]]) -> dict[str, Any] | None:
    """ACLED's rule: the lowest figure reported, with the range of all claims."""
    if not claims:
        return None
    return {
        "value": min(c["low"] for c in claims),
        "range": [min(c["low"] for c in claims), max(c["high"] for c in claims)],
    }


def _actor_claims(members: Sequence[FusionMention], role: str) -> list[dict[str, Any]]:
    claims: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    for m in members:
        actor = getattr(m, role)
        if actor:
            claims.setdefault(actor, set()).add(m.outlet)
            kinds[actor] = str((m.record.get(role) or {}).get("kind") or "")
    return [
        {"actor_id": a, "kind": kinds[a], "outlets": sorted(o)} for a, o in sorted(claims.items())
    ]


def _actors_conflict(claims: list[dict[str, Any]], related: Related) -> bool:
    """Outlets blame different sides: two named actors, neither a label ("rebels") nor
    linked to the other in the knowledge base (Russia and Syrian forces are allies)."""
    named = [c["actor_id"] for c in claims if c["kind"] not in _GENERIC_KINDS]
    return any(not related(a, b) for i, a in enumerate(named) for b in named[i + 1 :])


def _date_claims(members: Sequence[FusionMention]) -> list[dict[str, Any]]:
    days: dict[date, set[str]] = {}
    for m in members:
        if m.date is not None and m.date_precision == "day":
            days.setdefault(m.date, set()).add(m.outlet)
    merged: list[dict[str, Any]] = []
    for day in sorted(days):  # a day either side is the same report (time zones, midnight)
        if merged and (day - date.fromisoformat(merged[-1]["date"])).days <= 1:
            merged[-1]["outlets"] = sorted(set(merged[-1]["outlets"]) | days[day])
        else:
            merged.append({"date": day.isoformat(), "outlets": sorted(days[day])})
    return merged


def _place_claims(members: Sequence[FusionMention]) -> list[dict[str, Any]]:
    claims: list[dict[str, Any]] = []
    for m in sorted(members, key=lambda m: m.id):
        geo = _geo(m)
        if geo is None or geo.get("geo_precision", 3) > 2:
            continue
        for claim in claims:
            reach = claim["radius_km"] + float(geo["radius_km"]) + 5.0
            if distance_km(claim["lat"], claim["lon"], geo["lat"], geo["lon"]) <= reach:
                claim["outlets"] = sorted(set(claim["outlets"]) | {m.outlet})
                break
        else:
            claims.append(
                {
                    "name": geo.get("name"),
                    "lat": geo["lat"],
                    "lon": geo["lon"],
                    "radius_km": float(geo["radius_km"]),
                    "outlets": [m.outlet],
                }
            )
    return claims


def _chain(m: FusionMention) -> str:
    attribution = str(m.record.get("attribution") or "the outlet")
    return m.outlet if attribution == "the outlet" else f"{m.outlet}, citing {attribution}"


def _member(m: FusionMention, score: float) -> dict[str, Any]:
    evidence = m.record.get("evidence") or {}
    return {
        "mention_id": m.id,
        "article_id": m.article_id,
        "outlet": m.outlet,
        "evidence": evidence.get("text"),
        "attribution": m.record.get("attribution"),
        "modality": m.record.get("modality"),
        "score": score,
    }


def _sources_by_article(members: Sequence[FusionMention]) -> dict[int, str]:
    """Each article's one source for this event: whom its first mention of it cites, or
    the article itself. An article is one account, however many sentences it spends."""
    found: dict[int, str] = {}
    for m in members:  # in id order: an article's first mention comes first
        found.setdefault(m.article_id, independent_source(m))
    return found


def _confidence(
    members: Sequence[FusionMention], by_article: dict[int, str], disputed: bool
) -> float:
    """1 - the chance that every independent source is wrong, each source as sure as its
    surest mention; a dispute costs a fifth."""
    best: dict[str, float] = {}
    for m in members:
        key = by_article[m.article_id]
        best[key] = max(best.get(key, 0.0), m.confidence)
    doubt = 1.0
    for value in best.values():
        doubt *= 1.0 - value
    return round((1.0 - doubt) * (0.8 if disputed else 1.0), 3)


def _field_confidence(sources: int, disputed: dict[str, bool]) -> dict[str, float]:
    agreed = 1.0 - 0.5**sources  # each further independent source halves the doubt
    return {name: round(agreed * (0.5 if flag else 1.0), 3) for name, flag in disputed.items()}


def _notes(record: dict[str, Any]) -> str:
    """ACLED-style notes: "On 28 January 2020, Syrian government forces took control of
    Maaret al-Numan from rebel groups. [3 outlets]"."""
    when = ""
    if record.get("date") and record.get("date_precision") == "day":
        day = date.fromisoformat(record["date"])
        when = f"On {day.day} {day:%B %Y}, "
    elif record.get("date"):
        when = f"In {date.fromisoformat(record['date']):%B %Y}, "
    sentence = when + _what(record)
    sentence = sentence[:1].upper() + sentence[1:]
    fatalities = record.get("fatalities")
    deaths = f" {fatalities['value']} reported killed." if fatalities else ""
    outlets = len(record["outlets"])
    return f"{sentence}.{deaths} [{outlets} outlet{'s' if outlets != 1 else ''}]"


def _what(record: dict[str, Any]) -> str:
    """Who did what where, and to whom: how the second actor reads depends on the kind of
    event (the side that lost ground, the other party to an agreement, what a statement
    is about, whom support went to, the target of violence)."""
    place = (record.get("location") or {}).get("text")
    kind = record["sub_event_type"]
    actor1, actor2 = _actor_name(record.get("actor1")), _actor_name(record.get("actor2"))
    verb = _VERBS.get(kind, "were involved in an event in {place}")
    if kind == "Official statement/accusation" and actor2:
        verb = "made a statement"  # about the actor it names, not about its dateline
    if place is None and "took control" not in verb:
        # Nothing of where, rather than "in an unknown place".
        verb = _UNPLACED.sub("", _NO_PLACE.get(kind, verb))
    text = verb.format(place=place or "an unknown place")
    if text.startswith(("an ", "a ")):
        return text
    if kind == "Agreement" and actor1 and actor2:
        return f"{actor1} and {actor2} {text}"
    if kind == "Military support by a third party" and actor2:
        where = f" in {place}" if place else ""
        return f"{actor1 or 'unidentified actors'} supported {actor2}{where}"
    sentence = f"{actor1 or 'unidentified actors'} {text}"
    if actor2:
        sentence += _SECOND_ACTOR.get(kind, " (against {actor})").format(actor=actor2)
    return sentence


def _actor_name(actor: dict[str, Any] | None) -> str | None:
    found = (actor or {}).get("name") or (actor or {}).get("text")
    return str(found) if found else None


# The place phrase a verb drops when no place is known, and verbs that need a new form.
_UNPLACED = re.compile(r" (?:on|in|to) \{place\}")
_NO_PLACE = {"Shelling/artillery/missile attack": "carried out shelling"}
# How the second actor reads, by kind of event (violence: "(against the target)").
_SECOND_ACTOR = {
    "Government regains territory": " from {actor}",
    "Non-state actor overtakes territory": " from {actor}",
    "Non-violent transfer of territory": " from {actor}",
    "Official statement/accusation": " concerning {actor}",
    "Troop deployment/reinforcement": " (facing {actor})",
    "Headquarters or base established": " (facing {actor})",
}
