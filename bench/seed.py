"""What sitrep's extractor makes of the seed page (a flattened text dump).

Usage: python bench/seed.py ../shared/seeds/000_50830371b547e48c.txt

Prints the extraction as JSON and checks it against what the foundation issue asks:
the headline as title, the dek as subtitle, the photo caption (without credits) as the
only caption, the body paragraphs, and none of the page furniture in any kept field.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sitrep.extract.text import extract_text

FURNITURE = (
    "Skip to main content",
    "Read in",
    "Access the Middle East news",
    "Join our community",
    "Only $100 per year",
    "Photo by",
)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_file():
        print(__doc__, file=sys.stderr)
        return 2
    article = extract_text(Path(argv[0]).read_text(encoding="utf-8"))
    print(json.dumps(article.to_json(), indent=2, ensure_ascii=False))
    kept = [article.title or "", article.subtitle or "", *article.captions, *article.paragraphs]
    checks = {
        "title": article.title == "What brought Iranian forces to Idlib front?",
        "subtitle is the dek": (article.subtitle or "").startswith("A number of developments"),
        "one caption, no credit": len(article.captions) == 1
        and article.captions[0].startswith("This picture taken on February 3, 2020")
        and "Photo by" not in article.captions[0],
        "body paragraphs": any(p.startswith("The Syrian army") for p in article.paragraphs)
        and any(p.startswith("The British newspaper") for p in article.paragraphs),
        "no furniture kept": not any(f in k for f in FURNITURE for k in kept),
        "furniture listed as removed": all(any(f in r for r in article.removed) for f in FURNITURE),
        "date inferred": article.published is not None
        and article.published.isoformat() == "2020-02-03"
        and article.published_inferred,
    }
    for name, ok in checks.items():
        print(f"{'ok  ' if ok else 'FAIL'} {name}", file=sys.stderr)
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
