"""Benchmark of the fact-checker (not a test): median time per article in-process, and
articles per second in bulk, over the eval articles and the test fixtures."""

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
    per = []
    for text, day in texts:  # each article's first check: nothing of it is cached yet
        t = time.perf_counter()
        check_text(text, ledger, day)
        per.append(time.perf_counter() - t)
    rounds = 5
    t = time.perf_counter()
    for _ in range(rounds):
        for text, day in texts:
            check_text(text, ledger, day)
    bulk = time.perf_counter() - t
    print(f"ledger view built in {load * 1000:.0f} ms (once per process)")
    print(f"{len(texts)} articles: median {statistics.median(per) * 1000:.1f} ms per article "
          f"in-process (max {max(per) * 1000:.1f} ms); bulk {len(texts) * rounds / bulk:.0f} "
          f"articles/s on one core")


if __name__ == "__main__":
    main()
