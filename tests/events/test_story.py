"""When a mention happened: the time that dates its own trigger, and the event it retells.

Our own texts, modelled on the kind of reporting the demo corpus follows.
"""

from __future__ import annotations

from datetime import date

from sitrep.records import EventMention

from .conftest import CodeText


def _with(events: list[EventMention], words: str) -> EventMention:
    found = [e for e in events if words in e.evidence.text]
    assert found, f"no mention of {words!r} among {[e.evidence.text for e in events]}"
    return found[0]


def test_the_time_that_hangs_from_the_trigger_dates_it(code_text: CodeText) -> None:
    # The funerals were on Saturday; the strike they mourn was on Thursday night.
    events = code_text(
        "Funerals in Hatay\n\nFebruary 22, 2020\n\n"
        "Turkey held funerals on Saturday for four soldiers killed in a regime air strike "
        "near Sarmin on Thursday night, the ministry said.\n"
    )
    strike = _with(events, "air strike near Sarmin")
    assert (strike.date, strike.date_precision) == (date(2020, 2, 20), "day")


def test_a_time_inside_a_clause_of_its_own_does_not_date_the_trigger(
    code_text: CodeText,
) -> None:
    # "at the start of February" dates the capture the relative clause recalls.
    events = code_text(
        "Rebels back in Sarmin\n\nFebruary 27, 2020\n\n"
        "Rebels re-entered Sarmin, a town that government forces had captured at the start "
        "of February, on Thursday, a monitor said.\n"
    )
    retaken = _with(events, "re-entered Sarmin")
    assert retaken.sub_event_type == "Non-state actor overtakes territory"
    assert (retaken.date, retaken.date_precision) == (date(2020, 2, 27), "day")


def test_a_date_naming_another_event_does_not_date_the_trigger(code_text: CodeText) -> None:
    events = code_text(
        "Operation announced\n\nMarch 1, 2020\n\n"
        "In response to the February 27 attack on its troops, Turkey is conducting a "
        "military operation against Syrian government forces, the defence minister said "
        "on Sunday.\n"
    )
    operation = _with(events, "conducting a military operation")
    assert operation.date == date(2020, 3, 1)


def test_what_a_clause_describing_the_trigger_says_still_dates_it(code_text: CodeText) -> None:
    events = code_text(
        "A fragile calm\n\nMarch 9, 2020\n\n"
        "Russia and Turkey agreed a ceasefire in Moscow on Thursday.\n\n"
        "The ceasefire that came into force at midnight on Friday has so far held, residents "
        "of Ariha said.\n"
    )
    held = _with(events, "came into force")
    assert held.date == date(2020, 3, 6)


def test_a_definite_victim_of_a_violent_verb_retells_the_event(code_text: CodeText) -> None:
    # "The soldiers were killed" returns to the strike, and so does the blame; Saturday is
    # only when the toll was given.
    events = code_text(
        "After the strike\n\nFebruary 29, 2020\n\n"
        "An air strike hit a Turkish convoy near Sarmin on Thursday evening, killing at "
        "least 20 soldiers, a war monitor said. The official toll stood at 18 on Saturday.\n\n"
        "The soldiers were killed on a road where their unit had been escorting supplies. "
        "Turkish officials blamed Syrian government aircraft.\n"
    )
    for words in ("The soldiers were killed", "officials blamed"):
        assert _with(events, words).date == date(2020, 2, 27), words


def test_a_retelling_takes_the_date_of_what_it_retells(code_text: CodeText) -> None:
    # The sentence's only times date what it compares the strike with.
    events = code_text(
        "Heaviest loss\n\nFebruary 27, 2020\n\n"
        "At least 20 Turkish soldiers were killed in an air strike near Sarmin on Thursday, "
        "the governor of Hatay said.\n\n"
        "The strike is the heaviest loss the army has suffered since it first sent troops "
        "into Syria in 2016, and follows the deaths of a dozen soldiers earlier this month.\n"
    )
    loss = _with(events, "heaviest loss")
    assert (loss.date, loss.date_precision) == (date(2020, 2, 27), "day")
