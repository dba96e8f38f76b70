"""Geoparsing records: find place names in a text (or take the spans given) and resolve them.

One record in, one record out, as `sitrep geoparse --jsonl` reads and writes them:
``{"id", "text", "toponyms"?: [{"start", "end"}]}`` in, ``{"id", "places": [...]}`` out.
With ``toponyms`` only those spans are resolved, which is how published geoparsers are
compared; without, the spaCy pipeline with sitrep's gazetteer-backed recogniser finds
them first.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from spacy.language import Language

from sitrep.errors import InputError
from sitrep.geo.gazetteer import Gazetteer, default_gazetteer, gazetteer_path
from sitrep.geo.resolve import Resolution, Resolver
from sitrep.settings import Settings

__all__ = ["Geoparser", "check_record"]

_PLACE_ENTS = {"GPE", "LOC", "FAC"}


class Geoparser:
    def __init__(self, gazetteer: Gazetteer, settings: Settings) -> None:
        self.resolver = Resolver(gazetteer)
        self._settings = settings

    @classmethod
    def from_settings(cls, settings: Settings) -> Geoparser:
        return cls(default_gazetteer(settings), settings)

    @cached_property
    def nlp(self) -> Language:
        from sitrep.nlp.pipeline import build_pipeline  # the model loads only when needed

        return build_pipeline((), str(gazetteer_path(self._settings)))

    def parse(self, record: Mapping[str, Any], where: str = "record") -> dict[str, Any]:
        """The places of one record; a malformed record is an :class:`InputError`."""
        text, spans = check_record(record, where)
        if spans is None:
            spans = self._find(text)
        resolutions = self.resolver.resolve(text, spans)
        return {"id": record.get("id"), "places": [_place_json(r) for r in resolutions]}

    def _find(self, text: str) -> list[tuple[int, int]]:
        doc = self.nlp(text)
        found = [(s.start_char, s.end_char) for s in doc.spans.get("places", [])]
        for ent in doc.ents:
            if ent.label_ in _PLACE_ENTS and not any(
                ent.start_char < end and start < ent.end_char for start, end in found
            ):
                found.append((ent.start_char, ent.end_char))
        return sorted(found)


def check_record(record: Mapping[str, Any], where: str) -> tuple[str, list[tuple[int, int]] | None]:
    """The text and the given spans of a geoparse record; malformed: :class:`InputError`."""
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError("E105", f"{where}: 'text' must be a string")
    toponyms = record.get("toponyms")
    if toponyms is None:
        return text, None
    if not isinstance(toponyms, list):
        raise InputError("E105", f"{where}: 'toponyms' must be a list of {{start, end}}")
    spans = []
    for number, item in enumerate(toponyms, start=1):
        start = item.get("start") if isinstance(item, dict) else None
        end = item.get("end") if isinstance(item, dict) else None
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise InputError(
                "E105",
                f"{where}: toponym {number} has offsets {start!r}..{end!r} outside the text "
                f"(length {len(text)})",
            )
        spans.append((start, end))
    return text, spans


def _place_json(r: Resolution) -> dict[str, Any]:
    place = r.place
    return {
        "start": r.start,
        "end": r.end,
        "text": r.text,
        "name": place.name if place else None,
        "lat": round(place.lat, 5) if place else None,
        "lon": round(place.lon, 5) if place else None,
        "geonames_id": place.geonames_id if place else None,
        "country": place.country if place else None,
        "feature_class": place.feature_class if place else None,
        "confidence": r.confidence,
    }
