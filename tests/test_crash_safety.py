"""kill -9 at any point leaves a consistent store, and the next run completes without duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from sitrep.extract.dedup import BANDS

PLACES = ["Saraqib", "Ariha", "Taftanaz", "Kafr Nabl", "Sarmin", "Binnish", "Jisr al-Shughur"]
UNITS = ["artillery", "drones", "warplanes", "rocket launchers", "helicopters"]
COUNT = 120


def _corpus(folder: Path) -> Path:
    """COUNT distinct short reports, each different enough not to be a near-duplicate."""
    folder.mkdir()
    for i in range(COUNT):
        place, unit = PLACES[i % len(PLACES)], UNITS[i % len(UNITS)]
        lines = [
            f"Report {i}: {unit} hit {place}",
            "",
            f"Report number {i} from the monitoring desk says that {unit} struck the outskirts of "
            f"{place} for the {i + 1}th time this month, damaging {i % 9 + 2} houses and a well. "
            f"Residents counted {i * 3 % 40 + 5} explosions between dawn and noon on day {i}. "
            f"Local council member number {i * 7 % 100} said families left toward the border, "
            f"and rescuers searched street {i % 13 + 1} until evening. Serial {i * 7919 % 100003}.",
        ]
        (folder / f"report-{i:03d}.txt").write_text("\n".join(lines), encoding="utf-8")
    return folder


def _count(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM articles")).scalar_one())
    except Exception:
        return 0
    finally:
        engine.dispose()


def _check_consistent(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        total = int(conn.execute(text("SELECT count(*) FROM articles")).scalar_one())
        distinct = conn.execute(
            text("SELECT count(DISTINCT content_hash) FROM articles")
        ).scalar_one()
        assert distinct == total, "an article was stored twice"
        half_indexed = conn.execute(
            text(
                "SELECT count(*) FROM articles a WHERE a.duplicate_of IS NULL AND "
                "(SELECT count(*) FROM article_bands b WHERE b.article_id = a.id) != :bands"
            ),
            {"bands": BANDS},
        ).scalar_one()
        assert half_indexed == 0, "an article was stored without its duplicate index"
        if engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
            conn.execute(text("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')"))
            indexed = conn.execute(text("SELECT count(*) FROM articles_fts")).scalar_one()
            assert indexed == total
    engine.dispose()
    return total


@pytest.mark.slow
def test_kill_9_mid_ingest_then_resume(database_url: str, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITREP_")}
    env.update(SITREP_DATABASE_URL=database_url, SITREP_MIN_WORDS="20")
    command = [sys.executable, "-m", "sitrep.cli", "ingest", str(corpus)]
    for threshold in (5, 40, 90):
        run = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while _count(database_url) < threshold and run.poll() is None:
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.02)
        run.send_signal(signal.SIGKILL)
        assert run.wait(timeout=30) == -signal.SIGKILL, "the run ended before it was killed"
        assert threshold <= _check_consistent(database_url) < COUNT
    final = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert final.returncode == 0, final.stdout + final.stderr
    assert _check_consistent(database_url) == COUNT
    again = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert "stored: 0" in again.stdout and f"duplicate: {COUNT}" in again.stdout
