"""A small GeoNames download folder for the tests, zipped from tests/fixtures/geonames/.

The rows are ours (see tests/fixtures/README.md); the layout is GeoNames' export/dump/:
``SY.zip`` holding ``SY.txt``, ``alternatenames/SY.zip`` holding ``SY.txt``, and the
admin code files as they are. Serve the folder with ``http_server.mount("geonames", ...)``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from sitrep.geo.dumps import ADMIN1_FILE, ADMIN2_FILE

ROWS = Path(__file__).parent / "fixtures" / "geonames"


def dump_site(folder: Path, replace: dict[str, str] | None = None) -> Path:
    """Write the zipped dumps into ``folder``; ``replace`` swaps a table's text by its path
    under tests/fixtures/geonames/ ("SY.txt", "alternatenames/SY.txt")."""
    replace = replace or {}
    for table in sorted(ROWS.rglob("*.txt")):
        relative = table.relative_to(ROWS).as_posix()
        text = replace.get(relative, table.read_text(encoding="utf-8"))
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if relative in (ADMIN1_FILE, ADMIN2_FILE):
            target.write_text(text, encoding="utf-8")
            continue
        with zipfile.ZipFile(target.with_suffix(".zip"), "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(table.name, text)
    return folder
