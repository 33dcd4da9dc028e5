"""The store on a real PostgreSQL server gives what SQLite gives: load, ingest, validate,
brief, check, compare and the API. The server's URL comes from ATTRITION_TEST_DB_URL (`.ci/run`
starts one); without it these tests skip locally, and fail in CI."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from attrition import brief, crosswalk, daybook
from attrition.analysis.confirmed import Confirmed
from attrition.bootstrap import ensure_loaded
from attrition.check import ConfirmedView, LedgerView, check_text
from attrition.compare import ConfirmedContext, compare
from attrition.ingest import expand, read_path
from attrition.model import Batch
from attrition.store import schema
from attrition.store.db import Store
from attrition.store.read import Reader
from attrition.validate import validate

URL = os.environ.get("ATTRITION_TEST_DB_URL")
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def pg() -> Iterator[str]:
    if not URL:
        if os.environ.get("ATTRITION_REQUIRE_SERVICES") == "1":
            pytest.fail("ATTRITION_TEST_DB_URL is not set (CI must start PostgreSQL)")
        pytest.skip("no PostgreSQL: set ATTRITION_TEST_DB_URL")
    with Store(URL) as store:
        schema.metadata.drop_all(store.engine)
    ensure_loaded(URL)
    yield URL


def _everything(url: str) -> dict[str, Any]:
    with Reader(url) as r:
        ledger = list(r.ledger())
        return {
            "ledger": ledger, "corrections": r.corrections(),
            "observations": sorted((o.source, o.report_date, o.category, o.total,
                                    o.announced_change, o.qualifier, o.address, o.revision)
                                   for o in r.observations(latest_only=False)),
            "confirmed": sorted(tuple(asdict(c).values()) for c in r.confirmed_counts()),
            "validate": [f.to_dict() for f in validate(ledger, r.observations(),
                                                       r.corrections(),
                                                       r.confirmed_counts())],
        }


def _outputs(url: str) -> dict[str, Any]:
    with Reader(url) as r:
        rows, corr = r.by_category(), r.corrections()
        counts = r.confirmed_counts("oryx")
        report = r.report(date(2024, 11, 14))
        book = daybook.lookup(r, date(2024, 11, 14))
        doubt = r.disputed_cells()
    assert book is not None  # the first run loaded the bundled daybook on both
    cw = crosswalk.load()
    article = (FIXTURES / "articles" / "daily-2024-11-14.txt").read_text(encoding="utf-8")
    oryx_article = (FIXTURES / "articles" / "oryx-2025-07-19.txt").read_text(encoding="utf-8")
    view = ConfirmedView(rows, counts, cw)
    return {
        "brief": brief.daily(rows, corr, report, confirmed=ConfirmedContext(rows, counts, cw),
                             doubt=doubt),
        "brief_from_daybook": brief.compose(report, book.standings, confirmed=book,
                                             breaks=book.breaks),
        "check": check_text(article, LedgerView(rows, corr), confirmed=view),
        "check_oryx": check_text(oryx_article, LedgerView(rows, corr), confirmed=view),
        "compare": compare(rows, Confirmed("oryx", counts, cw), cw, end=date(2025, 7, 19)),
    }


def test_bundled_snapshot_loads_identically(pg: str, loaded_db: str) -> None:
    assert _everything(pg) == _everything(loaded_db)


def test_brief_check_compare_identical(pg: str, loaded_db: str) -> None:
    got = _outputs(pg)
    assert got == _outputs(loaded_db)
    assert got["brief_from_daybook"] == got["brief"]


def test_ingest_is_identical_and_idempotent(pg: str, loaded_db: str, tmp_path: Path,
                                            shared_data: Path) -> None:
    import shutil

    lite = tmp_path / "copy.db"
    shutil.copy(loaded_db.removeprefix("sqlite:///"), lite)
    lite_url = f"sqlite:///{lite}"
    files = expand([shared_data / "bulletins", shared_data / "official" / "orc-losses",
                    shared_data / "confirmed" / "oryx_data" / "daily_count.csv"])
    batches = [read_path(f) for f in files]
    official = [b for b in batches if isinstance(b, Batch)]
    confirmed = [b for b in batches if not isinstance(b, Batch)]
    results = {}
    for url in (pg, lite_url):
        with Store(url) as store:
            first = store.ingest(official, input="test", seen_at="2026-11-25T00:00:00+00:00")
            again = store.ingest(official, input="test", seen_at="2026-11-25T00:00:00+00:00")
            conf = store.ingest_confirmed(confirmed, input="test",
                                          seen_at="2026-11-25T00:00:00+00:00")
            daybook.refresh(store)
        assert again.new == again.revised == 0
        results[url] = (first, conf)
    assert results[pg] == results[lite_url]
    a, b = _everything(pg), _everything(lite_url)
    assert a["ledger"] == b["ledger"] and a["validate"] == b["validate"]
    for day in (date(2022, 3, 1), date(2024, 11, 14), date(2025, 7, 19), date(2026, 8, 22)):
        with Reader(pg) as rp, Reader(lite_url) as rl:
            assert rp.daybook(day)[1:] == rl.daybook(day)[1:]
            assert daybook.lookup(rp, day) is not None


def test_api_over_postgres(pg: str) -> None:
    from fastapi.testclient import TestClient

    from attrition.web.app import create_app

    with TestClient(create_app(pg)) as c:
        rec = c.get("/api/v2/statistics/2024-11-14").json()["data"]
        assert rec["stats"]["tanks"] == 9319 and rec["increase"]["tanks"] == 19
        assert c.get("/api/compare?to=2025-07-19&category=tanks").json()["rows"][0][
            "confirmed"] == 4074
