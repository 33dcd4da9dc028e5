"""Benchmark of the fact-checker (not a test): median time per article in-process, and
articles per second in bulk, over the eval articles and the test fixtures; overall and per
language (en, uk, ru), by the wall clock and by the CPU time of the process (which a machine
loaded by other work inflates less).

    .venv/bin/python bench/bench_check.py [--rounds 5]
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("ATTRITION_SHARED", HERE.parent.parent / "shared"))


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    from attrition.bootstrap import ensure_loaded
    from attrition.check import LedgerView, check_text
    from attrition.store.read import Reader

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/b.db"
        ensure_loaded(url)
        with Reader(url) as r:
            t = time.perf_counter()
            ledger = LedgerView(r.by_category(), r.corrections())
            load = time.perf_counter() - t
    # each article with its own date: the labels' for the eval articles, the header's for
    # the fixtures (a wrong date makes every claim miss and try every other reading)
    texts: list[tuple[str, date | None]] = []
    for lab in sorted((SHARED / "eval" / "labels").glob("*.json")):
        doc = json.loads(lab.read_text("utf-8"))
        texts.append(((SHARED / "eval" / "articles" / doc["file"]).read_text("utf-8"),
                      date.fromisoformat(doc["check_date"])))
    texts += [(p.read_text("utf-8"), None) for p in sorted(
        (HERE.parent / "tests" / "fixtures" / "articles").glob("*.txt"))]
    texts = [(t, d) for t, d in texts if d is not None or "published:" in t]
    per: dict[str, list[tuple[float, float]]] = {}
    for text, day in texts:  # each article's first check: nothing of it is cached yet
        t, c = time.perf_counter(), time.process_time()
        doc = check_text(text, ledger, day)
        used = (time.perf_counter() - t, time.process_time() - c)
        per.setdefault("all", []).append(used)
        per.setdefault(doc["article"]["language"], []).append(used)
    rounds = args.rounds
    t, c = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for text, day in texts:
            check_text(text, ledger, day)
    bulk, bulk_cpu = time.perf_counter() - t, time.process_time() - c
    # the same again, each round's articles new to the checker: its per-sentence caches
    # (the bounded ones) emptied before each round; its tables (unbounded caches) stay
    fresh = fresh_cpu = 0.0
    for _ in range(rounds):
        _forget_sentences()
        t, c = time.perf_counter(), time.process_time()
        for text, day in texts:
            check_text(text, ledger, day)
        fresh += time.perf_counter() - t
        fresh_cpu += time.process_time() - c
    print(f"ledger view built in {load * 1000:.0f} ms (once per process)")
    for lang, xs in sorted(per.items(), key=lambda kv: (kv[0] != "all", kv[0])):
        wall = [w for w, _ in xs]
        cpu = [u for _, u in xs]
        print(f"  {lang:4s} {len(xs):3d} articles: median {statistics.median(wall) * 1000:5.1f} "
              f"ms per article (CPU {statistics.median(cpu) * 1000:5.1f} ms), max "
              f"{max(wall) * 1000:6.1f} ms")
    n = len(texts) * rounds
    print(f"bulk, {rounds} rounds of the same articles: {n / bulk:.0f} articles/s on one core "
          f"by the wall clock, {n / bulk_cpu:.0f} per CPU second")
    print(f"bulk, {rounds} rounds, each article new (sentence caches emptied): "
          f"{n / fresh:.0f} articles/s by the wall clock, {n / fresh_cpu:.0f} per CPU second")


def _forget_sentences() -> None:
    """Empty the checker's bounded caches (keyed by sentence or text)."""
    import sys

    for name, module in list(sys.modules.items()):
        if not name.startswith("attrition.check"):
            continue
        for f in vars(module).values():
            info = getattr(f, "cache_info", None)
            if callable(info) and info().maxsize is not None:
                f.cache_clear()


if __name__ == "__main__":
    main()
