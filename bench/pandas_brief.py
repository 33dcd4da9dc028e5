"""The obvious alternative to `attrition brief DATE --format json`: a pandas script that
computes the brief's facts (change, total, 30-day rank, highest-since) for every category and
the "vehicles" sum from the same JSON/CSV, with the 2-of-3 vote. Run by bench_brief.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from pandas_vote import CATS as cats
from pandas_vote import PI_NAMES, pi_dir, voted

DATA = Path(sys.argv[1])
DAY = pd.Timestamp(sys.argv[2])
PI = pi_dir(DATA)
voted_df = voted(DATA)
wide = voted_df.pivot(index="date", columns="category", values="total").sort_index()
changes = wide.diff()
corr = pd.read_json(PI / "russia_losses_equipment_correction.json").rename(columns=PI_NAMES)
for _, row in corr.iterrows():  # listed corrections are not records
    for cat in cats:
        if cat in row and pd.notna(row[cat]) and row[cat] != 0 and row["date"] in changes.index:
            changes.loc[row["date"], cat] = None
changes["vehicles"] = changes[["tanks", "afv", "vehicles_fuel_tanks"]].sum(axis=1, min_count=3)
facts = []
for cat in [*cats, "vehicles"]:
    col = changes[cat].dropna()
    col = col[col >= 0]  # corrections are not records
    if DAY not in col.index:
        continue
    v = col[DAY]
    last30 = col[(col.index > DAY - pd.Timedelta(days=30)) & (col.index <= DAY)]
    earlier = col[(col.index < DAY) & (col > v)]
    facts.append({"category": cat, "change": int(v),
                  "rank_30d": int((last30 > v).sum() + 1),
                  "highest_since": None if earlier.empty else
                  earlier.index[-1].date().isoformat(),
                  "highest_since_value": None if earlier.empty else int(earlier.iloc[-1])})
print(json.dumps({"date": DAY.date().isoformat(), "facts": facts}))
