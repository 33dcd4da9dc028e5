"""Benchmark: a cold `attrition brief DATE --format json` process against a cold pandas
script computing the same facts (bench/pandas_brief.py), interleaved in one run.

attrition runs as a user runs it: default locations (a temporary XDG data/config/cache home),
the store loaded by the first run. Measured twice: as it normally runs (the store's daybook
holds the day's standings: see attrition.daybook), and computed from the whole ledger (a copy
of the store without its daybook, the brief cache off), which is what any brief would cost
without the daybook. Run on demand (`make bench`); not a test."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
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


def user_env(home: Path) -> dict[str, str]:
    """The environment of a user with no attrition settings, in a throwaway home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATTRITION_")}
    return {**env, "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache")}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = user_env(Path(tmp))
        script = Path(sys.executable).with_name("attrition")
        ours = [str(script), "brief", DAY, "--format", "json"]
        theirs = [sys.executable, str(HERE / "pandas_brief.py"), str(DATA), DAY]
        subprocess.run(ours, env=env, check=True, capture_output=True)  # first-run load
        plain = Path(tmp) / "no-daybook.db"
        shutil.copy(Path(tmp) / "data" / "attrition" / "attrition.db", plain)
        with sqlite3.connect(plain) as conn:
            conn.execute("DELETE FROM daybook_meta")
        computed = {**env, "ATTRITION_DB": str(plain), "ATTRITION_CACHE": "off"}
        a = json.loads(subprocess.run(ours, env=env, check=True, capture_output=True,
                                      text=True).stdout)
        c = json.loads(subprocess.run(ours, env=computed, check=True, capture_output=True,
                                      text=True).stdout)
        assert a == c, "the daybook's brief differs from the computed one"
        p = json.loads(subprocess.run(theirs, env=env, check=True, capture_output=True,
                                      text=True).stdout)
        mine = {f["category"]: f for f in a["facts"]}
        for f in p["facts"]:
            m = mine[f["category"]]
            for k in ("change", "rank_30d", "highest_since", "highest_since_value"):
                assert m[k] == f[k], (f["category"], k, m[k], f[k])
        ta, tc, tp = [], [], []
        for _ in range(RUNS):
            for times, cmd, e in ((ta, ours, env), (tc, ours, computed), (tp, theirs, env)):
                t = time.perf_counter()
                subprocess.run(cmd, env=e, check=True, capture_output=True)
                times.append(time.perf_counter() - t)
        ma, mc, mp = (statistics.median(x) for x in (ta, tc, tp))
        print(f"cold `attrition brief`: median {ma * 1000:.0f} ms (computed from the whole "
              f"ledger, without the daybook: {mc * 1000:.0f} ms); pandas script computing "
              f"the same facts: median {mp * 1000:.0f} ms; ratio {ma / mp:.2f} "
              f"(computed: {mc / mp:.2f}); {RUNS} runs each; {len(p['facts'])} facts "
              f"compared with pandas, all equal; the daybook's brief equals the computed one")


if __name__ == "__main__":
    main()
