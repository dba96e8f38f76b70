"""A real store for the API tests: our fusion fixtures and the demo's wire texts, coded
and fused, on SQLite or on PostgreSQL; and the app over it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sitrep.service import Service
from sitrep.settings import Settings
from sitrep.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent.parent
# The undated background piece gives the pages an event with no date to sort last; the
# proxies' report, an event of a state's proxy that does not name the state itself.
CORPUS = [
    ROOT / "tests" / "fixtures" / "fusion",
    ROOT / "tests" / "fixtures" / "undated",
    ROOT / "tests" / "fixtures" / "proxies",
    ROOT / "demo" / "text",
]
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def database_url(request: pytest.FixtureRequest, folder: Path) -> str:
    """A new, empty database of the backend the fixture is parametrized with."""
    if request.param == "sqlite":
        return f"sqlite:///{folder / 'sitrep.db'}"
    import psycopg

    server = str(request.getfixturevalue("postgres_server"))
    name = f"api_{uuid.uuid4().hex[:12]}"
    dsn = server.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def fused_settings(url: str, gazetteer: Path, folder: Path) -> Settings:
    """Settings of a store holding the corpus, coded and fused (built once per URL)."""
    settings = Settings.load(
        env={},
        data_dir=str(folder / "data"),
        gazetteer_path=str(gazetteer),
        min_words=10,
        database_url=url,
    )
    with Service(settings) as service:
        service.ingest([str(path) for path in CORPUS])
        service.code_events()
        service.fuse()
    return settings


def api_client(
    request: pytest.FixtureRequest, gazetteer: Path, factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    folder = factory.mktemp("api")
    settings = fused_settings(database_url(request, folder), gazetteer, folder)
    with TestClient(create_app(settings)) as client:
        yield client


def service_of(client: TestClient) -> Service:
    service: Service = client.app.state.service  # type: ignore[attr-defined]
    return service
