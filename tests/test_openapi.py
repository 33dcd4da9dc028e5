"""The OpenAPI description says what every route answers: a typed document (checked here
against real answers over the whole history), the one error envelope with its statuses,
CSV and text twins as their media types, caching headers and 304, the check's request body,
and examples that are the live answers of their requests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from attrition import categories, service
from attrition.web import models
from attrition.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "tests" / "fixtures" / "articles"


@pytest.fixture(scope="module")
def client(loaded_db: str) -> Iterator[TestClient]:
    now = datetime.fromisoformat(models.EXAMPLE_NOW)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(service, "now", lambda: now)
        with TestClient(create_app(loaded_db), base_url=models.EXAMPLE_BASE) as c:
            yield c


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    doc: dict[str, Any] = client.get("/openapi.json").json()
    return doc


def api_operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            yield path, method, op


def valid(model: type[BaseModel], answer: Any, where: str) -> None:
    try:
        model.model_validate(answer)
    except Exception as exc:  # the validation error names the field
        raise AssertionError(f"{where}: {exc}") from None


def test_every_route_documents_its_answer(spec: dict[str, Any]) -> None:
    seen = 0
    for path, method, op in api_operations(spec):
        content = op["responses"]["200"]["content"]
        if path.endswith(".csv"):
            assert list(content) == ["text/csv"], path
        if "application/json" not in content:  # a CSV twin, a feed: its own media type
            assert all(c["schema"] == {"type": "string"} for c in content.values()), path
            continue
        schema = content["application/json"]["schema"]
        assert "$ref" in schema, (path, method, schema)  # never {} again
        seen += 1
    assert seen >= 17
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_errors_are_the_one_envelope(spec: dict[str, Any]) -> None:
    envelope = spec["components"]["schemas"]["Error"]
    assert set(envelope["required"]) == {"error", "status"} and \
        envelope["properties"]["ok"]["const"] is False
    for path, method, op in api_operations(spec):
        errors = {s: r for s, r in op["responses"].items() if s[0] in "45"}
        assert "503" in errors, (path, method)  # any read may find the store unreadable
        for status, r in errors.items():
            # v2 routes answer what was asked wrongly in the v2 shape; a store failure is
            # the app's, in the envelope
            want = "V2Error" if path.startswith("/api/v2/") and status != "503" else "Error"
            ref = r["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/" + want), (path, status, ref)
            assert r["description"], (path, status)


def test_gets_document_their_validators_and_304(spec: dict[str, Any]) -> None:
    from attrition.web.caching import LIVE, UNCACHED

    for path, method, op in api_operations(spec):
        if path in UNCACHED or path.startswith(LIVE):  # answered afresh: no validators
            assert "304" not in op["responses"], path
            continue
        if method != "get":
            assert "304" not in op["responses"], path
            continue
        assert "304" in op["responses"] and "HEAD" in op["responses"]["304"]["description"]
        assert {"ETag", "Last-Modified", "Cache-Control"} <= set(
            op["responses"]["200"]["headers"]), path


def test_text_twins_and_the_check_body(spec: dict[str, Any]) -> None:
    brief = spec["paths"]["/api/brief/{day}"]["get"]["responses"]["200"]["content"]
    assert {"application/json", "text/plain", "text/markdown"} <= set(brief)
    body = spec["paths"]["/api/check"]["post"]["requestBody"]
    assert body["required"] and {"text/plain", "application/json"} <= set(body["content"])
    assert {"text", "url", "date"} <= set(
        body["content"]["application/json"]["schema"]["properties"])


# -- the models against real answers ---------------------------------------------------------


def _get(client: TestClient, path: str) -> Any:
    r = client.get(path)
    assert r.status_code == 200, (path, r.text[:300])
    return r.json()


def test_every_report_of_the_history_fits_the_report_model(client: TestClient) -> None:
    day, last, n = date(2022, 2, 24), date(2026, 8, 22), 0
    while day <= last:
        r = client.get(f"/api/report/{day}")
        if r.status_code == 200:
            valid(models.ReportDoc, r.json(), str(day))
            n += 1
        day += timedelta(days=1)
    assert n == 1641


def test_series_and_records_of_every_category_and_aggregate(client: TestClient) -> None:
    names = [*categories.IDS, *(a.id for a in categories.BUILTIN_AGGREGATES)]
    for name in names:
        valid(models.SeriesDoc, _get(client, f"/api/series/{name}"), name)
        valid(models.SeriesDoc, _get(client, f"/api/series/{name}?basis=announced"
                                             f"&from=2022-02-24&to=2022-06-01"), name)
        for day in ("2022-02-24", "2022-03-16", "2024-11-14", "latest"):
            valid(models.RecordsDoc, _get(client, f"/api/records/{name}?date={day}"),
                  f"{name} {day}")


def test_sources_compare_changes_and_briefs(client: TestClient) -> None:
    valid(models.SourcesDoc, _get(client, "/api/sources"), "sources")
    valid(models.CompareDoc, _get(client, "/api/compare"), "compare")
    valid(models.CompareDoc, _get(client, "/api/compare?from=2024-01-01&to=2025-07-19"
                                          "&status=destroyed,captured"), "compare")
    valid(models.ChangesDoc, _get(client, "/api/changes?since=0"), "changes")
    valid(models.ChangesDoc, _get(client, "/api/changes?since=2100-01-01"), "changes")
    for day in ("2022-02-24", "2022-03-16", "2023-06-01", "2024-11-14", "latest"):
        for lang in ("en", "uk"):
            valid(models.BriefDoc, _get(client, f"/api/brief/{day}?lang={lang}"), day)
    for q in ("week=2024-W46", "month=2022-02", "month=2025-02&lang=uk"):
        valid(models.BriefDoc, _get(client, f"/api/brief?{q}"), q)


def test_checks_of_every_fixture_article(client: TestClient) -> None:
    for f in sorted(ARTICLES.iterdir()):
        r = client.post("/api/check", content=f.read_bytes(),
                        headers={"content-type": "text/plain"})
        assert r.status_code == 200, (f.name, r.text[:300])
        valid(models.CheckDoc, r.json(), f.name)


def test_v2_answers(client: TestClient) -> None:
    for path, model in (("/api/v2/statistics/latest", models.V2DayAnswer),
                        ("/api/v2/statistics/2022-02-24", models.V2DayAnswer),
                        ("/api/v2/statistics/2024-11-14", models.V2DayAnswer),
                        ("/api/v2/statistics?limit=1000", models.V2PageAnswer),
                        ("/api/v2/statistics?offset=1000&limit=1000", models.V2PageAnswer),
                        ("/api/v2/war-info", models.V2WarInfoAnswer),
                        ("/api/v2/war-info/status/ua", models.V2StatusAnswer),
                        ("/api/v2/terms/ua", models.V2TermsAnswer),
                        ("/api/v2/terms/en/tanks", models.V2TermAnswer)):
        valid(model, _get(client, path), path)
    for path in ("/api/v2/statistics/2030-01-01", "/api/v2/terms/xx", "/api/v2/nothing",
                 "/api/v2/statistics?offset=abc", "/api/v2/statistics?limit=1.5"):
        valid(models.V2Error, client.get(path).json(), path)


def test_error_answers_fit_the_envelope(client: TestClient) -> None:
    for path in ("/api/report/2030-01-01", "/api/series/tank", "/api/records/tanks?window=0",
                 "/api/brief/1850-01-01", "/api/compare?status=lost", "/api/changes?since=x"):
        r = client.get(path)
        assert 400 <= r.status_code < 500, path
        valid(models.Error, r.json(), path)


# -- examples ------------------------------------------------------------------------------


def test_examples_are_the_live_answers_of_their_requests(client: TestClient,
                                                         spec: dict[str, Any]) -> None:
    stored = json.loads((ROOT / "src/attrition/web/examples.json").read_text("utf-8"))
    assert set(stored) == set(models.EXAMPLES)
    for name, ex in stored.items():
        model = getattr(models, name, models.BriefDoc)
        valid(model, ex["answer"], name)
        live = models.example_answer(client, name, ROOT)
        if name == "CheckDoc":  # the checker's rules move; the shape is what is pinned
            continue
        assert live == ex["answer"], f"{name}: run scripts/openapi_examples.py"
    ok = spec["paths"]["/api/report/{day}"]["get"]["responses"]["200"]["content"]
    assert ok["application/json"]["example"]["figures"][1]["total"] == 9319  # tanks


def _nullable_int(title: str) -> dict[str, Any]:
    return {"anyOf": [{"type": "integer"}, {"type": "null"}], "title": title}


def test_the_ingest_model_is_the_services_result_and_documents_as_before(
        spec: dict[str, Any]) -> None:
    """`models.Ingested` is derived from `service.Ingested` (it was a field-for-field copy):
    a field added to the dataclass appears in the API's document, and the document says
    what the written-out model said."""
    from dataclasses import fields

    assert list(models.Ingested.model_fields) == [f.name for f in fields(service.Ingested)]
    ints = ("figures", "new", "revised", "unchanged", "cells")
    counts = ("counts_new", "counts_revised", "items_new", "items_changed")
    assert spec["components"]["schemas"]["Ingested"] == {
        "properties": {
            "files": {"type": "integer", "title": "Files", "default": 0},
            **{n: _nullable_int(n.capitalize()) for n in ints},
            "confirmed_files": {"type": "integer", "title": "Confirmed Files", "default": 0},
            **{n: _nullable_int(n.replace("_", " ").title()) for n in counts},
            "failures": {"items": {"type": "string"}, "type": "array", "title": "Failures",
                         "default": []},
            "daybook_rows": _nullable_int("Daybook Rows")},
        "additionalProperties": False, "type": "object", "title": "Ingested"}
