"""Benchmark: a cold `attrition brief DATE --format json` process against a cold pandas
script computing the same facts (bench/pandas_brief.py), interleaved in one run: once
computing the brief every time (ATTRITION_CACHE=off), once as an editor meets it (the first
call computes and caches it for this data version; the others read it).
Run on demand (`make bench`); not a test."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("ATTRITION_SHARED", HERE.parent.parent / "shared")) / "data"
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
DAY = "2024-11-14"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ATTRITION_DB": str(Path(tmp) / "b.db"),
               "ATTRITION_CACHE": str(Path(tmp) / "cache")}
        off = {**env, "ATTRITION_CACHE": "off"}
        script = Path(sys.executable).with_name("attrition")
        ours = [str(script), "brief", DAY, "--format", "json"]
        theirs = [sys.executable, str(HERE / "pandas_brief.py"), str(DATA), DAY]
        subprocess.run(ours, env=env, check=True, capture_output=True)  # first-run load
        a = json.loads(subprocess.run(ours, env=env, check=True, capture_output=True,
                                      text=True).stdout)
        p = json.loads(subprocess.run(theirs, env=env, check=True, capture_output=True,
                                      text=True).stdout)
        mine = {f["category"]: f for f in a["facts"]}
        for f in p["facts"]:
            m = mine[f["category"]]
            for k in ("change", "rank_30d", "highest_since", "highest_since_value"):
                assert m[k] == f[k], (f["category"], k, m[k], f[k])
        ta, tc, tp = [], [], []
        for _ in range(RUNS):
            for times, cmd, e in ((ta, ours, off), (tc, ours, env), (tp, theirs, env)):
                t = time.perf_counter()
                subprocess.run(cmd, env=e, check=True, capture_output=True)
                times.append(time.perf_counter() - t)
        ma, mc, mp = (statistics.median(x) for x in (ta, tc, tp))
        print(f"cold `attrition brief`, computed: median {ma * 1000:.0f} ms; read from the "
              f"cache: median {mc * 1000:.0f} ms; pandas script computing the same facts: "
              f"median {mp * 1000:.0f} ms; ratios {ma / mp:.2f} and {mc / mp:.2f} "
              f"({RUNS} runs each; {len(p['facts'])} facts compared, all equal)")


if __name__ == "__main__":
    main()
