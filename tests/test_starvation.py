"""Work done for one request never stalls the others: with requests for briefs that must be
computed (weeks, months) running, a cached report still answers at once. Through a real
uvicorn server with one worker, as `attrition serve` runs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(loaded_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _port()
    env = {**os.environ, "ATTRITION_DB": loaded_db,
           "ATTRITION_CACHE": "off"}  # every period brief is computed, as a first ask is
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "attrition.web.app:from_env", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/api/report/latest", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)
        assert proc.stderr is not None
        proc.stderr.close()


def test_a_cached_report_stays_fast_while_briefs_are_computed(served: str) -> None:
    stop = threading.Event()
    computed = [0]

    def hammer(n: int) -> None:
        with httpx.Client(base_url=served, timeout=60) as c:
            i = 0
            while not stop.is_set():
                # a distinct month each time: never in the response cache
                year, month = 2022 + (i // 12) % 4, i % 12 + 1
                r = c.get(f"/api/brief?month={year}-{month:02d}&n={n}-{i}")
                assert r.status_code in (200, 404)
                computed[0] += 1
                i += 1

    with httpx.Client(base_url=served, timeout=30) as c:
        assert c.get("/api/report/latest").status_code == 200  # now cached
        workers = [threading.Thread(target=hammer, args=(n,), daemon=True) for n in range(4)]
        for w in workers:
            w.start()
        time.sleep(1.0)  # the four are busy computing
        times = []
        for _ in range(60):
            t = time.perf_counter()
            r = c.get("/api/report/latest")
            times.append(time.perf_counter() - t)
            assert r.status_code == 200
            time.sleep(0.02)
        stop.set()
        for w in workers:
            w.join(60)
    times.sort()
    p90 = times[int(len(times) * 0.9)]
    # on main this was seconds (each answer waited for a brief); the bench's bound is 50 ms
    # on an idle machine, this one leaves room for a shared CI machine
    print(f"p90 {p90 * 1000:.0f} ms")
    assert p90 < 0.25, f"p90 {p90 * 1000:.0f} ms; median {times[len(times) // 2] * 1000:.0f} ms"
    assert computed[0] >= 4
