"""A coder over the small gazetteer, shared by the coding tests, and a way to code a text."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sitrep.records import EventMention
from sitrep.service import Service
from sitrep.settings import Settings

CodeText = Callable[[str], list[EventMention]]


@pytest.fixture(scope="module")
def coder_service(
    small_gazetteer: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Service]:
    data = tmp_path_factory.mktemp("coder")
    settings = Settings.load(env={}, data_dir=str(data), gazetteer_path=str(small_gazetteer))
    with Service(settings) as service:
        yield service


@pytest.fixture
def code_text(coder_service: Service, tmp_path: Path) -> CodeText:
    """Codes a text dump (headline, date line, paragraphs) as ``sitrep analyze`` would."""

    def code(text: str) -> list[EventMention]:
        path = tmp_path / f"article-{len(list(tmp_path.iterdir()))}.txt"
        path.write_text(text, encoding="utf-8")
        return coder_service.analyze(str(path))[1]

    return code
