"""The web service through its HTTP interface (Starlette's TestClient, in process)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from attrition import update
from attrition.sources import warship
from attrition.store.read import Reader
from attrition.web import models
from attrition.web.app import create_app

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def client(loaded_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(loaded_db)) as c:
        yield c


@pytest.fixture
def writable(loaded_db: str, tmp_path: Path) -> str:
    path = tmp_path / "copy.db"
    shutil.copy(loaded_db.removeprefix("sqlite:///"), path)
    return f"sqlite:///{path}"


def test_report_envelope_matches_the_ledger(client: TestClient, loaded_db: str) -> None:
    r = client.get("/api/report/2024-11-14")
    doc = r.json()
    assert r.status_code == 200 and doc["ok"] is True
    figs = {f["category"]: f for f in doc["figures"]}
    assert (figs["tanks"]["total"], figs["tanks"]["change"]) == (9319, 19)
    assert doc["covers"] == "2024-11-13" and "not independently verified" in doc["caveat"]
    with Reader(loaded_db) as reader:
        latest = reader.latest_date()
    assert client.get("/api/report/latest").json()["date"] == str(latest)


@pytest.mark.parametrize(("path", "status", "words"), [
    ("/api/report/2020-01-01", 404, "no report for 2020-01-01"),
    ("/api/report/someday", 400, "not a date"),
    ("/api/series/tankz", 400, "unknown category"),
    ("/api/records/tanks?window=0", 422, "window"),
    ("/api/records/tanks?window=abc", 422, "window"),
    ("/api/compare?status=exploded", 422, "exploded"),
    ("/api/nothing-here", 404, "Not Found"),
])
def test_errors_are_envelopes_without_traces(client: TestClient, path: str, status: int,
                                             words: str) -> None:
    r = client.get(path)
    doc = r.json()
    assert r.status_code == status and doc["ok"] is False and doc["status"] == status
    assert words in doc["error"] and "Traceback" not in r.text


def test_an_internal_error_is_a_500_envelope(loaded_db: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from attrition.web import ledger

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(ledger.reports, "document", boom)
    with TestClient(create_app(loaded_db), raise_server_exceptions=False) as c:
        r = c.get("/api/report/2024-11-14")
    assert r.status_code == 500 and r.json() == {
        "ok": False, "error": "internal error (logged on the server)", "status": 500}
    assert "secret detail" not in r.text


def test_series_json_and_csv_twin(client: TestClient) -> None:
    doc = client.get("/api/series/vehicles?from=2024-11-12&to=2024-11-14").json()
    assert doc["definition"] == "tanks + afv + vehicles_fuel_tanks"
    assert [(r["date"], r["change"]) for r in doc["rows"]] == [
        ("2024-11-12", 172), ("2024-11-13", 169), ("2024-11-14", 194)]
    r = client.get("/api/series/vehicles.csv?from=2024-11-12&to=2024-11-14")
    assert r.headers["content-type"].startswith("text/csv")
    lines = r.text.splitlines()
    assert lines[0].startswith("date,covers,total,change") and len(lines) == 4
    assert lines[3].startswith("2024-11-14,2024-11-13,57356,194,")


def test_every_tabular_endpoint_has_a_csv_twin(client: TestClient) -> None:
    for path in ("/api/report/2024-11-14.csv", "/api/records/tanks.csv?date=2024-11-14",
                 "/api/compare.csv?to=2025-07-19", "/api/sources.csv"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), path
        assert len(r.text.splitlines()) > 1, path


def test_records_brief_compare_sources(client: TestClient) -> None:
    rec = client.get("/api/records/vehicles_fuel_tanks?date=2024-11-14").json()
    assert rec["change"] == 124 and rec["ranks"]["30d"]["rank"] == 1
    assert rec["highest_since"] == "2022-03-16"  # military auto + fuel tanks, before the merge
    b = client.get("/api/brief/2024-11-14").json()
    assert b["ok"] and b["confirmed"]["confirmed"] == 3558
    text = client.get("/api/brief/2024-11-14?format=text").text
    assert "124 vehicles and fuel tanks" in text
    md = client.get("/api/brief/2024-11-14?format=markdown&lang=uk")
    assert md.headers["content-type"].startswith("text/markdown") and "Генеральний" in md.text
    assert client.get("/api/brief?week=2024-W46").json()["period"] == "2024-W46"
    cmp = client.get("/api/compare?to=2025-07-19&category=tanks").json()
    assert cmp["rows"][0]["confirmed"] == 4074 and cmp["rows"][0]["ratio"] == 2.71
    src = client.get("/api/sources").json()
    assert src["data_age"]["latest"] == "2026-08-22" and src["data_age"]["stale"] is True
    assert {s["source"] for s in src["sources"]} >= {"petroivaniuk", "orc-losses"}


def test_check_endpoint_text_and_json(client: TestClient) -> None:
    article = (FIXTURES / "articles" / "daily-2024-11-14.txt").read_text(encoding="utf-8")
    r = client.post("/api/check", content=article.encode(),
                    headers={"content-type": "text/plain"})
    doc = r.json()
    assert r.status_code == 200 and doc["ok"] and doc["article"]["date"] == "2024-11-14"
    assert doc["summary"].get("supported", 0) >= 3
    j = client.post("/api/check", json={"text": "Russia lost 19 tanks over the past day.",
                                        "date": "2024-11-14"}).json()
    assert j["claims"][0]["verdict"] == "supported"
    assert client.post("/api/check", json={"nothing": 1}).status_code == 400
    assert client.post("/api/check", content=b"\xff\xfe\x00bad",
                       headers={"content-type": "text/plain"}).status_code == 400


def test_bodies_over_two_megabytes_get_413(client: TestClient) -> None:
    big = b"a" * (2 * 1024 * 1024 + 1)
    for path in ("/api/check", "/check"):
        r = client.post(path, content=big, headers={"content-type": "text/plain"})
        assert r.status_code == 413 and r.json()["ok"] is False, path


def test_writes_need_the_token(writable: str, monkeypatch: pytest.MonkeyPatch) -> None:
    bulletin = ("The total combat losses of the enemy from 24.02.2022 to 23.08.2026 were "
                "approximately: personnel ‒ about 1476300 (+1030) persons, tanks ‒ 12295 (+3)\n")
    with TestClient(create_app(writable, ttl=0)) as c:
        monkeypatch.delenv("ATTRITION_API_TOKEN", raising=False)
        r = c.post("/api/ingest?name=b.txt", content=bulletin.encode())
        assert r.status_code == 403 and "read-only" in r.json()["error"]
        monkeypatch.setenv("ATTRITION_API_TOKEN", "s3cret")
        r = c.post("/api/ingest?name=b.txt", content=bulletin.encode(),
                   headers={"authorization": "Bearer wrong"})
        assert r.status_code == 401
        assert c.post("/api/update").status_code == 401
        r = c.post("/api/ingest?name=b.txt", content=bulletin.encode(),
                   headers={"authorization": "Bearer s3cret"})
        assert r.status_code == 200, r.text
        assert r.json()["ingested"]["new"] == 2
        models.IngestDoc.model_validate(r.json())  # the shape /openapi.json gives
        tanks = {f["category"]: f for f in c.get("/api/report/2026-08-23").json()["figures"]}
        assert tanks["tanks"]["total"] == 12295 and tanks["tanks"]["sources"] == ["bulletin"]
        bad = c.post("/api/ingest?name=b.txt", content=b"nonsense with no figures",
                     headers={"authorization": "Bearer s3cret"})
        assert bad.status_code == 400 and bad.json()["ok"] is False
        models.Error.model_validate(bad.json())


def test_cors_allows_reads_only(client: TestClient) -> None:
    r = client.get("/api/report/latest", headers={"origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    pre = client.options("/api/check", headers={
        "origin": "https://example.org", "access-control-request-method": "POST"})
    assert pre.status_code == 400 and "POST" not in pre.headers.get(
        "access-control-allow-methods", "")


# -- russianwarship.rip API v2 --------------------------------------------------------------


def test_v2_record_of_2024_11_14(client: TestClient) -> None:
    doc = client.get("/api/v2/statistics/2024-11-14").json()
    rec = doc["data"]
    assert set(doc) == {"message", "data"}
    assert set(rec) == {"date", "day", "resource", "stats", "increase"}
    assert rec["stats"]["tanks"] == 9319 and rec["increase"]["tanks"] == 19
    assert rec["day"] == 995 and rec["stats"]["personnel_units"] == 716070
    assert rec["resource"].startswith("https://mod.gov.ua/")
    assert set(rec["stats"]) == set(rec["increase"])


def test_v2_missing_day_is_422(client: TestClient) -> None:
    r = client.get("/api/v2/statistics/2021-01-01")
    assert r.status_code == 422 and r.json()["data"] is None
    assert client.get("/api/v2/statistics/not-a-date").status_code == 422


def test_v2_latest_and_terms(client: TestClient) -> None:
    assert client.get("/api/v2/statistics/latest").json()["data"]["date"] == "2026-08-22"
    ua = client.get("/api/v2/terms/ua").json()["data"]
    en = client.get("/api/v2/terms/en").json()["data"]
    assert ua["tanks"]["title"] == "танків" and en["tanks"]["title"] == "tanks"
    assert client.get("/api/v2/terms/fr").status_code == 422


def test_v2_paging_walks_with_next_url(client: TestClient) -> None:
    url: str | None = "/api/v2/statistics?date_from=2024-11-01&date_to=2024-11-30&limit=7"
    seen: list[str] = []
    while url:
        doc = client.get(url).json()["data"]
        seen += [r["date"] for r in doc["records"]]
        url = doc["paging"]["next_url"]
    assert seen == [f"2024-11-{d:02d}" for d in range(1, 31)]


def test_a_v2_client_switches_by_changing_the_base_url(client: TestClient,
                                                       loaded_db: str) -> None:
    """attrition's own russianwarship client (used by `update`) reads this server as if it
    were russianwarship.rip: same shapes, same paging."""
    batch = update.fetch_warship(client, date(2026, 7, 1))
    got = {(o.report_date, o.category): o.total for o in batch.observations}
    with Reader(loaded_db) as r:
        want = {(x.report_date, x.category): x.total for x in r.ledger()
                if x.report_date >= date(2026, 7, 1)}
    assert {k: got[k] for k in want} == want
    # a category the report left out carries its previous total (v2.KEYS), never a 0
    for (day, cat), total in got.items():
        if (day, cat) not in want:
            before = max(d for d, c in want if c == cat and d < day)
            assert total == want[(before, cat)] > 0
    early = client.get("/api/v2/statistics/2022-04-10").json()["data"]
    with Reader(loaded_db) as r:
        parts = {x.category: x.total for x in r.report(date(2022, 4, 10))}
    # before the 2022-05-01 merge the API's key carries military auto + fuel tanks
    assert early["stats"]["vehicles_fuel_tanks"] == parts["military_auto"] + parts["fuel_tanks"]
    assert early["stats"]["atgm_srbm_systems"] == parts["srbm_systems"]
    single = warship.read_doc({"data": early})
    assert {o.category for o in single.observations} >= {"tanks", "srbm_systems"}


# -- pages ----------------------------------------------------------------------------------


def test_pages_render(client: TestClient) -> None:
    for path in ("/", "/?lang=uk", "/brief?date=2024-11-14", "/compare", "/check", "/docs"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), path
    assert "Зведення від" in client.get("/?lang=uk").text
    svg = client.get("/charts/tanks.svg?to=2024-11-14")
    assert svg.headers["content-type"] == "image/svg+xml" and b"<svg" in svg.content
    assert b"<svg" in client.get("/charts/compare.svg?to=2025-07-19").content
    assert client.get("/static/style.css").status_code == 200
    assert "cdn" not in client.get("/").text.lower()


def test_check_page_escapes_the_article(client: TestClient) -> None:
    hostile = ('Russia lost 19 tanks <script>alert("x")</script> and '
               '<img src=x onerror="alert(1)"> 51 armoured vehicles.')
    r = client.post("/check", data={"text": hostile, "date": "2024-11-14"})
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;" in r.text and "onerror=&#34;alert(1)&#34;" in r.text
    assert 'class="claim v-supported"' in r.text


def test_openapi_lists_the_endpoints(client: TestClient) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {"/api/report/{day}", "/api/series/{name}", "/api/check", "/api/compare",
            "/api/v2/statistics/{day}", "/api/v2/terms/{lang}"} <= paths
    assert json.dumps(sorted(paths))


def test_response_cache_is_bounded_in_bytes(loaded_db: str, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    from attrition.web import state

    monkeypatch.setattr(state, "CACHE_BYTES", 200_000)
    with TestClient(create_app(loaded_db)) as c:
        holder = c.app.state.holder  # type: ignore[attr-defined]
        for i in range(40):  # distinct query strings, ~60 KB each
            assert c.get(f"/api/series/tanks?from=2025-09-01&junk={i}").status_code == 200
        assert holder.size <= 200_000 and 0 < len(holder.responses) < 40
        assert holder.size == sum(len(v[0]) for v in holder.responses.values())


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/a", "http://169.254.169.254/latest",
                                 "http://10.0.0.1/", "file:///etc/passwd", "http://[::1]/"])
def test_check_by_url_refuses_the_servers_own_network(client: TestClient, url: str) -> None:
    r = client.post("/api/check", json={"url": url})
    doc = r.json()
    assert r.status_code == 400 and doc["ok"] is False
    assert "public address" in doc["error"] or "http(s)" in doc["error"]


# -- stored addresses ------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["javascript:alert(document.domain)",
                                     "JavaScript:alert(1)", "data:text/html,<script>x</script>",
                                     "//evil.example/x", " javascript:alert(1)"])
def test_an_address_that_is_not_http_is_never_a_link(writable: str, address: str) -> None:
    """A mirror's `sourceUri` (or russianwarship's `resource`) becomes the report's address;
    the dashboard shows any other scheme as text, never as a link."""
    from attrition.model import Batch, Observation
    from attrition.store.db import Store

    day = date(2026, 8, 23)
    batch = Batch("orc-losses", [Observation("orc-losses", day, "tanks", 12295, 3,
                                             address=address),
                                 Observation("orc-losses", day, "personnel", 1476300, 1030,
                                             address=address)])
    with Store(writable) as store:
        store.ingest([batch], input="a hostile mirror")
    with TestClient(create_app(writable, ttl=0)) as c:
        page = c.get("/").text
    assert 'href="javascript' not in page.lower() and 'href="data:' not in page
    assert 'href="//evil' not in page and 'href=" javascript' not in page.lower()


def test_an_http_address_is_a_link(client: TestClient) -> None:
    assert '<a href="https://' in client.get("/").text


@pytest.mark.parametrize(("text", "ok"), [
    ("https://mod.gov.ua/news/bojovi-vtrati", True), ("http://example.org/a?b=c#d", True),
    ("javascript:alert(1)", False), ("data:text/html,x", False), ("//evil.example", False),
    ("https://", False), ("https://a b", False), ("https://x\n", False),
    ('https://x"onmouseover=', False), ("ftp://example.org", False), (None, False),
])
def test_web_address(text: str | None, ok: bool) -> None:
    from attrition.addresses import web_address

    assert (web_address(text) is not None) is ok
