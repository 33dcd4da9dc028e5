"""The obvious alternative to `attrition show DATE --format json`: a pandas script that
computes the same figures (2-of-3 vote, change from the previous report) from the same JSON
and CSV. Run by bench_ledger.py as a cold process."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

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
voted = voted.sort_values("date")
voted["change"] = voted.groupby("category")["total"].diff()
today = voted[voted["date"] == DAY]
out = {"date": DAY.date().isoformat(),
       "covers": (DAY - pd.Timedelta(days=1)).date().isoformat(),
       "figures": [{"category": r.category, "total": int(r.total),
                    "change": None if pd.isna(r.change) else int(r.change)}
                   for r in today.itertuples()]}
print(json.dumps(out))
