from __future__ import annotations

import pytest

from sitrep.nlp.locations import relative_after


@pytest.mark.parametrize(
    ("text", "place", "relative"),
    [
        (
            "Smoke over al-Nayrab, about 14 kilometres southeast of the city of Idlib, on Monday.",
            "al-Nayrab",
            "about 14 kilometres southeast of the city of Idlib",
        ),
        (
            "They took Maaret al-Numan, a strategic town south of the city of Idlib, from rebels.",
            "Maaret al-Numan",
            "south of the city of Idlib",
        ),
        ("Shells fell on Sarmin, 7 km east of Idlib.", "Sarmin", "7 km east of Idlib"),
        (
            "Clashes in Atareb, near the Turkish border, continued.",
            "Atareb",
            "near the Turkish border",
        ),
        ("Forces entered Saraqib and moved north of the M4.", "Saraqib", None),
        ("Rebels held Taftanaz.", "Taftanaz", None),
    ],
)
def test_relative_after(text: str, place: str, relative: str | None) -> None:
    end = text.index(place) + len(place)
    assert relative_after(text, end) == relative
