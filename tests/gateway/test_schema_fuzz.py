"""Hostile input over the whole OpenAPI schema (schemathesis, valid and invalid requests): no 5xx."""

from collections import Counter

import pytest
import schemathesis
from schemathesis import GenerationMode
from hypothesis import given
from hypothesis.errors import Unsatisfiable

from server.config import Settings
from server.main import create_app
from tests.gateway.test_gateway import FakeDialogue

pytestmark = pytest.mark.integration
ANY_STRING = ({"type": "string"}, {"anyOf": [{"type": "string"}, {"type": "null"}]})


@pytest.fixture(scope="module")
def api_schema(retriever):
    app = create_app(Settings(rate_limit_per_minute=1_000_000, staff_token="fuzz-token", docs_access="token", ops_token="fuzz-ops"),
                     retriever=retriever)
    app.state.dialogue = FakeDialogue()  # the lifespan (which opens Rasa's client) does not run here
    return schemathesis.openapi.from_asgi("/openapi.json", app, headers={"Authorization": "Bearer fuzz-ops"})


def can_be_invalid(operation) -> bool:
    """An operation → False when no request can break its schema (no body; every parameter an unconstrained string,
    required only in the path): hypothesis would spend ~460 rejected tries (0.6 s) to find that out."""
    raw = operation.definition.raw
    if "requestBody" in raw:
        return True
    for parameter in raw.get("parameters", []):
        schema = {k: v for k, v in parameter.get("schema", {}).items() if k != "title"}
        if schema not in ANY_STRING or (parameter.get("required") and parameter["in"] != "path"):
            return True
    return False


def test_no_generated_request_gets_a_server_error(api_schema):
    statuses: Counter = Counter()
    for result, mode in ((r, m) for r in api_schema.get_all_operations() for m in GenerationMode):
        operation = result.ok()
        if mode == GenerationMode.NEGATIVE and not can_be_invalid(operation):
            continue

        @given(case=operation.as_strategy(generation_mode=mode))  # examples per operation and mode: the hypothesis
        def fuzz(case):  # profile of tests/conftest.py (8 in the unit tier, 40 in a full run)
            response = case.call()
            statuses[(operation.label, response.status_code)] += 1
            expected_503 = operation.label == "GET /readyz"  # Rasa is not running here: "not ready" is the answer
            assert response.status_code < 500 or expected_503, (operation.label, case.as_curl_command(), response.text[:300])

        try:
            fuzz()
        except Unsatisfiable:  # an operation without inputs has no invalid request
            assert mode == GenerationMode.NEGATIVE
    print(sorted(statuses.items()))  # shown with -s: the schemathesis counts of the closing note
    assert len({label for label, _ in statuses}) >= 8  # every route of the schema was exercised
