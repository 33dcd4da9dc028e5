"""Hostile requests against every route of `attrition serve`, the pages the OpenAPI document
leaves out included (not a test; tests/test_api_fuzz.py fuzzes the documented API).

    python bench/hostile_api.py [--db URL] [-v]

Each route gets every hostile value in each of its path and query parameters (dates 0000 to
9999, huge and negative numbers, unknown enums, traversal, NULs, control characters, script
URLs, 10,000-character values), with and without `Accept: text/html` and `lang=uk`; POST
routes also get hostile bodies (deep JSON, bad gzip, unknown charsets, oversized). An answer
fails when it is a 5xx, takes over 10 s, is HTML with a `javascript:` link or an unescaped
`<script>` of ours, or (for a non-GET) carries `Access-Control-Allow-Origin`.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import tempfile
import time
from itertools import product
from pathlib import Path

from fastapi.testclient import TestClient

HOSTILE = ["0000-01-01", "9999-12-31", "0001-01-01", "2024-02-30", "2024-13-01", "2024-W00",
           "2024-W54", "9999-W52", "0000-W01", "0000-00", "9999-99", "2024-00", "2024-11",
           "-1", "0", "99999999999999999999999", "1e309", "NaN", "latest", "today", "../..",
           "..%2f..%2fetc%2fpasswd", "%00", "\x00", "a\nb", "\u202e2024-11-14", "٢٠٢٤-١١-١٤",
           "２０２４-１１-１４", "javascript:alert(1)", "<script>alert(1)</script>", "x" * 10_000,
           "2024-11-14T25:00", "2024-11-14T10:00+99:00", "2024-11-14T10:00Z", "tanks",
           "vehicles", "xxx", "", " ", "%", "%ZZ", "1" * 400]

ROUTES = {  # path template: query parameters it reads
    "/api/report/{p}": ["as_of", "format"], "/api/report/{p}.csv": ["as_of"],
    "/api/history/{p}": ["category"], "/api/series/{p}": ["from", "to", "basis", "as_of"],
    "/api/series/{p}.csv": ["from", "to", "basis"], "/api/records/{p}": ["date", "window",
                                                                         "top"],
    "/api/records/{p}.csv": ["date", "window", "top"], "/api/sources": [],
    "/api/sources.csv": [], "/api/brief/{p}": ["lang", "format"],
    "/api/brief": ["week", "month", "lang", "format"],
    "/api/compare": ["from", "to", "category", "status"], "/api/compare.csv": ["from", "to"],
    "/api/changes": ["since"], "/health": [], "/feeds/brief.atom": ["lang", "n"],
    "/feeds/flags.atom": ["verdict"], "/api/monitor": ["outlet", "verdict", "from", "to",
                                                       "page", "limit"],
    "/monitor": ["outlet", "verdict", "from", "to", "page", "limit", "lang"],
    "/claims/{p}": ["lang"], "/api/claims/{p}": [], "/": ["lang", "date"],
    "/brief": ["date", "week", "month", "lang"], "/compare": ["from", "to", "category", "lang"],
    "/check": ["lang"], "/charts/{p}.svg": ["from", "to", "date", "lang"],
    "/charts/compare.svg": ["from", "to", "category"], "/docs": [],
    "/api/v2/statistics/{p}": ["as_of"], "/api/v2/statistics": ["date_from", "date_to",
                                                                "offset", "limit"],
    "/api/v2/war-info/status/{p}": [], "/api/v2/terms/{p}": [], "/api/v2/terms/ua/{p}": [],
    "/api/v2/{p}": [], "/static/{p}": [],
}

BODIES: list[tuple[str, bytes, dict[str, str]]] = [
    ("deep JSON", b'{"text":' * 100_000 + b'"x"' + b"}" * 100_000,
     {"content-type": "application/json"}),
    ("deep array", b"[" * 200_000 + b"]" * 200_000, {"content-type": "application/json"}),
    ("bad gzip", b"\x1f\x8bnot gzip", {"content-type": "text/plain",
                                       "content-encoding": "gzip"}),
    ("gzip bomb", gzip.compress(b"a" * 50_000_000), {"content-type": "text/plain",
                                                      "content-encoding": "gzip"}),
    ("unknown charset", b"Russia lost 19 tanks",
     {"content-type": "text/plain; charset=x-unknown"}),
    ("utf-16 charset lie", b"\xff\xfe\x00", {"content-type": "text/plain; charset=utf-16"}),
    ("oversized", b"a" * 3_000_000, {"content-type": "text/plain"}),
    ("NUL text", b"Russia lost\x00 19 tanks", {"content-type": "text/plain"}),
    ("json text not string", b'{"text": 5}', {"content-type": "application/json"}),
    ("json date 9999", b'{"text": "Russia lost 19 tanks", "date": "9999-12-31"}',
     {"content-type": "application/json"}),
    ("json url javascript", b'{"url": "javascript:alert(1)"}',
     {"content-type": "application/json"}),
    ("json url file", b'{"url": "file:///etc/passwd"}', {"content-type": "application/json"}),
    ("json url loopback", b'{"url": "http://127.0.0.1:1/"}',
     {"content-type": "application/json"}),
    ("json url huge", b'{"url": "http://' + b"a" * 100_000 + b'.com/"}',
     {"content-type": "application/json"}),
    ("form", b"text=Russia+lost+19+tanks&date=0000-01-01",
     {"content-type": "application/x-www-form-urlencoded"}),
    ("form bad percent", b"text=%ZZ%&date=%00", {"content-type":
                                                  "application/x-www-form-urlencoded"}),
    ("multipart garbage", b"--x\r\n\r\n", {"content-type": "multipart/form-data; boundary=x"}),
    ("repeated numbers", b"Russia lost 8 tanks. " * 90_000, {"content-type": "text/plain"}),
]

_JS_LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def problems(resp: object, seconds: float, method: str) -> list[str]:
    out = []
    status = resp.status_code  # type: ignore[attr-defined]
    headers = resp.headers  # type: ignore[attr-defined]
    if status >= 500 and not (status == 503 and "/health" in str(resp.url)):  # type: ignore
        out.append(f"{status}: {resp.text[:160]!r}")  # type: ignore[attr-defined]
    if seconds > 10:
        out.append(f"slow: {seconds:.1f} s")
    if "html" in headers.get("content-type", "") and _JS_LINK.search(resp.text):  # type: ignore
        out.append("a javascript: link")
    if "html" in headers.get("content-type", "") and "<script>alert(1)" in resp.text:  # type: ignore
        out.append("unescaped script")
    if method not in ("GET", "HEAD", "OPTIONS") and "access-control-allow-origin" in headers:
        out.append("CORS on a write")
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    from attrition.web.app import create_app

    db = args.db or f"sqlite:///{Path(tempfile.mkdtemp()) / 'api.db'}"
    client = TestClient(create_app(db), raise_server_exceptions=False)
    failures: list[str] = []
    count = 0
    t0 = time.monotonic()

    def ask(method: str, url: str, **kw: object) -> None:
        nonlocal count
        count += 1
        t = time.monotonic()
        try:
            resp = client.request(method, url, **kw)  # type: ignore[arg-type]
        except Exception as exc:  # the test client re-raises nothing; a crash of httpx's URL
            failures.append(f"{method} {url[:120]!r}: {type(exc).__name__}: {exc}"[:300])
            return
        for p in problems(resp, time.monotonic() - t, method):
            failures.append(f"{method} {url[:120]!r} {str(kw.get('headers', ''))[:60]}: {p}")

    from urllib.parse import quote

    for route, params in ROUTES.items():
        for value in HOSTILE:
            enc = quote(value, safe="")
            base = route.replace("{p}", enc) if "{p}" in route else route
            targets = [base] if "{p}" in route else []
            good = route.replace("{p}", {"/api/report/{p}": "2024-11-14"}.get(route, "tanks"))
            for q in params:
                targets.append(f"{good if '{p}' in route else route}?{q}={enc}")
            for url, accept in product(targets, ("application/json", "text/html")):
                ask("GET", url, headers={"accept": accept, "origin": "https://evil.example"})
    for route in ("/api/check", "/check", "/api/ingest", "/api/update"):
        for _name, body, headers in BODIES:
            ask("POST", route, content=body,
                headers={**headers, "origin": "https://evil.example",
                         "authorization": "Bearer wrong"})
    for name in ("..", "../x.json", "a\x00b.json", "x" * 300 + ".json", "/etc/passwd",
                 "%2e%2e", "ok.json"):
        ask("POST", f"/api/ingest?name={quote(name, safe='')}", content=b"[]",
            headers={"authorization": "Bearer wrong"})
    for f in failures:
        print("FAIL", f)
    print(f"{count} hostile requests, {len(failures)} failed, {time.monotonic() - t0:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
