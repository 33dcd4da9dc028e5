"""Daily series of a category or a named aggregate, with the basis of each change stated.

A point's `change` is, by default, the difference of totals (the one that adds up); with
basis "announced" it is the bulletin's "(+N)" where a source carries one. Points that records
must not count are marked: a category's first report ("creation"), days on which a
component was corrected or fell ("correction"), a total that repeats the previous report's
where a zero is not credible ("stale": the sources copied the day before), and the report
after such a repeat, whose change holds two days of losses ("two_day").
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property, partial
from operator import lt
from typing import NamedTuple, Protocol

from attrition import categories
from attrition.categories import Aggregate


class Row(Protocol):
    """What a series needs of a ledger row (store.read's LedgerRow and SeriesRow have it)."""

    @property
    def report_date(self) -> date: ...
    @property
    def category(self) -> str: ...
    @property
    def total(self) -> int: ...
    @property
    def change(self) -> int | None: ...
    @property
    def announced_change(self) -> int | None: ...


DIFFERENCE = "difference"
ANNOUNCED = "announced"


class Point(NamedTuple):
    day: date
    """The report date; the losses are those of the day before."""
    change: int | None
    total: int | None
    basis: str
    """Which change this is: "difference" of totals or "announced" (+N)."""
    excluded: str | None = None
    """Why records skip this point: "creation" (a category's first report, with no change to
    count), "correction" (a listed correction or a fall), "stale" (a repeat of the previous
    total) or "two_day" (the change after a stale repeat); None when they count it. (Records
    also set aside a change resting on a disputed total as "disputed": `records.set_aside`.)"""
    components: tuple[str, ...] = ()


@dataclass(frozen=True)
class Series:
    name: str
    label: str
    definition: str
    """"tanks + afv + vehicles_fuel_tanks" for an aggregate; the category id otherwise."""
    points: tuple[Point, ...]
    is_aggregate: bool = False

    def at(self, day: date) -> Point | None:
        i = self.index(day)
        return None if i is None else self.points[i]

    def index(self, day: date) -> int | None:
        lo, hi = 0, len(self.points)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.points[mid].day < day:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(self.points) and self.points[lo].day == day else None

    @cached_property
    def days(self) -> list[date]:
        return [p.day for p in self.points]

    def between(self, start: date | None, end: date | None) -> list[Point]:
        lo = 0 if start is None else bisect_left(self.days, start)
        hi = len(self.points) if end is None else bisect_right(self.days, end)
        return list(self.points[lo:hi])


_point = partial(tuple.__new__, Point)
"""Point((...)) without NamedTuple's Python-level __new__: a series of a category is built
from ~1,600 rows on every brief, and this halves the cost."""


STALE_MIN_MEDIAN = 20
"""A zero change is a stale repeat when the previous `STALE_LOOKBACK` changes had no zero
and a median of at least this: at 20 a day, a day without a single loss is not credible."""
STALE_LOOKBACK = 30
EXCLUSIONS = ("creation", "correction", "two_day", "stale")
"""Why a point does not count, strongest first (a sum takes its parts' strongest)."""


def stale_repeats(changes: Sequence[int | None]) -> list[int]:
    """The indices of the zero changes that repeat the previous total where a zero is not
    credible (see `STALE_MIN_MEDIAN`): the sources copied the report before, and the next
    report's change holds two days. Each category of the real history is scanned."""
    out = []
    for i, c in enumerate(changes):
        if c != 0 or (i and changes[i - 1] == 0):
            continue  # (a zero after a zero: the window's minimum is 0, no repeat)
        prev = [x for x in changes[max(0, i - STALE_LOOKBACK): i] if x is not None][
            -STALE_LOOKBACK:]
        if len(prev) >= 7 and min(prev) > 0 and _median(prev) >= STALE_MIN_MEDIAN:
            out.append(i)
    return out


def _median(xs: list[int]) -> float:
    """As `statistics.median` (whose import, with `fractions` and `decimal`, costs a cold
    `attrition check` ~10 ms)."""
    s = sorted(xs)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def _cat_points(rows: Sequence[Row], corrected: set[date], basis: str) -> list[Point]:
    days = [r.report_date for r in rows]
    if not all(map(lt, days, days[1:])):
        rows = sorted(rows, key=lambda r: r.report_date)
        days = [r.report_date for r in rows]
    changes = [r.change for r in rows]
    stale = set(stale_repeats(changes))
    announced = basis == ANNOUNCED
    out: list[Point] = []
    append = out.append  # (the daybook builds every category over every report)
    for i, r in enumerate(rows):
        raw = change = changes[i]
        day = days[i]
        used = DIFFERENCE
        if announced and r.announced_change is not None:
            change, used = r.announced_change, ANNOUNCED
        excluded = None
        if i == 0 and raw is None:
            excluded = "creation"
        elif day in corrected or (raw is not None and raw < 0):
            excluded = "correction"
        elif i in stale:
            excluded = "stale"
        elif i - 1 in stale:
            excluded = "two_day"
        append(_point((day, change, r.total, used, excluded, (r.category,))))
    return out


def build(name: str, rows_by_category: Mapping[str, Sequence[Row]],
          corrections: Iterable[tuple[str, date, str, int]] = (), *,
          basis: str = DIFFERENCE,
          aggregates: Mapping[str, Aggregate] | None = None,
          cache: dict[tuple[str, str], list[Point]] | None = None) -> Series:
    """The series of a category or an aggregate from ledger rows grouped by category.

    `cache` (any dict, kept by the caller) shares the category series between calls, so
    that aggregates do not rebuild their components."""
    if basis not in (DIFFERENCE, ANNOUNCED):
        raise ValueError(f"basis must be {DIFFERENCE!r} or {ANNOUNCED!r}")
    corrected: dict[str, set[date]] = {}
    for _, day, cat, _ in corrections:
        corrected.setdefault(cat, set()).add(day)
    aggs = aggregates if aggregates is not None else categories.aggregates()
    store = cache if cache is not None else {}

    def points_of(cat: str) -> list[Point]:
        if (cat, basis) not in store:
            store[(cat, basis)] = _cat_points(rows_by_category.get(cat, ()),
                                              corrected.get(cat, set()), basis)
        return store[(cat, basis)]

    if name in categories.BY_ID:
        own = points_of(name)
        before = categories.CONTINUES.get(name)
        if before:  # the days before it existed: the sum of the categories it carries on
            since = categories.BY_ID[name].since
            per_cat = {c: {p.day: p for p in points_of(c)} for c in before}
            days = sorted({d for pts in per_cat.values() for d in pts if d < since})
            own = [p for p in (_sum(d, before, per_cat) for d in days) if p] + own
        return Series(name, categories.BY_ID[name].en, name, tuple(own))
    if name not in aggs:
        raise categories.unknown(name, aggs)
    agg = aggs[name]
    parts = {c for comp in agg.components
             for c in (comp, *categories.HISTORICAL_PARTS.get(comp, ()))}
    per_cat = {c: {p.day: p for p in points_of(c)} for c in parts}
    days = sorted({d for pts in per_cat.values() for d in pts})
    points = [p for p in (_sum(d, comps, per_cat)
                          for d, comps in zip(days, _components(agg, parts, days), strict=True))
              if p]
    return Series(name, agg.en, agg.definition, tuple(points), is_aggregate=True)


def _components(agg: Aggregate, parts: Iterable[str], days: Sequence[date]
                ) -> Iterable[tuple[str, ...]]:
    """`agg.components_on(d)` for each of the ordered `days`, asked again only where it can
    change (a part's first or last day, the merge): the daybook builds every aggregate over
    every report."""
    edges = {categories.MERGE_DATE}
    for c in parts:
        if c in categories.BY_ID:
            cat = categories.BY_ID[c]
            edges.add(cat.since)
            if cat.until is not None:
                edges.add(date.fromordinal(cat.until.toordinal() + 1))
    ahead = sorted(edges)
    comps: tuple[str, ...] = ()
    upto: date | None = None  # comps holds from the last asked day until before `upto`
    for d in days:
        if upto is None or d >= upto:
            comps = agg.components_on(d)
            i = bisect_right(ahead, d)
            upto = ahead[i] if i < len(ahead) else date.max
        yield comps


_STRENGTH = {r: i for i, r in enumerate(EXCLUSIONS)}


def _sum(day: date, comps: tuple[str, ...], per_cat: Mapping[str, Mapping[date, Point]]
         ) -> Point | None:
    """The point of a sum of categories on a day; None if none of them reported. A sum that
    misses a part, or whose part has no change, counts as a creation: no record. (One pass
    over the parts: a check's first rank builds aggregates over every report.)"""
    n = 0
    change: int | None = None
    total = 0
    strongest = len(EXCLUSIONS)
    announced = creation = False
    for c in comps:
        p = per_cat[c].get(day)
        if p is None:
            continue
        n += 1
        _, p_change, p_total, p_basis, p_excluded, _ = p  # unpacked: faster than attributes
        if p_change is None:
            creation = True
        else:
            change = p_change if change is None else change + p_change
        if p_total is not None:
            total += p_total
        if p_excluded:
            strongest = min(strongest, _STRENGTH.get(p_excluded, strongest))
        if p_basis == ANNOUNCED:
            announced = True
    if not n:
        return None
    if n < len(comps) or creation:
        strongest = min(strongest, _STRENGTH["creation"])
    return _point((day, change, total if n == len(comps) else None,
                   ANNOUNCED if announced else DIFFERENCE,
                   EXCLUSIONS[strongest] if strongest < len(EXCLUSIONS) else None, comps))
