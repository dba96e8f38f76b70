"""Clustering mentions into events: the rules on hand-made mentions."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest

from sitrep.fuse.cluster import Clusterer
from sitrep.fuse.engine import fuse_all
from sitrep.fuse.match import (
    FusionMention,
    compatible_types,
    counts_casualties_only,
    is_response,
    is_scene,
    is_separate,
)


def mention(id: int, day: int, lat: float = 35.5, lon: float = 36.6, **extra: Any) -> FusionMention:
    fields: dict[str, Any] = {
        "id": id,
        "article_id": id,
        "outlet": f"outlet-{id}",
        "reported": date(2020, 2, day),
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "date": date(2020, 2, day),
        "date_precision": "day",
        "actor1": "syrian_government_forces",
        "actor2": None,
        "lat": lat,
        "lon": lon,
        "radius_km": 2.0,
        "confidence": 0.7,
        "record": {"modality": "asserted"},
    }
    fields.update(extra)
    return FusionMention(**fields)


def never_related(_a: str, _b: str) -> bool:
    return False


def test_same_shelling_same_day_same_town_is_one_event() -> None:
    clusters = fuse_all([mention(1, 3), mention(2, 3, lat=35.51), mention(3, 4)], never_related)
    assert list(clusters.values()) == [[1, 2, 3]]


def test_other_town_or_other_week_is_another_event() -> None:
    clusters = fuse_all([mention(1, 3), mention(2, 3, lat=36.2), mention(3, 12)], never_related)
    assert sorted(clusters.values()) == [[1], [2], [3]]


def test_a_chain_of_near_matches_does_not_drag_an_event_along() -> None:
    # Each report is a day after the one before: only the first two are one event.
    chain = [mention(i, 2 + i) for i in range(1, 6)]
    clusters = fuse_all(chain, never_related)
    assert [1, 2] in clusters.values() and len(clusters) >= 3


def test_plans_and_happenings_stay_apart() -> None:
    plan = mention(2, 3, record={"modality": "planned"})
    assert sorted(fuse_all([mention(1, 3), plan], never_related).values()) == [[1], [2]]


def test_ambiguous_mentions_keep_their_alternatives() -> None:
    clusterer = Clusterer(never_related)
    clusterer.add(mention(1, 3, lat=35.50))
    clusterer.add(mention(2, 3, lat=35.56))  # 6.7 km north: another event
    between = clusterer.add(mention(3, 3, lat=35.53))  # 3.3 km from each: fits both
    assert between.event_key in {"ev-1", "ev-2"}
    assert len(between.alternatives) == 1


def test_order_of_arrival_in_batches_does_not_change_the_result() -> None:
    rng = random.Random(7)
    mentions = [
        mention(i, 1 + rng.randrange(20), lat=35 + rng.random(), lon=36 + rng.random())
        for i in range(1, 400)
    ]
    whole = fuse_all(mentions, never_related)
    halves = Clusterer(never_related)
    for m in mentions:  # the same id order, as two batches would feed it
        halves.add(m)
    assert {k: sorted(c.members) for k, c in halves.clusters.items()} == whole


def test_type_families() -> None:
    assert compatible_types("Air/drone strike", "Shelling/artillery/missile attack") == 0.8
    assert compatible_types("Attack", "Air/drone strike") == 0.7
    assert compatible_types("Armed clash", "Peaceful protest") == 0.0
    assert compatible_types("Agreement", "Arrests") == 0.0
    # Ground changing hands, told by one outlet as taken and by another as handed over.
    handover = compatible_types("Government regains territory", "Non-violent transfer of territory")
    assert 0.5 <= handover < 0.8


def test_one_story_returns_to_its_event_where_other_outlets_would_not() -> None:
    # "The shelling went on for hours": no place, no actor, a looser type.
    follow_up = {"sub_event_type": "Attack", "lat": None, "lon": None, "actor1": None}
    same_article = mention(2, 3, article_id=1, **follow_up)
    other_article = mention(3, 3, **follow_up)
    clusters = fuse_all([mention(1, 3), same_article, other_article], never_related)
    assert sorted(clusters.values()) == [[1, 2], [3]]


def test_the_other_side_hitting_back_the_same_day_is_another_event() -> None:
    strike = mention(1, 3, actor1="syrian_government_forces", actor2="turkish_armed_forces")
    retaliation = mention(2, 3, actor1="turkish_armed_forces", actor2="syrian_government_forces")
    same_strike = mention(3, 3, actor1="syrian_government_forces", actor2="turkish_armed_forces")
    clusters = fuse_all([strike, retaliation, same_strike], never_related)
    assert sorted(clusters.values()) == [[1, 3], [2]]


def test_other_outlets_match_the_type_the_event_was_founded_on() -> None:
    # The story's own follow-up (a clash) must not open the event to other outlets'
    # captures: a chain of types would walk it across kinds.
    shelling = mention(1, 3, lat=None, lon=None)
    clash = mention(2, 3, article_id=1, sub_event_type="Armed clash", lat=None, lon=None)
    capture = mention(
        3, 3, sub_event_type="Government regains territory", actor1="rebels", lat=None, lon=None
    )
    clusters = fuse_all([shelling, clash, capture], never_related)
    assert [3] in clusters.values()


def test_an_undated_sentence_joins_only_its_own_story() -> None:
    # "Moscow insists its jets were not flying in the area": no time of its own.
    undated = {"date": None, "date_precision": "unknown", "lat": None, "lon": None}
    own = mention(2, 3, article_id=1, **undated)
    other = mention(3, 3, **undated)
    clusters = fuse_all([mention(1, 3), own, other], never_related)
    assert sorted(clusters.values()) == [[1, 2], [3]]


def test_an_articles_fullest_report_founds_its_event() -> None:
    # The caption comes first ("Ambulances arrive at a hospital": a clash, no place, no
    # actor, a week's precision); the lead sentence says when, where and who.
    caption = mention(
        1, 3, sub_event_type="Armed clash", date_precision="week", lat=None, lon=None, actor1=None
    )
    lead = mention(2, 3, article_id=1, actor2="turkish_armed_forces")
    other_outlet = mention(3, 3, lat=35.51)
    clusters = fuse_all([caption, lead, other_outlet], never_related)
    assert clusters == {"ev-2": [1, 2, 3]}  # founded on the lead, not on the caption


def test_a_riposte_is_not_the_attack_it_answers() -> None:
    attack = mention(1, 3, actor1=None)
    riposte = mention(2, 3, article_id=1, actor1=None, response=True)
    another_riposte = mention(3, 3, actor1=None, response=True)
    clusters = fuse_all([attack, riposte, another_riposte], never_related)
    assert sorted(clusters.values()) == [[1], [2, 3]]


@pytest.mark.parametrize(
    ("sentence", "riposte"),
    [
        ("In retaliation, Turkish forces neutralised 309 regime soldiers.", True),
        ("The ministry said Turkish forces hit back at once.", True),
        ("Forces had responded by hitting 115 targets.", True),
        ("Turkey reserved the right to respond with full force.", False),
        ("Syrian shelling killed five Turkish soldiers.", False),
    ],
)
def test_what_reads_as_a_riposte(sentence: str, riposte: bool) -> None:
    assert is_response({"evidence": {"text": sentence}}) is riposte


def test_what_is_said_is_not_kept_apart_by_where_reports_place_it() -> None:
    said = {"sub_event_type": "Official statement/accusation", "actor1": "turkey"}
    in_ankara = mention(1, 5, lat=39.93, lon=32.86, **said)  # the dateline
    about_idlib = mention(2, 5, lat=35.93, lon=36.63, **said)  # what it is about
    shelling_far_away = mention(3, 5, lat=39.93, lon=32.86)
    clusters = fuse_all([in_ankara, about_idlib, shelling_far_away], never_related)
    assert sorted(clusters.values()) == [[1, 2], [3]]


@pytest.mark.parametrize(
    ("sentence", "separate"),
    [
        ("In a separate attack, an air strike near a school killed eight civilians.", True),
        ("Elsewhere, shelling hit the outskirts of Ariha.", True),
        ("Separately, the ministry said two soldiers were wounded.", True),
        ("Another strike hit the market an hour later.", True),
        ("The strikes also hit another district of the town.", False),
        ("The strike hit a school housing displaced families.", False),
    ],
)
def test_what_reads_as_another_event(sentence: str, separate: bool) -> None:
    assert is_separate({"evidence": {"text": sentence}}) is separate


def test_a_sentence_that_leaves_its_story_is_not_lifted_into_it() -> None:
    # "In a separate attack, an air strike ...": same day and area as the article's
    # shelling, but the sentence says it is another event.
    shelling = mention(1, 3)
    separate = mention(
        2, 3, article_id=1, sub_event_type="Air/drone strike", actor1=None, separate=True
    )
    clusters = fuse_all([shelling, separate], never_related)
    assert sorted(clusters.values()) == [[1], [2]]


def test_a_truce_foretold_and_the_truce_agreed_are_one_agreement() -> None:
    said = {"sub_event_type": "Agreement", "actor1": "russia", "actor2": "turkey"}
    foretold = mention(1, 9, record={"modality": "planned"}, **said)  # "a truce would take hold"
    agreed = mention(2, 9, **said)
    assert sorted(fuse_all([foretold, agreed], never_related).values()) == [[1, 2]]
    # A planned strike is still not the strike.
    planned = mention(3, 12, record={"modality": "planned"})
    assert sorted(fuse_all([mention(4, 12), planned], never_related).values()) == [[3], [4]]


def test_the_side_that_struck_named_as_the_dead_is_another_event() -> None:
    # "Turkish jets struck regime positions" against "13 Syrian soldiers killed": the
    # report names only the dead, and they are the other event's attackers.
    strike = mention(1, 3, actor1="turkish_armed_forces", actor2="syrian_government_forces")
    dead = mention(2, 3, actor1=None, actor2="turkish_armed_forces")
    also_struck = mention(3, 3, actor1=None, actor2="syrian_government_forces")
    clusters = fuse_all([strike, dead, also_struck], never_related)
    assert sorted(clusters.values()) == [[1, 3], [2]]


def test_the_parties_to_an_agreement_are_named_in_any_order() -> None:
    # An agreement "between Russia and Turkey" and one "between Turkey and Russia".
    said = {"sub_event_type": "Agreement", "lat": None, "lon": None}
    one = mention(1, 5, actor1="russia", actor2="turkey", **said)
    other = mention(2, 5, actor1="turkey", actor2="russia", **said)
    assert sorted(fuse_all([one, other], never_related).values()) == [[1, 2]]


@pytest.mark.parametrize(
    ("trigger", "sub_event_type", "only"),
    [
        ("Wounded", "Armed clash", True),
        ("killed", "Attack", True),
        ("air strike", "Air/drone strike", False),
        ("killed", "Agreement", False),
    ],
)
def test_what_counts_its_dead_alone(trigger: str, sub_event_type: str, only: bool) -> None:
    record = {"trigger": trigger, "sub_event_type": sub_event_type}
    assert counts_casualties_only(record) is only


def test_a_report_of_the_dead_alone_fits_any_violence_of_its_story() -> None:
    # "Wounded soldiers were brought to hospitals": coded a clash (soldiers on both sides
    # by the classifier's guess), it fits the story's air strike as well as its capture.
    strike = mention(1, 3, sub_event_type="Air/drone strike", actor1=None)
    capture = mention(
        2, 3, article_id=1, sub_event_type="Government regains territory", lat=36.2, lon=37.1
    )
    wounded = {"sub_event_type": "Armed clash", "lat": None, "lon": None, "actor1": None}
    told_by_its_dead = mention(3, 3, article_id=1, casualties_only=True, **wounded)
    clusters = fuse_all([strike, capture, told_by_its_dead], never_related)
    assert sorted(clusters.values()) == [[1, 3], [2]]  # an even fit: the older event
    guessed = mention(4, 3, article_id=1, **wounded)  # the guess taken at its word
    clusters = fuse_all([strike, capture, guessed], never_related)
    assert sorted(clusters.values()) == [[1], [2, 4]]


def test_ties_go_to_the_event_more_reports_hold() -> None:
    clusterer = Clusterer(never_related)
    clusterer.add(mention(1, 3, lat=35.50))
    clusterer.add(mention(2, 3, lat=35.56))
    clusterer.add(mention(3, 3, lat=35.56))
    between = clusterer.add(mention(4, 3, lat=35.53))  # as near one event as the other
    assert between.event_key == "ev-2"


def test_two_towns_a_few_kilometres_apart_are_two_places() -> None:
    # Saraqib and al-Nayrab, about 5 km apart, each named as a town (2 km each).
    saraqib = mention(1, 3, lat=35.864, lon=36.806)
    al_nayrab = mention(2, 3, lat=35.860, lon=36.750, actor1=None)
    near_saraqib = mention(3, 3, lat=35.864, lon=36.806, radius_km=10.0)  # "near Saraqib"
    clusters = fuse_all([saraqib, al_nayrab, near_saraqib], never_related)
    assert sorted(clusters.values()) == [[1, 3], [2]]


def test_an_event_is_named_as_most_of_its_outlets_spell_its_place() -> None:
    from sitrep.fuse.summary import summarize

    def report(id: int, spelling: str, outlet: str, confidence: float) -> FusionMention:
        geo = {"lat": 35.648, "lon": 36.677, "radius_km": 2.0, "geo_precision": 1}
        location = {"text": spelling, "role": "site", "geo": geo | {"place_id": "167611"}}
        record = {"modality": "asserted", "location": location}
        return mention(id, 3, outlet=outlet, confidence=confidence, record=record)

    members = [
        report(1, "Ma'arrat al-Nu'man", "wire", 0.9),  # the surest, in one outlet
        report(2, "Maaret al-Numan", "daily", 0.6),
        report(3, "Maaret al-Numan", "monitor", 0.5),
    ]
    record = summarize("ev-1", members, {1: 1.0, 2: 0.9, 3: 0.9}, never_related)
    assert record["location"]["text"] == "Maaret al-Numan"


def test_where_a_force_was_going_is_where_it_deployed_not_where_it_was_hit() -> None:
    going = {"role": "destination", "text": "Morek"}
    assert is_scene(going, "Troop deployment/reinforcement")
    assert not is_scene(going, "Air/drone strike")
    assert is_scene({"role": "site"}, "Air/drone strike")
    assert not is_scene({"role": "context"}, "Troop deployment/reinforcement")


@pytest.mark.parametrize(
    ("sub_event_type", "sides", "place", "notes"),
    [
        (
            "Agreement",
            ("russia", "turkey"),
            "Idlib",
            "On 3 February 2020, Russia and Turkey reached an agreement on Idlib. [1 outlet]",
        ),
        (
            "Official statement/accusation",
            ("mike_pompeo", "russia"),
            "Idlib",
            "On 3 February 2020, Mike Pompeo made a statement concerning Russia. [1 outlet]",
        ),
        (
            "Shelling/artillery/missile attack",
            ("syrian_government_forces", "civilians"),
            None,
            "On 3 February 2020, Syrian government forces carried out shelling (against "
            "civilians). [1 outlet]",
        ),
        (
            "Government regains territory",
            ("syrian_government_forces", "rebels"),
            "Saraqib",
            "On 3 February 2020, Syrian government forces took control of Saraqib from rebels. "
            "[1 outlet]",
        ),
    ],
)
def test_notes_read_the_second_actor_by_the_kind_of_event(
    sub_event_type: str, sides: tuple[str, str], place: str | None, notes: str
) -> None:
    from sitrep.fuse.summary import summarize

    names = {
        "russia": "Russia",
        "turkey": "Turkey",
        "mike_pompeo": "Mike Pompeo",
        "syrian_government_forces": "Syrian government forces",
        "civilians": "civilians",
        "rebels": "rebels",
    }
    geo = {"lat": 35.86, "lon": 36.8, "radius_km": 2.0, "geo_precision": 1, "place_id": "1"}
    record = {
        "modality": "asserted",
        "sub_event_type": sub_event_type,
        "actor1": {"actor_id": sides[0], "name": names[sides[0]]},
        "actor2": {"actor_id": sides[1], "name": names[sides[1]]},
        "location": {"text": place, "role": "site", "geo": geo} if place else None,
        "date": "2020-02-03",
        "date_precision": "day",
    }
    one = mention(
        1, 3, sub_event_type=sub_event_type, actor1=sides[0], actor2=sides[1], record=record
    )
    assert summarize("ev-1", [one], {1: 1.0}, never_related)["notes"] == notes
