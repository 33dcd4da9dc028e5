"""The API fuzzed from its own OpenAPI document (schemathesis): whatever the parameters and
bodies, no answer is a 5xx, every JSON answer is an envelope or the v2 shape, and every
answer conforms to what the document says of it (its status is one documented, its media
type and body fit the schema given for that status)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from attrition.web.app import create_app

schemathesis = pytest.importorskip("schemathesis")
checks = pytest.importorskip("schemathesis.checks")
CONFORMANCE = [checks.not_a_server_error, checks.status_code_conformance,
               checks.content_type_conformance, checks.response_schema_conformance]


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
        case.validate_response(response, checks=CONFORMANCE)

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


GOOD = [  # (path, method, path parameters, query, body): an answer of every route that works
    ("/api/report/{day}", "GET", {"day": "2024-11-14"}, {}, None),
    ("/api/report/{day}", "GET", {"day": "2022-02-24"}, {}, None),
    ("/api/report/{day}.csv", "GET", {"day": "latest"}, {}, None),
    ("/api/series/{name}", "GET", {"name": "vehicles"}, {"from": "2024-11-01"}, None),
    ("/api/series/{name}", "GET", {"name": "tanks"}, {"basis": "announced"}, None),
    ("/api/series/{name}.csv", "GET", {"name": "uav"}, {}, None),
    ("/api/records/{name}", "GET", {"name": "vehicles_fuel_tanks"}, {"date": "2024-11-14"},
     None),
    ("/api/records/{name}.csv", "GET", {"name": "personnel"}, {}, None),
    ("/api/sources", "GET", {}, {}, None),
    ("/api/sources.csv", "GET", {}, {}, None),
    ("/api/compare", "GET", {}, {"to": "2025-07-19", "status": "destroyed"}, None),
    ("/api/compare.csv", "GET", {}, {}, None),
    ("/api/brief/{day}", "GET", {"day": "2024-11-14"}, {"lang": "uk"}, None),
    ("/api/brief/{day}", "GET", {"day": "2024-11-14"}, {"format": "markdown"}, None),
    ("/api/brief", "GET", {}, {"week": "2024-W46"}, None),
    ("/api/brief", "GET", {}, {"month": "2024-11", "format": "text"}, None),
    ("/api/changes", "GET", {}, {"since": "0"}, None),
    ("/api/check", "POST", {}, {}, {"text": "Russia lost 19 tanks over the past day, the "
                                            "General Staff said on 14 November 2024."}),
    ("/api/v2/statistics/latest", "GET", {}, {}, None),
    ("/api/v2/statistics/{day}", "GET", {"day": "2024-11-14"}, {}, None),
    ("/api/v2/statistics", "GET", {}, {"date_from": "2024-11-01", "limit": 5}, None),
    ("/api/v2/war-info", "GET", {}, {}, None),
    ("/api/v2/war-info/status", "GET", {}, {}, None),
    ("/api/v2/war-info/status/{lang}", "GET", {"lang": "ua"}, {}, None),
    ("/api/v2/terms/{lang}", "GET", {"lang": "en"}, {}, None),
    ("/api/v2/terms/{lang}/{term}", "GET", {"lang": "ua", "term": "tanks"}, {}, None),
    ("/api/history/{day}", "GET", {"day": "2024-11-14"}, {"category": "tanks"}, None),
    ("/api/report/{day}", "GET", {"day": "2024-11-14"}, {"as_of": "2024-11-14T10:00"}, None),
    ("/api/monitor", "GET", {}, {}, None),
]


@pytest.mark.slow
def test_working_answers_conform_to_the_schema(loaded_db: str) -> None:
    """Fuzzing mostly provokes errors; these requests get real documents, and each must fit
    the schema documented for it (a field added without its model fails here)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(loaded_db))
    for path, method, params, query, body in GOOD:
        op = schema[path][method]
        extra = {"body": body, "media_type": "application/json"} if body else {}
        case = op.Case(path_parameters=params, query=query, **extra)
        response = case.call()
        assert response.status_code == 200, (path, params, query, response.text[:300])
        case.validate_response(response, checks=CONFORMANCE)
    documented = {(p, m.upper()) for p, ops in schema.raw_schema["paths"].items()
                  for m in ops if p.startswith("/api/") and m != "parameters"}
    # ingest and update need a file or the network; a claim's page a watched article
    assert documented - {(p, m) for p, m, *_ in GOOD} <= {("/api/ingest", "POST"),
                                                          ("/api/update", "POST"),
                                                          ("/api/claims/{claim_id}", "GET")}
