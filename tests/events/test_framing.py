"""Goals, claims and place roles on our own sentences, parsed by the real model."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from sitrep.events.framing import aspirational, claimant, place_role, running_total
from sitrep.nlp.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp(small_gazetteer: Path) -> Language:
    return build_pipeline((), str(small_gazetteer))


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        ("The capture was a step to regain full control of the M5 highway.", "regain", True),
        ("Rebels launched an assault in a bid to retake Saraqib.", "retake", True),
        ("Erdogan had hoped to recapture the ground lost around Saraqib.", "recapture", True),
        ("The army recaptured Saraqib on Monday.", "recaptured", False),
        ("Government forces moved to retake Saraqib on Monday.", "retake", False),
    ],
)
def test_aspirational(nlp: Language, sentence: str, trigger: str, expected: bool) -> None:
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger)
    assert aspirational(token) is expected


def test_claimant(nlp: Language) -> None:
    claim = nlp("The Islamic State group claimed responsibility for the bombing.")
    found = claimant(next(claim.sents))
    assert found is not None and found.text == "group"
    assert claimant(next(nlp("Rebels claimed the town had fallen.").sents)) is None


@pytest.mark.parametrize(
    ("sentence", "trigger", "place", "role"),
    [
        ("Government forces shelled villages in southern Idlib.", "shelled", "Idlib", "site"),
        ("The army recaptured Saraqib on Monday.", "recaptured", "Saraqib", "site"),
        (
            "Iran-backed groups in Syria were deployed to the Idlib front.",
            "deployed",
            "Syria",
            "actor_base",
        ),
        (
            "Iran-backed groups in Syria were deployed to the Idlib front.",
            "deployed",
            "Idlib",
            "destination",
        ),
        ("Fighters withdrew from Saraqib overnight.", "withdrew", "Saraqib", "origin"),
        # A headline with no verb: the place it names is where it happens.
        ("Al-Nayrab under bombardment", "bombardment", "Al-Nayrab", "site"),
        # Where the victims were is where it happened; where a force is based is not.
        (
            "Syrian shelling killed eight Turkish personnel near Saraqib.",
            "shelling",
            "Saraqib",
            "site",
        ),
        # Where a force was going, not where it was hit.
        (
            "An air strike hit a convoy heading south to reinforce the post at Morek.",
            "strike",
            "Morek",
            "destination",
        ),
        # The landmark of where it happened: "villages west of Aleppo".
        ("The army captured more villages west of Aleppo.", "captured", "Aleppo", "site"),
    ],
)
def test_place_role(nlp: Language, sentence: str, trigger: str, place: str, role: str) -> None:
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger)
    span = next(s for s in doc.spans["places"] if s.text == place)
    assert place_role(span, token, list(doc.spans["actors"])) == role


@pytest.mark.parametrize(
    ("sentence", "period", "total"),
    [
        (
            "Attacks by regime forces have now killed 15 soldiers in Idlib this month.",
            "this month",
            True,
        ),
        ("The UN says a million people have been displaced since December.", "December", True),
        ("Shelling killed 15 soldiers in Idlib last week.", "last week", False),
        ("The monitor says shelling has killed 13 soldiers.", None, False),
        ("Government forces have since taken a string of villages near the town.", None, True),
        ("Government forces have since taken several villages near the town.", None, True),
        ("Government forces took a string of villages near the town.", None, False),
    ],
)
def test_running_total(nlp: Language, sentence: str, period: str | None, total: bool) -> None:
    assert running_total(next(nlp(sentence).sents), period) is total
