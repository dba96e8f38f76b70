"""Who did it and to whom, on our own sentences: the parse around the trigger decides, and
actors acting in other clauses or on other things stay out of the event."""

from __future__ import annotations

from sitrep.records import EventMention

from .conftest import CodeText

DATELINE = "Strikes in the north-west\n\nFebruary 22, 2020\n\n"


def _sides(event: EventMention) -> tuple[str | None, str | None]:
    return (
        event.actor1.actor_id if event.actor1 else None,
        event.actor2.actor_id if event.actor2 else None,
    )


def _only(events: list[EventMention]) -> EventMention:
    assert len(events) == 1, [e.evidence.text for e in events]
    return events[0]


def test_an_actor_acted_on_in_another_clause_is_not_the_target(code_text: CodeText) -> None:
    # The regime positions are what the army pounds, not what the air strike hit.
    event = _only(
        code_text(
            DATELINE + "Turkey held funerals on Friday for some of the 20 soldiers killed in a "
            "Syrian regime air strike in Idlib on Thursday evening, as the armed forces "
            "continued to pound regime positions across the province.\n"
        )
    )
    assert _sides(event) == ("syrian_government", None)


def test_who_mourns_the_dead_did_not_kill_them(code_text: CodeText) -> None:
    # The strike is told inside a description of the soldiers; Turkey holds the funerals.
    event = _only(
        code_text(
            DATELINE + "Turkey held funerals on Saturday for four soldiers killed in an air "
            "strike near Sarmin on Thursday night.\n"
        )
    )
    assert event.sub_event_type == "Air/drone strike"
    assert event.actor1 is None


def test_the_noun_a_passive_participle_describes_is_its_victim(code_text: CodeText) -> None:
    event = _only(
        code_text(
            DATELINE + "Putin offered condolences for the Turkish soldiers killed in Idlib "
            "last week and said the army had not known they were there.\n"
        )
    )
    assert _sides(event) == (None, "turkish_armed_forces")


def test_the_nationality_of_the_dead_is_not_their_killer(code_text: CodeText) -> None:
    event = _only(
        code_text(DATELINE + "Thursday's strike killed at least 20 Turkish soldiers near Sarmin.\n")
    )
    assert _sides(event) == (None, "turkish_armed_forces")


def test_the_blamed_are_the_attackers_and_who_blames_is_a_source(code_text: CodeText) -> None:
    event = _only(
        code_text(
            DATELINE + "The Syrian Observatory for Human Rights blamed Russian jets for the "
            "raids on Sarmin.\n"
        )
    )
    assert event.actor1 is not None and event.actor1.actor_id in {
        "russia",
        "russian_aerospace_forces",
    }
    assert event.actor2 is None  # not the monitor, nor the jets a second time


def test_victims_joined_to_the_killed_are_victims_too(code_text: CodeText) -> None:
    # "were killed and three others wounded in an air strike": both verbs' subjects.
    event = _only(
        code_text(
            DATELINE + "Two Turkish soldiers were killed and three others wounded in an air "
            "strike near Sarmin on Thursday, the ministry said.\n"
        )
    )
    assert _sides(event) == (None, "turkish_armed_forces")


def test_a_hyphenated_retaking_keeps_its_parse(code_text: CodeText) -> None:
    # Split at the hyphen, "re" reads as a verb and the rebels lose their role.
    event = _only(
        code_text(DATELINE + "Rebels backed by Turkey re-entered the town of Sarmin on Thursday.\n")
    )
    assert event.sub_event_type == "Non-state actor overtakes territory"
    assert _sides(event)[0] == "rebels"


def test_the_force_sent_is_what_deploys(code_text: CodeText) -> None:
    event = _only(
        code_text(
            DATELINE + "Iran has sent fighters from the Fatemiyoun to the front lines in Idlib "
            "province, a British newspaper reported on Sunday.\n"
        )
    )
    assert event.sub_event_type == "Troop deployment/reinforcement"
    assert event.actor1 is not None and event.actor1.actor_id == "fatemiyoun"
    assert "iran" in event.actor1.sponsors
    assert "iran" in {a.actor_id for a in event.associated}  # the state that sent them


def test_a_count_kept_over_a_month_is_no_event(code_text: CodeText) -> None:
    events = code_text(
        DATELINE + "Attacks by regime forces have now killed 15 Turkish personnel in Idlib "
        "this month. Shelling killed two Turkish soldiers near Sarmin on Thursday.\n"
    )
    assert [e.evidence.text[:8] for e in events] == ["Shelling"]


def test_the_subject_of_another_clause_is_not_the_attacker(code_text: CodeText) -> None:
    # Ankara tried to send the convoy; the strike has a clause and a subject of its own.
    event = _only(
        code_text(
            DATELINE + "A week earlier Ankara had tried to send an armoured convoy south, but "
            "an air strike near Sarmin stopped it.\n"
        )
    )
    assert event.sub_event_type == "Air/drone strike"
    assert event.actor1 is None


def test_who_dies_in_an_attack_suffers_it_and_so_do_those_named_with_them(
    code_text: CodeText,
) -> None:
    event = _only(
        code_text(
            DATELINE + "More than 40 fighters, including leaders of Hurras al-Din and Ansar "
            "al-Tawhid, died in the attack on a camp near Sarmin, a monitor said.\n"
        )
    )
    assert event.actor1 is None
    assert event.actor2 is not None and event.actor2.actor_id == "hurras_al_din"


def test_a_second_source_and_whom_a_source_tells_are_no_sides(code_text: CodeText) -> None:
    event = _only(
        code_text(
            DATELINE + "Government forces shelled villages near Sarmin on Thursday, residents "
            "told reporters, and the Syrian Observatory for Human Rights reported that four "
            "people were killed.\n"
        )
    )
    assert _sides(event) == ("government_forces", None)
