"""A register filled the way `attrition watch` fills it: our own article texts
(tests/fixtures/monitor, real figures) checked by the real checker and stored through the
register's API (attrition.store.register), never hand-written verdicts."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from attrition.check import article as articles
from attrition.service import Checker
from attrition.store import register
from attrition.store.read import Reader
from attrition.watch.inputs import content_hash

MONITOR = Path(__file__).parent / "fixtures" / "monitor"



def fill(engine: Any, url: str, paths: list[Path] | None = None,
         on_stored: register.OnStored | None = None) -> list[register.Stored]:
    """Register, claim, check and store each article (all of tests/fixtures/monitor by
    default), as one watcher would."""
    paths = paths or sorted(MONITOR.glob("*.txt"))
    with Reader(url) as reader:
        checker = Checker(reader)
    version = register.ledger_version(engine)
    out = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        head = articles.read(text).meta
        digest = content_hash(text)  # as `watch` keys a text
        register.enqueue(engine, [register.Entry(
            head["url"], digest, outlet=head.get("outlet"), title=head.get("title"),
            published=head.get("published"), text=text, content_hash=digest)])
        art = register.claim(engine, "test-watcher")
        assert art is not None and art.address == head["url"]
        doc = checker.check(text, None, source=head["url"])
        out.append(register.finish(engine, art, text=text, content_hash=digest,
                                   language=doc["article"]["language"],
                                   claims=doc["claims"], version=version,
                                   on_stored=on_stored))
    return out


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1 that keeps what a careful one keeps: every request
    (`requests`), and the alerts it accepted, once per Idempotency-Key (`accepted`). `plan`
    says how to answer the n-th request: "500", "slow" (accept it, then answer after the
    client gave up) or "ok" (the default once the plan runs out)."""

    plan: list[str] = field(default_factory=list)
    slow: float = 1.5
    requests: list[tuple[str, bytes]] = field(default_factory=list)
    accepted: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def handle(self, key: str, body: bytes) -> tuple[int, float]:
        with self.lock:
            n = len(self.requests)
            self.requests.append((key, body))
            what = self.plan[n] if n < len(self.plan) else "ok"
            if what == "500":
                return 500, 0.0
            if key not in self.accepted:
                self.accepted[key] = body
            return 200, self.slow if what == "slow" else 0.0

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(b) for b in self.accepted.values()]


def serve(receiver: Receiver) -> Iterator[Receiver]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, pause = receiver.handle(self.headers.get("Idempotency-Key", ""), body)
            if pause:
                import time

                time.sleep(pause)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


LATER = MONITOR / "later" / "steppe-2026-08-23.txt"
"""An article about the day after the bundled data ends: unverifiable until that report."""


def next_report(url: str, shared_data: Path, folder: Path, personnel: int, tanks: int
                ) -> None:
    """Ingest a report of 2026-08-23 (the day after the bundled data), built from the last
    real one with these changes, as `attrition ingest` would."""
    from attrition import service

    src = json.loads((shared_data / "official/orc-losses/russian-losses.json").read_bytes())
    nxt = {**src[0], "date": "2026-08-23", "personnel": src[0]["personnel"] + personnel,
           "tanks": src[0]["tanks"] + tanks}
    path = folder / "orc" / "russian-losses.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps([nxt, *src[:3]]))
    service.ingest_files(url, [path])
