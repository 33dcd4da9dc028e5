"""Resolution: one value per (report date, category) cell from several witnesses.

The three community mirrors each disagree with the others on about a hundred days (typos,
stale copies, late corrections). Each cell is decided by majority; a tie goes to the source
with the highest priority, and is marked as such so that `validate` lists it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from attrition import categories
from attrition.categories import BULLETIN, MINFIN, ORC_LOSSES, PETROIVANIUK, WARSHIP
from attrition.model import Observation

T = TypeVar("T")

PRESS = "press"
"""News reproductions of a bulletin: a witness, but the last one to trust."""

PRIORITY: tuple[str, ...] = (BULLETIN, PETROIVANIUK, ORC_LOSSES, WARSHIP, MINFIN, PRESS)


def _rank(source: str) -> int:
    return PRIORITY.index(source) if source in PRIORITY else len(PRIORITY)


@dataclass(frozen=True)
class Cell:
    report_date: date
    category: str
    total: int
    sources: tuple[str, ...]
    """The witnesses that agree with `total`, in priority order."""
    dissent: Mapping[str, int] = field(default_factory=dict)
    """Witnesses that gave another value: source -> value."""
    method: str = "unanimous"
    """unanimous | majority | single | tie"""
    announced_change: int | None = None
    qualifier: str | None = None
    address: str | None = None


def vote(votes: Mapping[str, int]) -> tuple[int, tuple[str, ...], dict[str, int], str]:
    """(value, agreeing sources, dissenting source -> value, method) for one cell."""
    counts = Counter(votes.values())
    top = max(counts.values())
    leaders = [v for v, n in counts.items() if n == top]
    if len(leaders) == 1:
        value = leaders[0]
        if len(votes) == 1:
            method = "single"
        elif top == len(votes):
            method = "unanimous"
        else:
            method = "majority"
    else:
        best = min((s for s, v in votes.items() if v in leaders), key=_rank)
        value, method = votes[best], "tie"
    agree = tuple(sorted((s for s, v in votes.items() if v == value), key=_rank))
    dissent = {s: v for s, v in sorted(votes.items(), key=lambda kv: _rank(kv[0]))
               if v != value}
    return value, agree, dissent, method


def resolve(
    observations: Iterable[Observation],
    carried: Mapping[tuple[date, str], Mapping[str, int]] | None = None,
) -> list[Cell]:
    """Resolve every cell the observations touch.

    `carried` holds votes of witnesses that are known only through an earlier resolution
    (the minfin-derived CSV, whose values are facts but whose file is never shipped).
    """
    by_cell: dict[tuple[date, str], list[Observation]] = {}
    for obs in observations:
        by_cell.setdefault((obs.report_date, obs.category), []).append(obs)
    for key in carried or {}:
        by_cell.setdefault(key, [])
    cells: list[Cell] = []
    for (day, cat), group in sorted(by_cell.items(),
                                    key=lambda kv: (kv[0][0], categories.ORDER[kv[0][1]])):
        votes: dict[str, int] = dict((carried or {}).get((day, cat), {}))
        for obs in group:
            if obs.total is not None:
                votes[obs.source] = obs.total
        if not votes:
            continue  # e.g. a malformed bulletin line with a change and no total
        total, agree, dissent, method = vote(votes)
        ordered = sorted(group, key=lambda o: _rank(o.source))
        announced = _first(o.announced_change for o in ordered)
        qualifier = _first(o.qualifier for o in ordered)
        # The MoD page, where a source knows it, before a news outlet's page.
        address = _first(o.address for o in sorted(group, key=lambda o: (
            o.source not in (ORC_LOSSES, WARSHIP, BULLETIN), _rank(o.source))))
        cells.append(Cell(day, cat, total, agree, dissent, method, announced, qualifier, address))
    return cells


def _first(values: Iterable[T | None]) -> T | None:
    for v in values:
        if v is not None:
            return v
    return None


PREDECESSORS: dict[str, tuple[str, ...]] = {
    "vehicles_fuel_tanks": ("military_auto", "fuel_tanks"),
}
"""A merged category's first change is counted against the sum of what it merged."""


def changes(totals: Mapping[tuple[date, str], int]) -> dict[tuple[date, str], int | None]:
    """Daily change of every cell: its total minus the previous report's total for the same
    category (None on a category's first report, unless it has predecessors)."""
    by_cat: dict[str, list[tuple[date, int]]] = {}
    for (day, cat), total in totals.items():
        by_cat.setdefault(cat, []).append((day, total))
    for series in by_cat.values():
        series.sort()
    out: dict[tuple[date, str], int | None] = {}
    for cat, series in by_cat.items():
        prev: int | None = None
        for i, (day, total) in enumerate(series):
            if i == 0:
                prev = _predecessor_total(cat, day, by_cat)
            out[(day, cat)] = None if prev is None else total - prev
            prev = total
    return out


def _predecessor_total(cat: str, day: date,
                       by_cat: Mapping[str, list[tuple[date, int]]]) -> int | None:
    preds = PREDECESSORS.get(cat)
    if not preds:
        return None
    parts = []
    for p in preds:
        earlier = [t for d, t in by_cat.get(p, []) if d < day]
        if not earlier:
            return None
        parts.append(earlier[-1])
    return sum(parts)
