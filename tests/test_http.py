"""HTTP behaviour for bots and widgets: validators and 304s, HEAD, Link headers on paged
answers, `/api/changes`, and the russianwarship.rip v2 routes its clients read."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from attrition.web.app import create_app
from attrition.web.v2 import KEYS

BULLETIN = ("The total combat losses of the enemy from 24.02.2022 to 23.08.2026 were "
            "approximately: personnel ‒ about 1476300 (+1030) persons, tanks ‒ 12295 (+3)\n")


@pytest.fixture(scope="module")
def client(loaded_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(loaded_db)) as c:
        yield c


@pytest.fixture
def own_client(loaded_db: str, tmp_path: Path) -> Iterator[TestClient]:
    """A server over a copy of the store (the tests that ingest)."""
    path = tmp_path / "copy.db"
    shutil.copy(loaded_db.removeprefix("sqlite:///"), path)
    with TestClient(create_app(f"sqlite:///{path}", ttl=0)) as c:
        yield c


GETS = ["/api/report/latest", "/api/report/2024-11-14.csv", "/api/series/tanks",
        "/api/sources", "/api/v2/statistics/latest", "/", "/brief?date=2024-11-14",
        "/charts/tanks.svg?to=2024-11-14", "/api/v2/terms/en", "/api/changes?since=0"]


@pytest.mark.parametrize("path", GETS)
def test_every_get_has_validators_and_answers_304(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    assert etag.startswith('W/"') and parsedate_to_datetime(modified)
    assert "max-age=" in r.headers["cache-control"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    since = client.get(path, headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    older = format_datetime(parsedate_to_datetime(modified) - timedelta(seconds=1),
                            usegmt=True)
    assert client.get(path, headers={"If-Modified-Since": older}).status_code == 200
    assert client.get(path, headers={"If-None-Match": 'W/"other"'}).status_code == 200


@pytest.mark.parametrize("path", GETS)
def test_head_answers_like_get_without_a_body(client: TestClient, path: str) -> None:
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["etag"] == get.headers["etag"]


def test_an_ingest_changes_the_etag(own_client: TestClient, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    first = own_client.get("/api/report/latest")
    monkeypatch.setenv("ATTRITION_API_TOKEN", "t")
    r = own_client.post("/api/ingest?name=2026-08-23.txt", content=BULLETIN.encode(),
                        headers={"Authorization": "Bearer t"})
    assert r.status_code == 200, r.text
    after = own_client.get("/api/report/latest",
                           headers={"If-None-Match": first.headers["etag"]})
    assert after.status_code == 200 and after.json()["date"] == "2026-08-23"
    assert after.headers["etag"] != first.headers["etag"]


def test_errors_are_not_cached(client: TestClient) -> None:
    r = client.get("/api/report/2021-01-01")
    assert r.status_code == 404 and r.headers["cache-control"] == "no-store"
    assert "etag" not in r.headers


def test_paged_answers_carry_a_link_header(client: TestClient) -> None:
    url: str | None = "/api/v2/statistics?date_from=2024-11-01&date_to=2024-11-30&limit=7"
    pages = 0
    while url:
        r = client.get(url)
        nxt = r.json()["data"]["paging"]["next_url"]
        if nxt:
            assert r.headers["link"] == f'<{nxt}>; rel="next"'
        else:
            assert "link" not in r.headers
        url, pages = nxt, pages + 1
    assert pages == 5


def test_changes_since_a_version_and_a_time(own_client: TestClient,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    before = own_client.get("/api/changes?since=0").json()
    assert before["changed"] and before["ingests"][0]["source"] == "snapshot"
    version = before["version"]["ingests"]
    assert own_client.get(f"/api/changes?since={version}").json()["changed"] is False
    start = datetime.now(UTC) - timedelta(seconds=1)
    monkeypatch.setenv("ATTRITION_API_TOKEN", "t")
    own_client.post("/api/ingest?name=2026-08-23.txt", content=BULLETIN.encode(),
                    headers={"Authorization": "Bearer t"})
    for since in (str(version), start.isoformat()):
        doc = own_client.get("/api/changes", params={"since": since}).json()
        assert doc["ok"] and doc["changed"]
        assert doc["reports"] == ["2026-08-23"]
        assert [i["new"] for i in doc["ingests"]] == [2]
        assert doc["version"]["ingests"] == version + 1
    bad = own_client.get("/api/changes?since=yesterday-ish")
    assert bad.status_code == 422 and bad.json()["ok"] is False


# -- russianwarship.rip v2 -------------------------------------------------------------------


def test_v2_war_info_as_its_clients_read_it(client: TestClient) -> None:
    doc = client.get("/api/v2/war-info").json()
    assert doc["message"] == "The data were fetched successfully."
    assert doc["data"]["current_date"] == "2026-08-22"
    latest = client.get("/api/v2/statistics/latest").json()["data"]
    assert doc["data"]["current_day"] == latest["day"]
    for lang in ("en", "ua"):
        status = client.get(f"/api/v2/war-info/status/{lang}").json()["data"]
        assert status["alias"] == "war" and status["description"]
    assert client.get("/api/v2/war-info/status").json()["data"]["alias"] == "war"
    assert client.get("/api/v2/war-info/status/fr").status_code == 422


def test_v2_terms_keys_equal_every_days_stats_keys(client: TestClient) -> None:
    terms = client.get("/api/v2/terms/en").json()["data"]
    assert set(terms) == set(KEYS)
    url: str | None = "/api/v2/statistics?limit=1000"
    days = 0
    while url:
        data = client.get(url).json()["data"]
        for rec in data["records"]:
            assert set(rec["stats"]) == set(terms) == set(rec["increase"]), rec["date"]
            days += 1
        url = data["paging"]["next_url"]
    assert days == 1641
    first = client.get("/api/v2/statistics/2022-02-25").json()["data"]
    assert first["stats"]["submarines"] == 0 and first["increase"]["submarines"] == 0


def test_v2_term_and_its_icon(client: TestClient) -> None:
    one = client.get("/api/v2/terms/ua/tanks").json()["data"]
    assert one["title"] == "танків"
    icon = client.get(one["icon"])
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg")
    assert icon.content.startswith(b"<svg") and len(icon.content) < 2000
    for key, term in client.get("/api/v2/terms/en").json()["data"].items():
        assert term["icon"].endswith(f"/static/terms/{key}.svg")
        assert client.get(term["icon"]).status_code == 200, key
    missing = client.get("/api/v2/terms/en/battleships")
    assert missing.status_code == 404 and set(missing.json()) == {"message", "data"}


@pytest.mark.parametrize("path", ["/api/v2/nothing", "/api/v2/statistics/latest/extra",
                                  "/api/v2/terms/en/tanks/more"])
def test_unknown_v2_paths_answer_in_the_v2_shape(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert set(r.json()) == {"message", "data"} and r.json()["data"] is None


def test_v2_a_line_the_report_left_out_carries_its_total(client: TestClient,
                                                         loaded_db: str) -> None:
    """Ground robotic systems are counted from 2026-05-03; reports that leave the line out
    keep the previous total with the increase 0 (not 0, which would read as a fall)."""
    from attrition.store.read import Reader

    with Reader(loaded_db) as r:
        rows = r.by_category()["ground_robotic_systems"]
        days = sorted(r.report_date for r in rows)
        all_days = sorted({x.report_date for x in r.ledger()})
    gaps = [d for d in all_days if d > days[0] and d not in set(days)]
    assert gaps, "the bundled data has reports without the line"
    for gap in gaps[:3]:
        rec = client.get(f"/api/v2/statistics/{gap}").json()["data"]
        before = max(x for x in rows if x.report_date < gap)
        assert rec["stats"]["ground_robotic_systems"] == before.total
        assert rec["increase"]["ground_robotic_systems"] == 0


def test_an_unknown_page_is_a_page_for_a_browser_and_json_for_a_bot(client: TestClient
                                                                    ) -> None:
    page = client.get("/no-such-page?lang=uk", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert 'id="error-heading">Не знайдено<' in page.text
    bot = client.get("/no-such-page")
    assert bot.status_code == 404 and bot.json() == {"ok": False, "error": "Not Found",
                                                     "status": 404}
    api = client.get("/api/nothing", headers={"Accept": "text/html"})
    assert api.status_code == 404 and api.json()["ok"] is False
