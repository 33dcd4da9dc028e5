"""`kill -9` at random moments of the commands that write, then the commands a user runs next
(not a test; tests/test_crash.py holds the tests).

    python bench/hostile_kill.py [-n N] [--seed S]

Writers killed: `ingest` of a new day (the daybook patched after the write), `ingest` of a
file revising a day in the middle of the history (the daybook patched from there), the first
run on an empty store (the snapshot load), and `watch --once --from-folder` (the register).
After each kill it runs `show latest`, `brief latest` and the brief of the revised day (both
read from the daybook), `validate`, `check` of an article, and the killed command again.
Every one must exit 0 without a traceback, the briefs must equal the ones an uninterrupted
store gives before or after the write, and after the repeat they must equal the after ones.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent / "attrition"
ARTICLE = ROOT / "tests" / "fixtures" / "articles" / "daily-2024-11-14.txt"
MONITOR = ROOT / "tests" / "fixtures" / "monitor"

NEW_DAY = [{"date": "2026-08-23", "sourceUri": "https://mod.gov.ua/news/example-2026-08-23",
            "personnel": 1476300, "tanks": 12295, "afvs": 25180, "artillery": 48390,
            "airDefense": 1585, "uavs": 476000}]
# the mirrors' figures for 2024-06-22, tanks and artillery revised by this "orc" file
REVISION = [{"date": "2024-06-22", "sourceUri": "https://mod.gov.ua/news/example-2024-06-22",
             "tanks": 8070, "artillery": 14300}]


def attrition(db: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), "--db", str(db), *args], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def started(db: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([str(BIN), "--db", str(db), *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True)


def views(db: Path) -> dict[str, str]:
    """What a user reads, as JSON: the answers a crash must not bend."""
    out = {}
    for name, args in {"latest": ("show", "latest", "--format", "json"),
                       "brief": ("brief", "latest", "--format", "json"),
                       "brief-revised": ("brief", "2024-06-22", "--format", "json"),
                       "records": ("records", "tanks", "--date", "2024-06-30",
                                   "--format", "json")}.items():
        r = attrition(db, *args)
        if r.returncode != 0 or "Traceback" in r.stderr:
            raise RuntimeError(f"{name}: exit {r.returncode}: {r.stderr.strip()[-300:]}")
        doc = json.loads(r.stdout)
        for k in ("generated", "as_of", "version", "data_age"):
            doc.pop(k, None)
        out[name] = json.dumps(doc, sort_keys=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=8, help="kills per writer")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="hostile-kill-"))
    new_day, revision = work / "new" / "russian-losses.json", work / "rev" / "russian-losses.json"
    for p, doc in ((new_day, NEW_DAY), (revision, REVISION)):
        p.parent.mkdir()
        p.write_text(json.dumps(doc))
    base = work / "base.db"
    assert attrition(base, "sources").returncode == 0
    writers = {
        "ingest new day": ("ingest", str(new_day)),
        "ingest revision": ("ingest", str(revision)),
        "first run": ("sources",),
        "watch --from-folder": ("watch", "--once", "--from-folder", str(MONITOR)),
    }
    failures: list[str] = []
    kills = 0
    for label, cmd in writers.items():
        fresh = label == "first run"
        ref = work / "ref.db"
        ref.unlink(missing_ok=True)
        if not fresh:
            shutil.copy(base, ref)
        before = views(base)
        t = time.monotonic()
        # watch takes --db after its name
        full = (subprocess.run([str(BIN), *cmd[:1], "--db", str(ref), *cmd[1:]],
                               capture_output=True, timeout=300) if cmd[0] == "watch"
                else attrition(ref, *cmd))
        duration = time.monotonic() - t
        if full.returncode != 0:
            failures.append(f"{label}: the uninterrupted run failed: {full.stderr!r}")
            continue
        after = views(ref)
        for i in range(args.n):
            db = work / f"k{i}.db"
            for f in work.glob(f"k{i}.db*"):
                f.unlink()
            if not fresh:
                shutil.copy(base, db)
            argv = ([cmd[0], "--db", str(db), *cmd[1:]] if cmd[0] == "watch"
                    else ["--db", str(db), *cmd])
            proc = subprocess.Popen([str(BIN), *argv], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
            delay = rng.uniform(0.05, duration * 1.05)
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                kills += 1
            where = f"{label}, kill {i} at {delay:.2f}/{duration:.2f} s"
            try:
                seen = views(db)
                if seen != before and seen != after:
                    bad = [k for k in seen if seen[k] != before[k] and seen[k] != after[k]]
                    failures.append(f"{where}: {', '.join(bad)} neither before nor after")
                for extra in (("validate", "--format", "csv"), ("check", str(ARTICLE))):
                    r = attrition(db, *extra)
                    if r.returncode not in (0, 1) or "Traceback" in r.stderr:
                        failures.append(f"{where}: {extra[0]}: exit {r.returncode}: "
                                        f"{r.stderr.strip()[-200:]}")
                again = (subprocess.run([str(BIN), *argv], capture_output=True, text=True,
                                        timeout=300))
                if again.returncode != 0:
                    failures.append(f"{where}: repeating it: {again.stderr.strip()[-300:]}")
                elif views(db) != after:
                    failures.append(f"{where}: after repeating it, the answers differ from "
                                    "an uninterrupted run's")
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                failures.append(f"{where}: {exc}")
        print(f"{label}: {args.n} runs, {duration:.1f} s each uninterrupted", flush=True)
    for f in failures:
        print("FAIL", f)
    print(f"{len(writers) * args.n} runs, {kills} killed mid-way, {len(failures)} failures")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
