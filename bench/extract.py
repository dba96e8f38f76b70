"""Article-body extraction: sitrep vs plain trafilatura, side by side on the same pages.

Usage: python bench/extract.py PATH/TO/article-extraction-benchmark [--limit N]

The folder holds ground-truth.json and html/<id>.html.gz (181 pages). For each extractor
the script prints token-level precision, recall and F1 of the article body against the
ground truth (averaged over pages, as the benchmark's own evaluation does), pages per
second, and peak traced memory, then the ratios sitrep / trafilatura. Nothing here is a
pass/fail test.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

from sitrep.extract.html import extract_html

Extractor = Callable[[bytes, str], str]
_TOKEN = re.compile(r"\w+", re.UNICODE)


def sitrep_body(html: bytes, url: str) -> str:
    return "\n".join(extract_html(html, url=url).paragraphs)


def trafilatura_body(html: bytes, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower()))


def prf(truth: str, predicted: str) -> tuple[float, float, float]:
    t, p = tokens(truth), tokens(predicted)
    if not t and not p:
        return 1.0, 1.0, 1.0
    common = sum((t & p).values())
    precision = common / sum(p.values()) if p else 0.0
    recall = common / sum(t.values()) if t else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def load(folder: Path, limit: int | None) -> list[tuple[str, bytes, str, str]]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for item_id in sorted(truth)[:limit]:
        html = gzip.decompress((folder / "html" / f"{item_id}.html.gz").read_bytes())
        pages.append((item_id, html, truth[item_id]["url"], truth[item_id]["articleBody"]))
    return pages


def timed(
    extractor: Extractor, pages: list[tuple[str, bytes, str, str]]
) -> tuple[list[str], float]:
    start = time.perf_counter()
    outputs = [extractor(html, url) for _, html, url, _ in pages]
    return outputs, time.perf_counter() - start


def run(
    extractor: Extractor, pages: list[tuple[str, bytes, str, str]], elapsed: float
) -> dict[str, float]:
    outputs, _ = timed(extractor, pages)
    scores = [prf(truth, out) for (_, _, _, truth), out in zip(pages, outputs, strict=True)]
    tracemalloc.start()
    for _, html, url, _ in pages[:40]:
        extractor(html, url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "precision": statistics.mean(s[0] for s in scores),
        "recall": statistics.mean(s[1] for s in scores),
        "f1": statistics.mean(s[2] for s in scores),
        "seconds": elapsed,
        "pages_per_second": len(pages) / elapsed,
        "peak_mb": peak / 1e6,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=3, help="timing rounds; the best counts")
    args = parser.parse_args(argv)
    if not (args.folder / "ground-truth.json").is_file():
        print(f"error: {args.folder} has no ground-truth.json", file=sys.stderr)
        return 2
    pages = load(args.folder, args.limit)
    # Warm both up once so that import and first-call costs do not count.
    sitrep_body(pages[0][1], pages[0][2])
    trafilatura_body(pages[0][1], pages[0][2])
    # Interleaved rounds, best time of each: a busy machine slows both alike.
    extractors = {"trafilatura": trafilatura_body, "sitrep": sitrep_body}
    best = dict.fromkeys(extractors, float("inf"))
    for _ in range(args.rounds):
        for name, extractor in extractors.items():
            best[name] = min(best[name], timed(extractor, pages)[1])
    results = {name: run(extractor, pages, best[name]) for name, extractor in extractors.items()}
    print(f"{len(pages)} pages from {args.folder}")
    print(f"{'extractor':<12} {'P':>6} {'R':>6} {'F1':>6} {'pages/s':>8} {'peak MB':>8}")
    for name, r in results.items():
        print(
            f"{name:<12} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} "
            f"{r['pages_per_second']:8.1f} {r['peak_mb']:8.1f}"
        )
    s, t = results["sitrep"], results["trafilatura"]
    print(
        f"ratio sitrep/trafilatura: F1 {s['f1'] / t['f1']:.3f}, "
        f"time {s['seconds'] / t['seconds']:.2f}x, peak memory {s['peak_mb'] / t['peak_mb']:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
