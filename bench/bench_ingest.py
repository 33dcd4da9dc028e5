"""Ingest as a user runs it, in fresh processes (not a test; run on demand):

1. `attrition --db NEW ingest ../shared/data/official ../shared/data/bulletins` into a store
   that does not exist yet (the first run's snapshot load, the ingest, the daybook);
2. `attrition --db FULL ingest DAY.json`: one new report into a copy of that full store
   (the ingest and the daybook it changes).

Each N times, interleaved; wall clock and the CPU time of the process (which a loaded machine
inflates less), median and p90, and the load average. With --baseline SRC the same commands
also run from another source tree (`git archive <commit> src | tar -x -C DIR`), interleaved,
so before and after see the same load.

    .venv/bin/python bench/bench_ingest.py [--runs 10] [--baseline DIR/src] [--typer]

The command runs as the installed `attrition` runs it (`attrition.entry.main`, which takes a
plain ingest off a terminal without Typer); --typer runs the Typer app (`-m attrition.cli`),
as a terminal gets it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench_cold import print_medians, run_child  # a sibling script, not a package

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("ATTRITION_SHARED", HERE.parent.parent / "shared")) / "data"
DAY = [{"date": "2026-08-23", "sourceUri": "https://mod.gov.ua/news/example",
        "personnel": 1476300, "tanks": 12295, "afvs": 25180, "artillery": 48390}]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--baseline", help="another source tree's src folder to compare with")
    ap.add_argument("--typer", action="store_true", help="run the Typer app")
    args = ap.parse_args()
    command = [sys.executable, "-m", "attrition.cli"] if args.typer else [
        sys.executable, "-c", "from attrition.entry import main; main()"]
    trees = {"": None} if not args.baseline else {"": None, " (baseline)": args.baseline}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        day = base / "day.json"
        day.write_text(json.dumps(DAY), "utf-8")
        times: dict[str, list[tuple[float, float]]] = {}
        envs = {}
        for tag, src in trees.items():
            env = {**os.environ, "ATTRITION_CACHE": str(base / f"cache{len(envs)}")}
            env.pop("ATTRITION_DB", None)
            if src:
                env["PYTHONPATH"] = src
            envs[tag] = env
            full = base / f"full{len(envs)}.db"  # the store the new day goes into
            cli = [*command, "--db", str(full), "ingest",
                   str(DATA / "official"), str(DATA / "bulletins")]
            run_child(cli, env)
        load0 = os.getloadavg()
        for i in range(args.runs):
            for n, (tag, env) in enumerate(envs.items(), 1):
                new = base / f"new{n}-{i}.db"
                cli = [*command, "--db", str(new), "ingest",
                       str(DATA / "official"), str(DATA / "bulletins")]
                times.setdefault(f"empty store: official + bulletins{tag}", []).append(
                    run_child(cli, env))
                new.unlink()
                copy = base / f"copy{n}.db"
                shutil.copy(base / f"full{n}.db", copy)
                cli = [*command, "--db", str(copy), "ingest",
                       str(day)]
                times.setdefault(f"full store: one new day{tag}", []).append(run_child(cli, env))
        load1 = os.getloadavg()
    print_medians(times, args.runs, load0, load1, 48)


if __name__ == "__main__":
    main()
