"""Benchmark: a cold `attrition brief DATE --format json` process against a cold pandas
script computing the same facts (bench/pandas_brief.py), interleaved in one run.
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
        env = {**os.environ, "ATTRITION_DB": str(Path(tmp) / "b.db")}
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
        ta, tp = [], []
        for _ in range(RUNS):
            t = time.perf_counter()
            subprocess.run(ours, env=env, check=True, capture_output=True)
            ta.append(time.perf_counter() - t)
            t = time.perf_counter()
            subprocess.run(theirs, env=env, check=True, capture_output=True)
            tp.append(time.perf_counter() - t)
        ma, mp = statistics.median(ta), statistics.median(tp)
        print(f"cold `attrition brief`: median {ma * 1000:.0f} ms; pandas script computing the "
              f"same facts: median {mp * 1000:.0f} ms; ratio {ma / mp:.2f} "
              f"({RUNS} runs each; {len(p['facts'])} facts compared, all equal)")


if __name__ == "__main__":
    main()
