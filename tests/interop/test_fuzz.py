"""Fuzz the flag and FHIR operations with schemathesis, as an emergency department nurse and as a
children's social care practitioner: no generated request gets a server error."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

EXAMPLES = 25


def test_flag_and_fhir_operations_never_answer_with_a_server_error(app, login) -> None:  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [r.ok() for r in schema.get_all_operations()]
    ours = [o for o in operations if o.path.startswith(("/api/v1/flags", "/api/v1/fhir"))]
    assert len(ours) == 4
    errors: list[str] = []
    for headers in (login("ed.nurse", agency="hospital"), login("sw.one", agency="csc")):
        for operation in ours:

            @given(case=operation.as_strategy())
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            def call(case: Any) -> None:
                response = case.call(headers=headers)  # noqa: B023 - each test runs before the loop moves on
                if response.status_code >= 500:
                    errors.append(f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}")

            call()
    assert errors == []
