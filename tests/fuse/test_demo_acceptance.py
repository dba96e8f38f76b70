"""Fusion on the bundled demo corpus, as issue 5 accepts it: the capture of Maaret
al-Numan is one event with its outlets and independent accounts, a disputed toll shows
every claim, a fresh run gives the same events, and "as of" a moment before an article
arrived shows nothing that article added.

The expected counts come from the corpus's own description (demo/README.md): Northwest
Monitor's analysis and Frontline Daily's republication of it, and Meridian Press's wire
of 30 January, report the capture; the Saraqib toll was given as 4, then 6, then 8.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from demo_store import fused_demo
from sitrep.service import DEMO_CORPUS, Service
from sitrep.settings import Settings
from sitrep.store.events import EventFilter

MAARET = "167611"  # GeoNames: Ma'arrat an-Nu'man
SARAQIB = "164816"


@pytest.fixture(scope="module")
def demo(small_gazetteer: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("demo-fusion")
    settings = Settings.load(
        env={},
        data_dir=str(folder / "data"),
        database_url=f"sqlite:///{folder / 'demo.db'}",
        gazetteer_path=str(small_gazetteer),
    )
    yield from fused_demo(settings)


def _at(service: Service, place_id: str, day: str, where: EventFilter) -> list[dict[str, Any]]:
    return [
        e
        for e in service.events(where, limit=1000)
        if e.get("date") == day
        and str(((e.get("location") or {}).get("geo") or {}).get("place_id")) == place_id
    ]


def test_the_capture_of_maaret_al_numan_is_one_event(demo: Service) -> None:
    captures = _at(
        demo, MAARET, "2020-01-28", EventFilter(sub_event_type="Government regains territory")
    )
    assert len(captures) == 1, [c["notes"] for c in captures]
    capture = captures[0]
    assert set(capture["outlets"]) == {
        "Northwest Monitor",
        "Frontline Daily",
        "meridianpress.example",
    }
    assert capture["confirmations"] == 2  # the republication is no second account
    assert capture["actor1"]["actor_id"] == "syrian_government_forces"
    assert capture["notes"].startswith("On 28 January 2020, Syrian government forces took control")
    assert "[3 outlets]" in capture["notes"]


def test_a_disputed_toll_shows_every_claim(demo: Service) -> None:
    [shelling] = _at(demo, SARAQIB, "2020-02-03", EventFilter(disputed=True))
    tolls = {c["low"] for c in shelling["claims"]["fatalities"]}
    assert {4, 8} <= tolls
    assert shelling["fatalities"]["value"] == 4 and shelling["fatalities"]["range"][1] == 8
    assert "fatalities" in shelling["disputed_fields"]


def test_a_fresh_run_gives_the_same_events(demo: Service) -> None:
    assert demo.fusion_check()["same"] is True
    assert demo.fuse().mentions == 0  # nothing left to fuse: a second run changes nothing


def test_as_of_before_an_article_arrived_shows_none_of_it(demo: Service) -> None:
    # The held-back revision: Levant Wire gives the official Balyun toll as 34.
    balyun = EventFilter(since="2020-02-27", until="2020-02-27")

    def sources_of_34(where: EventFilter) -> set[str]:
        return {
            outlet
            for e in demo.events(where, limit=1000)
            for claim in (e.get("claims") or {}).get("fatalities", [])
            if claim["high"] == 34
            for outlet in claim["outlets"]
        }

    before = datetime.now(UTC)
    assert "Levant Wire" not in sources_of_34(balyun)
    demo.ingest([str(DEMO_CORPUS / "updates")])
    demo.code_events()
    demo.fuse()
    assert "Levant Wire" in sources_of_34(balyun)
    then = EventFilter(**{**balyun.__dict__, "as_of": before})
    assert "Levant Wire" not in sources_of_34(then)
