"""The obvious alternative to `attrition show DATE --format json`: a pandas script that
computes the same figures (2-of-3 vote, change from the previous report) from the same JSON
and CSV. Run by bench_ledger.py as a cold process."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from pandas_vote import voted

DAY = pd.Timestamp(sys.argv[2])
v = voted(Path(sys.argv[1])).sort_values("date")
v["change"] = v.groupby("category")["total"].diff()
today = v[v["date"] == DAY]
print(json.dumps({
    "date": DAY.date().isoformat(),
    "covers": (DAY - pd.Timedelta(days=1)).date().isoformat(),
    "figures": [{"category": r.category, "total": int(r.total),
                 "change": None if pd.isna(r.change) else int(r.change)}
                for r in today.itertuples()]}))
