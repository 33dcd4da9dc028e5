"""The ledger as the checker reads it: totals, changes and sums by category and report date."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from datetime import date, timedelta
from functools import partial
from itertools import accumulate, pairwise
from operator import attrgetter
from typing import TypeVar

from attrition import categories
from attrition.analysis import records, series
from attrition.analysis.series import Row, Series
from attrition.store.read import SeriesRow

_report_date = attrgetter("report_date")
V = TypeVar("V")

Columns = tuple[list[date], list[int], list[int | None], list[int | None]]
"""A category's report dates, totals, changes and announced changes, row by row."""


class PerCategory(Mapping[str, V]):
    """A mapping by category whose values are made on first use."""

    def __init__(self, keys: Sequence[str], make: Callable[[str], V]) -> None:
        self._keys = keys
        self._set = frozenset(keys)
        self._make = make
        self._got: dict[str, V] = {}

    def __getitem__(self, cat: str) -> V:
        got = self._got.get(cat)
        if got is None:
            if cat not in self._set:
                raise KeyError(cat)
            got = self._got[cat] = self._make(cat)
        return got

    def __contains__(self, cat: object) -> bool:
        return cat in self._set

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class LedgerView:
    """Lookups over the resolved ledger, built once and shared by every check.

    Each category is held as columns (`Columns`) with an index of its report dates: the
    checker asks for single cells, and ~23k row objects were a tenth of a cold `attrition
    check`. `rows` gives the rows themselves (for series), made per category when asked
    for when the view was built from columns (`of_columns`)."""

    def __init__(self, rows: Mapping[str, Sequence[Row]],
                 corrections: Sequence[tuple[str, date, str, int]] = ()) -> None:
        cols: dict[str, Columns] = {
            cat: ([r.report_date for r in rs], [r.total for r in rs], [r.change for r in rs],
                  [r.announced_change for r in rs]) for cat, rs in rows.items()}
        self._setup(rows, cols, corrections)

    @classmethod
    def of_columns(cls, columns: Mapping[str, Columns],
                   corrections: Sequence[tuple[str, date, str, int]] = ()) -> LedgerView:
        """The view of the ledger whose rows `columns` holds (what `LedgerView(rows)` holds,
        cell for cell), without making the rows until something asks for them."""
        view = cls.__new__(cls)
        make = partial(tuple.__new__, SeriesRow)  # SeriesRow(...) without its Python __new__

        def rows_of(cat: str) -> list[Row]:
            days, totals, changes, announced = columns[cat]
            return list(map(make, zip(days, [cat] * len(days), totals, changes, announced,
                                      strict=True)))

        view._setup(PerCategory(list(columns), rows_of), columns, corrections)
        return view

    def _setup(self, rows: Mapping[str, Sequence[Row]], cols: Mapping[str, Columns],
               corrections: Sequence[tuple[str, date, str, int]]) -> None:
        self.rows = rows
        self.corrections = corrections
        self._cols = cols
        # (a date given twice keeps its last row, as a dict of the rows would)
        self._at: Mapping[str, dict[date, int]] = {
            cat: dict(zip(c[0], range(len(c[0])), strict=True)) for cat, c in cols.items()}
        ends = [d for c in cols.values() if c[0] for d in (min(c[0]), max(c[0]))]
        self.first = min(ends) if ends else date.min
        self.last = max(ends) if ends else date.min
        self._series: dict[str, Series] = {}
        self._values: dict[tuple[tuple[str, ...], str, date | None, date], int | None] = {}
        self._corrected: dict[tuple[str, date], int] | None = None
        self._cache: dict[tuple[str, str], list[series.Point]] = {}
        self.aggregates = categories.aggregates()
        self._peaks: dict[str, tuple[list[date], list[int]]] = {}
        # prefix sums of the changes by day ordinal: any window is two lookups (built for a
        # category when a window first asks, as peak_change's maxima: a cold `attrition
        # check` of one article needs few of them)
        self._prefix: dict[str, dict[int, tuple[int, int]]] = {}

    def totals_in_order(self, cat: str) -> tuple[list[date], list[int]]:
        """A category's report dates and totals in date order (as its rows sorted by date)."""
        days, totals = self._cols[cat][0], self._cols[cat][1]
        if all(a < b for a, b in pairwise(days)):
            return days, totals
        order = sorted(range(len(days)), key=days.__getitem__)  # stable, as sorted(rows)
        return [days[i] for i in order], [totals[i] for i in order]

    def _index(self, cat: str, day: date) -> int | None:
        """The cell's place in its category's columns; None without the cell."""
        at = self._at.get(cat)
        return None if at is None else at.get(day)

    def _prefix_of(self, cat: str) -> dict[int, tuple[int, int]] | None:
        pref = self._prefix.get(cat)
        if pref is None:
            at = self._at.get(cat)
            if at is None:
                return None
            changes = self._cols[cat][2]
            acc = n = 0
            pref = {}
            for d in sorted(at):
                ch = changes[at[d]]
                if ch is not None:
                    acc += ch
                    n += 1
                pref[d.toordinal()] = (acc, n)
            self._prefix[cat] = pref
        return pref

    def peak_change(self, cat: str, day: date) -> int:
        """The largest daily change of a category (or of its parts before a merge) in the
        reports up to `day`: what a day's figure could plausibly be then."""
        runs = self._peaks.get(cat)
        if runs is None:
            names = [cat, *categories.HISTORICAL_PARTS.get(cat, ())]
            by_day: dict[date, int] = {}
            for n in names:
                at = self._at.get(n)
                if at is None:
                    continue
                changes = self._cols[n][2]
                if not by_day:  # (the first: no day to compare with yet)
                    by_day = {d: changes[i] or 0 for d, i in at.items()}
                    continue
                for d, i in at.items():
                    by_day[d] = max(by_day.get(d, 0), changes[i] or 0)
            days = sorted(by_day)
            # the running maximum from 0 (a negative change, a correction, counts as 0)
            maxima = list(accumulate(map(by_day.__getitem__, days), max, initial=0))[1:]
            runs = self._peaks[cat] = (days, maxima)
        days, maxima = runs
        i = bisect_right(days, day)
        return maxima[i - 1] if i else 0

    def has(self, cat: str, day: date) -> bool:
        at = self._at.get(cat)
        return at is not None and day in at

    def total(self, cat: str, day: date) -> int | None:
        at = self._at.get(cat)  # (as _index, inline: the checker asks this most)
        i = None if at is None else at.get(day)
        return None if i is None else self._cols[cat][1][i]

    def change(self, cat: str, day: date) -> int | None:
        at = self._at.get(cat)
        i = None if at is None else at.get(day)
        return None if i is None else self._cols[cat][2][i]

    def announced(self, cat: str, day: date) -> int | None:
        """The "(+N)" the bulletin printed: a source's announced change, else the change
        less the correction a dataset records for that day (on 2024-05-05 artillery rose by
        64 by totals, 43 of them a correction: the bulletin said +21)."""
        i = self._index(cat, day)
        if i is None:
            return None
        _, _, changes, announced = self._cols[cat]
        said, ch = announced[i], changes[i]
        if said is not None:
            return said
        if self._corrected is None:
            self._corrected = {}
            for _, d, c, amount in self.corrections:
                self._corrected.setdefault((c, d), amount)
        fix = self._corrected.get((cat, day))
        return None if fix is None or ch is None else ch - fix

    def window(self, cat: str, start: date, end: date) -> int | None:
        """Sum of the changes of the reports start..end (inclusive); None if any is
        missing."""
        pref = self._prefix_of(cat)
        if not pref or end < start:
            return None
        hi = pref.get(end.toordinal())
        first = pref.get(start.toordinal())
        if hi is None or first is None:
            return None
        # the prefix just before `start`: the one at `start` less its own change
        ch = self._cols[cat][2][self._at[cat][start]]
        lo = (first[0] - (ch or 0), first[1] - (ch is not None))
        if hi[1] - lo[1] != (end - start).days + 1:
            return None  # a report without a change inside the window
        return hi[0] - lo[0]

    keep: Callable[[str, object, Callable[[], Series]], Series] | None = None
    """Where built series are kept between processes (`ledger_cache.CachedReader.keeper`:
    a check's first rank built the vehicles' series, ~10 ms of a cold check); None: built
    in every process."""

    disputed_of: Callable[[], Collection[tuple[str, date]]] | None = None
    """Where the disputed totals come from (`Ledger.disputed_cells`), asked on a ranking's
    first use (a cold check without a ranking does not read them); None: none disputed."""
    _disputed: frozenset[tuple[str, date]] | None = None

    def ranked(self, name: str) -> Series:
        """A series as records rank it: a change resting on a disputed total is set aside
        (`records.set_aside`), as `attrition records` and the briefs do."""
        if self.disputed_of is None:
            return self.series(name)
        if self._disputed is None:
            self._disputed = frozenset(self.disputed_of())
        return records.set_aside(self.series(name), records.resting_on(
            self._disputed, categories.parts(name, self.aggregates)))

    def series(self, name: str) -> Series:
        if name not in self._series:
            make = partial(series.build, name, self.rows, self.corrections,
                           aggregates=self.aggregates, cache=self._cache)
            self._series[name] = make() if self.keep is None else self.keep(
                name, self.aggregates.get(name), make)
        return self._series[name]

    def parts(self, components: Sequence[str], day: date) -> list[str]:
        """Components as they exist on `day` (before the merge, vehicles and fuel tanks are
        two categories)."""
        out: list[str] = []
        for c in components:
            if day < categories.MERGE_DATE and c in categories.HISTORICAL_PARTS:
                out.extend(p for p in categories.HISTORICAL_PARTS[c] if self.has(p, day))
            elif self.has(c, day):
                out.append(c)
        return out

    def value(self, cats: Sequence[str], measure: str, start: date | None, end: date
              ) -> int | None:
        """The ledger's figure for one category or a sum of categories (memoised: the
        readings of an article's claims share their dates)."""
        key = (tuple(cats), measure, start, end)
        if key in self._values:
            return self._values[key]
        if len(self._values) > 200_000:
            self._values.clear()
        got = self._values[key] = self._value(cats, measure, start, end)
        return got

    def _value(self, cats: Sequence[str], measure: str, start: date | None, end: date
               ) -> int | None:
        total = 0
        if len(cats) > 1:  # a sum counts the categories that exist in that report
            cats = [c for c in cats if self.has(c, end) or self.parts([c], end)]
        for c in cats:
            parts = self.parts([c], end) if measure == "total" else [c]
            if not parts:
                return None
            for p in parts:
                if measure in ("window", "average") and start is not None \
                        and start <= categories.WAR_START:
                    # the first report is the total since the invasion began: a period
                    # that reaches back to it holds everything up to its end
                    v = sum(self.total(q, end) or 0 for q in self.parts([p], end)) \
                        if self.parts([p], end) else None
                elif measure == "total":
                    v = self.total(p, end)
                elif measure == "change":
                    v = self.change(p, end) if self.has(p, end) else self._merged_change(p, end)
                elif measure in ("window", "average"):
                    assert start is not None
                    v = self._window_merged(p, start, end)
                else:
                    v = None
                if v is None:
                    return None
                total += v
        if measure == "average":
            assert start is not None
            days = (end - max(start, categories.WAR_START)).days + 1
            return round(total / days) if days > 0 else None
        return total

    def _merged_change(self, cat: str, day: date) -> int | None:
        parts = self.parts([cat], day)
        if not parts or parts == [cat]:
            return None
        vals = [self.change(p, day) for p in parts]
        return None if any(v is None for v in vals) else sum(v for v in vals if v is not None)

    def _window_merged(self, cat: str, start: date, end: date) -> int | None:
        if start >= categories.MERGE_DATE or cat not in categories.HISTORICAL_PARTS:
            return self.window(cat, start, end)
        total = 0
        d = start
        while d <= end:
            v = self.change(cat, d) if self.has(cat, d) else self._merged_change(cat, d)
            if v is None:
                return None
            total += v
            d += timedelta(days=1)
        return total
