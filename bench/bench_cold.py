"""A cold `attrition check` of one article, run N times in fresh processes (not a test; run on
demand). Beside it, the floor: `python -c pass` and `attrition --version`, measured in the
same interleaved rounds, so a loaded machine slows all of them alike. Prints median and p90
of each (wall clock, and the CPU time the process used, which a loaded machine inflates
less), and the load average at the start and the end.

    .venv/bin/python bench/bench_cold.py [--runs 15] [--db PATH] [--baseline SRC] [ARTICLE]

With --baseline, the same check also runs from another source tree (e.g. an older commit's
`src`, exported with `git archive`), interleaved, so before and after see the same load.

The store is made from the bundled snapshot in a temporary folder (or --db is used), and the
first round is a warm-up that is not counted (it writes the caches a first run writes).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
ARTICLE = ROOT / "tests" / "fixtures" / "articles" / "daily-2024-11-14.txt"


def run_child(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def p90(xs: list[float]) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(0.9 * (len(s) - 1)))]


def print_medians(times: dict[str, list[tuple[float, float]]], runs: int,
                  load0: tuple[float, float, float], load1: tuple[float, float, float],
                  width: int = 40) -> None:
    """The interleaved runs' medians (wall and CPU) and wall p90, with the load around them."""
    print(f"{runs} runs each, interleaved; load average {load0[0]:.2f} at the start, "
          f"{load1[0]:.2f} at the end")
    for name, xs in sorted(times.items()):
        wall = [w for w, _ in xs]
        cpu = [c for _, c in xs]
        print(f"  {name:{width}s} median {statistics.median(wall) * 1000:6.0f} ms   "
              f"p90 {p90(wall) * 1000:6.0f} ms   CPU median "
              f"{statistics.median(cpu) * 1000:6.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("article", nargs="?", default=str(ARTICLE))
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--db", help="an existing store (default: a new one from the snapshot)")
    ap.add_argument("--only-check", action="store_true", help="skip the floor commands")
    ap.add_argument("--baseline", help="another source tree's src folder to compare with")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ATTRITION_DB": args.db or str(Path(tmp) / "bench.db"),
               "ATTRITION_CACHE": str(Path(tmp) / "cache")}
        env.pop("PYTHONHASHSEED", None)
        attrition = str(BIN / "attrition")
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "attrition --version": [attrition, "--version"],
            "attrition check (one article)": [attrition, "check", args.article],
        }
        if args.only_check:
            commands = {k: v for k, v in commands.items() if k.startswith("attrition check")}
        envs = {k: env for k in commands}
        if args.baseline:
            name = "attrition check (baseline)"
            # the command's own entry point where that tree has one (a plain `check` runs
            # without Typer there), so that both sides start the same way
            start = (["-c", "from attrition.entry import main; main()"]
                     if (Path(args.baseline) / "attrition" / "entry.py").exists()
                     else ["-m", "attrition.cli"])
            commands[name] = [sys.executable, *start, "check", args.article]
            # its own cache folder: two trees whose cache files differ in format would
            # each find the other's file foreign, and rebuild theirs on every run
            envs[name] = {**env, "PYTHONPATH": args.baseline,
                          "ATTRITION_CACHE": str(Path(tmp) / "cache-baseline")}
        for name, cmd in commands.items():  # warm-up: first run, caches, page cache
            run_child(cmd, envs[name])
        load0 = os.getloadavg()
        times: dict[str, list[float]] = {k: [] for k in commands}
        cpu: dict[str, list[float]] = {k: [] for k in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                wall, used = run_child(cmd, envs[name])
                times[name].append(wall)
                cpu[name].append(used)
        load1 = os.getloadavg()
    print(f"{args.runs} runs each, interleaved; load average {load0[0]:.2f} at the start, "
          f"{load1[0]:.2f} at the end")
    for name, xs in times.items():
        print(f"  {name:32s} median {statistics.median(xs) * 1000:6.0f} ms   "
              f"p90 {p90(xs) * 1000:6.0f} ms   min {min(xs) * 1000:6.0f} ms   "
              f"CPU median {statistics.median(cpu[name]) * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
