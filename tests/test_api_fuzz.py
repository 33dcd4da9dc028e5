"""The API fuzzed from its own OpenAPI document (schemathesis): whatever the parameters and
bodies, no answer is a 5xx, and every JSON answer is an envelope or the v2 shape."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from attrition.web.app import create_app

schemathesis = pytest.importorskip("schemathesis")


def _fuzz(operation: Any, examples: int) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        response = case.call()
        assert response.status_code < 500, (case.method, case.formatted_path, case.query,
                                            case.body, response.status_code,
                                            response.text[:300])
        if response.headers.get("content-type", [""])[0].startswith("application/json"):
            doc = response.json()
            assert "ok" in doc or {"message", "data"} <= set(doc), doc

    run()


@pytest.mark.slow
def test_no_answer_is_a_server_error(loaded_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ATTRITION_API_TOKEN", raising=False)  # writes closed: no fetching
    # the bundled data is months old: /health rightly answers 503 unless told to accept it
    app = create_app(loaded_db, health_max_age_days=float("inf"))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 15
    for op in operations:
        _fuzz(op, 40)
