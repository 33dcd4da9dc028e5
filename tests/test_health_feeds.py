"""`/health` (never cached; 503 with the reason when the store cannot be read or its newest
report is too old) and `/feeds/brief.atom` (a valid Atom feed of the daily briefs, en and
uk, cached and validated like every GET)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import pytest
from fastapi.testclient import TestClient

from attrition import service
from attrition.store.db import Store
from attrition.web.app import create_app

A = "{http://www.w3.org/2005/Atom}"
LATEST = date(2026, 8, 22)


def test_health_is_ready_while_the_newest_report_is_recent(db: str) -> None:
    status, doc = service.health(db, at=datetime(2026, 8, 23, 12, tzinfo=UTC))
    assert status == 200 and doc["ready"] and doc["reasons"] == []
    assert doc["newest_report"] == {"date": "2026-08-22",
                                    "published": "2026-08-22T09:00:00+03:00",
                                    "age_days": 1.25}
    assert doc["store"]["reachable"] and doc["last_update"] is None
    assert doc["last_poll"] is None  # no `feeds` table in this store
    status, doc = service.health(db, at=datetime(2026, 8, 26, 12, tzinfo=UTC))
    assert status == 503
    assert doc["reasons"] == ["the newest report (2026-08-22) is 4.2 days old, more than 3"]
    assert service.health(db, max_age_days=5, at=datetime(2026, 8, 26, 12, tzinfo=UTC)
                          )[0] == 200


def test_health_over_http_is_never_cached(db: str) -> None:
    with TestClient(create_app(db, health_max_age_days=10_000)) as client:
        res = client.get("/health")
        assert res.status_code == 200 and res.json()["ok"] is True
        assert res.headers["cache-control"] == "no-store"
        assert "etag" not in res.headers and "last-modified" not in res.headers
        again = client.get("/health", headers={"if-none-match": "*"})
        assert again.status_code == 200
        head = client.head("/health")  # what uptime monitors often send
        assert head.status_code == 200 and head.content == b""
    with TestClient(create_app(db)) as client:  # the default limit: 3 days, long past
        res = client.get("/health")
        assert res.status_code == 503 and res.json()["ok"] is False
        assert "days old, more than 3" in res.json()["reasons"][0]


def test_health_is_503_when_the_store_cannot_be_opened(db: str) -> None:
    path = Path(db.removeprefix("sqlite:///"))
    with TestClient(create_app(db, health_max_age_days=10_000)) as client:
        assert client.get("/health").status_code == 200
        path.unlink()
        path.write_bytes(b"this is no SQLite file" * 100)
        res = client.get("/health")
        assert res.status_code == 503
        doc = res.json()
        assert doc["store"]["reachable"] is False
        assert doc["reasons"][0].startswith("the store cannot be read: ")
        assert "Traceback" not in res.text
        path.unlink()
        res = client.get("/health")
        assert res.status_code == 503 and res.json()["store"]["reachable"] is False


def test_health_reports_the_last_update_and_the_last_poll(db: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404)

    with Store(db) as store:
        store.record_update(new=14, revised=0, failures=[], at="2026-08-23T06:30:00+00:00")
    service.update(db, httpx.Client(transport=httpx.MockTransport(handler)))
    import sqlite3

    conn = sqlite3.connect(db.removeprefix("sqlite:///"))
    with conn:  # as `attrition watch` keeps its feeds (the store made the table)
        conn.execute("INSERT INTO feeds (address, interval, failures, last_ok) VALUES "
                     "('http://127.0.0.1/a.xml', 900, 0, '2026-08-23T07:00:00+00:00'), "
                     "('http://127.0.0.1/b.xml', 900, 0, NULL)")
    conn.close()
    status, doc = service.health(db, at=datetime(2026, 8, 23, 12, tzinfo=UTC))
    assert status == 200
    last = doc["last_update"]
    assert last["succeeded_at"] == "2026-08-23T06:30:00+00:00"
    assert last["at"] > last["succeeded_at"] and last["failures"]  # every source 404
    assert all("404" in f for f in last["failures"])
    assert doc["last_poll"] == "2026-08-23T07:00:00+00:00"


@pytest.fixture(scope="module")
def client(loaded_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(loaded_db)) as c:
        yield c


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_the_brief_feed_is_valid_atom(client: TestClient, lang: str) -> None:
    res = client.get("/feeds/brief.atom", params={"lang": lang, "n": 5})
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(res.content)
    assert root.tag == f"{A}feed"
    for tag in ("id", "title", "updated", "author", "rights"):
        assert root.find(f"{A}{tag}") is not None, tag
    assert root.find(f"{A}author/{A}name") is not None
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{A}link")}
    assert links["self"] == f"http://testserver/feeds/brief.atom?lang={lang}"
    assert "PetroIvaniuk" in (root.findtext(f"{A}rights") or "")
    entries = root.findall(f"{A}entry")
    assert len(entries) == 5
    ids = [e.findtext(f"{A}id") for e in entries]
    assert len(set(ids)) == 5
    assert ids[0] == f"http://testserver/api/brief/{LATEST.isoformat()}?lang={lang}"
    for e in entries:
        for tag in ("id", "title", "updated", "published", "content", "summary"):
            assert (e.findtext(f"{A}{tag}") or "").strip(), tag
        datetime.fromisoformat(e.findtext(f"{A}updated") or "")
        assert e.find(f"{A}link[@rel='alternate']") is not None
    first = entries[0]
    assert first.findtext(f"{A}published") == "2026-08-22T06:00:00Z"  # 09:00 Kyiv, summer
    brief = client.get(f"/api/brief/{LATEST}", params={"lang": lang}).json()
    assert brief["text"] in (first.findtext(f"{A}content") or "")
    assert first.findtext(f"{A}title") == brief["headline"]
    assert root.findtext(f"{A}updated") == "2026-08-22T06:00:00Z"


def test_the_brief_feed_is_cached_and_validated(client: TestClient) -> None:
    res = client.get("/feeds/brief.atom")
    assert res.status_code == 200 and res.headers["etag"] and res.headers["last-modified"]
    assert len(ET.fromstring(res.content).findall(f"{A}entry")) == 14
    again = client.get("/feeds/brief.atom", headers={"if-none-match": res.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/feeds/brief.atom", params={"lang": "de"}).status_code == 422
    assert client.get("/feeds/brief.atom", params={"n": 0}).status_code == 422


def test_the_age_limit_from_the_environment(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATTRITION_HEALTH_MAX_AGE_DAYS", "100000")
    with TestClient(create_app(db)) as client:
        res = client.get("/health")
        assert res.status_code == 200 and res.json()["max_age_days"] == 100000
        monkeypatch.setenv("ATTRITION_HEALTH_MAX_AGE_DAYS", "three")
        res = client.get("/health")
        assert res.status_code == 503
        assert res.json()["reasons"][-1] == (
            "ATTRITION_HEALTH_MAX_AGE_DAYS='three' is not a number of days")
