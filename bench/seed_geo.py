"""The seed page on the map: the geocoding issue's acceptance checks.

Usage: python bench/seed_geo.py ../shared/seeds/000_50830371b547e48c.txt

Codes the seed with sitrep's default settings (the full gazetteer index) and checks:
Maaret al-Numan resolves to Ma'arrat an-Nu'man (GeoNames 167611) within 5 km; the
al-Nayrab event lands within 5 km of 35.84 N 36.73 E; Idlib, Aleppo, Damascus, Syria,
Iran, Turkey and Russia resolve to the right GeoNames places; "Idlib province" resolves
to the governorate, not the city. Prints each event's location and reasoning.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sitrep.geo.geoparse import Geoparser
from sitrep.geo.relative import distance_km
from sitrep.service import Service
from sitrep.settings import Settings

NAMED = {
    "Idlib": 169389,
    "Aleppo": 170063,
    "Damascus": 170654,
    "Syria": 163843,
    "Iran": 130758,
    "Turkey": 298795,
    "Russia": 2017370,
}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_file():
        print(__doc__, file=sys.stderr)
        return 2
    settings = Settings.load()
    with Service(settings) as service:
        article, events = service.analyze(argv[0])
    checks: dict[str, bool] = {}
    for event in events:
        geo = event.location.geo if event.location else None
        if event.location is None or geo is None:
            continue
        where = f"({geo.lat}, {geo.lon}) p{geo.geo_precision} r{geo.radius_km} km"
        print(
            f"{event.sub_event_type}: {event.location.text} -> {geo.name} {where}: {geo.reasoning}"
        )
        if event.location.text == "Maaret al-Numan":
            near = distance_km(geo.lat or 0, geo.lon or 0, 35.6483, 36.6769) < 5
            checks["Maaret al-Numan is GeoNames 167611"] = geo.geonames_id == 167611 and near
        if event.location.text == "al-Nayrab":
            off = distance_km(geo.lat or 0, geo.lon or 0, 35.84, 36.73)
            checks[f"al-Nayrab event within 5 km of 35.84 N 36.73 E ({off:.1f} km)"] = off < 5
    parser = Geoparser.from_settings(settings)
    text = article.coding_text
    for name, geonames_id in NAMED.items():
        start = text.find(name)
        span = {"start": start, "end": start + len(name)}
        found = parser.parse({"id": name, "text": text, "toponyms": [span]})
        checks[f"{name} is GeoNames {geonames_id}"] = (
            found["places"][0]["geonames_id"] == geonames_id
        )
    sentence = {
        "id": "p",
        "text": "Fighting in Idlib province.",
        "toponyms": [{"start": 12, "end": 26}],
    }
    province = parser.parse(sentence)
    checks["Idlib province is the governorate"] = province["places"][0]["feature_class"] == "A"
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
