"""Fuzz the OpenAPI with schemathesis: over a bounded run of generated requests to every operation,
signed in as a children's social care practitioner, Lantern never answers with a server error."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

EXAMPLES = 6  # per operation: bounded, so the suite stays quick


def test_no_operation_answers_with_a_server_error(app, login) -> None:  # type: ignore[no-untyped-def]
    headers = login("fuzz.worker", agency="csc", role="practitioner")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    errors: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case: Any) -> None:
            response = case.call(headers=headers)
            if response.status_code >= 500:
                errors.append(f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}")

        call()
    assert errors == []
