"""Load on loopback: requests/second and latency percentiles of `attrition serve` for the
report and series endpoints (cached GETs), with `wrk` (Debian's package) as the generator.

    python bench/bench_serve.py [--seconds 10] [--connections 32] [--workers 1]

The server and wrk share this machine's cores; the figures are for this machine only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ENDPOINTS = [
    "/api/report/2024-11-14",
    "/api/series/tanks?from=2024-01-01&to=2024-12-31",
    "/api/v2/statistics/2024-11-14",
    "/api/series/vehicles.csv",
]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    if not m:
        return float("nan")
    v = float(m.group(1))
    return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "bench.db"
    env = {**os.environ, "ATTRITION_DB": str(db)}
    subprocess.run([sys.executable, "-m", "attrition.cli", "show", "latest"], env=env,
                   check=True, capture_output=True)
    port = _port()
    server = subprocess.Popen([sys.executable, "-m", "attrition.cli", "serve", "--port",
                               str(port), "--workers", str(args.workers)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/api/sources", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        print(f"attrition serve, {args.workers} worker(s); wrk 2 threads, "
              f"{args.connections} connections, {args.seconds} s per endpoint; "
              f"{os.cpu_count()} cores")
        print(f"{'endpoint':52} {'req/s':>9} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}")
        for path in ENDPOINTS:
            for _ in range(3):  # warm the response cache (and every worker's)
                httpx.get(base + path, timeout=30)
            out = subprocess.run(["wrk", "-t2", f"-c{args.connections}",
                                  f"-d{args.seconds}s", "--latency", base + path],
                                 capture_output=True, text=True, check=True).stdout
            rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
            lat = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.M))
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            print(f"{path:52} {rps:9.0f} {_ms(lat['50']):8.2f} {_ms(lat['90']):8.2f} "
                  f"{_ms(lat['99']):8.2f}" + (f"  non-2xx: {errors.group(1)}" if errors else ""))
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
