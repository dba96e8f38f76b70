"""The rule-based sub-event classifier on our own snippets and on must-pass cases."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from sitrep.events import classify as classify_module
from sitrep.events import lexicon
from sitrep.events.classify import (
    MAX_CHARS,
    Classification,
    classify,
    classify_many,
    classify_spans,
    load_english_model,
)
from sitrep.events.ontology import all_types, by_sub_event

SNIPPETS = Path(__file__).resolve().parent.parent / "fixtures" / "events" / "snippets.jsonl"
FLOOR = 0.85  # accuracy on our own snippets may not drop below this

# Cases that must never regress: (text, sub-event type).
MUST_PASS = [
    ("Government forces recaptured the town from rebels.", "Government regains territory"),
    ("Rebels seized the village from the army.", "Non-state actor overtakes territory"),
    ("Warplanes struck a market.", "Air/drone strike"),
    ("Artillery shells hit the outskirts.", "Shelling/artillery/missile attack"),
    ("The village was recaptured by the Syrian army on Monday.", "Government regains territory"),
    (
        "The town fell to Islamic State fighters after a week-long siege.",
        "Non-state actor overtakes territory",
    ),
    (
        "Jihadists captured the airport from pro-government militias.",
        "Non-state actor overtakes territory",
    ),
    (
        "The army took control of the district after rebels pulled out without a fight.",
        "Non-violent transfer of territory",
    ),
    ("Militants captured three soldiers near the border.", "Abduction/forced disappearance"),
    ("Police captured two suspected smugglers near the border.", "Arrests"),
    ("Army engineers defused a roadside bomb near Kirkuk.", "Disrupted weapons use"),
    ("Air defences shot down a drone over the base.", "Disrupted weapons use"),
    ("A roadside bomb killed three soldiers near Kirkuk.", "Remote explosive/landmine/IED"),
    (
        "Police fired stun grenades to disperse the crowd of protesters.",
        "Protest with intervention",
    ),
    ("Houthi fighters detained a journalist in Sanaa.", "Abduction/forced disappearance"),
    ("Police arrested ten protesters outside parliament.", "Protest with intervention"),
    ("Gunmen killed a shepherd and his son near Hama.", "Attack"),
    ("Gunmen killed two soldiers at a checkpoint near Hama.", "Armed clash"),
    ("Villagers clashed with sticks and stones over grazing land.", "Mob violence"),
    (
        "The foreign ministry condemned the attack and blamed the rebels.",
        "Official statement/accusation",
    ),
    (
        "Russia provided air support to Syrian government forces.",
        "Military support by a third party",
    ),
    # The condemning verb need not be the root: what the sentence asserts is a statement.
    (
        "The envoy issued a statement condemning the shelling of Ariha and urging a truce.",
        "Official statement/accusation",
    ),
    (
        "He said Ankara wanted no war with Moscow but accused Russia of breaking the truce.",
        "Official statement/accusation",
    ),
    # Air support describes the side that took the ground, it is not the event.
    (
        "Troops backed by Russian warplanes took a dozen villages south of Saraqib.",
        "Government regains territory",
    ),
    # "re-entered": one word to the tokenizer, a regain to the lexicon.
    ("Rebels re-entered the town of Kafr Nabl on Thursday.", "Non-state actor overtakes territory"),
    # Dying in an attack is no die-in.
    ("More than 40 fighters died in the attack on a camp near the town.", "Attack"),
    ("Activists staged a die-in outside the UN office.", "Peaceful protest"),
    # A strike with no weapon named, and the ground a side now holds or was pushed from.
    ("US forces struck a gathering of commanders north of Idlib city.", "Air/drone strike"),
    (
        "Rebels pushed government troops out of the town on Wednesday.",
        "Non-state actor overtakes territory",
    ),
    ("The monitor said government troops now held the town.", "Government regains territory"),
    ("Syrian troops surrounded the Turkish observation post at Morek.", "Armed clash"),
    ("The group described the move as a redeployment.", "Troop deployment/reinforcement"),
    # An unknown "Kafr ..." is a place, whatever the NER makes of it: no arrest.
    ("Government forces had taken Kafr Nabudah on May 8.", "Government regains territory"),
    # What an operation answers is background; the operation is the event.
    (
        "Turkey began a military operation against Syrian forces in response to the attack "
        "that killed 33 of its soldiers.",
        "Armed clash",
    ),
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The model, loaded once for this module (the classifier shares the same instance)."""
    return load_english_model()


@pytest.fixture(scope="module")
def snippets() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SNIPPETS.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def results(nlp: Language, snippets: list[dict[str, Any]]) -> list[Classification]:
    return classify_many([s["text"] for s in snippets])


def test_the_model_is_loaded_once(nlp: Language) -> None:
    assert load_english_model() is nlp


def test_snippets_cover_every_sub_event_type_twice(snippets: list[dict[str, Any]]) -> None:
    counts = Counter(s["sub_event_type"] for s in snippets)
    assert {t.name for t in all_types()} == set(counts)
    assert min(counts.values()) >= 2
    assert len({s["id"] for s in snippets}) == len(snippets)


def test_accuracy_on_our_snippets(
    snippets: list[dict[str, Any]], results: list[Classification]
) -> None:
    wrong = [
        (s["id"], s["sub_event_type"], r.sub_event_type)
        for s, r in zip(snippets, results, strict=True)
        if r.sub_event_type != s["sub_event_type"]
    ]
    accuracy = 1 - len(wrong) / len(snippets)
    assert accuracy >= FLOOR, wrong


@pytest.mark.parametrize(("text", "expected"), MUST_PASS)
def test_must_pass(nlp: Language, text: str, expected: str) -> None:
    assert classify(text).sub_event_type == expected


def test_a_classification_names_its_event_type_trigger_and_plover(nlp: Language) -> None:
    result = classify("A suicide bomber blew himself up at a checkpoint in Hasakah.")
    assert result.event_type == "Explosions/Remote violence"
    assert result.sub_event_type == "Suicide bomb"
    assert result.trigger is not None and result.trigger.lower().startswith("suicide bomber")
    assert result.plover == "ASSAULT/suicide-attack"
    assert 0.0 < result.confidence <= 1.0
    assert result.to_json() == {
        "event_type": result.event_type,
        "sub_event_type": result.sub_event_type,
        "confidence": result.confidence,
        "trigger": result.trigger,
    }


def test_event_type_always_matches_the_ontology(results: list[Classification]) -> None:
    for result in results:
        if result.sub_event_type is not None:
            assert by_sub_event(result.sub_event_type).event_type == result.event_type
            assert 0.0 < result.confidence <= 1.0


def test_nothing_to_code(nlp: Language) -> None:
    texts = [
        "",
        "   ",
        "The weather in Aleppo was mild on Sunday.",
        "Photo by AFP via Getty Images",
        # Out of the range of rockets is no rocket attack.
        "The city is now beyond the range of rebel rockets for the first time in years.",
    ]
    for result in classify_many(texts):
        assert result == Classification(None, None, 0.0, None)
        assert result.plover is None


def test_classify_many_returns_one_result_per_text_in_order(nlp: Language) -> None:
    texts = [
        "Warplanes struck a market.",
        "",
        "Rebels seized the village from the army.",
        "Hundreds rallied peacefully in Sweida.",
    ]
    got = [r.sub_event_type for r in classify_many(iter(texts), batch_size=2)]
    assert got == [
        "Air/drone strike",
        None,
        "Non-state actor overtakes territory",
        "Peaceful protest",
    ]
    assert got == [classify(t).sub_event_type for t in texts]


def test_enormous_and_odd_input_is_cut_not_crashed(nlp: Language) -> None:
    long_text = "Artillery shells hit the outskirts. " + "The market reopened. " * 2_000
    assert len(long_text) > MAX_CHARS
    assert classify(long_text).sub_event_type == "Shelling/artillery/missile attack"
    for odd in [
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "قصف مدفعي على البلدة",
        "- - - ; ; ;",
        "x" * 500,
    ]:
        assert isinstance(classify(odd), Classification)


def test_classify_spans_gives_none_for_sentences_without_events(nlp: Language) -> None:
    doc = nlp("The weather was mild. Warplanes struck a market in Ariha on Monday.")
    quiet, loud = classify_spans(list(doc.sents))
    assert quiet is None
    assert loud is not None and loud.sub_event_type == "Air/drone strike"


def test_the_lexicon_only_names_known_types_and_rules() -> None:
    lexicon.trigger_index()  # raises on a sub-event type the ontology does not know
    assert lexicon.rule_names() == set(classify_module._RULES)
    assert lexicon.cue_index()


def test_public_api() -> None:
    for module in (classify_module, lexicon):
        for name in module.__all__:
            assert hasattr(module, name), (module.__name__, name)


def test_one_phrase_is_one_report_of_its_type(nlp: Language) -> None:
    # "air and artillery bombardment" before the capture it preceded: one shelling, not
    # two, so the capture that is the sentence's news still wins.
    text = (
        "Government forces took control of the town on Wednesday after days of heavy air "
        "and artillery bombardment, a monitoring group said."
    )
    assert classify(text).sub_event_type == "Government regains territory"


def test_clearing_a_town_of_mines_is_no_taking_of_it(nlp: Language) -> None:
    text = "Government troops seized full control of Saraqib and were clearing the town of mines."
    found = classify(text)
    assert found.sub_event_type == "Government regains territory"
    assert found.trigger == "seized full control"  # the capture, not the mine clearing
