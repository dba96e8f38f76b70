"""Situation reports on the demo corpus: ranking, sourcing, and every output format."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from demo_store import fused_demo
from sitrep.brief.render import Report, render
from sitrep.brief.write import Footnote, Section, Sentence, Source
from sitrep.errors import ConfigError, InputError
from sitrep.service import Service
from sitrep.settings import Settings
from sitrep.web.app import create_app

PERIOD = ("2020-01-20", "2020-02-10")
SEA = (0xDC, 0xE9, 0xF2)  # the map's sea colour (charts.py)
LAND = (0xF4, 0xF1, 0xEA)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, small_gazetteer: Path) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("brief")
    settings = Settings.load(
        env={},
        database_url=f"sqlite:///{folder / 'brief.db'}",
        gazetteer_path=str(small_gazetteer),
    )
    yield from fused_demo(settings)


@pytest.fixture(scope="module")
def pdf(demo: Service, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "idlib.pdf"
    demo.brief("Idlib", *PERIOD, fmt="pdf", out=path)
    return path


def test_the_capture_of_maaret_al_numan_is_among_the_idlib_briefs_first_lines(
    demo: Service,
) -> None:
    # It and the shelling that killed Turkish soldiers near Saraqib (more outlets, fewer
    # consequences) are the period's two leading developments.
    report = demo.brief_report("Idlib", *PERIOD, charts=False)
    summary = report.sections[0]
    assert summary.title == "Summary"
    leading = [s for s in summary.sentences[:2] if "took control of" in s.text]
    assert leading, [s.text for s in summary.sentences[:2]]
    first = leading[0].text
    assert "Maaret al-Numan" in first  # as most of its outlets spell it
    assert first.startswith("On 28 January 2020")
    assert "according to" in first and "Frontline Daily" in first
    note = report.footnotes[leading[0].note - 1]
    assert any(
        demo.event(e)["sub_event_type"] == "Government regains territory" for e in note.events
    )
    # Territorial changes come in date order.
    days = re.findall(
        r"^On (\d+ \w+ 2020)", "\n".join(s.text for s in report.sections[3].sentences), re.MULTILINE
    )
    assert days and days[0] == "28 January 2020"


def test_every_sentence_cites_events_and_articles_that_exist(demo: Service) -> None:
    report = demo.brief_report("Idlib", *PERIOD, charts=False)
    sentences = [s for section in report.sections for s in section.sentences]
    assert len(sentences) >= 10
    notes = {note.number: note for note in report.footnotes}
    for sentence in sentences:
        note = notes[sentence.note]
        assert note.events and note.sources, sentence.text
        articles = set()
        for event_id in note.events:
            event = demo.event(event_id)
            assert PERIOD[0] <= event["date"] <= PERIOD[1]
            assert event["location"]["geo"]["admin1"] in ("Idlib", None)
            articles |= {m["article_id"] for m in event["mentions"]}
        for source in note.sources:
            assert source.article_id in articles
            assert (demo.article(source.article_id).article.title or "untitled") == source.title


def test_the_brief_stays_inside_the_region(demo: Service) -> None:
    report = demo.brief_report("Idlib", *PERIOD, charts=False)
    cited = {e for note in report.footnotes for e in note.events}
    places = {demo.event(e)["location"]["geo"]["name"] for e in cited}
    assert "Moscow" not in places and "Damascus" not in places and "Saraqib" in places
    aleppo = demo.brief_report("Aleppo", *PERIOD, charts=False)
    assert all("Saraqib" not in s.text for s in aleppo.sections[0].sentences)


def test_an_unknown_region_is_an_error_naming_it(demo: Service) -> None:
    with pytest.raises(InputError) as raised:
        demo.brief("Xyzzyqland", *PERIOD, fmt="md")
    assert raised.value.code == "E113" and "Xyzzyqland" in raised.value.message
    with pytest.raises(InputError) as bad_day:
        demo.brief("Idlib", "2020-13-01", fmt="md")
    assert bad_day.value.code == "E114" and "2020-13-01" in bad_day.value.message
    with pytest.raises(InputError, match="docx"):
        demo.brief("Idlib", fmt="docx")


def test_markdown_carries_the_notes(demo: Service) -> None:
    text = demo.brief("Idlib", *PERIOD, fmt="md").content.decode()
    assert text.startswith("# Situation report: Idlib\n")
    assert "## Summary" in text and "## Notes" in text and "## Sources" in text
    first, second = [line for line in text.splitlines() if line.startswith("- On ")][:2]
    assert re.search(r"\[\^1\]$", first) and re.search(r"\[\^2\]$", second)
    assert "Maaret al-Numan" in first + second
    assert re.search(r"^\[\^1\]: \[event \d+\]\(/events/\d+\)", text, re.MULTILINE)


def test_html_embeds_the_charts_and_escapes_text(demo: Service) -> None:
    html = demo.brief("Idlib", *PERIOD, fmt="html").content.decode()
    assert html.count('src="data:image/png;base64,') == 2
    assert '<a href="#note-1">[1]</a>' in html and 'id="note-1"' in html
    assert "@page { size: A4" in html
    hostile = Report(
        title="<script>alert(1)</script>",
        period="Today",
        generated="now",
        sections=[Section("summary", "Summary", [Sentence('<img src=x onerror="y">', 1)])],
        footnotes=[Footnote(1, (7,), (Source(3, "<b>Outlet</b>", "A & B", None),))],
        outlets=[("<b>Outlet</b>", 1)],
        events=1,
    )
    page = render(hostile, "html").decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page and "<b>Outlet" not in page and "A &amp; B" in page
    assert "# \\<script\\>alert(1)" in render(hostile, "md").decode()  # shown, not run


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout


def test_the_pdf_shows_the_map_and_the_footnotes(pdf: Path, tmp_path: Path) -> None:
    assert "(A4)" in _run("pdfinfo", str(pdf))
    text = _run("pdftotext", "-layout", str(pdf), "-")
    first_page = text.split("\f")[0]
    assert "1. Summary" in first_page and "Maaret al-Numan" in first_page
    assert "28 January 2020" in first_page and "[1]" in first_page
    assert "Notes" in text and re.search(r"event \d+", text)
    _run("pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page"))
    pixels = np.asarray(Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")).astype(int)
    top = pixels[: pixels.shape[0] * 2 // 3]

    def near(colour: tuple[int, int, int]) -> int:
        return int((np.abs(top - np.array(colour)).sum(axis=2) < 12).sum())

    assert near(SEA) > 500 and near(LAND) > 500  # the basemap is drawn, not a blank box


def test_letter_paper(demo: Service, tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    demo.brief("Idlib", *PERIOD, fmt="pdf", paper="letter", out=path)
    assert "612 x 792 pts (letter)" in _run("pdfinfo", str(path))


def test_pdf_without_weasyprint_is_a_missing_package_error(
    demo: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it were not installed
    with pytest.raises(ConfigError) as raised:
        demo.brief("Idlib", *PERIOD, fmt="pdf")
    assert raised.value.code == "E003" and "weasyprint" in raised.value.message


def test_the_cli_writes_a_brief(demo: Service, tmp_path: Path) -> None:
    env = os.environ | {
        "SITREP_DATABASE_URL": demo.settings.database_url,
        "SITREP_GAZETTEER_PATH": demo.settings.gazetteer_path,
    }
    sitrep = str(Path(sys.executable).parent / "sitrep")
    args = ["brief", "--region", "Idlib", "--since", PERIOD[0], "--until", PERIOD[1]]
    done = subprocess.run(
        [sitrep, *args, "--format", "md", "--out", "-"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "Maaret al-Numan" in done.stdout and "wrote -" in done.stderr
    bad = subprocess.run(
        [sitrep, "brief", "--region", "Xyzzyqland"], env=env, capture_output=True, text=True
    )
    assert bad.returncode == 2 and "E113" in bad.stderr and "Xyzzyqland" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_the_web_brief_follows_the_filters(demo: Service) -> None:
    with TestClient(create_app(demo.settings, demo)) as client:
        query = {"since": PERIOD[0], "until": PERIOD[1]}
        listing = client.get("/events", params=query)
        assert f'href="/brief?since={PERIOD[0]}&amp;until={PERIOD[1]}"' in listing.text
        page = client.get("/brief", params=query | {"region": "Idlib"})
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert "Maaret al-Numan" in page.text and "http://testserver/events/" in page.text
        md = client.get("/brief", params=query | {"region": "Idlib", "format": "md"})
        assert md.text.startswith("# Situation report: Idlib")
        unknown = client.get("/brief", params={"region": "Xyzzyqland"})
        assert unknown.status_code in (400, 404) and "E113" in unknown.text
