"""The web layer over a real service and store (in-process HTTP through Starlette's client)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from sitrep.settings import Settings
from sitrep.web.app import create_app


def test_about_page_credits_geonames(small_gazetteer: Path, tmp_path: Path) -> None:
    settings = Settings.load(env={}, data_dir=str(tmp_path), gazetteer_path=str(small_gazetteer))
    with TestClient(create_app(settings)) as client:
        page = client.get("/about")
        assert page.status_code == 200
        assert "Contains data from GeoNames (geonames.org), licensed under CC BY 4.0" in page.text
        assert "Gazetteer index built 20" in page.text
        assert 'href="/about"' in client.get("/").text


def test_about_page_without_an_index(tmp_path: Path) -> None:
    settings = Settings.load(
        env={}, data_dir=str(tmp_path), gazetteer_path=str(tmp_path / "missing.sqlite")
    )
    with TestClient(create_app(settings)) as client:
        page = client.get("/about")
        assert page.status_code == 200 and "CC BY 4.0" in page.text
