"""Where a cold `attrition check` spends its time, phase by phase (not a test; run on demand):
imports, the regex programs' load, reading the article, the checker's views of the ledger, the
first check (which builds the checker's tables) and a second check of the same article, each
by the CPU time of the process, in fresh processes, min and median of N runs. With
--baseline SRC, the same in another source tree (e.g. `git archive` of an older commit, with
its .pyc compiled: `python -m compileall SRC`), interleaved so that both see the same load.

    .venv/bin/python bench/bench_check_startup.py [--runs 9] [--baseline SRC] [ARTICLE]

The store is the bundled snapshot in a temporary folder; each tree gets its own cache folder,
warmed by a first run that is not counted (as a user's second `attrition check` finds it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLE = HERE.parent / "tests" / "fixtures" / "articles" / "daily-2024-11-14.txt"

CHILD = r'''
import gc, json, sys, time
gc.disable()  # as entry.run_check: start-up runs without the collector
marks = {}
last = time.process_time()
def mark(name):
    global last
    now = time.process_time()
    marks[name] = (now - last) * 1000
    last = now
import json, re, typing, dataclasses
mark("stdlib: json, re, typing, dataclasses")
from attrition import entry, settings, regex_cache
try:  # as entry.main (a tree without it: as before)
    from attrition import code_cache
    code_cache.install(code_cache.default_path())
except ImportError:
    code_cache = None
mark("import entry, settings, regex_cache")
path = regex_cache.default_path()
regex_cache.load(path)
mark("regex programs loaded")
from attrition import service
from attrition.bootstrap import ensure_loaded
from attrition.store.read import Reader
mark("import service, bootstrap, store.read")
import attrition.check
from attrition.check import ledger_cache
try:  # as entry._start
    from attrition.check import kept
    kept.install(kept.default_path())
except ImportError:
    kept = None
mark("import attrition.check")
texts = service.check_inputs([sys.argv[1]])
ensure_loaded(None)
mark("article read, store ready")
with Reader(None) as plain, ledger_cache.cached(plain) as reader:
    checker = service.Checker(reader)
mark("checker's views of the ledger")
doc = checker.check(texts[0][1])
mark("first check (builds the tables)")
from attrition.check import render
render.plain(doc)
regex_cache.save(path)
if code_cache is not None:
    code_cache.save(code_cache.default_path())
if kept is not None:
    kept.save()
mark("render, save")
checker.check(texts[0][1])
mark("second check of the same article")
print(json.dumps(marks))
'''


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("article", nargs="?", default=str(ARTICLE))
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--baseline", help="another source tree's src folder to compare with")
    args = ap.parse_args()
    from attrition.bootstrap import ensure_loaded

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        ensure_loaded(f"sqlite:///{db}")
        base = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        trees = {"this tree": {**base, "ATTRITION_DB": str(db),
                               "ATTRITION_CACHE": str(Path(tmp) / "cache")}}
        if args.baseline:
            trees["baseline"] = {**base, "ATTRITION_DB": str(db),
                                 "ATTRITION_CACHE": str(Path(tmp) / "cache-baseline"),
                                 "PYTHONPATH": args.baseline}
        runs: dict[str, list[dict[str, float]]] = {k: [] for k in trees}
        for i in range(args.runs + 1):
            for name, env in trees.items():
                got = subprocess.run([sys.executable, "-c", CHILD, args.article], env=env,
                                     capture_output=True, text=True, check=True)
                if i:  # the first: warm-up (writes the caches)
                    runs[name].append(json.loads(got.stdout))
    load = os.getloadavg()[0]
    print(f"CPU ms per phase, {args.runs} runs each (min / median); load average {load:.2f}")
    phases = list(runs["this tree"][0])
    print(f"  {'':40s}" + "".join(f"{name:>22s}" for name in trees))
    for phase in [*phases, "total"]:
        cells = []
        for name in trees:
            xs = [sum(r.values()) - r[phases[-1]] if phase == "total" else r[phase]
                  for r in runs[name]]
            cells.append(f"{min(xs):9.1f} / {statistics.median(xs):7.1f}")
        label = "total (to the output, in-process)" if phase == "total" else phase
        print(f"  {label:40s}" + "".join(f"{c:>22s}" for c in cells))


if __name__ == "__main__":
    main()
