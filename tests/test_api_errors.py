"""No request makes the web service answer 500: odd dates, weeks and months, unknown
parameter values, deep JSON, hostile upload names; store and fetch failures are 503 and 502;
and a 500, should one happen, keeps the client's connection open."""

from __future__ import annotations

import http.client
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from attrition.errors import FetchError, StoreError
from attrition.web.app import create_app


@pytest.fixture(scope="module")
def client(loaded_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(loaded_db), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("path", [
    "/api/series/tanks?basis=xxx", "/api/series/tanks.csv?basis=xxx",
    "/api/report/0001-01-01", "/api/report/9999-12-31", "/api/series/tanks?from=0001-01-01",
    "/api/series/tanks?to=9999-12-31", "/api/records/tanks?date=0001-01-01",
    "/api/records/tanks?date=9999-12-31", "/api/brief/0001-01-01", "/api/brief/9999-12-31",
    "/api/brief?week=0000-W01", "/api/brief?week=9999-W52", "/api/brief?week=0001-W01",
    "/api/brief?month=0000-01", "/api/brief?month=9999-12", "/api/brief?month=0001-01",
    "/api/brief?week=2024-W46&month=2024-11", "/api/brief/2024-11-14?lang=fr",
    "/api/brief/2024-11-14?format=pdf", "/api/compare?to=0001-01-01",
    "/api/compare?from=9999-12-31", "/api/compare?from=2025-01-01&to=2024-01-01",
    "/brief?date=0001-01-01", "/charts/tanks.svg?to=0001-01-01",
    "/charts/tanks.svg?to=9999-12-31", "/charts/compare.svg?to=0001-01-01",
    "/api/v2/statistics?date_from=0001-01-01", "/api/v2/statistics?date_to=9999-12-31",
    "/api/v2/statistics/0001-01-01", "/api/v2/statistics?offset=99999999999999999999",
    "/api/records/tanks?window=99999999999999999999",
])
def test_odd_parameters_are_refused_not_500(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert 400 <= r.status_code < 500, (path, r.status_code, r.text[:200])
    assert "Traceback" not in r.text and "internal error" not in r.text


def test_a_date_out_of_range_says_so(client: TestClient) -> None:
    doc = client.get("/api/brief/0001-01-01").json()
    assert doc["status"] == 400 and "out of range" in doc["error"] and "1900" in doc["error"]
    assert "query.basis" in client.get("/api/series/tanks?basis=xxx").json()["error"]


def test_a_deep_json_body_is_400(client: TestClient) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    r = client.post("/api/check", content=deep, headers={"content-type": "application/json"})
    assert r.status_code == 400 and "nested deeper" in r.json()["error"]
    # brackets inside strings are text, not depth
    ok = client.post("/api/check", json={"text": "[" * 500 + " Russia lost 19 tanks.",
                                         "date": "2024-11-14"})
    assert ok.status_code == 200


@pytest.fixture
def writable(loaded_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
             ) -> Iterator[TestClient]:
    path = tmp_path / "copy.db"
    shutil.copy(loaded_db.removeprefix("sqlite:///"), path)
    monkeypatch.setenv("ATTRITION_API_TOKEN", "s3cret")
    with TestClient(create_app(f"sqlite:///{path}", ttl=0),
                    raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("name", ["..", ".", "a\x00b.txt", "x" * 300, "../../etc/passwd",
                                  "dir/b.txt", "", " .txt"])
def test_ingest_refuses_names_that_are_not_plain_file_names(writable: TestClient,
                                                             name: str) -> None:
    r = writable.post("/api/ingest", params={"name": name}, content=b"tanks 1",
                      headers={"authorization": "Bearer s3cret"})
    assert r.status_code in (400, 422), (name, r.status_code, r.text[:200])
    assert r.json()["ok"] is False


def test_store_failures_are_503_and_fetch_failures_502(client: TestClient,
                                                       monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    from attrition.web import checking, ledger

    def store_down(*a: object, **k: object) -> None:
        raise StoreError("cannot read the database: OperationalError")

    def unreachable(url: str) -> str:
        raise FetchError(f"{url}: too many redirects")

    monkeypatch.setattr(ledger.reports, "document", store_down)
    monkeypatch.setattr(checking, "fetch_article", unreachable)
    r = client.get("/api/report/2024-11-13")
    assert r.status_code == 503 and r.json()["status"] == 503
    r = client.post("/api/check", json={"url": "https://example.org/a"})
    assert r.status_code == 502 and "too many redirects" in r.json()["error"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_500_keeps_the_connection_open(loaded_db: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Through a real uvicorn server: one keep-alive connection, a 500, then a 200 on it."""
    import uvicorn

    from attrition import report

    real = report.document

    def flaky(rows: object, when: object) -> object:
        if str(when) == "2024-11-12":
            raise RuntimeError("secret detail")
        return real(rows, when)  # type: ignore[arg-type]

    monkeypatch.setattr(report, "document", flaky)
    port = _port()
    server = uvicorn.Server(uvicorn.Config(create_app(loaded_db), host="127.0.0.1", port=port,
                                           log_level="critical", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/api/report/2024-11-12")
        first = conn.getresponse()
        body = first.read()
        assert first.status == 500 and b"secret" not in body
        assert first.getheader("connection") != "close"
        conn.request("GET", "/api/report/2024-11-14")  # the same socket
        second = conn.getresponse()
        assert second.status == 200 and b'"ok": true' in second.read()
        conn.close()
    finally:
        server.should_exit = True
        thread.join(10)


def test_cross_origin_posts_get_no_cors_header(client: TestClient) -> None:
    origin = {"origin": "https://elsewhere.example"}
    r = client.post("/api/check", content=b"Russia lost 19 tanks on 14 November 2024.",
                    headers={**origin, "content-type": "text/plain"})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
    r = client.post("/check", data={"text": "Russia lost 19 tanks.", "date": "2024-11-14"},
                    headers=origin)
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
    r = client.get("/api/report/2024-11-14", headers=origin)
    assert r.headers["access-control-allow-origin"] == "*"
