"""Schema fuzzing: requests generated from /openapi.json, sent through the live app on both
databases as an administrator (so they reach the handlers), answer no server error.

Bounded: a few examples per operation, derandomized (a fixed seed), no example database.
Every answer must also match the schema the OpenAPI document declares for it, except the
live event stream's (an endless text/event-stream, followed in the routing tests)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

EXAMPLES = 4
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _fuzz(operation, headers: dict, server_errors: list, undeclared: set) -> None:
    @SETTINGS
    @given(case=operation.as_strategy())
    def run(case) -> None:
        response = case.call(headers=headers)
        if response.status_code >= 500:
            server_errors.append(f"{case.method} {case.formatted_path} -> {response.status_code}"
                                 f" {response.text[:300]}")  # fmt: skip
            return
        try:
            case.validate_response(response, checks=[not_a_server_error,
                                                     response_schema_conformance])  # fmt: skip
        except (AssertionError, FailureGroup):
            undeclared.add(f"{case.method} {operation.path} {response.status_code}")

    run()


def test_it_answers_generated_requests_without_server_errors(app, enabled, alice):
    # Each generated call starts and stops the app; its import worker thread would share the
    # test's one rolled-back connection with the requests. Small imports run inline anyway.
    app.router.on_startup[:] = [f for f in app.router.on_startup if "attach" not in f.__qualname__]
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = {"Authorization": f"Bearer {alice.token}"}
    server_errors: list[str] = []
    undeclared: set[str] = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.endswith("/events"):
            continue  # an endless stream: tests/routing/test_it_streams_queue_events
        _fuzz(operation, headers, server_errors, undeclared)
    assert server_errors == []
    assert undeclared == set(), "responses outside the declared schema"
