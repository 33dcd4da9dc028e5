"""The resolved ledger against the three mirrors, cell by cell, for the whole history.

Every cell where the vote overrules a source is listed in golden/overruled.csv: a change in
the data or the vote shows up as a diff of that file, never silently.
"""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from attrition.sources import minfin, orc, petroivaniuk
from attrition.store.read import Reader

GOLDEN = Path(__file__).parent / "golden" / "overruled.csv"


def _mirrors(shared_data: Path) -> dict[tuple[date, str], dict[str, int]]:
    off = shared_data / "official"
    pi = off / "2022-Ukraine-Russia-War-Dataset"
    batches = [
        petroivaniuk.read_equipment((pi / "russia_losses_equipment.json").read_bytes()),
        petroivaniuk.read_personnel((pi / "russia_losses_personnel.json").read_bytes()),
        orc.read((off / "orc-losses/russian-losses.json").read_bytes()),
        minfin.read((off / "russian-Losses-in-Ukraine/russia_losses.csv").read_bytes()),
    ]
    cells: dict[tuple[date, str], dict[str, int]] = {}
    for b in batches:
        for o in b.observations:
            if o.total is not None:
                cells.setdefault((o.report_date, o.category), {})[o.source] = o.total
    return cells


def overruled_rows(shared_data: Path, reader: Reader) -> list[dict[str, str]]:
    ledger = {(r.report_date, r.category): r for r in reader.ledger()}
    rows = []
    for (day, cat), votes in sorted(_mirrors(shared_data).items()):
        row = ledger[(day, cat)]
        for src, value in sorted(votes.items()):
            if value != row.total:
                rows.append({"date": day.isoformat(), "category": cat, "source": src,
                             "source_value": str(value), "resolved": str(row.total),
                             "agree": "+".join(row.sources), "method": row.method})
    return rows


def test_every_cell_is_the_majority_of_the_mirrors(shared_data: Path, reader: Reader) -> None:
    ledger = {(r.report_date, r.category): r for r in reader.ledger()}
    mirrors = _mirrors(shared_data)
    assert set(mirrors) <= set(ledger)
    checked = 0
    for key, votes in mirrors.items():
        counts = Counter(votes.values())
        value, n = counts.most_common(1)[0]
        if n >= 2:
            assert ledger[key].total == value, key
            checked += 1
        else:
            # No two mirrors agree: the value is one of theirs, and the cell says how.
            assert ledger[key].total in votes.values(), key
            witnesses = set(ledger[key].sources) | set(ledger[key].dissent)
            assert ledger[key].method in ("single", "disputed", "majority") or (
                witnesses - set(votes)), key
    assert checked > 22_000


def test_the_seed_report_resolves_to_the_bulletin_figures(reader: Reader) -> None:
    got = {r.category: (r.total, r.change) for r in reader.report(date(2024, 11, 14))}
    assert got["personnel"] == (716070, 1690)
    assert got["tanks"] == (9319, 19)
    assert got["afv"] == (18947, 51)
    assert got["artillery"] == (20472, 64)
    assert got["vehicles_fuel_tanks"] == (29090, 124)


def test_known_faults_are_overruled(reader: Reader) -> None:
    tanks = {r.report_date: r for r in reader.series("tanks")}
    assert tanks[date(2024, 11, 16)].total == 9338
    assert tanks[date(2024, 11, 16)].dissent == {"orc-losses": 9330}
    vft = {r.report_date: r for r in reader.series("vehicles_fuel_tanks")}
    assert vft[date(2024, 9, 24)].total == 25175 and vft[date(2024, 9, 24)].dissent == {
        "minfin": 15175}
    assert vft[date(2025, 1, 21)].total == 34682


def test_overruled_cells_are_all_listed(shared_data: Path, reader: Reader) -> None:
    rows = overruled_rows(shared_data, reader)
    with GOLDEN.open(encoding="utf-8") as f:
        golden = list(csv.DictReader(f))
    assert rows == golden, "the overruled cells changed: rerun tests/golden/make_overruled.py"
    by_source = Counter(r["source"] for r in rows)
    assert set(by_source) == {"petroivaniuk", "orc-losses", "minfin"}


def test_merge_day_change_counts_against_the_merged_categories(reader: Reader) -> None:
    vft = reader.series("vehicles_fuel_tanks", date(2022, 5, 1), date(2022, 5, 1))[0]
    before = {r.category: r.total for r in reader.report(date(2022, 4, 30))}
    assert vft.change == vft.total - before["military_auto"] - before["fuel_tanks"]
    assert vft.change is not None and 0 <= vft.change < 100
    cm = reader.series("cruise_missiles", date(2022, 5, 1), date(2022, 5, 1))[0]
    assert cm.change is None  # a category's creation is no loss


@pytest.mark.parametrize("category", ["personnel", "tanks", "uav"])
def test_change_is_the_difference_of_totals(reader: Reader, category: str) -> None:
    rows = reader.series(category)
    for prev, cur in itertools.pairwise(rows):
        assert cur.change == cur.total - prev.total
