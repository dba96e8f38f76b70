"""Quantities, ranges and what they measure."""

from __future__ import annotations

import pytest

from sitrep.nlp.quantities import find_quantities, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("33", 33),
        ("900,000", 900_000),
        ("1.5 million", 1_500_000),
        ("eight", 8),
        ("thirty-three", 33),
        ("a dozen", 12),
        ("two hundred", 200),
        ("pieces", None),
    ],
)
def test_parse_number(text: str, value: int | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "low", "high", "qualifier", "measure"),
    [
        ("The estimated number of fighters is between 400 and 800.", 400, 800, None, "troops"),
        ("Between 400 and 800 Fatemiyoun fighters are in Idlib.", 400, 800, None, "troops"),
        ("At least 33 Turkish soldiers were killed in the strike.", 33, 33, "min", "fatalities"),
        ("Eight Turkish personnel died near Saraqib.", 8, 8, None, "fatalities"),
        (
            "More than 900,000 people have been displaced since December.",
            900_000,
            900_000,
            "min",
            "displaced",
        ),
        ("Five soldiers were wounded.", 5, 5, None, "injured"),
        ("Dozens of civilians were killed.", 24, 99, None, "fatalities"),
        ("Some 1.5 million people live in the camps.", 1_500_000, 1_500_000, "approx", "other"),
        ("Turkey sent 300-400 commandos to the front.", 300, 400, None, "troops"),
        ("Police arrested at least 15 young men in Jasim.", 15, 15, "min", "detained"),
        ("Security forces arrested 12 people, activists said.", 12, 12, None, "detained"),
    ],
)
def test_quantities(text: str, low: int, high: int, qualifier: str | None, measure: str) -> None:
    [quantity] = find_quantities(text)
    assert (quantity.low, quantity.high, quantity.qualifier, quantity.measure) == (
        low,
        high,
        qualifier,
        measure,
    )
    assert text[quantity.start : quantity.end] == quantity.text


@pytest.mark.parametrize(
    "text",
    [
        "UN Security Council Resolution 2254 calls for talks.",
        "The M5 highway links Damascus and Aleppo.",
        "The ceasefire was agreed in 2018.",
        "Under the 2018 agreement Turkey set up posts.",
    ],
)
def test_numbers_that_count_nothing(text: str) -> None:
    assert find_quantities(text) == []


def test_a_verb_before_a_bare_number_says_what_it_counts() -> None:
    text = "The blast killed at least 32 people and wounded more than 100, officials said."
    found = [(q.measure, q.low, q.qualifier) for q in find_quantities(text)]
    assert found == [("fatalities", 32, "min"), ("injured", 100, "min")]


def test_a_breakdown_is_marked_as_part_of_the_count_before() -> None:
    text = "The bomb killed 40 people, including 11 children, and wounded 60."
    found = [(q.measure, q.low, q.qualifier) for q in find_quantities(text)]
    assert found == [("fatalities", 40, None), ("fatalities", 11, "part"), ("injured", 60, None)]


def test_a_toll_that_has_risen_counts_what_its_subject_counts() -> None:
    text = (
        "The number of soldiers killed in the strike near the border on Thursday has "
        "risen to 34, officials said."
    )
    [toll] = find_quantities(text)
    assert (toll.low, toll.measure) == (34, "fatalities")
    assert find_quantities("Bread prices rose to 12 pounds a loaf.") == []
