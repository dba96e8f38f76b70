"""Relative location phrases kept with a place mention, for the geocoder to use.

"al-Nayrab, about 14 kilometres southeast of the city of Idlib" keeps "about 14
kilometres southeast of the city of Idlib"; "Maaret al-Numan, a strategic town south of
the city of Idlib" keeps "south of the city of Idlib". Geocoding turns them into a point
with a radius; here they are only found and kept as text.
"""

from __future__ import annotations

import re

__all__ = ["relative_after"]

_DIRECTION = (
    r"(?:north|south|east|west)(?:[- ]?(?:east|west))?(?:ern)?|northeast|northwest|"
    r"southeast|southwest"
)
_ANCHOR = (
    r"(?:the (?:city|town|village|provincial capital|capital) of )?(?:the )?"
    r"[A-Z][\w'’-]*(?:[ -][A-Z][\w'’-]*){0,3}(?: (?:border|frontier|highway|road|airport))?"
)
_DISTANCE = (
    r"(?:(?:about|some|around|roughly|nearly|approximately|almost|just|only) )?"
    r"\d[\d,]*(?:\.\d+)? ?(?:km|kilometres|kilometers|miles|mi)\b"
)
_RELATIVE = re.compile(
    rf"(?P<phrase>(?:{_DISTANCE} (?:to the )?)?(?:{_DIRECTION}) (?:of|outside|from) {_ANCHOR}"
    rf"|(?:on the outskirts of|near|outside|close to) {_ANCHOR})",
)
# How far after a place name its relative description may start ("X, a town south of Y").
_WINDOW = 80


def relative_after(text: str, place_end: int) -> str | None:
    """The relative description that follows a place mention in the same clause, if any."""
    window = text[place_end : place_end + _WINDOW]
    clause = re.split(r"[.;:()]", window, maxsplit=1)[0]
    match = _RELATIVE.search(clause)
    if match is None:
        return None
    between = clause[: match.start()]
    # Only an apposition may stand between: ", a strategic town", ", the village", ", ".
    if not re.fullmatch(r",?\s*(?:(?:a|an|the)\s+(?:[\w-]+\s+){0,3})?", between):
        return None
    return match["phrase"].strip()
