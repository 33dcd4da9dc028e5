"""Benchmarks for the ledger (run on demand: `make bench`; not a test).

1. Full ingest of the bundled history into a new SQLite file, in-process; one new day into a
   full store; the daybook recomputed, kept (no figure changed) and extended (a new day).
2. A cold `attrition show 2024-11-14 --format json` process against a cold pandas script that
   computes the same figures from the same JSON/CSV (bench/pandas_show.py), in one run.
"""

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


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - t


def bench_ingest(tmp: Path) -> None:
    from attrition import ingest
    from attrition.bootstrap import ensure_loaded
    from attrition.store.db import Store

    times = []
    for i in range(5):
        t = time.perf_counter()
        ensure_loaded(f"sqlite:///{tmp / f'load{i}.db'}")
        times.append(time.perf_counter() - t)
    print(f"full load of the bundled history (snapshot -> new SQLite file): median "
          f"{statistics.median(times) * 1000:.0f} ms, min {min(times) * 1000:.0f} ms "
          f"over {len(times)} runs")
    files = ingest.expand([DATA / "official", DATA / "bulletins"])
    times = []
    for i in range(3):
        t = time.perf_counter()
        batches = [ingest.read_path(f) for f in files]
        with Store(f"sqlite:///{tmp / f'raw{i}.db'}") as store:
            result = store.ingest(batches, input="bench")
        times.append(time.perf_counter() - t)
    print(f"full ingest of the raw files ({len(batches)} files, {result.observations:,} "
          f"figures, {result.cells:,} cells resolved): median "
          f"{statistics.median(times) * 1000:.0f} ms over {len(times)} runs")
    import json
    import shutil

    from attrition.sources import orc

    day = [{"date": "2026-08-23", "sourceUri": "https://mod.gov.ua/news/example",
            "personnel": 1476300, "tanks": 12295, "afvs": 25180, "artillery": 48390}]
    times = []
    for i in range(5):
        shutil.copy(tmp / "load0.db", tmp / f"day{i}.db")
        t = time.perf_counter()
        batch = orc.read(json.dumps(day))
        with Store(f"sqlite:///{tmp / f'day{i}.db'}") as store:
            store.ingest([batch], input="bench")
        times.append(time.perf_counter() - t)
    print(f"one new day into a full store (read, store, vote): median "
          f"{statistics.median(times) * 1000:.0f} ms over {len(times)} runs")
    from attrition import daybook

    times = []
    with Store(f"sqlite:///{tmp / 'raw0.db'}") as store:
        for _ in range(3):
            t = time.perf_counter()
            rows = daybook.refresh(store)
            times.append(time.perf_counter() - t)
    print(f"daybook recomputed after an ingest ({rows:,} rows: every report date's "
          f"standings, every scrape's confirmed lines): median "
          f"{statistics.median(times) * 1000:.0f} ms over {len(times)} runs")
    # the fast paths: an ingest that changes no figure keeps the daybook; a new report after
    # its last date extends it
    kept, extended = [], []
    for i in range(3):
        shutil.copy(tmp / "load0.db", tmp / f"book{i}.db")
        with Store(f"sqlite:///{tmp / f'book{i}.db'}") as store:
            t = time.perf_counter()
            daybook.refresh(store)
            kept.append(time.perf_counter() - t)
            store.ingest([orc.read(json.dumps(day))], input="bench")
            t = time.perf_counter()
            daybook.refresh(store)
            extended.append(time.perf_counter() - t)
    print(f"daybook after an ingest that changes no figure (kept): median "
          f"{statistics.median(kept) * 1000:.0f} ms; after one new day (extended): median "
          f"{statistics.median(extended) * 1000:.0f} ms ({len(kept)} runs)")


def bench_show(tmp: Path) -> None:
    # A user with no attrition settings: default locations, in a throwaway XDG home.
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATTRITION_")}
    env.update({f"XDG_{k}_HOME": str(tmp / "home" / k.lower()) for k in ("DATA", "CONFIG",
                                                                          "CACHE")})
    # The installed console script, as a user runs it.
    script = Path(sys.executable).with_name("attrition")
    attrition = [str(script), "show", "2024-11-14", "--format", "json"]
    subprocess.run(attrition, env=env, check=True, capture_output=True)  # first-run load
    pandas = [sys.executable, str(HERE / "pandas_show.py"), str(DATA), "2024-11-14"]
    a = json.loads(subprocess.run(attrition, env=env, check=True, capture_output=True,
                                  text=True).stdout)
    p = json.loads(subprocess.run(pandas, env=env, check=True, capture_output=True,
                                  text=True).stdout)
    got = {f["category"]: (f["total"], f["change"]) for f in a["figures"]}
    ref = {f["category"]: (f["total"], f["change"]) for f in p["figures"]}
    assert all(got[c] == v for c, v in ref.items()), "pandas and attrition disagree"
    ta, tp = [], []
    for _ in range(RUNS):  # interleaved, so both see the same machine load
        ta.append(timed(attrition, env))
        tp.append(timed(pandas, env))
    ma, mp = statistics.median(ta), statistics.median(tp)
    print(f"cold `attrition show`: median {ma * 1000:.0f} ms; pandas script: median "
          f"{mp * 1000:.0f} ms; ratio {ma / mp:.2f} ({RUNS} runs each)")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bench_ingest(Path(tmp))
        bench_show(Path(tmp))


if __name__ == "__main__":
    main()
