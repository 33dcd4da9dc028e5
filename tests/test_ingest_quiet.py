"""`attrition ingest` off a terminal (a script, cron): its summary alone, first line first,
and no spinner machinery loaded for a spinner no one sees."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

PROBE = """
import sys
from attrition.cli import main
sys.argv = ["attrition", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("rich.progress loaded" if "rich.progress" in sys.modules else "no spinner", file=sys.stderr)
"""


def test_ingest_off_a_terminal_prints_its_summary_first(loaded_db: str, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    shutil.copy(loaded_db.removeprefix("sqlite:///"), db)
    day = tmp_path / "day.json"
    day.write_text(json.dumps([{"date": "2026-08-23", "sourceUri": "https://mod.gov.ua/news/a",
                                "personnel": 1476300, "tanks": 12295}]), "utf-8")
    env = {**os.environ, "ATTRITION_CACHE": str(tmp_path / "cache")}
    env.pop("ATTRITION_DB", None)
    got = subprocess.run([sys.executable, "-c", PROBE, "--db", str(db), "ingest", str(day)],
                         capture_output=True, text=True, env=env, check=True)
    assert got.stdout.startswith("1 file(s): 2 figures, 2 new"), got.stdout
    assert got.stderr.strip().endswith("no spinner"), got.stderr
