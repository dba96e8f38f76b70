"""Sub-event typing: sitrep's rules against a small trained text classifier, on CASE 2021.

Usage: python bench/classifier.py PATH/TO/case2021-task2-event-classification

Purpose: decide whether sitrep should ship a trained sub-event classifier next to (or
instead of) its rule-based one. It ships one only where the trained model measurably
beats the rules; this script produces the figures that decision rests on.

Data provenance:

- Training data is sitrep's own written data only: the labelled snippets of
  tests/fixtures/events/snippets.jsonl (one sentence or two per sub-event type, written
  for sitrep's tests). Labels are mapped to ACLED's scheme the way the rules' output is
  (sitrep.events.ontology's ACLED fallback); sitrep-only types without a fallback train a
  "(no event)" class. No other text is used.
- Evaluation data is the CASE 2021 Task 2 file dev_even_ids.tsv, read and scored with
  bench/events.py's helpers. Its snippets have no licence: they are used for evaluation
  only, never for training, tuning, or lexicon entries.

The model is spaCy's ``textcat`` (exclusive classes, bag-of-words ``spacy.TextCatBOW.v3``)
trained from a blank English pipeline with a fixed seed, on CPU, in a few seconds.

Printed, over the snippets whose gold label is one of ACLED's 25 sub-event types: the
accuracy and weighted F1 of the rules, of the trained model, and of a hybrid (the rules,
falling back to the model only where the rules find no event); the per-class F1 of rules
and model for the classes where the model does better, with the ratio model/rules; the
number of training examples and the training time.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.pipeline import TextCategorizer
from spacy.training import Example
from thinc.api import fix_random_seed, require_cpu  # what spacy.util re-exports

from sitrep.events.classify import classify_many, load_english_model
from sitrep.events.ontology import by_sub_event

sys.path.insert(0, str(Path(__file__).parent))
import events as case_bench  # bench/ is not a package

TRAINING_FILE = (
    Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "events" / "snippets.jsonl"
)
NONE = case_bench.NONE
SEED = 0
EPOCHS = 20
BATCH_SIZE = 8
DROPOUT = 0.2
TEXTCAT_CONFIG = {
    "model": {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": True,
        "ngram_size": 1,
        "no_output_layer": False,
        "length": 262144,
        "nO": None,
    }
}


def load_training(path: Path = TRAINING_FILE) -> list[tuple[str, str]]:
    """(text, ACLED sub-event name or "(no event)") pairs from sitrep's own snippets."""
    pairs = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                label = by_sub_event(row["sub_event_type"]).acled_name or NONE
                pairs.append((row["text"], label))
    return pairs


def train(pairs: list[tuple[str, str]]) -> tuple[Language, float]:
    """A textcat pipeline trained on ``pairs``, and the training time in seconds."""
    start = time.perf_counter()
    require_cpu()
    fix_random_seed(SEED)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config=TEXTCAT_CONFIG)
    assert isinstance(textcat, TextCategorizer)
    labels = sorted({label for _, label in pairs})
    for label in labels:
        textcat.add_label(label)
    examples = [
        Example.from_dict(nlp.make_doc(text), {"cats": {name: name == label for name in labels}})
        for text, label in pairs
    ]
    optimizer = nlp.initialize(lambda: examples)
    shuffle = random.Random(SEED)
    for _ in range(EPOCHS):
        shuffle.shuffle(examples)
        for first in range(0, len(examples), BATCH_SIZE):
            batch = examples[first : first + BATCH_SIZE]
            nlp.update(batch, sgd=optimizer, drop=DROPOUT, losses={})
    return nlp, time.perf_counter() - start


def predict(nlp: Language, texts: list[str]) -> list[str]:
    """The highest-scoring label for each text."""
    return [max(doc.cats, key=doc.cats.__getitem__) for doc in nlp.pipe(texts, batch_size=256)]


def accuracy(gold: list[str], predicted: list[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()

    seen = [(text, label) for _, text, label in case_bench.load(args.folder)]
    seen = [
        (text, case_bench.CASE_LABELS[label])
        for text, label in seen
        if label in case_bench.CASE_LABELS
    ]
    texts = [text for text, _ in seen]
    gold = [label for _, label in seen]

    pairs = load_training()
    nlp, train_seconds = train(pairs)
    model = predict(nlp, texts)

    load_english_model()
    rules = [case_bench.as_acled(result) for result in classify_many(texts)]
    hybrid = [m if r == NONE else r for r, m in zip(rules, model, strict=True)]

    tables = {
        name: case_bench.per_class(gold, predicted)
        for name, predicted in (("rules", rules), ("trained", model), ("hybrid", hybrid))
    }
    print(f"ACLED classes: {len(gold)} CASE snippets (evaluation only), 25 classes")
    print(
        f"trained model: spaCy textcat (TextCatBOW.v3), {len(pairs)} training examples "
        f"from {TRAINING_FILE.name}, {len({label for _, label in pairs})} labels, "
        f"{EPOCHS} epochs, trained in {train_seconds:.1f} s"
    )
    print(f"\n{'':10} {'accuracy':>8} {'weighted F1':>12} {'no event':>9}")
    for name, predicted in (("rules", rules), ("trained", model), ("hybrid", hybrid)):
        print(
            f"{name:10} {100 * accuracy(gold, predicted):8.1f} "
            f"{100 * case_bench.weighted_f1(tables[name]):12.1f} {predicted.count(NONE):9d}"
        )
    rules_f1 = case_bench.weighted_f1(tables["rules"])
    model_f1 = case_bench.weighted_f1(tables["trained"])
    print(f"ratio trained/rules (weighted F1): {model_f1 / rules_f1:.2f}")

    better = [
        (name, support, tables["rules"][name][3], tables["trained"][name][3])
        for name, (support, *_) in tables["rules"].items()
        if tables["trained"][name][3] > tables["rules"][name][3]
    ]
    print(f"\nclasses where the trained model beats the rules: {len(better)} of 25")
    if better:
        print(f"{'class':38} {'n':>4} {'rules F1':>9} {'model F1':>9} {'ratio':>6}")
        for name, support, rule_f1, trained_f1 in better:
            ratio = f"{trained_f1 / rule_f1:6.2f}" if rule_f1 else f"{'inf':>6}"
            print(f"{name:38} {support:4d} {rule_f1:9.2f} {trained_f1:9.2f} {ratio}")


if __name__ == "__main__":
    main()
