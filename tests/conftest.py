"""Shared fixtures: real stores (SQLite file, PostgreSQL cluster), settings, the service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sitrep.service import Service
from sitrep.settings import Settings

pytest_plugins = ["httpserver", "pgserver"]

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every store contract test runs against both backends."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sitrep.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="session")
def small_gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A gazetteer index of the Syrian war's region only, built once for the session."""
    from sitrep.geo.gazetteer import build_index

    path = tmp_path_factory.mktemp("gazetteer") / "gazetteer.sqlite"
    build_index(path, {"SY", "TR", "IQ", "LB", "JO", "IR", "RU", "US"})
    return path


@pytest.fixture
def settings(fetch_settings: Settings, tmp_path: Path) -> Settings:
    """Settings for one test: a private SQLite store, local network allowed, fast retries."""
    return fetch_settings.with_(
        database_url=f"sqlite:///{tmp_path / 'sitrep.db'}",
        retries=1,
        read_timeout=2.0,
        total_timeout=10.0,
        max_bytes=10_000_000,
        min_words=20,
    )


@pytest.fixture
def service(settings: Settings) -> Iterator[Service]:
    with Service(settings) as svc:
        yield svc


@pytest.fixture
def any_service(settings: Settings, database_url: str) -> Iterator[Service]:
    """The service over each backend in turn."""
    with Service(settings.with_(database_url=database_url)) as svc:
        yield svc
