"""Load on loopback: requests/second and latency percentiles of `attrition serve` (one
worker unless told), with `wrk` (Debian's package) as the generator.

    python bench/bench_serve.py [--seconds 10] [--connections 32] [--workers 1]

1. Cached GETs (report, series, v2, CSV), `--connections` connections each.
2. Uncached daily briefs: every request a report date's brief never asked before (a unique
   query string defeats the response cache), so each is read from the daybook and composed.
3. Starvation: 4 connections on uncached briefs (daily, then monthly: those are computed from
   the whole ledger) while one connection asks for the cached `/api/report/latest`; its
   latency is what a reader of the dashboard waits.

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

# every request a distinct URL: a report date (or month) and a random tag
DAILY_LUA = """
local first = os.time({year=2022, month=3, day=1, hour=12})
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  local d = os.date("!%Y-%m-%d", first + math.random(0, 1600) * 86400)
  return wrk.format("GET", "/api/brief/" .. d .. "?tag=" .. math.random(1, 2000000000))
end
"""
MONTHLY_LUA = """
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  local m = math.random(0, 50)
  local path = string.format("/api/brief?month=%d-%02d&tag=%d", 2022 + math.floor(m / 12),
                             m % 12 + 1, math.random(1, 2000000000))
  return wrk.format("GET", path)
end
"""


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


def _wrk(url: str, seconds: int, connections: int, threads: int = 2,
         script: Path | None = None, header: str | None = None) -> subprocess.Popen[str]:
    cmd = ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{seconds}s",
           "--latency", *(["-s", str(script)] if script else []),
           *(["-H", header] if header else []), url]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)


def _figures(out: str) -> tuple[float, dict[str, float], str]:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    lat = {k: _ms(v) for k, v in re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, lat, f"  non-2xx: {errors.group(1)}" if errors else ""


def _line(label: str, out: str) -> None:
    rps, lat, errors = _figures(out)
    print(f"{label:56} {rps:9.0f} {lat['50']:8.2f} {lat['90']:8.2f} {lat['99']:8.2f}{errors}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--only", choices=("cached", "revalidate", "briefs", "starvation"),
                    default=None)
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "bench.db"
    env = {**os.environ, "ATTRITION_DB": str(db), "ATTRITION_CACHE": str(tmp / "cache")}
    subprocess.run([sys.executable, "-m", "attrition.cli", "show", "latest"], env=env,
                   check=True, capture_output=True)
    (tmp / "daily.lua").write_text(DAILY_LUA)
    (tmp / "monthly.lua").write_text(MONTHLY_LUA)
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
        print(f"attrition serve, {args.workers} worker(s); {args.seconds} s per run; "
              f"{os.cpu_count()} cores")
        print(f"{'run':56} {'req/s':>9} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}")
        for path in ([*ENDPOINTS, "/api/report/latest"] if args.only in (None, "cached")
                     else ()):
            for _ in range(3):  # warm the response cache (and every worker's)
                httpx.get(base + path, timeout=30)
            out = _wrk(base + path, args.seconds, args.connections).communicate()[0]
            _line(f"{path} (cached, {args.connections} conn)", out)
        if args.only in (None, "cached", "revalidate"):  # a bot polling with its ETag
            etag = httpx.get(base + "/api/report/latest", timeout=30).headers["etag"]
            out = _wrk(base + "/api/report/latest", args.seconds, args.connections,
                       header=f"If-None-Match: {etag}").communicate()[0]
            _line(f"/api/report/latest, If-None-Match (304, {args.connections} conn)", out)
        if args.only in (None, "briefs"):
            out = _wrk(base + "/", args.seconds, 4, script=tmp / "daily.lua").communicate()[0]
            _line("/api/brief/{date} (uncached, 4 conn)", out)
        httpx.get(base + "/api/report/latest", timeout=30)
        for name in ("daily", "monthly") if args.only in (None, "starvation") else ():
            load = _wrk(base + "/", args.seconds + 2, 4, script=tmp / f"{name}.lua")
            time.sleep(1)
            probe = _wrk(base + "/api/report/latest", args.seconds, 1, threads=1)
            _line(f"/api/report/latest (cached, 1 conn) beside {name} load", probe.communicate()[0])
            _line(f"  the load: {name} briefs (uncached, 4 conn)", load.communicate()[0])
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
