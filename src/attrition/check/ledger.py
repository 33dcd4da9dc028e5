"""The ledger as the checker reads it: totals, changes and sums by category and report date."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from operator import attrgetter

from attrition import categories
from attrition.analysis import series
from attrition.analysis.series import Row, Series

_report_date = attrgetter("report_date")


class LedgerView:
    """Lookups over the resolved ledger, built once and shared by every check."""

    def __init__(self, rows: Mapping[str, Sequence[Row]],
                 corrections: Sequence[tuple[str, date, str, int]] = ()) -> None:
        self.rows = rows
        self.corrections = corrections
        self._cells: dict[str, dict[date, Row]] = {
            cat: dict(zip(map(_report_date, rs), rs, strict=True)) for cat, rs in rows.items()}
        days: set[date] = set().union(*self._cells.values())
        self.first = min(days) if days else date.min
        self.last = max(days) if days else date.min
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

    def _prefix_of(self, cat: str) -> dict[int, tuple[int, int]] | None:
        pref = self._prefix.get(cat)
        if pref is None:
            cells = self._cells.get(cat)
            if cells is None:
                return None
            acc = n = 0
            pref = {}
            for d in sorted(cells):
                ch = cells[d].change
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
                for d, r in self._cells.get(n, {}).items():
                    by_day[d] = max(by_day.get(d, 0), r.change or 0)
            days = sorted(by_day)
            top, maxima = 0, []
            for d in days:
                top = max(top, by_day[d])
                maxima.append(top)
            runs = self._peaks[cat] = (days, maxima)
        days, maxima = runs
        i = bisect_right(days, day)
        return maxima[i - 1] if i else 0

    def has(self, cat: str, day: date) -> bool:
        return day in self._cells.get(cat, {})

    def total(self, cat: str, day: date) -> int | None:
        r = self._cells.get(cat, {}).get(day)
        return None if r is None else r.total

    def change(self, cat: str, day: date) -> int | None:
        r = self._cells.get(cat, {}).get(day)
        return None if r is None else r.change

    def announced(self, cat: str, day: date) -> int | None:
        """The "(+N)" the bulletin printed: a source's announced change, else the change
        less the correction a dataset records for that day (on 2024-05-05 artillery rose by
        64 by totals, 43 of them a correction: the bulletin said +21)."""
        r = self._cells.get(cat, {}).get(day)
        if r is None:
            return None
        if r.announced_change is not None:
            return r.announced_change
        if self._corrected is None:
            self._corrected = {}
            for _, d, c, amount in self.corrections:
                self._corrected.setdefault((c, d), amount)
        fix = self._corrected.get((cat, day))
        return None if fix is None or r.change is None else r.change - fix

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
        ch = self._cells[cat][start].change
        lo = (first[0] - (ch or 0), first[1] - (ch is not None))
        if hi[1] - lo[1] != (end - start).days + 1:
            return None  # a report without a change inside the window
        return hi[0] - lo[0]

    def series(self, name: str) -> Series:
        if name not in self._series:
            self._series[name] = series.build(name, self.rows, self.corrections,
                                              aggregates=self.aggregates, cache=self._cache)
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
