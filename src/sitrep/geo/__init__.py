"""Places: transliteration-tolerant names and the gazetteer index.

:mod:`sitrep.geo.names` makes matching keys, :mod:`sitrep.geo.sources` reads GeoNames,
countries and the places supplement, :mod:`sitrep.geo.dumps` downloads and reads GeoNames'
full dumps (``sitrep gazetteer update``), :mod:`sitrep.geo.gazetteer` builds and queries
the index and opens it once per process (:func:`default_gazetteer`).

Contains data from GeoNames (geonames.org), licensed under CC BY 4.0.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from sitrep.geo.gazetteer import (
    ATTRIBUTION,
    Candidate,
    Gazetteer,
    Place,
    Scope,
    default_gazetteer,
    ensure_gazetteer,
    gazetteer_path,
)
from sitrep.geo.names import arabic_key, fold_name, match_key, name_key
from sitrep.settings import Settings

__all__ = [
    "ATTRIBUTION",
    "Candidate",
    "Gazetteer",
    "Place",
    "Scope",
    "arabic_key",
    "default_gazetteer",
    "ensure_gazetteer",
    "fold_name",
    "gazetteer_path",
    "main",
    "match_key",
    "name_key",
]


def main(argv: Sequence[str] | None = None) -> int:
    """Build the configured index if it is missing or stale: ``make gazetteer`` runs this."""
    parser = argparse.ArgumentParser(description="Build sitrep's gazetteer index.")
    parser.add_argument("--countries", help="comma-separated ISO codes (default: all)")
    parser.add_argument("--force", action="store_true", help="rebuild even if current")
    args = parser.parse_args(argv)
    settings = Settings.load()
    countries = {c.strip() for c in (args.countries or "").split(",") if c.strip()} or None
    meta = ensure_gazetteer(settings, countries, force=args.force)
    path = gazetteer_path(settings)
    if meta is None:
        print(f"gazetteer {path} is up to date")
        return 0
    size = path.stat().st_size / 1e6
    print(
        f"built {path}: {meta['places']} places, {meta['names']} names, "
        f"{size:.0f} MB in {meta['seconds']} s. {ATTRIBUTION}."
    )
    return 0
