"""Golden articles: each must yield its `must` events and none of its `must_not` events.

The articles and the expectations live in tests/fixtures/golden/ (expected.yaml says how
a partial record is matched). Every article is coded once per module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from sitrep.records import EventMention
from sitrep.service import Service

GOLDEN = Path(__file__).parent.parent / "fixtures" / "golden"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((GOLDEN / "expected.yaml").read_text())


@pytest.fixture(scope="module")
def golden_service(coder_service: Service) -> Service:
    return coder_service  # the coder of the coding tests (tests/events/conftest.py)


_coded: dict[str, list[EventMention]] = {}


def _events(service: Service, name: str) -> list[EventMention]:
    if name not in _coded:
        _coded[name] = service.analyze(str(GOLDEN / name))[1]
    return _coded[name]


def _actor_id(actor: Any) -> str:
    return "none" if actor is None else str(actor.actor_id or actor.text)


def _field(event: EventMention, key: str, wanted: Any) -> bool:
    location = event.location
    if key in ("actor1", "actor2"):
        return _actor_id(getattr(event, key)) == wanted
    if key == "associated":
        return set(wanted) <= {_actor_id(a) for a in event.associated}
    if key == "date":
        return (event.date.isoformat() if event.date else "none") == str(wanted)
    if key == "location":
        return (location.text if location else "none") == wanted
    if key == "location_role":
        return location is not None and location.role == wanted
    if key == "relative":
        return location is not None and wanted in (location.relative or "")
    if key == "magnitudes":
        have = {f"{m.measure}:{m.low}-{m.high}" for m in event.magnitudes}
        return set(wanted) <= have
    if key in ("attribution", "evidence"):
        text = event.attribution if key == "attribution" else event.evidence.text
        return str(wanted) in text
    return bool(getattr(event, key) == wanted)


def _matches(event: EventMention, spec: dict[str, Any]) -> bool:
    return all(_field(event, key, wanted) for key, wanted in spec.items())


def _describe(events: list[EventMention]) -> str:
    return "\n".join(
        f"  {e.sub_event_type} {e.date} a1={_actor_id(e.actor1)} a2={_actor_id(e.actor2)} "
        f"loc={e.location.text if e.location else None}: {e.evidence.text[:80]}"
        for e in events
    )


CASES = [
    (name, kind, index, spec)
    for name, expected in EXPECTED.items()
    for kind in ("must", "must_not")
    for index, spec in enumerate(expected.get(kind, []))
]


@pytest.mark.parametrize(
    ("name", "kind", "index", "spec"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES]
)
def test_golden_event(
    golden_service: Service, name: str, kind: str, index: int, spec: dict[str, Any]
) -> None:
    events = _events(golden_service, name)
    found = [e for e in events if _matches(e, spec)]
    if kind == "must":
        assert found, f"{name}: nothing matches {spec}; coded:\n{_describe(events)}"
    else:
        assert not found, f"{name}: must not code {spec}; coded:\n{_describe(found)}"


@pytest.mark.parametrize("name", list(EXPECTED))
def test_golden_article_is_not_over_coded(golden_service: Service, name: str) -> None:
    events = _events(golden_service, name)
    assert 0 < len(events) <= EXPECTED[name]["max_events"], _describe(events)
    for event in events:
        assert 0.0 <= event.confidence <= 1.0
