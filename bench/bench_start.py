"""Start-up of any command, in fresh processes (not a test; run on demand): `attrition ARGS...`
N times against a store made from the bundled snapshot, with `attrition --version` (the
floor: the interpreter and the CLI) in the same interleaved rounds; with --baseline SRC the
same commands also run from another source tree (`git archive <commit> src | tar -x -C DIR`),
so before and after see the same load. Median and p90 of wall clock and CPU time, and the
load average. The first round is a warm-up (it writes the caches a first run writes).

    .venv/bin/python bench/bench_start.py [--runs 15] [--baseline DIR/src] show latest
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from bench_cold import print_medians, run_child  # a sibling script, not a package


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--baseline", help="another source tree's src folder to compare with")
    ap.add_argument("args", nargs="+", help="the command's arguments, e.g. show latest")
    args = ap.parse_args()
    trees = {"": None} if not args.baseline else {"": None, " (baseline)": args.baseline}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        envs = {}
        for n, (tag, src) in enumerate(trees.items()):
            env = {**os.environ, "ATTRITION_CACHE": str(base / f"cache{n}"),
                   "ATTRITION_DB": str(base / f"store{n}.db")}
            if src:
                env["PYTHONPATH"] = src
            envs[tag] = env
        commands = {"attrition --version": ["--version"], f"attrition {' '.join(args.args)}":
                    args.args}
        times: dict[str, list[tuple[float, float]]] = {}
        for i in range(args.runs + 1):
            if i == 1:
                load0 = os.getloadavg()
            for tag, env in envs.items():
                for name, argv in commands.items():
                    got = run_child([sys.executable, "-m", "attrition.cli", *argv], env)
                    if i:
                        times.setdefault(f"{name}{tag}", []).append(got)
        load1 = os.getloadavg()
    print_medians(times, args.runs, load0, load1, 40)


if __name__ == "__main__":
    main()
