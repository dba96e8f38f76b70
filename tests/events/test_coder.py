"""Golden tests: our own articles and the events they must (and must not) yield."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitrep.records import EventMention
from sitrep.service import Service
from sitrep.settings import Settings

from .conftest import CodeText

GOLDEN = Path(__file__).parent.parent / "fixtures" / "golden"


@pytest.fixture(scope="module")
def seed_like(coder_service: Service) -> list[EventMention]:
    _, events = coder_service.analyze(str(GOLDEN / "idlib-iran-analysis.txt"))
    return events


def _find(events: list[EventMention], sub_event: str) -> EventMention:
    found = [e for e in events if e.sub_event_type == sub_event]
    assert found, f"no {sub_event} among {[e.sub_event_type for e in events]}"
    return found[0]


def test_capture_of_maaret_al_numan(seed_like: list[EventMention]) -> None:
    event = _find(seed_like, "Government regains territory")
    assert event.event_type == "Battles"
    assert event.date == date(2020, 1, 28) and event.date_precision == "day"
    assert event.actor1 is not None and event.actor1.actor_id == "syrian_government_forces"
    assert event.actor2 is not None and "rebel" in event.actor2.text
    assert event.location is not None and event.location.text == "Maaret al-Numan"
    assert event.location.relative == "south of the city of Idlib"
    assert "recaptured Maaret al-Numan" in event.evidence.text
    assert event.evidence.segment == "paragraph"


def test_bombardment_of_al_nayrab_from_the_caption(seed_like: list[EventMention]) -> None:
    event = next(e for e in seed_like if e.evidence.segment == "caption")
    assert event.event_type == "Explosions/Remote violence"
    assert event.date == date(2020, 2, 3)
    assert event.actor1 is not None and event.actor1.actor_id == "syrian_government_forces"
    assert event.location is not None and event.location.text == "al-Nayrab"
    assert event.location.relative == "about 14 kilometres southeast of the city of Idlib"
    assert "Photo by" not in event.evidence.text


def test_deployment_reported_via_media_citing_turkish_intelligence(
    seed_like: list[EventMention],
) -> None:
    [event] = [e for e in seed_like if e.attribution.startswith("media reports")]
    assert event.sub_event_type == "Troop deployment/reinforcement"
    assert (event.date, event.date_precision) == (date(2020, 1, 1), "month")
    assert event.location is not None and event.location.text == "Idlib"
    assert event.attribution == "media reports, citing Turkish intelligence"
    assert event.modality == "reported"
    assert event.actor1 is not None and "iran" in event.actor1.sponsors


def test_pompeo_statement(seed_like: list[EventMention]) -> None:
    event = _find(seed_like, "Official statement/accusation")
    assert event.date == date(2020, 1, 27)
    assert event.actor1 is not None and event.actor1.actor_id == "mike_pompeo"
    targets = {a.actor_id for a in (event.actor2, *event.associated) if a is not None}
    assert {"russia", "iran", "hezbollah", "syrian_government"} <= targets


def test_nothing_from_furniture(seed_like: list[EventMention], coder_service: Service) -> None:
    text = " ".join(e.evidence.text for e in seed_like)
    for furniture in ("per year", "Join thousands", "Photo by", "Read in", "Skip to"):
        assert furniture not in text
    for event in seed_like:
        assert 0.0 <= event.confidence <= 1.0


def test_evidence_offsets_point_into_the_coding_text(coder_service: Service) -> None:
    article, events = coder_service.analyze(str(GOLDEN / "idlib-iran-analysis.txt"))
    for event in events:
        start, end = event.evidence.start, event.evidence.end
        assert article.coding_text[start:end] == event.evidence.text
        if event.location is not None:
            assert article.coding_text[event.location.start : event.location.end] == (
                event.location.text
            )


def test_non_english_and_empty_articles_are_not_coded(
    coder_service: Service, tmp_path: Path
) -> None:
    french = tmp_path / "fr.txt"
    french.write_text(
        "Saraqeb reprise\n\nLes forces gouvernementales syriennes ont repris la ville de "
        "Saraqeb lundi, selon une organisation de surveillance basée à Londres.\n"
    )
    article, events = coder_service.analyze(str(french))
    assert article.language == "fr"
    assert events == []


def test_fatemiyoun_presence_reported_by_the_telegraph(seed_like: list[EventMention]) -> None:
    [event] = [e for e in seed_like if e.actor1 is not None and e.actor1.actor_id == "fatemiyoun"]
    assert event.sub_event_type == "Troop deployment/reinforcement"
    assert event.date == date(2020, 1, 26)
    assert "iran" in event.actor1.sponsors if event.actor1 else False
    assert [(m.measure, m.low, m.high) for m in event.magnitudes] == [("troops", 400, 800)]
    assert "Daily Telegraph" in event.attribution
    assert event.modality == "reported"
    assert event.location is not None and event.location.text == "Idlib"


def test_russian_air_support(seed_like: list[EventMention]) -> None:
    event = _find(seed_like, "Military support by a third party")
    assert event.actor1 is not None and event.actor1.actor_id == "russia"
    assert event.actor2 is not None and "Syrian forces" in event.actor2.text


def test_process_codes_once_and_says_when_it_cut_an_article(
    small_gazetteer: Path, tmp_path: Path
) -> None:
    paragraph = (
        "Government forces shelled the village of Kafr Nabl on Monday, a monitoring group "
        "said, and residents fled north toward the border with Turkey. "
    )
    long_text = "Shelling in southern Idlib\n\n" + "\n\n".join([paragraph * 3] * 250)
    (tmp_path / "long.txt").write_text(long_text)
    (tmp_path / "fr.txt").write_text(
        "Bombardements\n\nLes forces gouvernementales ont bombardé Kafr Nabl lundi, selon une "
        "organisation de surveillance, et les habitants ont fui vers la frontière turque.\n"
    )
    settings = Settings.load(
        env={}, data_dir=str(tmp_path / "data"), gazetteer_path=str(small_gazetteer), min_words=10
    )
    with Service(settings) as service:
        service.ingest([str(tmp_path)])
        report = service.code_events()
        assert (report.coded, report.truncated) == (1, 1)
        assert report.events > 0
        assert list(report.skipped) == ["language fr: only English is coded"]
        assert service.code_events().coded == 0  # idempotent
        assert service.code_events(recode=True).coded == 0  # same coder version
        [stored] = [row for row in service.articles() if row.article.is_english]
        geo = service.mentions_of(stored.id)[0]["location"]["geo"]
        assert geo["geonames_id"] == 168661 and geo["geo_precision"] == 1  # Kafr Nabl
        assert geo["admin1"] == "Idlib" and geo["reasoning"]


def test_seed_events_are_on_the_map(seed_like: list[EventMention]) -> None:
    from sitrep.geo.relative import distance_km

    capture = _find(seed_like, "Government regains territory")
    geo = capture.location.geo if capture.location else None
    assert geo is not None and geo.geonames_id == 167611 and geo.geo_precision == 1
    assert geo.admin1 == "Idlib" and not geo.review
    caption = next(e for e in seed_like if e.evidence.segment == "caption")
    geo = caption.location.geo if caption.location else None
    assert geo is not None and geo.lat is not None and geo.lon is not None
    assert distance_km(geo.lat, geo.lon, 35.84, 36.73) < 5
    assert "14 km southeast of Idlib" in geo.reasoning and "caption" in geo.reasoning


def test_unresolved_and_implausible_places_are_flagged(
    coder_service: Service, tmp_path: Path
) -> None:
    dump = tmp_path / "flags.txt"
    dump.write_text(
        "Shelling in the north\n\nMarch 2, 2020\n\n"
        "Government forces shelled the village of Qaryat Zzyxqwv on Monday, a monitoring "
        "group said, killing three civilians and wounding five others in their homes.\n\n"
        "Rebels shelled Saraqib, 5,000 km north of Idlib, on Sunday, killing two soldiers "
        "at a checkpoint on the road, the monitoring group added in its daily report.\n"
    )
    _, events = coder_service.analyze(str(dump))
    geos = {e.location.text: e.location.geo for e in events if e.location}
    unknown = geos["Qaryat Zzyxqwv"]
    assert unknown is not None and unknown.review and unknown.lat is None
    far = geos["Saraqib"]
    assert far is not None and far.review and "not a plausible distance" in far.reasoning
    assert far.geonames_id == 164816  # the named town, the distance ignored


def test_parts_of_provinces_are_areas(coder_service: Service, tmp_path: Path) -> None:
    from sitrep.geo.relative import distance_km

    dump = tmp_path / "parts.txt"
    dump.write_text(
        "Strikes in the north-west\n\nFebruary 10, 2020\n\n"
        "Russian warplanes struck villages in the western Aleppo countryside on Sunday, "
        "killing six civilians, rescue workers said.\n\n"
        "Government forces shelled towns in southern Idlib on Monday, killing four "
        "civilians, a monitoring group said.\n"
    )
    _, events = coder_service.analyze(str(dump))
    geos = {e.location.text: e.location.geo for e in events if e.location}
    aleppo, idlib = geos["Aleppo"], geos["Idlib"]
    assert aleppo is not None and idlib is not None
    assert aleppo.geo_precision == 3 and "western part of Aleppo" in aleppo.reasoning
    assert idlib.geo_precision == 3 and "southern part of Idlib" in idlib.reasoning
    assert aleppo.lon is not None and aleppo.lon < 37.16  # west of Aleppo city
    assert idlib.lat is not None and idlib.lat < 35.8  # south of the province's middle
    assert distance_km(idlib.lat, idlib.lon or 0, 35.93, 36.63) < 60  # still in Idlib


def test_a_nationality_before_the_trigger_is_the_state_acting(
    coder_service: Service, tmp_path: Path
) -> None:
    dump = tmp_path / "states.txt"
    dump.write_text(
        "Strikes in the east\n\nMarch 3, 2020\n\n"
        "US air strikes hit a militia convoy near Albu Kamal on Monday, killing six fighters, "
        "a monitoring group said.\n\n"
        "Saudi air strikes hit the outskirts of Hodeidah on Tuesday, killing four people, "
        "residents said.\n"
    )
    _, events = coder_service.analyze(str(dump))
    acting = {e.actor1.actor_id for e in events if e.actor1 is not None}
    assert {"united_states", "saudi_arabia"} <= acting


def _code_text(service: Service, folder: Path, name: str, text: str) -> list[EventMention]:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return service.analyze(str(path))[1]


def test_a_day_after_dates_the_event_from_the_one_told_before(
    coder_service: Service, tmp_path: Path
) -> None:
    # Our own text, modelled on a wire report of 30 January 2020.
    events = _code_text(
        coder_service,
        tmp_path,
        "ariha.txt",
        "Ariha strikes kill civilians\n30 January 2020\n\n"
        "Air strikes on the town of Ariha in north-west Syria on Wednesday killed at least "
        "ten civilians, a war monitor said on Thursday.\n\n"
        "The strikes came a day after Syrian troops and allied militias captured "
        "Maaret al-Numan, a town on the M5 highway south of Idlib.\n",
    )
    capture = _find(events, "Government regains territory")
    assert (capture.date, capture.date_precision) == (date(2020, 1, 28), "day")


def test_a_date_naming_another_event_does_not_date_the_sentences_after_it(
    coder_service: Service, tmp_path: Path
) -> None:
    events = _code_text(
        coder_service,
        tmp_path,
        "spring-shield.txt",
        "Turkey answers Balyun\n1 March 2020\n\n"
        "Defence Minister Hulusi Akar announced on Sunday that Turkey had begun an "
        "operation against Syrian government forces in Idlib, in response to the "
        "February 27 attack that killed 33 Turkish soldiers.\n\n"
        "Turkish drones struck armoured vehicles and artillery positions in southern Idlib, "
        "the ministry said.\n",
    )
    strikes = [e for e in events if "drones struck" in e.evidence.text]
    assert strikes and strikes[0].date == date(2020, 3, 1)


def test_a_demonym_with_no_state_actor_names_its_forces(
    coder_service: Service, tmp_path: Path
) -> None:
    events = _code_text(
        coder_service,
        tmp_path,
        "taftanaz.txt",
        "Shelling near Taftanaz\n10 February 2020\n\n"
        "Syrian shelling hit a Turkish position at the Taftanaz air base on Monday, killing "
        "five soldiers, the Turkish defence ministry said.\n",
    )
    shelling = _find(events, "Shelling/artillery/missile attack")
    assert shelling.actor1 is not None
    assert shelling.actor1.actor_id == "syrian_government_forces"


def test_the_arms_of_a_state_and_the_victims_of_its_shelling(
    coder_service: Service, tmp_path: Path
) -> None:
    # Our own text, modelled on reports of 3 February 2020.
    events = _code_text(
        coder_service,
        tmp_path,
        "saraqib.txt",
        "Turkish soldiers killed near Saraqib\n\nFebruary 4, 2020\n\n"
        "Seven Turkish soldiers and a civilian employee of the armed forces were killed by "
        "Syrian regime shelling near Saraqib in Idlib on Monday, the Defence Ministry said.\n\n"
        "Turkish F-16 jets and artillery units struck regime positions immediately after "
        "the attack, the ministry added.\n",
    )
    sides = [
        (e.actor1.actor_id if e.actor1 else None, e.actor2.actor_id if e.actor2 else None)
        for e in events
    ]
    assert ("syrian_government", "turkish_armed_forces") in sides  # the soldiers were hit
    assert ("turkey", "regime_forces") in sides  # the jets are Turkey's


def test_a_bare_province_capital_reaches_its_province(
    coder_service: Service, tmp_path: Path
) -> None:
    # "in Idlib" may mean the city or the province; "the city of Idlib" does not.
    events = _code_text(
        coder_service,
        tmp_path,
        "idlib.txt",
        "Strikes in the north-west\n\nFebruary 12, 2020\n\n"
        "Turkey held funerals on Wednesday for five soldiers killed in Idlib by regime "
        "shelling, the ministry said.\n\n"
        "Air strikes hit the city of Idlib on Tuesday, killing four civilians, rescue "
        "workers said.\n",
    )
    geos = [e.location.geo for e in events if e.location and e.location.geo]
    bare = next(g for g in geos if "the city or its province" in g.reasoning)
    city = next(g for g in geos if "the city or its province" not in g.reasoning)
    assert bare.geonames_id == city.geonames_id == 169389  # both at Idlib city
    assert bare.geo_precision == 2 and bare.radius_km > 20
    assert city.geo_precision == 1 and city.radius_km < 5


def test_the_dead_are_never_the_killers(coder_service: Service, tmp_path: Path) -> None:
    # A headline's dropped auxiliary, and civilians named before the strike that hit them.
    events = _code_text(
        coder_service,
        tmp_path,
        "victims.txt",
        "Strikes on Ariha\n\nJanuary 30, 2020\n\n"
        "Monitor: 13 Syrian soldiers killed\n\n"
        "The number of civilians killed in air strikes on the town of Ariha on Wednesday "
        "has risen to 12, the monitor said on Thursday.\n",
    )
    for event in events:
        attacker = event.actor1.actor_id if event.actor1 else None
        target = event.actor2.actor_id if event.actor2 else None
        assert attacker not in ("civilians", "syrian_government_forces"), event.evidence.text
        assert attacker is None or attacker != target
    targets = {e.actor2.actor_id for e in events if e.actor2}
    assert "civilians" in targets


def test_an_ultimatum_is_a_statement_not_the_withdrawal_it_demands(
    coder_service: Service, tmp_path: Path
) -> None:
    # Our own text, modelled on reports of 5 February 2020.
    events = _code_text(
        coder_service,
        tmp_path,
        "ultimatum.txt",
        "Erdogan sets a deadline\n\nFebruary 5, 2020\n\n"
        "President Tayyip Erdogan said on Wednesday that Syrian government forces must pull "
        "back behind Turkey's observation posts in Idlib by the end of February.\n\n"
        "Erdogan said Turkey would do whatever was necessary if Damascus did not withdraw "
        "in time.\n",
    )
    kinds = [e.sub_event_type for e in events]
    assert kinds and set(kinds) == {"Official statement/accusation"}, kinds
    speakers = {e.actor1.actor_id for e in events if e.actor1}
    assert speakers & {"recep_tayyip_erdogan", "turkey"}


def test_a_ceasefire_taking_effect_is_no_capture_and_any_attack_is_no_attack(
    coder_service: Service, tmp_path: Path
) -> None:
    events = _code_text(
        coder_service,
        tmp_path,
        "ceasefire.txt",
        "Ceasefire agreed\n\nMarch 5, 2020\n\n"
        "President Recep Tayyip Erdogan and Russian President Vladimir Putin agreed on "
        "Thursday on a ceasefire in Syria's Idlib region, to take effect at midnight, after "
        "about six hours of talks in Moscow.\n\n"
        "Erdogan said Turkey reserved the right to respond with full force to any attack by "
        "the regime.\n",
    )
    assert [e.sub_event_type for e in events] == ["Agreement"]


def test_a_since_clause_is_background_and_the_strike_is_retold(
    coder_service: Service, tmp_path: Path
) -> None:
    events = _code_text(
        coder_service,
        tmp_path,
        "retold.txt",
        "Strike\n\nFebruary 28, 2020\n\n"
        "At least 22 Turkish soldiers have been killed in an air strike by Syrian government "
        "forces in Idlib, officials said on Thursday.\n\n"
        "The strike is the heaviest loss the Turkish military has suffered in a single "
        "incident since it first sent troops into Syria in 2016.\n",
    )
    assert [e.sub_event_type for e in events] == ["Air/drone strike"] * 2
    assert events[0].date == events[1].date == date(2020, 2, 27)


def test_what_strikes_are_pounding_is_where_and_now_is_when(
    coder_service: Service, tmp_path: Path
) -> None:
    events = _code_text(
        coder_service,
        tmp_path,
        "pounding.txt",
        "Live\n\nFebruary 3, 2020\n\n"
        "Activists in Idlib say government artillery and air strikes are pounding al-Nayrab, "
        "a town on the M4 highway.\n",
    )
    assert len(events) == 1
    event = events[0]
    assert event.location is not None and event.location.text == "al-Nayrab"
    assert event.date == date(2020, 2, 3)  # happening as the live page is written


def test_the_place_of_the_shelling_beats_the_province_after_it(
    coder_service: Service, tmp_path: Path
) -> None:
    # The small model hangs "shelling" from "regime" in "Syrian regime shelling": the
    # place is still the shelling's, not where the regime is.
    events = _code_text(
        coder_service,
        tmp_path,
        "near.txt",
        "Soldiers killed\n\nFebruary 4, 2020\n\n"
        "Seven Turkish soldiers and a civilian employee of the armed forces were killed by "
        "Syrian regime shelling near Saraqib in Idlib on Monday, the Defence Ministry said.\n",
    )
    assert [(e.location.text, e.location.role) for e in events if e.location] == [
        ("Saraqib", "site")
    ]


def test_reported_killed_names_the_dead_and_has_killed_is_dated(
    coder_service: Service, tmp_path: Path
) -> None:
    events = _code_text(
        coder_service,
        tmp_path,
        "reported.txt",
        "Live: Idlib\n\nFebruary 3, 2020\n\n"
        "Syrian shelling near Saraqib killed Turkish soldiers on Monday, the ministry said. "
        "Four Turkish soldiers reported killed near Saraqib, officials in Ankara said.\n\n"
        "The Syrian Observatory for Human Rights says Turkish shelling has killed 13 Syrian "
        "soldiers in the countryside east of Idlib.\n",
    )
    reported = next(e for e in events if "reported killed" in e.evidence.text)
    assert reported.actor2 is not None and reported.actor2.actor_id == "turkish_armed_forces"
    assert reported.attribution != "Four Turkish soldiers"
    has_killed = next(e for e in events if "has killed" in e.evidence.text)
    assert has_killed.date is not None  # just happened, as the page was written


def test_the_time_of_a_since_clause_does_not_carry_on(
    coder_service: Service, tmp_path: Path
) -> None:
    events = _code_text(
        coder_service,
        tmp_path,
        "since.txt",
        "Raids on Idlib city\n\nJanuary 16, 2020\n\n"
        "Air strikes on the city of Idlib on Wednesday, January 15, killed at least 18 "
        "civilians, in the deadliest attack since Russia and Turkey announced a ceasefire "
        "last week.\n\n"
        "The monitoring group said Russian jets hit a crowded vegetable market in the city.\n",
    )
    market = next(e for e in events if "vegetable market" in e.evidence.text)
    assert market.date == date(2020, 1, 15)  # the strike's day, not the truce's week


def test_a_past_inside_a_future_sentence_happened(coder_service: Service, tmp_path: Path) -> None:
    events = _code_text(
        coder_service,
        tmp_path,
        "retaken.txt",
        "Saraqib\n\nFebruary 29, 2020\n\n"
        "Until then, the front line around Saraqib, retaken by rebels on Thursday, is where "
        "both sides will test each other.\n",
    )
    retaken = [e for e in events if e.sub_event_type == "Non-state actor overtakes territory"]
    assert retaken and retaken[0].modality == "asserted"


def test_villages_west_of_a_city_are_beside_it(code_text: CodeText) -> None:
    from sitrep.geo.relative import distance_km

    events = code_text(
        "Advance near Aleppo\n\nFebruary 10, 2020\n\n"
        "Government forces captured more villages west of Aleppo on Monday, a monitoring "
        "group said.\n"
    )
    capture = _find(events, "Government regains territory")
    geo = capture.location.geo if capture.location else None
    assert geo is not None and geo.lat is not None and geo.lon is not None
    assert capture.location is not None and capture.location.role == "site"
    assert geo.lon < 37.1 and geo.geo_precision == 2 and "west of Aleppo" in geo.reasoning
    assert 10 < distance_km(geo.lat, geo.lon, 36.2, 37.16) < 20  # beside the city, not in it
