"""Sub-event typing: sitrep's rule-based classifier on the CASE 2021 Task 2 snippets.

Usage: python bench/events.py PATH/TO/case2021-task2-event-classification [--errors]

The folder holds dev_even_ids.tsv (columns id, EventSnippet, SubType): news-like
snippets labelled with ACLED's 25 sub-event types plus 5 "unseen" types that ACLED does
not have (DIPLO, ATTRIB, ORG_CRIME, NATURAL_DISASTER, MAN_MADE_DISASTER).

The snippets have no licence. They are used here for evaluation only: never copied into
the repository, never used as training data, never mined for lexicon entries. The
classifier's rules come from ACLED's and PLOVER's category definitions. Its rules were
refined after reading the errors this script reports on this (even-id) half, so the
figure here is optimistic; the odd-id half, kept elsewhere, is the untouched test.

Printed: accuracy and weighted F1 over the snippets whose label is one of ACLED's 25
sub-event types (the shared task's subtask 1 setting, where the best published system
scored 83.9 weighted F1: Haneczok et al., CASE 2021), a per-class table (support,
precision, recall, F1), the 15 most frequent confusions, what the classifier made of the
unseen types (ideally: no ACLED event), and snippets per second next to spaCy's own
parse of the same texts (best of three runs each). sitrep's own sub-event types are
scored through their ACLED fallback (see sitrep.events.ontology); with no fallback they
count as "no event". ``--errors`` lists misclassified ids with gold label, prediction
and trigger (not the text).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

from sitrep.events.classify import Classification, classify_many, load_english_model
from sitrep.events.ontology import acled_types, by_sub_event

PUBLISHED_BEST_WEIGHTED_F1 = 83.9
NONE = "(no event)"

CASE_LABELS: dict[str, str] = {
    "ARMED_CLASH": "Armed clash",
    "GOV_REGAINS_TERIT": "Government regains territory",
    "NON_STATE_ACTOR_OVERTAKES_TER": "Non-state actor overtakes territory",
    "AIR_STRIKE": "Air/drone strike",
    "ART_MISS_ATTACK": "Shelling/artillery/missile attack",
    "REM_EXPLOS": "Remote explosive/landmine/IED",
    "SUIC_BOMB": "Suicide bomb",
    "GRENADE": "Grenade",
    "CHEM_WEAP": "Chemical weapon",
    "ATTACK": "Attack",
    "ABDUCT_DISSAP": "Abduction/forced disappearance",
    "SEX_VIOL": "Sexual violence",
    "PEACE_PROTEST": "Peaceful protest",
    "PROTEST_WITH_INTER": "Protest with intervention",
    "FORCE_AGAINST_PROTEST": "Excessive force against protesters",
    "VIOL_DEMONSTR": "Violent demonstration",
    "MOB_VIOL": "Mob violence",
    "AGREEMENT": "Agreement",
    "ARREST": "Arrests",
    "CHANGE_TO_GROUP_ACT": "Change to group/activity",
    "DISR_WEAP": "Disrupted weapons use",
    "HQ_ESTABLISHED": "Headquarters or base established",
    "PROPERTY_DISTRUCT": "Looting/property destruction",
    "NON_VIOL_TERRIT_TRANSFER": "Non-violent transfer of territory",
    "OTHER": "Other",
}
# Spellings used in other releases of the task's files.
ALIASES = {
    "CHEM_WEAPON": "CHEM_WEAP",
    "ABD_FORCE_DISAP": "ABDUCT_DISSAP",
    "EXCESSIVE_FORCE": "FORCE_AGAINST_PROTEST",
    "DISR_WEAPON": "DISR_WEAP",
    "LOOT_PROP_DESTRUCT": "PROPERTY_DISTRUCT",
}
UNSEEN = ("DIPLO", "ATTRIB", "ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER")


def load(folder: Path) -> list[tuple[str, str, str]]:
    """(id, snippet, CASE label) rows of dev_even_ids.tsv."""
    path = folder / "dev_even_ids.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = [(r["id"], r["EventSnippet"], r["SubType"].strip()) for r in reader]
    labels = {ALIASES.get(label, label) for _, _, label in rows}
    unknown = labels - set(CASE_LABELS) - set(UNSEEN)
    if unknown:
        sys.exit(f"unmapped CASE labels in {path}: {sorted(unknown)}")
    return [(i, text, ALIASES.get(label, label)) for i, text, label in rows]


def as_acled(result: Classification) -> str:
    """The ACLED sub-event name a prediction counts as."""
    if result.sub_event_type is None:
        return NONE
    return by_sub_event(result.sub_event_type).acled_name or NONE


def per_class(gold: list[str], predicted: list[str]) -> dict[str, tuple[int, float, float, float]]:
    """class -> (support, precision, recall, F1) over ACLED's 25 classes."""
    table = {}
    for name in (sub.name for sub in acled_types()):
        tp = sum(g == p == name for g, p in zip(gold, predicted, strict=True))
        support = gold.count(name)
        claimed = predicted.count(name)
        precision = tp / claimed if claimed else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[name] = (support, precision, recall, f1)
    return table


def weighted_f1(table: dict[str, tuple[int, float, float, float]]) -> float:
    total = sum(support for support, *_ in table.values())
    return sum(support * f1 for support, _, _, f1 in table.values()) / total


ROUNDS = 3  # timings take the best of this many runs: the machine may be busy


def timed_classify(texts: list[str]) -> tuple[list[Classification], float]:
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        results = classify_many(texts)
        best = min(best, time.perf_counter() - start)
    return results, best


def timed_spacy(texts: list[str]) -> float:
    nlp = load_english_model()
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64):
            pass
        best = min(best, time.perf_counter() - start)
    return best


def report_seen(
    rows: list[tuple[str, str, str]], results: list[Classification], show_errors: bool
) -> None:
    seen = [(row, res) for row, res in zip(rows, results, strict=True) if row[2] in CASE_LABELS]
    gold = [CASE_LABELS[label] for (_, _, label), _ in seen]
    predicted = [as_acled(res) for _, res in seen]
    table = per_class(gold, predicted)
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    score = weighted_f1(table)
    print(f"ACLED classes: {len(gold)} snippets, 25 classes")
    print(f"  accuracy     {100 * accuracy:5.1f}")
    print(
        f"  weighted F1  {100 * score:5.1f}   (best published: {PUBLISHED_BEST_WEIGHTED_F1}; "
        f"ratio {100 * score / PUBLISHED_BEST_WEIGHTED_F1:.2f})"
    )
    print(f"  no event     {predicted.count(NONE)} snippets")
    print(f"\n{'class':38} {'n':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for name, (support, precision, recall, f1) in table.items():
        print(f"{name:38} {support:4d} {precision:6.2f} {recall:6.2f} {f1:6.2f}")
    confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    print("\nmost frequent confusions (gold -> predicted):")
    for (g, p), n in confusions.most_common(15):
        print(f"  {n:3d}  {g} -> {p}")
    if show_errors:
        print("\nerrors (id, gold, predicted, trigger):")
        for ((item, _, _), res), g, p in zip(seen, gold, predicted, strict=True):
            if g != p:
                print(f"  {item:>6}  {g} -> {p}  [{res.trigger}]")


def report_unseen(rows: list[tuple[str, str, str]], results: list[Classification]) -> None:
    print("\nunseen types (not in ACLED; best is no ACLED event):")
    for label in UNSEEN:
        preds = [as_acled(r) for (_, _, g), r in zip(rows, results, strict=True) if g == label]
        if not preds:
            continue
        abstained = preds.count(NONE)
        common = ", ".join(f"{p} {n}" for p, n in Counter(preds).most_common(3))
        print(f"  {label:18} n={len(preds):3d}  no event {abstained:3d}  top: {common}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--errors", action="store_true", help="list misclassified ids")
    args = parser.parse_args()
    rows = load(args.folder)
    texts = [text for _, text, _ in rows]
    load_english_model()  # not part of the timing
    classify_many(texts[:8])  # warm up lazily built lexicons
    results, elapsed = timed_classify(texts)
    spacy_elapsed = timed_spacy(texts)
    report_seen(rows, results, args.errors)
    report_unseen(rows, results)
    print(
        f"\nspeed: {len(texts) / elapsed:.0f} snippets/s classified, "
        f"{len(texts) / spacy_elapsed:.0f} snippets/s spaCy parse alone "
        f"(ratio {elapsed / spacy_elapsed:.2f}x)"
    )


if __name__ == "__main__":
    main()
