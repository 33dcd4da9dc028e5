"""The pandas baseline's shared part: read the three mirrors and take the 2-of-3 vote per
(date, category), ties to PetroIvaniuk, as attrition does. Used by pandas_show.py and
pandas_brief.py (each run as a cold process by the benchmarks)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

CATS = ["personnel", "tanks", "afv", "artillery", "mlrs", "air_defense", "aircraft",
        "helicopters", "uav", "cruise_missiles", "ships", "submarines",
        "vehicles_fuel_tanks", "special_equipment"]
PI_NAMES = {"tank": "tanks", "APC": "afv", "field artillery": "artillery", "MRL": "mlrs",
            "anti-aircraft warfare": "air_defense", "helicopter": "helicopters",
            "drone": "uav", "naval ship": "ships",
            "vehicles and fuel tanks": "vehicles_fuel_tanks",
            "special equipment": "special_equipment", "cruise missiles": "cruise_missiles"}


def pi_dir(data: Path) -> Path:
    return data / "official" / "2022-Ukraine-Russia-War-Dataset"


def voted(data: Path) -> pd.DataFrame:
    off = data / "official"
    pi = pd.read_json(pi_dir(data) / "russia_losses_equipment.json")
    # before the 2022-05-01 merge, vehicles and fuel tanks were two categories
    early = pi["date"] < "2022-05-01"
    pi.loc[early, "vehicles and fuel tanks"] = (pi.loc[early, "military auto"]
                                                + pi.loc[early, "fuel tank"])
    pi = pi.merge(pd.read_json(pi_dir(data) / "russia_losses_personnel.json")[
        ["date", "personnel"]], on="date").rename(columns=PI_NAMES)
    orc = pd.read_json(off / "orc-losses" / "russian-losses.json").rename(columns={
        "afvs": "afv", "airDefense": "air_defense", "rocketSystems": "mlrs",
        "unarmoredVehicles": "vehicles_fuel_tanks", "fixedWingAircraft": "aircraft",
        "rotaryWingAircraft": "helicopters", "uavs": "uav", "specialEquipment":
        "special_equipment", "missiles": "cruise_missiles"})
    orc.loc[orc["date"] < "2022-05-01", "vehicles_fuel_tanks"] = None  # military auto only
    mf = pd.read_csv(off / "russian-Losses-in-Ukraine" / "russia_losses.csv",
                     parse_dates=["date"]).rename(columns={
        "apv": "afv", "aaws": "air_defense", "aircrafts": "aircraft", "warships": "ships"})
    frames = []
    for prio, (name, df) in enumerate((("petroivaniuk", pi), ("orc-losses", orc),
                                       ("minfin", mf))):
        long = df.melt(id_vars=["date"], value_vars=[c for c in CATS if c in df],
                       var_name="category", value_name="total").dropna()
        long["source"] = name
        long["prio"] = prio  # a tie goes to PetroIvaniuk, as in attrition
        frames.append(long)
    allv = pd.concat(frames)
    return (allv.groupby(["date", "category", "total"])
            .agg(n=("source", "size"), prio=("prio", "min")).reset_index()
            .sort_values(["n", "prio"], ascending=[False, True])
            .drop_duplicates(["date", "category"]))
