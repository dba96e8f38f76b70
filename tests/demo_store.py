"""The bundled demo corpus in a real store, ingested, coded and fused, for module fixtures."""

from __future__ import annotations

from collections.abc import Iterator

from sitrep.service import Service
from sitrep.settings import Settings


def fused_demo(settings: Settings) -> Iterator[Service]:
    """A service over a store holding the demo corpus as ``sitrep demo --no-serve`` leaves it."""
    with Service(settings) as service:
        service.ingest(service.demo_targets())
        service.code_events()
        service.fuse()
        yield service
