"""Fusion through the service on our own three reports of one shelling (a real store)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitrep.service import Service
from sitrep.settings import Settings
from sitrep.store.events import EventFilter

FUSION = Path(__file__).parent.parent / "fixtures" / "fusion"


@pytest.fixture
def fusing(small_gazetteer: Path, tmp_path: Path, database_url: str) -> Service:
    """A service on SQLite and on PostgreSQL: fusion's queries must hold on both."""
    settings = Settings.load(
        env={},
        data_dir=str(tmp_path / "data"),
        gazetteer_path=str(small_gazetteer),
        min_words=10,
        database_url=database_url,
    )
    return Service(settings)


def _kafr_nabl(service: Service) -> dict[str, object]:
    shelling = [
        e
        for e in service.events(EventFilter(sub_event_type="Shelling/artillery/missile attack"))
        if (e.get("location") or {}).get("text") == "Kafr Nabl"
    ]
    assert len(shelling) == 1, shelling
    return shelling[0]


def test_three_reports_make_one_disputed_event(fusing: Service) -> None:
    with fusing as service:
        service.ingest([str(FUSION)])
        service.code_events()
        report = service.fuse()
        assert report.mentions > 0
        event = _kafr_nabl(service)
        assert event["date"] == "2020-02-03"
        assert len(event["outlets"]) == 3  # two originals and the syndicated copy
        assert event["confirmations"] == 2  # the copy is not a confirmation
        claims = event["claims"]["fatalities"]  # type: ignore[index]
        assert [(c["low"], c["high"]) for c in claims] == [(12, 12), (20, 20)]
        assert event["fatalities"] == {"value": 12, "range": [12, 20]}  # ACLED: conservative
        assert event["disputed"] is True and "fatalities" in event["disputed_fields"]  # type: ignore[operator]
        assert "Kafr Nabl" in str(event["notes"]) and "[3 outlets]" in str(event["notes"])
        assert service.fuse().mentions == 0  # idempotent
        assert service.fusion_check()["same"] is True


def test_incremental_fusion_equals_from_scratch_and_keeps_history(fusing: Service) -> None:
    with fusing as service:
        service.ingest([str(FUSION / "levant-wire-kafr-nabl.txt")])
        service.code_events()
        service.fuse()
        before = datetime.now(UTC)
        first = _kafr_nabl(service)
        assert first["fatalities"] == {"value": 12, "range": [12, 12]}
        time.sleep(0.01)
        service.ingest([str(FUSION / "northwest-monitor-kafr-nabl.txt")])
        service.code_events()
        service.fuse()
        later = _kafr_nabl(service)
        assert later["fatalities"] == {"value": 12, "range": [12, 20]}
        assert service.fusion_check()["same"] is True
        then = [
            e
            for e in service.events(EventFilter(as_of=before))
            if e["event_key"] == first["event_key"]
        ]
        assert then and then[0]["fatalities"] == {"value": 12, "range": [12, 12]}
        history = service.event(int(str(later["id"])))["history"]
        assert [h["action"] for h in history] == ["created", "mention_added"]  # type: ignore[index]


def test_unknown_event_is_a_clear_error(fusing: Service) -> None:
    from sitrep.errors import InputError

    with fusing as service, pytest.raises(InputError, match="event 999"):
        service.event(999)


def _all_events(service: Service) -> list[dict[str, object]]:
    return service.events(EventFilter(), limit=1000)


def test_analysts_merge_split_and_pin_and_fusion_respects_them(fusing: Service) -> None:
    with fusing as service:
        service.ingest([str(FUSION)])
        service.code_events()
        service.fuse()
        event = _kafr_nabl(service)
        event_id = int(str(event["id"]))
        mentions = [m["mention_id"] for m in event["mentions"]]  # type: ignore[attr-defined]
        assert len(mentions) >= 2

        split = service.split_event(event_id, [mentions[-1]])
        assert [m["mention_id"] for m in split["mentions"]] == [mentions[-1]]
        assert service.fusion_check()["same"] is True  # the split is replayed

        merged = service.merge_events(event_id, int(split["id"]))
        assert sorted(m["mention_id"] for m in merged["mentions"]) == sorted(mentions)
        assert int(split["id"]) not in {e["id"] for e in _all_events(service)}  # retracted
        assert service.event(int(split["id"]))["retracted"] is True  # but kept
        assert service.fusion_check()["same"] is True

        pinned = service.pin_event(event_id, "fatalities", {"value": 15, "range": [12, 20]})
        assert pinned["fatalities"] == {"value": 15, "range": [12, 20]}
        assert pinned["pinned"] == ["fatalities"]
        actions = [h["action"] for h in pinned["history"]]
        assert actions[-3:] == ["split", "merged", "field_changed"]
        assert service.fuse().mentions == 0
        assert service.event(event_id)["fatalities"] == {"value": 15, "range": [12, 20]}


def test_recoded_articles_leave_their_events(fusing: Service) -> None:
    with fusing as service:
        service.ingest([str(FUSION)])
        service.code_events()
        service.fuse()
        before = len(_all_events(service))
        # A recoding replaces an article's mentions with new ones (new ids).
        stored = [row for row in service.articles() if row.duplicate_of is None]
        for row in stored:
            service.store.save_coding(
                row.id, "test-recode", [], status="coded", reason=None, now=datetime.now(UTC)
            )
        report = service.fuse()
        assert report.updated >= 1
        assert _all_events(service) == []  # every event lost its mentions: retracted
        assert before > 0
        assert service.fusion_check()["same"] is True


def test_bad_decisions_are_clear_errors(fusing: Service) -> None:
    from sitrep.errors import InputError

    with fusing as service:
        service.ingest([str(FUSION)])
        service.code_events()
        service.fuse()
        event_id = int(str(_kafr_nabl(service)["id"]))
        with pytest.raises(InputError, match="cannot be pinned"):
            service.pin_event(event_id, "evidence", "x")
        with pytest.raises(InputError, match="itself"):
            service.merge_events(event_id, event_id)
        with pytest.raises(InputError, match="some, not all"):
            service.split_event(event_id, [999_999])


def test_as_of_now_filters_like_the_live_list(fusing: Service) -> None:
    with fusing as service:
        service.ingest([str(FUSION)])
        service.code_events()
        service.fuse()
        now = datetime.now(UTC)
        filters = [
            EventFilter(),
            EventFilter(actors=("government_forces",)),
            EventFilter(bbox=(36.4, 35.4, 36.8, 35.8)),  # around Kafr Nabl
            EventFilter(bbox=(30.0, 30.0, 31.0, 31.0)),  # nowhere near
            EventFilter(text="kafr nabl", disputed=True),
            EventFilter(since="2020-02-03", until="2020-02-03", min_confidence=0.1),
        ]
        sizes = []
        for where in filters:
            live = sorted(e["event_key"] for e in service.events(where, limit=1000))
            as_of = EventFilter(**{**where.__dict__, "as_of": now})
            then = sorted(e["event_key"] for e in service.events(as_of, limit=1000))
            assert then == live, where
            sizes.append(len(live))
        assert sizes[0] > sizes[1] > 0 and sizes[2] > 0 and sizes[3] == 0


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("fatalities", "12", {"value": 12, "range": [12, 12]}),
        ("fatalities", {"value": 15, "range": [12, 20]}, {"value": 15, "range": [12, 20]}),
        ("date", "2020-02-04", "2020-02-04"),
        ("location", "  Kafr   Nabl ", {"text": "Kafr Nabl", "geo": None}),
        ("sub_event_type", "Air/drone strike", "Air/drone strike"),
    ],
)
def test_pins_take_the_shape_of_their_field(field: str, value: object, stored: object) -> None:
    from sitrep.fuse.pins import pin_value

    assert pin_value(field, value) == stored


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("fatalities", "many"),
        ("fatalities", -3),
        ("fatalities", {"value": 30, "range": [12, 20]}),
        ("date", "4 February"),
        ("sub_event_type", "Skirmish"),
        ("actor1", "   "),
    ],
)
def test_a_pin_of_the_wrong_form_is_refused_by_name(field: str, value: object) -> None:
    from sitrep.errors import InputError
    from sitrep.fuse.pins import pin_value

    with pytest.raises(InputError) as refused:
        pin_value(field, value)
    assert refused.value.code == "E115" and field in refused.value.message


def test_fusing_in_small_batches_gives_the_events_of_one_run(
    fusing: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sitrep.service_events

    # Batches of 2 split articles, so an undated sentence meets its story's event in an
    # earlier batch's store, not in memory.
    monkeypatch.setattr(sitrep.service_events, "FUSION_BATCH", 2)
    with fusing as service:
        service.ingest([str(FUSION)])
        service.code_events()
        service.fuse()
        assert service.fusion_check()["same"]


def test_batches_of_unfused_mentions_hold_whole_articles(fusing: Service) -> None:
    # Fusion orders an article's sentences among themselves, so a batch never cuts one.
    with fusing as service:
        service.ingest([str(FUSION)])
        service.code_events()
        first = service.store.unfused_mentions(1)
        article = first[0].article_id
        every = service.store.mention_facts(service.store.mention_ids())
        assert len(first) > 1
        assert sorted(m.mention_id for m in first) == sorted(
            m.mention_id for m in every if m.article_id == article
        )


def test_a_unit_is_linked_to_every_body_it_belongs_to(fusing: Service) -> None:
    with fusing as service:
        related = service._related()
        assert related("regime_forces", "syrian_government_forces")
        assert related("regime_forces", "syrian_government")  # two levels up
        assert not related("regime_forces", "turkey")
