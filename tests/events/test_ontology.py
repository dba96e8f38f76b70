"""The event ontology: ACLED's names pinned exactly, maps to PLOVER and CAMEO present."""

from __future__ import annotations

import re

import pytest

from sitrep.events import ontology
from sitrep.events.ontology import (
    SITREP_EVENT_TYPE,
    acled_types,
    all_types,
    by_sub_event,
    event_types,
)

# ACLED's event and sub-event types, spelt as ACLED spells them, in ACLED's order.
ACLED = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Suicide bomb",
        "Grenade",
        "Chemical weapon",
    ),
    "Violence against civilians": (
        "Attack",
        "Abduction/forced disappearance",
        "Sexual violence",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
SITREP = (
    "Troop deployment/reinforcement",
    "Military support by a third party",
    "Official statement/accusation",
)

# PLOVER 0.8 categories and, for those with modes, the modes its manual lists.
PLOVER_MODES: dict[str, set[str]] = {
    "AGREE": set(),
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "SUPPORT": set(),
    "CONCEDE": set(),
    "COOPERATE": set(),
    "AID": set(),
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {
        "seize",
        "restrict",
        "censor",
        "curfew",
        "martial-law",
        "arrest",
        "deport",
        "withhold",
        "misinformation",
        "cyber",
    },
    "ASSAULT": {
        "abduct",
        "beat",
        "torture",
        "sexual",
        "targeted",
        "destroy",
        "primitive",
        "firearms",
        "explosives",
        "suicide-attack",
        "aerial",
        "drone",
        "heavy-weapons",
        "crowd-control",
        "unconventional",
    },
}


def test_acled_event_and_sub_event_names_are_pinned() -> None:
    found = {e.name: tuple(s.name for s in e.sub_event_types) for e in event_types() if e.acled}
    assert found == ACLED
    assert list(found) == list(ACLED)  # and in ACLED's order


def test_acled_types_are_the_twenty_five() -> None:
    names = [s.name for s in acled_types()]
    assert names == [name for subs in ACLED.values() for name in subs]
    assert len(names) == 25
    assert all(s.acled and s.event_type in ACLED for s in acled_types())


def test_sitrep_types_are_apart_and_flagged() -> None:
    extra = [s for s in all_types() if not s.acled]
    assert tuple(s.name for s in extra) == SITREP
    assert {s.event_type for s in extra} == {SITREP_EVENT_TYPE}
    assert SITREP_EVENT_TYPE not in ACLED
    for sub in extra:
        assert sub.acled_fallback is None or by_sub_event(sub.acled_fallback).acled


def test_names_are_unique_and_all_types_lists_acled_first() -> None:
    names = [s.name for s in all_types()]
    assert len(names) == len(set(names)) == 28
    assert names[:25] == [s.name for s in acled_types()]


@pytest.mark.parametrize(
    ("name", "disorder"),
    [
        ("Armed clash", "Political violence"),
        ("Air/drone strike", "Political violence"),
        ("Attack", "Political violence"),
        ("Peaceful protest", "Demonstrations"),
        ("Protest with intervention", "Demonstrations"),
        ("Excessive force against protesters", "Political violence; Demonstrations"),
        ("Violent demonstration", "Demonstrations"),
        ("Mob violence", "Political violence; Demonstrations"),
        ("Arrests", "Strategic developments"),
        ("Other", "Strategic developments"),
    ],
)
def test_disorder_types(name: str, disorder: str) -> None:
    assert by_sub_event(name).disorder_type == disorder


def test_every_disorder_type_is_one_of_acleds_three() -> None:
    for sub in all_types():
        assert sub.disorder_types
        assert set(sub.disorder_types) <= set(ontology.DISORDER_TYPES), sub.name


@pytest.mark.parametrize("sub", all_types(), ids=lambda s: s.name)
def test_every_sub_event_has_a_valid_plover_mapping(sub: ontology.SubEventType) -> None:
    assert sub.plover.event in PLOVER_MODES
    assert set(sub.plover.modes) <= PLOVER_MODES[sub.plover.event]
    assert all(c and c == c.lower() for c in sub.plover.contexts)


@pytest.mark.parametrize("sub", all_types(), ids=lambda s: s.name)
def test_every_sub_event_has_cameo_codes_and_a_definition(sub: ontology.SubEventType) -> None:
    assert sub.cameo
    assert all(re.fullmatch(r"\d{3,4}", code) for code in sub.cameo)
    assert all(re.fullmatch(r"\d\d", root) for root in sub.cameo_roots)
    assert sub.definition.endswith(".")


@pytest.mark.parametrize(
    ("name", "plover", "root"),
    [
        ("Air/drone strike", "ASSAULT/aerial/drone", "19"),
        ("Shelling/artillery/missile attack", "ASSAULT/heavy-weapons", "19"),
        ("Suicide bomb", "ASSAULT/suicide-attack", "18"),
        ("Chemical weapon", "ASSAULT/unconventional", "20"),
        ("Abduction/forced disappearance", "ASSAULT/abduct", "18"),
        ("Peaceful protest", "PROTEST/demo", "14"),
        ("Violent demonstration", "PROTEST/riot", "14"),
        ("Arrests", "COERCE/arrest", "17"),
        ("Agreement", "SUPPORT", "05"),
        ("Troop deployment/reinforcement", "MOBILIZE/troops", "15"),
        ("Military support by a third party", "AID", "07"),
        ("Official statement/accusation", "ACCUSE/disapprove/allege", "11"),
    ],
)
def test_representative_mappings(name: str, plover: str, root: str) -> None:
    sub = by_sub_event(name)
    assert str(sub.plover) == plover
    assert root in sub.cameo_roots


def test_acled_name_folds_sitrep_types_into_their_fallback() -> None:
    assert by_sub_event("Grenade").acled_name == "Grenade"
    assert by_sub_event("Troop deployment/reinforcement").acled_name == "Change to group/activity"
    assert by_sub_event("Official statement/accusation").acled_name is None


def test_lookup_is_case_insensitive_and_strict() -> None:
    assert by_sub_event("  air/DRONE strike ").name == "Air/drone strike"
    with pytest.raises(KeyError, match="unknown sub-event type"):
        by_sub_event("Drone strike")


def test_public_api() -> None:
    for name in ontology.__all__:
        assert hasattr(ontology, name), name
