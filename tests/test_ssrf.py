"""Fetching an article for a stranger (the web service's check by URL): only globally
routable unicast addresses, resolved once and connected to as checked. And the ways a fetch
can fail (redirect loop, damaged gzip, unknown charset) are errors, not crashes.

Nothing here leaves the machine: resolvers are fakes, servers listen on 127.0.0.1, and the
table of real connections runs in a network namespace of its own (`unshare -n`)."""

from __future__ import annotations

import gzip
import json
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from attrition.check import fetch
from attrition.errors import FetchError, SourceError

PAGE = b"<html><body><p>On 14 November 2024 Russia lost 19 tanks.</p></body></html>"


@pytest.mark.parametrize(("address", "public"), [
    ("224.0.0.1", False), ("239.255.255.250", False), ("127.0.0.1", False),
    ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False),
    ("255.255.255.255", False), ("::1", False), ("::", False), ("fe80::1", False),
    ("fc00::1", False), ("ff02::1", False), ("::ffff:127.0.0.1", False),
    ("64:ff9b::7f00:1", False), ("64:ff9b::a01:203", False), ("2002:7f00:1::", False),
    ("2002:a01:203::1", False), ("2002:c0a8:101::1", False),
    ("8.8.8.8", True), ("1.1.1.1", True), ("2606:4700:4700::1111", True),
    ("64:ff9b::808:808", True), ("2002:808:808::1", True), ("::ffff:8.8.8.8", True),
    # found public by the re-attack: the local-use NAT64 prefix (RFC 8215), SIIT's
    # IPv4-translated form, the deprecated IPv4-compatible form, IETF protocol addresses
    ("64:ff9b:1::a00:1", False), ("64:ff9b:1:7f00:1::", False), ("::ffff:0:127.0.0.1", False),
    ("::ffff:0:10.0.0.1", False), ("::127.0.0.1", False), ("::10.0.0.1", False),
    ("192.0.0.8", False), ("192.0.0.170", False), ("::ffff:0:8.8.8.8", True),
])
def test_only_globally_routable_unicast_is_public(address: str, public: bool) -> None:
    assert fetch.is_public(address) is public


def test_a_name_is_resolved_once_and_refused_if_any_address_is_private() -> None:
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["93.184.215.14", "10.0.0.5"]

    with pytest.raises(SourceError, match="not a public address"):
        fetch.pin("mixed.example", 80, resolver)
    assert calls == ["mixed.example"]
    with pytest.raises(SourceError, match="not a public address"):
        fetch.pin("[::1]", 80, resolver)  # a literal address is not resolved at all
    assert calls == ["mixed.example"]


class _Handler(BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []  # noqa: RUF012  (path, Host header) of each request

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.seen.append((self.path, self.headers.get("host", "")))
        if self.path == "/to-intranet":
            self.send_response(302)
            self.send_header("location", "http://intranet.example/secret")
            self.end_headers()
            return
        if self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("location", "/loop")
            self.end_headers()
            return
        if self.path == "/gzip":
            body = b"\x1f\x8b\x08\x00not gzip at all"
            self.send_response(200)
            self.send_header("content-encoding", "gzip")
        elif self.path == "/charset":
            body = PAGE
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=x-no-such-charset")
        elif self.path == "/gz-ok":
            body = gzip.compress(PAGE)
            self.send_response(200)
            self.send_header("content-encoding", "gzip")
        else:
            body = PAGE
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield int(srv.server_address[1])
    srv.shutdown()
    srv.server_close()


def test_the_connection_goes_to_the_address_that_was_checked(
        server: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebinding resolver answers a checked address first and a private one after; the
    fetch asks it once and connects to the first (here 127.0.0.1 plays the public address:
    nothing may leave the machine), with the name kept in the Host header."""
    monkeypatch.setattr(fetch, "is_public", lambda a: str(a) == "127.0.0.1")
    answers = iter([["127.0.0.1"], ["10.255.255.1"], ["10.255.255.1"]])
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    text = fetch.fetch_url(f"http://news.example:{server}/article", public_only=True,
                           resolve=rebinding)
    assert "19 tanks" in text
    assert calls == ["news.example"]
    assert _Handler.seen[-1] == ("/article", f"news.example:{server}")


def test_a_redirect_to_a_private_address_is_refused(server: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Every hop is resolved and checked: a public page redirecting into the network is
    refused at the redirect."""
    monkeypatch.setattr(fetch, "is_public", lambda a: str(a) == "127.0.0.1")

    def resolver(host: str, port: int) -> list[str]:
        return ["127.0.0.1"] if host == "news.example" else ["192.168.0.1"]

    with pytest.raises(SourceError, match=r"intranet\.example is not a public address"):
        fetch.fetch_url(f"http://news.example:{server}/to-intranet", public_only=True,
                        resolve=resolver)


def test_fetch_failures_are_errors(server: int) -> None:
    base = f"http://127.0.0.1:{server}"
    with pytest.raises(FetchError, match="too many redirects"):
        fetch.fetch_url(base + "/loop")
    with pytest.raises(FetchError, match="compressed body"):
        fetch.fetch_url(base + "/gzip")
    assert "19 tanks" in fetch.fetch_url(base + "/charset")
    assert "19 tanks" in fetch.fetch_url(base + "/gz-ok")


def test_the_api_answers_fetch_failures_502(server: int, loaded_db: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from attrition.web.app import create_app

    monkeypatch.setattr(fetch, "is_public", lambda a: str(a) == "127.0.0.1")
    with TestClient(create_app(loaded_db), raise_server_exceptions=False) as c:
        for path, status in (("/loop", 502), ("/gzip", 502), ("/charset", 200)):
            r = c.post("/api/check", json={"url": f"http://127.0.0.1:{server}{path}",
                                           "date": "2024-11-14"})
            assert r.status_code == status, (path, r.text[:200])


# -- the table, through real connections, inside a network namespace ------------------------

NAMESPACE_SCRIPT = textwrap.dedent("""
    import json, socket, subprocess, sys, threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    for cmd in (["ip", "link", "set", "lo", "up"],
                ["ip", "addr", "add", "10.1.2.3/32", "dev", "lo"],
                ["ip", "addr", "add", "8.8.8.8/32", "dev", "lo"],
                ["ip", "-6", "addr", "add", "64:ff9b::7f00:1/128", "dev", "lo"],
                ["ip", "-6", "addr", "add", "2002:7f00:1::/128", "dev", "lo"]):
        subprocess.run(cmd, check=True)

    class Page(BaseHTTPRequestHandler):
        def log_message(self, *a): pass
        def do_GET(self):
            body = b"<p>On 14 November 2024 Russia lost 19 tanks.</p>"
            self.send_response(200)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Dual(ThreadingHTTPServer):
        address_family = socket.AF_INET6
        def server_bind(self):
            self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            super().server_bind()

    srv = Dual(("::", 8080), Page)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    from attrition.check.fetch import fetch_url
    for url in sys.argv[1:]:
        try:
            text = fetch_url(url, timeout=3, public_only=True)
            print(json.dumps([url, "fetched", text[:80]]))
        except Exception as exc:
            print(json.dumps([url, type(exc).__name__, str(exc)]))
""")


def test_ssrf_table_in_a_network_namespace() -> None:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        pytest.skip("needs unshare and ip")
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
        if probe.returncode != 0:
            pytest.skip("no network namespaces here")
        prefix = ["unshare", "-n"]
    else:
        prefix = ["unshare", "-rn"]
    refused = ["http://127.0.0.1:8080/", "http://10.1.2.3:8080/", "http://[::1]:8080/",
               "http://[64:ff9b::7f00:1]:8080/", "http://[2002:7f00:1::]:8080/",
               "http://224.0.0.1:8080/", "http://[::ffff:127.0.0.1]:8080/",
               "http://0.0.0.0:8080/"]
    public = ["http://8.8.8.8:8080/"]  # bound on the namespace's own loopback
    out = subprocess.run([*prefix, sys.executable, "-c", NAMESPACE_SCRIPT, *refused, *public],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    got = {url: (kind, msg) for url, kind, msg in map(json.loads, out.stdout.splitlines())}
    for url in refused:
        assert got[url][0] == "SourceError" and "not a public address" in got[url][1], \
            (url, got[url])
    assert got[public[0]][0] == "fetched" and "19 tanks" in got[public[0]][1]


def test_socket_module_is_untouched() -> None:
    """The pinning lives in the transport, not in a patched `socket` (other code in the
    process resolves as usual)."""
    assert socket.getaddrinfo is not None and fetch.system_resolver.__module__ == fetch.__name__
