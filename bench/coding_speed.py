"""Event coding speed: sitrep's whole coding step vs spaCy's nlp.pipe on the same texts.

Usage: python bench/coding_speed.py [CORPUS_FOLDER] [--rounds N]

Extracts every article of the corpus (default: the bundled demo/), then times, side by
side and interleaved (best of N rounds), (a) the pinned spaCy model's ``nlp.pipe`` alone
over the texts sitrep codes and (b) sitrep's coder (pipeline with the actor and place
components, classifier, roles, dates, quantities, attribution) over the same articles.
Prints articles/second for both and the ratio; the goal is at most 1.25x spaCy's time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import spacy

from sitrep.events.engine import load_coder
from sitrep.extract import extract_document
from sitrep.nlp.pipeline import MODEL_NAME
from sitrep.records import Article, Document
from sitrep.service import DEMO_CORPUS, Service
from sitrep.settings import Settings


def articles(corpus: Path, settings: Settings) -> list[Article]:
    found: list[Article] = []
    with Service(settings) as service:
        for target in service.demo_targets(corpus):
            for item in service.collector.expand(target):
                if isinstance(item, Document):
                    article = extract_document(item)
                    if article.paragraphs and article.is_english:
                        found.append(article)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEMO_CORPUS)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as data:
        settings = Settings.load(data_dir=data)
        texts = articles(args.corpus, settings)
        coder = load_coder(settings)
        plain = spacy.load(MODEL_NAME)
        segments = [t for a in texts for kind, t in a.segments() if kind != "title"]
        words = sum(len(s.split()) for s in segments)
        best = {"spacy": float("inf"), "sitrep": float("inf")}
        events = 0
        for _ in range(args.rounds):
            start = time.perf_counter()
            list(plain.pipe(segments))
            best["spacy"] = min(best["spacy"], time.perf_counter() - start)
            start = time.perf_counter()
            events = sum(len(m) for m in coder.code_many(texts))
            best["sitrep"] = min(best["sitrep"], time.perf_counter() - start)
    print(f"{len(texts)} articles, {words} words, {events} event mentions ({args.corpus})")
    for name, seconds in best.items():
        print(
            f"{name:<8} {seconds:6.2f} s  {len(texts) / seconds:6.1f} articles/s  "
            f"{words / seconds:8.0f} words/s"
        )
    print(f"ratio sitrep/spaCy time: {best['sitrep'] / best['spacy']:.2f}x (goal <= 1.25x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
