"""Regenerate golden/overruled.csv: `python tests/golden/make_overruled.py`."""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from attrition.bootstrap import ensure_loaded  # noqa: E402
from attrition.store.read import Reader  # noqa: E402
from conftest import DATA  # noqa: E402
from test_ledger_history import GOLDEN, overruled_rows  # noqa: E402

with tempfile.TemporaryDirectory() as tmp:
    url = f"sqlite:///{tmp}/l.db"
    ensure_loaded(url)
    with Reader(url) as reader:
        rows = overruled_rows(DATA, reader)
with GOLDEN.open("w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
print(f"{len(rows)} overruled cells")
