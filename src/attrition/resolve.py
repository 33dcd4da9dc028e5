"""Resolution: one value per (report date, category) cell from several witnesses.

The three community mirrors each disagree with the others on about a hundred days (typos,
stale copies, late corrections). Each cell is decided by majority, after two kinds of
evidence the data itself holds:

- a news reproduction of a bulletin (`press`) is a copy of it: it votes only where the
  bulletin text itself is absent, never beside it;
- a witness whose row for a day repeats the previous report (its figures equal the day
  before's where the others agree they moved) is a stale copy: its row does not vote that
  day, and stays listed as dissent.

A cell without a majority, and a majority that says a figure did not move while another
witness says it moved by an amount within the days around it (a repeated total, as in early
2022), is `disputed`: the value kept is the one no witness had to revise (a mirror that
changes its history alone does not carry it), then the one of the highest-priority source,
and every output can say the figure is disputed.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date, timedelta
from functools import partial
from types import MappingProxyType
from typing import NamedTuple

from attrition import categories
from attrition.categories import BULLETIN, MINFIN, ORC_LOSSES, PETROIVANIUK, WARSHIP
from attrition.model import Observation


class Seen(NamedTuple):
    """A witness's latest figure for a cell, as the store reads it back to resolve cells
    again: what `resolve` reads of an `Observation`, as a tuple (an ingest into a store that
    holds the history re-resolves ~70k of them, and a frozen dataclass costs ten times a
    tuple to make)."""

    source: str
    report_date: date
    category: str
    total: int | None
    announced_change: int | None = None
    qualifier: str | None = None
    address: str | None = None


seen = partial(tuple.__new__, Seen)
"""Seen((...)) without NamedTuple's Python-level __new__."""

PRESS = "press"
"""News reproductions of a bulletin: a witness, but the last one to trust."""

PRIORITY: tuple[str, ...] = (BULLETIN, PETROIVANIUK, ORC_LOSSES, WARSHIP, MINFIN, PRESS)
CITABLE = (ORC_LOSSES, WARSHIP, BULLETIN)
"""Sources whose addresses are the ministry's own pages: a cell cites one of these, never a
news outlet's page or a local file."""
DISPUTED = "disputed"
METHODS = ("unanimous", "majority", "single", DISPUTED)
STALE_ROW_MIN = 5
"""A row repeats the day before only if it has at least this many figures (one equal figure
is no evidence)."""


_RANKS = {s: i for i, s in enumerate(PRIORITY)}


def _rank(source: str) -> int:
    return _RANKS.get(source, len(PRIORITY))


class Cell(NamedTuple):
    """One resolved cell. (A NamedTuple, not a frozen dataclass: an ingest of the whole
    history resolves ~22k of them, and a frozen dataclass costs ten times a tuple to make.)"""

    report_date: date
    category: str
    total: int
    sources: tuple[str, ...]
    """The witnesses that agree with `total`, in priority order."""
    dissent: Mapping[str, int] = MappingProxyType({})
    """Witnesses that gave another value: source -> value."""
    method: str = "unanimous"
    """unanimous | majority | single | disputed"""
    announced_change: int | None = None
    qualifier: str | None = None
    address: str | None = None

    @property
    def disputed(self) -> bool:
        return self.method == DISPUTED


_cell = partial(tuple.__new__, Cell)
"""Cell((...)) without NamedTuple's Python-level __new__ (as `seen`)."""


@functools.lru_cache(maxsize=256)
def _by_rank(sources: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(sources, key=_rank))


def vote(votes: Mapping[str, int], revised: Collection[str] = ()
         ) -> tuple[int, tuple[str, ...], dict[str, int], str]:
    """(value, agreeing sources, dissenting source -> value, method) for one cell.
    `revised`: the witnesses whose vote is a value they changed after first giving another."""
    values = set(votes.values())
    if len(values) == 1:  # nearly every cell: no counting, no sorting of dissent
        return (values.pop(), _by_rank(tuple(votes)), {},
                "single" if len(votes) == 1 else "unanimous")
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
        best = min((s for s, v in votes.items() if v in leaders),
                   key=lambda s: (s in revised, _rank(s)))
        value, method = votes[best], DISPUTED
    agree = tuple(sorted((s for s, v in votes.items() if v == value), key=_rank))
    dissent = {s: v for s, v in sorted(votes.items(), key=lambda kv: _rank(kv[0]))
               if v != value}
    return value, agree, dissent, method


def resolve(
    observations: Iterable[Observation | Seen],
    carried: Mapping[tuple[date, str], Mapping[str, int]] | None = None,
    *,
    revised: Collection[tuple[str, date, str]] = (),
    context: Mapping[tuple[date, str], int] | None = None,
) -> list[Cell]:
    """Resolve every cell the observations touch.

    `carried` holds votes of witnesses that are known only through an earlier resolution
    (the minfin-derived CSV, whose values are facts but whose file is never shipped).
    `revised`: (source, day, category) whose current value is a revision of an earlier one.
    `context`: resolved totals of cells outside these observations (the days around them),
    for the evidence that looks at the day before and after.
    """
    carried = carried or {}
    context = context or {}
    by_cell: dict[tuple[date, str], list[Observation | Seen]] = {}
    for obs in observations:
        by_cell.setdefault((obs.report_date, obs.category), []).append(obs)
    for key in carried:
        by_cell.setdefault(key, [])
    votes_of: dict[tuple[date, str], dict[str, int]] = {}
    for key, group in by_cell.items():
        votes = dict(carried.get(key, {}))
        for obs in group:
            if obs.total is not None:
                votes[obs.source] = obs.total
        if PRESS in votes and BULLETIN in votes:
            del votes[PRESS]  # a reproduction never votes beside its original
        if votes:
            votes_of[key] = votes
    first = {key: (next(iter(v.values())) if len(set(v.values())) == 1 else vote(v)[0])
             for key, v in votes_of.items()}

    def total_at(day: date, cat: str) -> int | None:
        got = first.get((day, cat))
        return context.get((day, cat)) if got is None else got

    stale = _stale_rows(votes_of, total_at)
    stale_days = {d for _, d in stale}
    order = categories.ORDER
    cells: list[Cell] = []
    for (day, cat) in sorted(votes_of, key=lambda k: (k[0], order[k[1]])):
        votes = votes_of[(day, cat)]
        counted = votes
        if day in stale_days:
            counted = {s: v for s, v in votes.items() if (s, day) not in stale} or votes
        total, agree, dissent, method = vote(
            counted, {s for s in counted if (s, day, cat) in revised} if revised else ())
        if method == "majority" and _contested_repeat(total, dissent.values(),
                                                      total_at(day - _DAY, cat),
                                                      total_at(day + _DAY, cat)):
            method = DISPUTED
        if counted is not votes:
            for s, v in votes.items():
                if s not in counted and v != total:
                    dissent[s] = v  # a stale copy's figure: listed, never counted
            dissent = dict(sorted(dissent.items(), key=lambda kv: _rank(kv[0])))
            if dissent and method == "unanimous":
                method = "majority"
        group = by_cell[(day, cat)]
        announced = qualifier = address = None
        # in priority order: the first announced change, qualifier and address; the
        # address only from the MoD's pages (never a news outlet's page or a file)
        for o in (sorted(group, key=lambda o: _rank(o.source)) if len(group) > 1 else group):
            if announced is None:
                announced = o.announced_change
            if qualifier is None:
                qualifier = o.qualifier
            if address is None and o.source in CITABLE:
                address = o.address
        cells.append(_cell((day, cat, total, agree, dissent, method, announced, qualifier,
                            address)))
    return cells


_DAY = timedelta(days=1)


def _stale_rows(votes_of: Mapping[tuple[date, str], Mapping[str, int]],
                total_at: Callable[[date, str], int | None]) -> set[tuple[str, date]]:
    """(source, day) whose row repeats the day before: of at least STALE_ROW_MIN figures,
    at least four in five equal the day before's resolved figures, and so does every figure
    in which the day's other witnesses agree on a move (at least two such). A copy of the
    previous report filed under the next date (orc-losses on 2022-02-27 and 2024-11-03)."""
    rows: dict[tuple[str, date], dict[str, int]] = {}
    for (day, cat), votes in votes_of.items():
        for s, v in votes.items():
            rows.setdefault((s, day), {})[cat] = v
    out = set()
    for (s, day), row in rows.items():
        if len(row) < STALE_ROW_MIN:
            continue
        before = {cat: total_at(day - _DAY, cat) for cat in row}
        same = sum(before[cat] == v for cat, v in row.items())
        if same * 5 < len(row) * 4:
            continue
        moved = 0
        for cat, v in row.items():
            others = {o: x for o, x in votes_of[(day, cat)].items() if o != s}
            values = set(others.values())
            if len(values) == 1 and before[cat] is not None and values != {before[cat]}:
                moved += 1  # the others agree the figure moved
                if v != before[cat]:
                    break  # this row moved too: no copy
        else:
            if moved >= 2:
                out.add((s, day))
    return out


def _contested_repeat(total: int, dissent: Iterable[int], before: int | None,
                      after: int | None) -> bool:
    """A majority that repeats the previous total, against a witness whose value moved and
    lies between the day before and the day after: nothing in the data settles which."""
    if before is None or total != before:
        return False
    return any(v > before and (after is None or v <= after) for v in dissent)


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
