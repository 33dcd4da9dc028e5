"""The obvious alternative to `attrition brief DATE --format json`: a pandas script that
computes the brief's facts (change, total, 30-day rank, highest-since) for every category and
the "vehicles" sum from the same JSON/CSV, with the 2-of-3 vote. Run by bench_brief.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
DATA = Path(sys.argv[1])
DAY = pd.Timestamp(sys.argv[2])
OFF = DATA / "official"
PI = OFF / "2022-Ukraine-Russia-War-Dataset"

pi = pd.read_json(PI / "russia_losses_equipment.json")
pi = pi.merge(pd.read_json(PI / "russia_losses_personnel.json")[["date", "personnel"]],
              on="date")
pi = pi.rename(columns={"tank": "tanks", "APC": "afv", "field artillery": "artillery",
                        "MRL": "mlrs", "anti-aircraft warfare": "air_defense",
                        "helicopter": "helicopters", "drone": "uav",
                        "naval ship": "ships", "vehicles and fuel tanks": "vehicles_fuel_tanks",
                        "special equipment": "special_equipment",
                        "cruise missiles": "cruise_missiles"})
orc = pd.read_json(OFF / "orc-losses" / "russian-losses.json").rename(columns={
    "afvs": "afv", "airDefense": "air_defense", "rocketSystems": "mlrs",
    "unarmoredVehicles": "vehicles_fuel_tanks", "fixedWingAircraft": "aircraft",
    "rotaryWingAircraft": "helicopters", "uavs": "uav", "specialEquipment":
    "special_equipment", "missiles": "cruise_missiles"})
orc.loc[orc["date"] < "2022-05-01", "vehicles_fuel_tanks"] = None
mf = pd.read_csv(OFF / "russian-Losses-in-Ukraine" / "russia_losses.csv",
                 parse_dates=["date"]).rename(columns={
    "apv": "afv", "aaws": "air_defense", "aircrafts": "aircraft", "warships": "ships"})
cats = ["personnel", "tanks", "afv", "artillery", "mlrs", "air_defense", "aircraft",
        "helicopters", "uav", "cruise_missiles", "ships", "submarines",
        "vehicles_fuel_tanks", "special_equipment"]
frames = []
for prio, (name, df) in enumerate((("petroivaniuk", pi), ("orc-losses", orc),
                                   ("minfin", mf))):
    long = df.melt(id_vars=["date"], value_vars=[c for c in cats if c in df],
                   var_name="category", value_name="total").dropna()
    long["source"] = name
    long["prio"] = prio  # a tie goes to PetroIvaniuk, as in attrition
    frames.append(long)
allv = pd.concat(frames)
voted = (allv.groupby(["date", "category", "total"]).agg(n=("source", "size"),
                                                         prio=("prio", "min")).reset_index()
         .sort_values(["n", "prio"], ascending=[False, True])
         .drop_duplicates(["date", "category"]))
wide = voted.pivot(index="date", columns="category", values="total").sort_index()
changes = wide.diff()
corr = pd.read_json(PI / "russia_losses_equipment_correction.json").rename(columns={
    "tank": "tanks", "APC": "afv", "field artillery": "artillery", "MRL": "mlrs",
    "anti-aircraft warfare": "air_defense", "helicopter": "helicopters", "drone": "uav",
    "naval ship": "ships", "vehicles and fuel tanks": "vehicles_fuel_tanks",
    "special equipment": "special_equipment", "cruise missiles": "cruise_missiles"})
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
