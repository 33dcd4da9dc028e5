"""The checker's view of the ledger as it was at a moment, derived from its view of the
ledger now: cut at the moment's newest report, with the few cells that differed then put
back (`attrition.store.asof.Moment.cells`). Building a `LedgerView` indexes every cell
(~23k); this one indexes a category when a claim first asks about it, so an article judged
on the ledger of its publication time costs about what one judged on today's does."""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

from attrition.analysis.series import Row
from attrition.categories import HISTORICAL_PARTS
from attrition.check.confirmed import ConfirmedView
from attrition.check.ledger import Columns, LedgerView
from attrition.check.ledger import PerCategory as _PerCategory
from attrition.compare import Claimed
from attrition.dates import kyiv_date
from attrition.store.read import LedgerRow, SeriesRow

if TYPE_CHECKING:
    from attrition.analysis.confirmed import Confirmed
    from attrition.crosswalk import Crosswalk
    from attrition.model import ConfirmedCount
    from attrition.store.asof import Moment, Timeline

_report_date = attrgetter("report_date")
_DAY = timedelta(days=1)


class Basis:
    """The view of the ledger now, with each category's rows in date order (made once per
    ledger, shared by every moment's view)."""

    def __init__(self, now: LedgerView) -> None:
        self.now = now
        self.firsts = {cat: min(at) for cat, at in now._at.items() if at}
        self._rows: dict[str, tuple[list[date], list[Row]]] = {}

    def rows(self, cat: str) -> tuple[list[date], list[Row]]:
        got = self._rows.get(cat)
        if got is None:
            rows = sorted(self.now.rows.get(cat, ()), key=lambda r: r.report_date)
            got = self._rows[cat] = ([r.report_date for r in rows], rows)
        return got


class LedgerViewAt(LedgerView):
    """`LedgerView` over the ledger at a moment (what `LedgerView(LedgerAt(...)
    .by_category(), ...)` holds, cell for cell), made from the view now without indexing
    the ledger again."""

    def __init__(self, basis: Basis, latest: date,
                 cells: Mapping[tuple[date, str], LedgerRow | None]) -> None:
        # not LedgerView.__init__: each category is derived from the view now when first
        # asked about
        now = basis.now
        self._basis = basis
        self._latest = latest
        self._patch: dict[str, dict[date, Row | None]] = {}
        for (d, cat), got in cells.items():
            if d <= latest:
                self._patch.setdefault(cat, {})[d] = None if got is None else SeriesRow(
                    got.report_date, cat, got.total, got.change, got.announced_change)
        cats = [c for c in dict.fromkeys([*now.rows, *self._patch]) if self._present(c)]
        self.rows = _PerCategory(cats, self._rows_of)
        self.corrections = [c for c in now.corrections if c[1] <= latest]
        # the base class reads these with [] and .get only
        self._cols = _PerCategory(cats, self._cols_of)
        self._at = _PerCategory(cats, self._at_of)
        self._prefix = _PerCategory(cats, self._prefix_of)  # type: ignore[assignment]
        days = [d for c in cats for d in (self.rows[c][0].report_date,
                                         self.rows[c][-1].report_date)]
        self.first = min(days) if days else date.min
        self.last = max(days) if days else date.min
        self._series = {}
        self._values = {}
        self._corrected = None
        self._cache = {}
        self.aggregates = now.aggregates
        self._peaks = {}

    def peak_change(self, cat: str, day: date) -> int:
        """The view now's answer up to the first cell put back (a running maximum), the
        cells from there on read here."""
        names = [cat, *HISTORICAL_PARTS.get(cat, ())]
        day = min(day, self._latest)
        start = min((d for n in names for d in self._patch.get(n, ())), default=None)
        if start is None or day < start:
            return self._basis.now.peak_change(cat, day)
        top = self._basis.now.peak_change(cat, start - _DAY)
        for n in names:
            at = self._at.get(n, {})
            changes = self._cols[n][2] if at else []
            d = start
            while d <= day:
                i = at.get(d)
                if i is not None:
                    top = max(top, changes[i] or 0)
                d += _DAY
        return top

    def _present(self, cat: str) -> bool:
        """Whether the category has a report up to the moment's newest."""
        patch = self._patch.get(cat)
        first = self._basis.firsts.get(cat)
        if not patch:
            return first is not None and first <= self._latest
        return bool(self._rows_of(cat))

    def _rows_of(self, cat: str) -> list[Row]:
        days, rows = self._basis.rows(cat)
        kept = rows[:bisect_right(days, self._latest)]
        patch = self._patch.get(cat)
        if not patch:
            return kept
        out = list(kept)
        for d, got in sorted(patch.items()):  # few: put each in place
            i = bisect_left(out, d, key=_report_date)
            there = i < len(out) and out[i].report_date == d
            if got is None:
                if there:
                    del out[i]
            elif there:
                out[i] = got
            else:
                out.insert(i, got)
        return out

    def _cols_of(self, cat: str) -> Columns:
        rows = self.rows[cat]
        return ([r.report_date for r in rows], [r.total for r in rows],
                [r.change for r in rows], [r.announced_change for r in rows])

    def _at_of(self, cat: str) -> dict[date, int]:
        days = self._cols[cat][0]
        return dict(zip(days, range(len(days)), strict=True))

    def _prefix_of(self, cat: str) -> dict[int, tuple[int, int]]:
        acc = n = 0
        pref: dict[int, tuple[int, int]] = {}
        for r in self.rows[cat]:  # in date order
            if r.change is not None:
                acc += r.change
                n += 1
            pref[r.report_date.toordinal()] = (acc, n)
        return pref


class _ClaimedAt(Claimed):
    """`Claimed` over a view at a moment, a category indexed when first asked about."""

    def __init__(self, view: LedgerViewAt) -> None:  # not Claimed's: it indexes them all
        rows = view.rows
        cats = list(rows)
        self._days = _PerCategory(  # type: ignore[assignment]  # read with [] and .get
            cats, lambda c: [r.report_date for r in rows[c]])
        self._totals = _PerCategory(  # type: ignore[assignment]
            cats, lambda c: [r.total for r in rows[c]])


class Moments:
    """The checker's views of the ledger at any moment, for one version of the store: the
    moment from memory (`asof.Timeline`, loaded on the first past moment), its view derived
    from the view now; the last few kept (articles published between two reports share
    one). A moment at which every stored figure counted is the ledger now: None."""

    KEEP = 16

    def __init__(self, now: LedgerView, confirmed_counts: Sequence[ConfirmedCount],
                 crosswalk: Crosswalk, timeline: Callable[[], Timeline]) -> None:
        self.basis = Basis(now)
        self.counts = confirmed_counts
        self.crosswalk = crosswalk
        self._load = timeline
        self._timeline: Timeline | None = None
        self._views: dict[tuple[Any, ...], tuple[LedgerViewAt | None, Moment]] = {}
        self._confirmed: dict[tuple[tuple[Any, ...], date], ConfirmedView] = {}
        self._series: dict[date | None, dict[tuple[str, ...], Confirmed]] = {}
        self._lock = threading.Lock()  # the watcher and the web service check in threads

    def at(self, when: datetime
           ) -> tuple[LedgerViewAt | None, ConfirmedView | None, Moment] | None:
        """The views at `when` and its moment (no views: nothing published by then); None
        when the ledger then is the ledger now."""
        with self._lock:
            if self._timeline is None:
                self._timeline = self._load()
            moment = self._timeline.at(when, {k: m for k, (_, m) in self._views.items()})
            if moment.current:
                return None
            got = self._views.get(moment.key)
            if got is None:
                got = (None if moment.latest is None else
                       LedgerViewAt(self.basis, moment.latest, moment.cells), moment)
                _keep(self._views, moment.key, got, self.KEEP)
            view = got[0]
            if view is None:
                return None, None, moment
            day = kyiv_date(when)
            confirmed = self._confirmed.get((moment.key, day))
            if confirmed is None:
                # the confirmed counts scraped by the moment's day (as LedgerAt has them):
                # their series shared by every moment with the same counts
                counts = [c for c in self.counts if c.day <= day]
                confirmed = ConfirmedView({}, counts, self.crosswalk)
                confirmed.claimed = _ClaimedAt(view)
                scraped = max((c.day for c in counts), default=None)
                series = self._series.get(scraped)
                if series is None:
                    series = {}
                    _keep(self._series, scraped, series, self.KEEP)
                confirmed._by_status = series
                _keep(self._confirmed, (moment.key, day), confirmed, self.KEEP)
            return view, confirmed, moment


K = TypeVar("K")
V = TypeVar("V")


def _keep(cache: dict[K, V], key: K, value: V, size: int) -> None:
    while len(cache) >= size:
        cache.pop(next(iter(cache)))
    cache[key] = value
