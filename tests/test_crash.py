"""A `kill -9` at any moment of a write leaves the store as it was before or as it is after,
and the next command works: the first load of the bundled snapshot and an ingest, killed at
random points; a reader (a running server) that meets the crashed writer's journal recovers."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from attrition.store.read import Reader

TABLES = ("observations", "ledger", "corrections", "sources", "confirmed_counts",
          "confirmed_items")
NEW_DAY = [
    {"date": "2026-08-23", "sourceUri": "https://mod.gov.ua/news/example-2026-08-23",
     "personnel": 1476300, "tanks": 12295, "afvs": 25180, "artillery": 38990},
]


def _cli(*args: str, db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "attrition.cli", "--db", str(db), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "attrition.cli", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=120)


def fingerprint(db: Path) -> str:
    """Every table that an ingest or a load writes in its one transaction (the ingest log's
    times aside: it counts rows)."""
    conn = sqlite3.connect(db)  # a writer: replays a journal left behind, as SQLite must
    h = hashlib.sha256()
    try:
        for table in TABLES:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                    if r[1] != "seen_at"]  # the time of the ingest, not its content
            if not cols:
                raise sqlite3.OperationalError("no such table")
            for row in conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY 1, 2, 3"):
                h.update(repr(row).encode())
        h.update(repr(conn.execute("SELECT COUNT(*) FROM ingests").fetchall()).encode())
    except sqlite3.OperationalError:  # no tables yet
        h.update(b"empty")
    finally:
        conn.close()
    return h.hexdigest()


def state_of(db: Path, side: Path) -> str:
    """The fingerprint of a copy (journal included, replayed on the copy), so that the real
    file meets the next command exactly as the crash left it."""
    if not db.exists():
        return "absent"
    for f in (side, Path(f"{side}-journal")):
        f.unlink(missing_ok=True)
    shutil.copy(db, side)
    if Path(f"{db}-journal").exists():
        shutil.copy(f"{db}-journal", f"{side}-journal")
    return fingerprint(side)


def _kill_at(proc: subprocess.Popen[str], delay: float) -> None:
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.communicate()


def test_a_reader_recovers_from_a_crashed_writers_journal(loaded_db: str,
                                                          tmp_path: Path) -> None:
    """`serve` keeps its reader open; a writer killed mid-transaction (its changed pages
    already in the file) must not leave it answering "attempt to write a readonly database"."""
    db = tmp_path / "ledger.db"
    shutil.copy(loaded_db.removeprefix("sqlite:///"), db)
    reader = Reader(f"sqlite:///{db}")
    before = [r.total for r in reader.series("tanks")]
    writer = subprocess.Popen([sys.executable, "-c", f"""
import sqlite3, time
conn = sqlite3.connect({str(db)!r})
conn.execute("PRAGMA cache_size = 5")  # spill changed pages into the file before commit
conn.execute("BEGIN")
conn.execute("UPDATE ledger SET total = total + 1")
print("ready", flush=True)
time.sleep(60)
"""], stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    writer.kill()
    writer.wait()
    writer.stdout.close()
    assert Path(f"{db}-journal").exists()
    plain = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):  # what a reader met
        plain.execute("SELECT COUNT(*) FROM ledger").fetchall()
    plain.close()
    assert [r.total for r in reader.series("tanks")] == before
    reader.close()
    assert not Path(f"{db}-journal").exists()


@pytest.mark.slow
def test_first_load_killed_at_random_points(tmp_path: Path) -> None:
    reference = tmp_path / "reference.db"
    t = time.perf_counter()
    assert _run("sources", db=reference).returncode == 0
    full = time.perf_counter() - t
    expected = fingerprint(reference)
    rng = random.Random(13)
    for i in range(10):
        db = tmp_path / f"first{i}.db"
        _kill_at(_cli("sources", db=db), rng.uniform(0.1, full))
        state = state_of(db, tmp_path / "side.db")
        assert state in (expected, "absent", hashlib.sha256(b"empty").hexdigest(),
                         _empty_tables()), f"kill {i}: a half-loaded store"
        res = _run("show", "2024-11-14", "--format", "json", db=db)
        assert res.returncode == 0, f"kill {i}: {res.stderr}"
        assert json.loads(res.stdout)["date"] == "2024-11-14"
        assert fingerprint(db) == expected


def _empty_tables() -> str:
    h = hashlib.sha256()
    h.update(repr([(0,)]).encode())
    return h.hexdigest()


@pytest.mark.slow
def test_ingest_killed_at_random_points(loaded_db: str, tmp_path: Path) -> None:
    base = tmp_path / "base.db"
    shutil.copy(loaded_db.removeprefix("sqlite:///"), base)
    new_file = tmp_path / "russian-losses.json"
    new_file.write_text(json.dumps(NEW_DAY))
    after_db = tmp_path / "after.db"
    shutil.copy(base, after_db)
    t = time.perf_counter()
    done = _run("ingest", str(new_file), db=after_db)
    full = time.perf_counter() - t
    assert done.returncode == 0, done.stderr
    before, after = fingerprint(base), fingerprint(after_db)
    assert before != after
    rng = random.Random(27)
    outcomes = {"before": 0, "after": 0}
    for i in range(20):
        db = tmp_path / f"kill{i}.db"
        shutil.copy(base, db)
        _kill_at(_cli("ingest", str(new_file), db=db), rng.uniform(0.05, full * 1.05))
        state = state_of(db, tmp_path / "side.db")
        assert state in (before, after), f"kill {i}: the store is neither before nor after"
        # the next command, as a user runs it, on the file as the crash left it
        res = _run("show", "latest", "--format", "json", db=db)
        assert res.returncode == 0, f"kill {i}: {res.stderr}"
        assert fingerprint(db) == state
        latest = json.loads(res.stdout)["date"]
        assert latest == ("2026-08-23" if state == after else "2026-08-22")
        outcomes["after" if state == after else "before"] += 1
        os.remove(db)
    assert outcomes["before"] > 0
