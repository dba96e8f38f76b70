"""Schemathesis against the API's own OpenAPI schema: whatever a client sends within the
schema, the API answers without a server error, in the documented shapes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from web.api_store import api_client

EXAMPLES_PER_OPERATION = 12  # the whole run stays well under a minute
# A request the schema allows may still be refused with a 422: a box given east to west,
# `until` before `since`, an actor the knowledge base does not know. JSON Schema cannot
# say so, so that one check is left out; every other check, 5xx included, runs.
SEMANTIC = positive_data_acceptance


@pytest.fixture(scope="module", params=["sqlite"])
def client(
    request: pytest.FixtureRequest, small_gazetteer: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    yield from api_client(request, small_gazetteer, tmp_path_factory)


def operations(client: TestClient) -> list[Any]:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", client.app)
    found = [result.ok() for result in schema.get_all_operations()]
    return [op for op in found if op.path.startswith("/api/v1/")]


def test_the_schema_covers_the_api(client: TestClient) -> None:
    labels = {op.label for op in operations(client)}
    assert "GET /api/v1/events" in labels and "DELETE /api/v1/feeds/{feed_id}" in labels
    assert len(labels) >= 18


def test_no_server_errors_and_documented_responses(client: TestClient) -> None:
    """Every operation, with generated parameters and bodies: no 5xx, and every answer
    (errors included) matches the schema. Writes meet the 401 of an anonymous caller."""
    for operation in operations(client):

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            case.call_and_validate(excluded_checks=[SEMANTIC])

        check()
