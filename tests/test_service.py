"""One service layer: the CLI and the API answer the same question with the same document,
because both call `attrition.service`; the API serves daily briefs from the daybook as the
CLI does; settings are read in one place."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from attrition import cli, service, settings
from attrition.web.app import create_app

NOW = datetime(2026, 8, 23, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def client(loaded_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(loaded_db)) as c:
        yield c


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "now", lambda: NOW)


def cli_json(db: str, *args: str) -> Any:
    res = CliRunner().invoke(cli.app, ["--db", db, *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def api_json(client: TestClient, path: str) -> Any:
    doc = client.get(path).json()
    assert doc.pop("ok") is True, doc
    return doc


@pytest.mark.parametrize(("cli_args", "path"), [
    (("sources", "--format", "json"), "/api/sources"),
    (("brief", "2024-11-14", "--format", "json"), "/api/brief/2024-11-14"),
    (("brief", "2022-03-16", "--format", "json", "--lang", "uk"),
     "/api/brief/2022-03-16?lang=uk"),
    (("brief", "--week", "2024-W46", "--format", "json"), "/api/brief?week=2024-W46"),
    (("brief", "--month", "2025-02", "--format", "json"), "/api/brief?month=2025-02"),
    (("compare", "--to", "2025-07-19", "--format", "json"), "/api/compare?to=2025-07-19"),
    (("show", "2024-11-14", "--format", "json"), "/api/report/2024-11-14"),
    (("show", "2022-02-24", "--format", "json"), "/api/report/2022-02-24"),
    (("series", "tanks", "--format", "json"), "/api/series/tanks"),
    (("series", "vehicles", "--from", "2024-11-01", "--to", "2024-11-14", "--format", "json"),
     "/api/series/vehicles?from=2024-11-01&to=2024-11-14"),
    (("series", "vehicles_fuel_tanks", "--to", "2022-05-10", "--basis", "announced",
      "--format", "json"), "/api/series/vehicles_fuel_tanks?to=2022-05-10&basis=announced"),
    (("records", "vehicles", "--date", "2024-11-14", "--format", "json"),
     "/api/records/vehicles?date=2024-11-14"),
    (("records", "vehicles_fuel_tanks", "--date", "2024-11-14", "--window", "90", "--top",
      "5", "--format", "json"),
     "/api/records/vehicles_fuel_tanks?date=2024-11-14&window=90&top=5"),
    (("records", "cruise_missiles", "--date", "2024-11-14", "--format", "json"),
     "/api/records/cruise_missiles?date=2024-11-14"),
    (("compare", "--from", "2024-01-01", "--to", "2025-07-19", "-c", "tanks", "--status",
      "destroyed,captured", "--format", "json"),
     "/api/compare?from=2024-01-01&to=2025-07-19&category=tanks&status=destroyed,captured"),
])
def test_the_cli_and_the_api_give_the_same_document(loaded_db: str, client: TestClient,
                                                    cli_args: tuple[str, ...],
                                                    path: str) -> None:
    assert cli_json(loaded_db, *cli_args) == api_json(client, path)


def test_the_sources_document(client: TestClient) -> None:
    doc = api_json(client, "/api/sources")
    assert doc["latest_report"] == "2026-08-22" and doc["first_report"] == "2022-02-24"
    assert doc["data_age"] == {"latest": "2026-08-22", "age_days": 1, "age_hours": 27.5,
                               "stale": False, "stale_after_hours": 36}
    by = {s["source"]: s for s in doc["sources"]}
    assert by["minfin"]["title"].startswith("vote only") and by["minfin"]["cells_agreeing"] > 0
    assert by["petroivaniuk"]["licence"] and by["petroivaniuk"]["cells_agreeing"] > 20_000
    assert {c["source"] for c in doc["confirmed"]} >= {"oryx"}


def test_the_api_reads_daily_briefs_from_the_daybook(loaded_db: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def no_computing(*a: object, **k: object) -> None:
        raise AssertionError("computed from the whole ledger")

    monkeypatch.setattr(service, "_compute_brief", no_computing)
    with TestClient(create_app(loaded_db)) as c:
        for day in ("2022-03-01", "2023-06-30", "2024-11-14", "2026-08-22"):
            r = c.get(f"/api/brief/{day}")
            assert r.status_code == 200 and r.json()["date"] == day


def test_a_daybook_brief_equals_the_computed_one(reader: Any) -> None:
    from datetime import date

    for day in (date(2022, 5, 1), date(2024, 11, 14), date(2026, 1, 6)):
        for lang in ("en", "uk"):
            read = service._brief_from_daybook(reader, day, lang)
            assert read is not None
            assert read == service._compute_brief(reader, day, None, None, lang)


def test_settings_are_read_in_one_place(monkeypatch: pytest.MonkeyPatch) -> None:
    import pathlib
    import re

    src = pathlib.Path(service.__file__).parent
    readers = sorted(str(p.relative_to(src)) for p in src.rglob("*.py")
                     if re.search(r"os\.environ(?!\[\"ATTRITION_DB\"\] =)|getenv",
                                  p.read_text("utf-8")))
    # settings.py reads them; `serve` hands --db to uvicorn's worker processes through
    # the environment (they start from scratch)
    assert readers == ["settings.py"], readers
    monkeypatch.setenv("ATTRITION_CACHE", "off")
    monkeypatch.setenv("ATTRITION_API_TOKEN", "t")
    s = settings.current()
    assert s.cache_off and s.cache is None and s.api_token == "t"
    assert settings.current() is s  # read once while the environment stays as it is


def test_the_cli_and_the_api_check_alike(loaded_db: str, client: TestClient,
                                         tmp_path: Any) -> None:
    article = ("Kyiv, 14 November 2024. Russia lost 19 tanks and 124 vehicles over the past "
               "day; the total of tanks reached 9,319, the General Staff said.")
    path = tmp_path / "a.txt"
    path.write_text(article, encoding="utf-8")
    by_cli = cli_json(loaded_db, "check", str(path), "--format", "json")
    by_api = client.post("/api/check", json={"text": article}).json()
    by_api.pop("ok")
    by_cli["article"].pop("source")
    by_api["article"].pop("source")
    assert by_cli == by_api and by_cli["summary"].get("supported", 0) >= 2


@pytest.mark.parametrize(("cli_args", "path"), [
    (("show", "2024-11-14", "--format", "csv"), "/api/report/2024-11-14.csv"),
    (("series", "tanks", "--from", "2024-11-01", "--format", "csv"),
     "/api/series/tanks.csv?from=2024-11-01"),
    (("series", "vehicles", "--format", "csv"), "/api/series/vehicles.csv"),
    (("records", "afv", "--date", "2024-11-14", "--format", "csv"),
     "/api/records/afv.csv?date=2024-11-14"),
    (("sources", "--format", "csv"), "/api/sources.csv"),
])
def test_the_cli_and_the_api_give_the_same_csv(loaded_db: str, client: TestClient,
                                              cli_args: tuple[str, ...], path: str) -> None:
    res = CliRunner().invoke(cli.app, ["--db", loaded_db, *cli_args])
    assert res.exit_code == 0, res.output
    r = client.get(path)
    assert r.headers["content-type"].startswith("text/csv")
    assert res.stdout == r.text


def test_series_and_records_say_where_each_figure_comes_from(client: TestClient) -> None:
    """Every row of the whole war's series names its report date, the day it covers and
    the sources agreeing on it, as the report of that date does; the document says whose
    claims these are."""
    doc = api_json(client, "/api/series/tanks")
    assert doc["caveat"].startswith("Official Ukrainian claims, not independently verified")
    assert "General Staff" in doc["publisher"]
    assert len(doc["rows"]) == 1641 and doc["rows"][0]["covers"] == "2022-02-24"
    for row in doc["rows"][::40]:
        report = api_json(client, f"/api/report/{row['date']}")
        fig = next(f for f in report["figures"] if f["category"] == "tanks")
        assert row["covers"] == report["covers"]
        assert (row["total"], row["change"], row["announced_change"]) == (
            fig["total"], fig["change"], fig["announced_change"])
        assert row["sources"] == fig["sources"]
    rec = api_json(client, "/api/records/vehicles?date=2024-11-14")
    assert rec["covers"] == "2024-11-13" and rec["caveat"] == doc["caveat"]
    assert rec["sources"] == ["minfin", "orc-losses", "petroivaniuk"]
    assert rec["components"] == ["tanks", "afv", "vehicles_fuel_tanks"]


@pytest.mark.slow
def test_a_series_from_a_date_is_the_slice_of_the_whole_series(loaded_db: str) -> None:
    """`series --from D` reads a category's reports from a little before D only; every row
    (its `excluded` above all: stale repeats look back 30 reports) must be the row the whole
    history gives, for every category, from every 23rd report date of the war."""
    from datetime import date, timedelta

    from attrition import categories
    from attrition.store.read import Reader

    with Reader(loaded_db) as reader:
        for name in categories.IDS:
            whole = service.series(reader, name)["rows"]
            if not whole:
                continue
            days = [date.fromisoformat(r["date"]) for r in whole]
            for i in range(0, len(days), 23):
                lo, hi = days[i], days[i] + timedelta(days=60)
                part = service.series(reader, name, lo, hi)["rows"]
                assert part == [r for r in whole if lo <= date.fromisoformat(r["date"]) <= hi
                                ], (name, lo)
