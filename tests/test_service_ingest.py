"""Ingest through the service: local inputs, duplicates, idempotency, bad inputs, both stores."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from sitrep.records import Status
from sitrep.service import Service

FIXTURES = Path(__file__).parent / "fixtures"

BODY = (
    "Government forces and allied militias entered the town of Kafr Nabl in southern Idlib on "
    "Tuesday after rebel fighters pulled back overnight, a war monitor said. The town had been "
    "a centre of the 2011 protests and was shelled for weeks before the advance. Residents who "
    "stayed said most of the population had already left for camps near the Turkish border, "
    "and aid groups warned that shelters there were full. The capture brings government "
    "troops within reach of the M4 motorway, the last major road in the province still held by "
    "the opposition. Turkish officials said they had sent more armour to their observation "
    "posts in the area and repeated that the posts would not be withdrawn. Russian aircraft "
    "carried out strikes on villages to the north of the town during the day, according to "
    "rescue workers, who said they had pulled several people from collapsed houses. The "
    "United Nations said close to a million people had been displaced in the region since "
    "the offensive began in December, the largest movement of people in the nine-year war."
)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _corpus(folder: Path) -> Path:
    shutil.copytree(FIXTURES / "html", folder / "html")
    _write(
        folder,
        "dumps/a-kafr-nabl.txt",
        f"Skip to main content\n\nArmy enters Kafr Nabl\n\n{BODY}\n",
    )
    copy = BODY.replace("a war monitor said", "according to a monitoring group")
    _write(
        folder,
        "dumps/b-kafr-nabl-copy.txt",
        f"Kafr Nabl falls to government forces\n\n{copy}\n\nFirst published by Levant Wire.\n",
    )
    record = {"url": "https://wire.example/kafr-nabl", "text": BODY, "published": "2020-02-25"}
    _write(folder, "wire.jsonl", json.dumps(record) + "\n")
    return folder


def test_folder_ingest_stores_links_and_reports(any_service: Service, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    report = any_service.ingest([str(corpus)])
    by_source = {Path(o.source).name.split(":")[0]: o for o in report.outcomes}
    assert by_source["wire-saraqib.html"].status is Status.STORED
    assert by_source["undated-ariha.html"].status is Status.STORED
    assert by_source["no-article.html"].status is Status.SKIPPED
    assert by_source["no-article.html"].reason in ("no-article", "too-short")
    # The JSONL record and the dump carry the same body: an exact copy of whichever came first.
    dump, copy, wire = (
        by_source["a-kafr-nabl.txt"],
        by_source["b-kafr-nabl-copy.txt"],
        by_source["wire.jsonl"],
    )
    assert dump.status is Status.STORED
    assert copy.status is Status.DUPLICATE
    assert copy.reason == "near"
    assert wire.status is Status.DUPLICATE
    assert wire.reason == "exact"
    stored_copy = any_service.article(copy.article_id or 0)
    assert stored_copy.duplicate_of == dump.article_id
    assert (stored_copy.similarity or 0) >= 0.8
    assert report.ok
    counts = any_service.stats()
    assert counts["articles"] == 5
    assert counts["duplicates"] == 2
    assert [i.source for i in any_service.issues()] == [by_source["no-article.html"].source]


def test_reingest_changes_nothing(any_service: Service, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    first = any_service.ingest([str(corpus)])
    before = [(a.id, a.content_hash, a.duplicate_of) for a in any_service.articles(limit=100)]
    second = any_service.ingest([str(corpus)])
    after = [(a.id, a.content_hash, a.duplicate_of) for a in any_service.articles(limit=100)]
    assert before == after
    assert second.count(Status.STORED) == 0
    assert second.count(Status.DUPLICATE) == first.count(Status.STORED) + first.count(
        Status.DUPLICATE
    )
    assert {o.reason for o in second.of(Status.DUPLICATE)} == {"already-stored"}


def test_search_finds_ingested_articles(service: Service, tmp_path: Path) -> None:
    service.ingest([str(_corpus(tmp_path / "corpus"))])
    hits = service.search("Saraqib highway")
    assert hits
    assert hits[0].article.article.title.startswith("Government troops push into Saraqib")
    assert service.search("Kafr Nabl")  # one hit: copies are not listed twice
    assert len(service.search("Kafr Nabl")) == 1


def test_bad_inputs_fail_one_by_one_and_lose_nothing(service: Service, tmp_path: Path) -> None:
    good = service.ingest([str(FIXTURES / "html" / "wire-saraqib.html")])
    assert good.count(Status.STORED) == 1
    bad = tmp_path / "bad"
    _write(bad, "empty.txt", "")
    (bad / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (bad / "latin1.txt").write_bytes(
        (
            "Le Courrier\n\n" + "Les forces syriennes ont repris la ville de Saraqeb à l'aube. " * 8
        ).encode("cp1252")
    )
    (bad / "huge.html").write_bytes(b"<html><body>" + b"<p>word </p>" * 5_000_000)
    (bad / "bomb.html").write_bytes(gzip.compress(b"\0" * 10_000_000))
    _write(bad, "broken.xml", "<rss><channel><item><title>x</title></chan")
    _write(
        bad, "sitemap.xml", "<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>"
    )
    _write(bad, "notes.md", "ignored: not an input type")
    report = service.ingest([str(bad), str(tmp_path / "missing.html"), "ftp://example.org/x"])
    reasons = {Path(o.source).name: (o.status, o.reason) for o in report.outcomes}
    assert reasons["empty.txt"] == (Status.SKIPPED, "empty")
    assert reasons["binary.html"] == (Status.FAILED, "E104")
    assert reasons["huge.html"] == (Status.FAILED, "E103")
    assert reasons["bomb.html"] == (Status.FAILED, "E104")
    assert reasons["broken.xml"][0] is Status.FAILED
    assert reasons["sitemap.xml"] == (Status.FAILED, "E107")
    assert reasons["missing.html"] == (Status.FAILED, "E101")
    assert reasons["x"] == (Status.FAILED, "E201")
    assert reasons["latin1.txt"][0] is Status.STORED
    assert "notes.md" not in reasons
    assert not report.ok
    for outcome in report.of(Status.FAILED):
        assert outcome.detail
        assert "\n" not in outcome.detail
        assert "Traceback" not in outcome.detail
    assert service.article(good.outcomes[0].article_id or 0).article.title
    assert service.stats()["originals"] == 2


def test_non_english_articles_are_stored_and_flagged(service: Service, tmp_path: Path) -> None:
    text = (
        "Les forces gouvernementales syriennes ont repris lundi la ville de Saraqeb, dans la "
        "province d'Idleb, selon l'agence officielle et une organisation de surveillance. La "
        "localité commande le croisement des autoroutes M4 et M5. Des milliers de familles ont "
        "fui vers la frontière turque au cours des derniers jours, selon les agences humanitaires."
    )
    path = _write(tmp_path, "fr.txt", f"Saraqeb reprise par l'armée\n\n{text}\n")
    [outcome] = service.ingest([str(path)]).outcomes
    stored = service.article(outcome.article_id or 0).article
    assert stored.language == "fr"
    assert not stored.is_english
    assert stored.paragraphs == (text,)
    assert service.stats()["non_english"] == 1


def test_extract_preview_stores_nothing(service: Service) -> None:
    article = service.extract_preview(str(FIXTURES / "html" / "wire-saraqib.html"))
    assert article.language == "en"
    assert service.stats()["articles"] == 0


@pytest.mark.parametrize("target", ["missing.html", "notes.md"])
def test_extract_preview_errors_name_the_input(
    service: Service, tmp_path: Path, target: str
) -> None:
    from sitrep.errors import SitrepError

    path = tmp_path / target
    if target.endswith(".md"):
        path.write_text("# notes")
    with pytest.raises(SitrepError) as excinfo:
        service.extract_preview(str(path))
    assert str(path) in excinfo.value.message
