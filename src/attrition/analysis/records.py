"""Records and rankings: where a day's change stands among other reports.

Only points that count (not a category's creation, not a correction day; see series.Point)
take part, on both sides of a comparison. Nor does a change that rests on a disputed total
(the sources tie and nothing settles it): the functions that take `disputed` set those
days aside as "disputed" (`set_aside`), so that no rank, last higher report or top list
counts a figure the brief refuses to call a record.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right, insort
from collections.abc import Collection, Iterable
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # the brief reads stored standings and needs no series at all
    from attrition.analysis.series import Point, Series

RECENT = 7
EARLY_WAR_END = date(2022, 3, 4)
"""The reports of the war's first week (to 2022-03-03) were irregular re-estimates, not one
day's count (personnel +2,000 on 2022-02-25, 5,840 -> 9,000 on 2022-03-03): a "record of the
war" beaten only by them is still read as a record, with those reports named beside it."""
"""Reports before a day whose mean change a brief sets the day against."""
WINDOWS: tuple[int | None, ...] = (7, 30, 90, 365, None)
"""Days looked back for ranks; None is the whole war."""


class Rank(NamedTuple):
    rank: int
    """1 + the number of reports in the window with a strictly larger change."""
    of: int
    """Reports in the window that count."""
    window: int | None
    ties: int
    """Other reports in the window with the same change."""


class Record(NamedTuple):
    name: str
    day: date
    change: int | None
    ranks: dict[str, Rank | None]
    highest_since: date | None
    """The last earlier report with a larger change; None if there is none (a war record)."""
    highest_since_value: int | None
    excluded: str | None
    basis: str


def counts(p: Point) -> bool:
    return p.change is not None and p.excluded is None


DISPUTED = "disputed"
"""Why records skip a change that rests on a disputed total (`set_aside`); a series itself
never marks it (`series.Point.excluded`)."""


def resting_on(cells: Iterable[tuple[str, date]], parts: Collection[str]) -> set[date]:
    """The report dates whose change rests on one of the disputed totals `cells` (category,
    report date) of one of `parts` (`categories.parts` of a series): that report's change
    and the next report's, the difference of the two totals."""
    return {d + timedelta(days=k) for c, d in cells if c in parts for k in (0, 1)}


def set_aside(series: Series, disputed: Collection[date]) -> Series:
    """`series` with the changes of the `disputed` report dates marked "disputed", as a
    correction is marked: records skip them on both sides of a comparison. A point another
    reason already excludes keeps that reason."""
    if not disputed:
        return series
    return replace(series, points=tuple(
        p._replace(excluded=DISPUTED) if p.day in disputed and p.excluded is None
        and p.change is not None else p for p in series.points))


def rank(series: Series, day: date, window: int | None) -> Rank | None:
    """The rank of `day`'s change among the reports of the `window` days ending on `day`."""
    p = series.at(day)
    if p is None or not counts(p):
        return None
    start = None if window is None else day - timedelta(days=window - 1)
    pool = [q for q in series.between(start, day) if counts(q)]
    assert p.change is not None
    larger = sum(1 for q in pool if q.change is not None and q.change > p.change)
    same = sum(1 for q in pool if q.change == p.change) - 1
    return Rank(larger + 1, len(pool), window, same)


def highest_since(series: Series, day: date) -> Point | None:
    """The most recent earlier report whose change is larger than `day`'s."""
    return _last_earlier(series, day, strictly=True)


def tied_with(series: Series, day: date) -> Point | None:
    """The most recent earlier report with the same change as `day`'s, if no larger one came
    after it: a record it merely equals."""
    p, q = series.at(day), _last_earlier(series, day, strictly=False)
    return q if p is not None and q is not None and q.change == p.change else None


def _last_earlier(series: Series, day: date, *, strictly: bool) -> Point | None:
    """The most recent earlier counted report whose change is larger than `day`'s (or at
    least as large); None where `day` does not count."""
    i = series.index(day)
    if i is None:
        return None
    p = series.points[i]
    if not counts(p) or p.change is None:
        return None
    for q in reversed(series.points[:i]):
        if counts(q) and q.change is not None and (
                q.change > p.change if strictly else q.change >= p.change):
            return q
    return None


def record(series: Series, day: date) -> Record:
    p = series.at(day)
    ranks = {_wname(w): rank(series, day, w) for w in WINDOWS}
    hs = highest_since(series, day)
    return Record(series.name, day, None if p is None else p.change, ranks,
                  None if hs is None else hs.day, None if hs is None else hs.change,
                  None if p is None else p.excluded, "" if p is None else p.basis)


class Standing(NamedTuple):
    """What a brief needs of a record: the day's point, its rank in each of `WINDOWS` (None
    where the point does not count) and the last earlier report with a larger change."""

    change: int | None
    total: int | None
    basis: str
    excluded: str | None
    ranks: tuple[int | None, ...]
    highest_since: date | None
    highest_since_value: int | None
    tied_with: date | None = None
    """The last earlier report with the same change, when no larger one came after it."""
    skipped: date | None = None
    """The last report after `highest_since` whose larger change records skip (a correction
    or a two-day figure): "the most since X, not counting the correction of Y"."""
    skipped_value: int | None = None
    skipped_reason: str | None = None
    """Why records skip it: "correction" or "two_day" (`series.Point.excluded`)."""
    recent_mean: float | None = None
    """The mean change per report over the `RECENT` reports before: the difference of
    their totals (corrections included, as the totals have them), divided by `RECENT`; None
    where one of those reports is missing."""
    disputed: bool = False
    """Whether the change rests on a disputed total: records skip it (its ranks are None,
    as an excluded point's), while `excluded` keeps the series' own reason, if any."""


def recent_mean(series: Series, day: date) -> float | None:
    i = series.index(day)
    if i is None or i < RECENT + 1:
        return None
    a, b = series.points[i - RECENT - 1], series.points[i - 1]
    if (day - a.day).days != RECENT + 1 or (day - b.day).days != 1 or a.total is None \
            or b.total is None:
        return None
    return (b.total - a.total) / RECENT


def skipped(series: Series, day: date) -> Point | None:
    """The last earlier report that records skip (`counts` is false) with a larger change
    than `day`'s, after the last larger report that counts."""
    p, hs = series.at(day), highest_since(series, day)
    i = series.index(day)
    if p is None or i is None or not counts(p) or p.change is None:
        return None
    for q in reversed(series.points[:i]):
        if hs is not None and q.day <= hs.day:
            return None
        if not counts(q) and q.change is not None and q.change > p.change:
            return q
    return None


def standing(series: Series, day: date, disputed: Collection[date] = ()) -> Standing | None:
    """`day`'s standing in the series, from `record`, the changes of the `disputed` report
    dates set aside (`set_aside`); None where the series has no point."""
    p = series.at(day)
    if p is None:
        return None
    series = set_aside(series, disputed)
    rec = record(series, day)
    tie = tied_with(series, day)
    skip = skipped(series, day)
    return Standing(p.change, p.total, p.basis, p.excluded,
                    tuple(r.rank if r else None for r in rec.ranks.values()),
                    rec.highest_since, rec.highest_since_value, tie.day if tie else None,
                    skip.day if skip else None, skip.change if skip else None,
                    skip.excluded if skip else None, recent_mean(series, day),
                    day in disputed and p.change is not None)


def standings(series: Series, disputed: Collection[date] = ()) -> list[tuple[date, Standing]]:
    """The standing of every point at once, equal to `standing` on each day (the tests check
    every day of the real history). One sorted pool per window, so each rank is a bisection:
    O(n log n) where asking `standing` day by day is O(n^2). It lets the store keep every
    day's standings with the ledger, so that a brief reads them instead of the history."""
    own = series.points  # the series' own exclusions, which a standing keeps
    series = set_aside(series, disputed)
    counted = [p for p in series.points if counts(p) and p.change is not None]
    ordinals = [p.day.toordinal() for p in counted]
    values = [p.change or 0 for p in counted]  # counted points all have a change
    ranks = list(zip(*(_ranks(ordinals, values, w) for w in WINDOWS), strict=True))
    since = _previous(values, strictly=True)
    level = _previous(values, strictly=False)
    mine = {p.day: i for i, p in enumerate(counted)}
    uncounted = (None,) * len(WINDOWS)
    skippable = [p for p in series.points if not counts(p) and p.change is not None]
    skip_days = [p.day for p in skippable]
    out: list[tuple[date, Standing]] = []
    pts = series.points
    for n, p in enumerate(pts):
        i = mine.get(p.day)
        mean = None
        if n >= RECENT + 1:
            a, b = pts[n - RECENT - 1], pts[n - 1]
            if (p.day - a.day).days == RECENT + 1 and (p.day - b.day).days == 1 and \
                    a.total is not None and b.total is not None:
                mean = (b.total - a.total) / RECENT
        doubt = p.day in disputed and p.change is not None
        if i is None:
            out.append((p.day, Standing(p.change, p.total, p.basis, own[n].excluded,
                                        uncounted, None, None, recent_mean=mean,
                                        disputed=doubt)))
        else:
            j, k = since[i], level[i]
            tie = counted[k].day if k is not None and values[k] == values[i] else None
            hs = None if j is None else counted[j].day
            skip = None
            for q in reversed(skippable[:bisect_left(skip_days, p.day)]):  # a few per series
                if hs is not None and q.day <= hs:
                    break
                if q.change is not None and q.change > values[i]:
                    skip = q
                    break
            out.append((p.day, Standing(p.change, p.total, p.basis, own[n].excluded,
                                        ranks[i], hs, None if j is None else values[j], tie,
                                        None if skip is None else skip.day,
                                        None if skip is None else skip.change,
                                        None if skip is None else skip.excluded, mean,
                                        doubt)))
    return out


def _ranks(ordinals: list[int], values: list[int], window: int | None) -> list[int]:
    """Each value's rank among the values of the `window` days ending on its day (all the
    earlier ones with None), itself included: a sorted pool that slides along."""
    pool: list[int] = []
    out = []
    h = 0
    for o, v in zip(ordinals, values, strict=True):
        if window is not None:
            start = o - window + 1
            while ordinals[h] < start:
                del pool[bisect_left(pool, values[h])]
                h += 1
        insort(pool, v)
        out.append(len(pool) - bisect_right(pool, v) + 1)
    return out


def _previous(values: list[int], *, strictly: bool) -> list[int | None]:
    """For each value, the index of the last earlier value larger than it (`strictly`) or at
    least as large: a stack of the earlier values that nothing later has passed."""
    out: list[int | None] = []
    stack: list[int] = []
    for i, v in enumerate(values):
        if strictly:
            while stack and values[stack[-1]] <= v:
                stack.pop()
        else:
            while stack and values[stack[-1]] < v:
                stack.pop()
        out.append(stack[-1] if stack else None)
        stack.append(i)
    return out


def describe(series: Series, day: date, window: int = 30, n: int = 10,
             disputed: Collection[date] = ()) -> dict[str, Any]:
    """A day's record as a document (the `records` command and the API): ranks with their
    pools and ties, the last higher report (and what it counted, where that differs: a
    category's predecessors before a merge), the day it ties with, the top `n` days of the
    `window` days to `day`, and the days records skipped there (the changes of the
    `disputed` report dates among them: `set_aside`). A day with no change ranks nowhere
    ("rank 1" of a month of zeros says nothing); a day the series has no point on says when
    it was last reported."""
    series = set_aside(series, disputed)
    r = record(series, day)
    p = series.at(day)
    hs = series.at(r.highest_since) if r.highest_since else None
    tie = tied_with(series, day)
    skip = skipped(series, day)
    start = day - timedelta(days=window - 1)
    earlier = series.between(None, day)
    no_change = p is not None and p.change == 0
    last = r.highest_since.isoformat() if r.highest_since else None
    comps = list(hs.components) if hs and not series.is_aggregate \
        and hs.components != (series.name,) else None
    return {
        "name": series.name, "definition": series.definition, "date": day.isoformat(),
        "reported": p is not None,
        "last_reported": earlier[-1].day.isoformat() if earlier else None,
        "change": r.change, "basis": r.basis, "excluded": r.excluded,
        "no_change": no_change,
        "ranks": {k: (None if v is None or no_change else
                      {"rank": v.rank, "of": v.of, "ties": v.ties})
                  for k, v in r.ranks.items()},
        "last_higher": last, "last_higher_value": r.highest_since_value,
        "last_higher_components": comps,
        # the old names, kept as aliases for one release
        "highest_since": last, "highest_since_value": r.highest_since_value,
        "highest_since_components": comps,
        "tied_with": tie.day.isoformat() if tie else None,
        "skipped": ({"date": skip.day.isoformat(), "change": skip.change,
                     "reason": skip.excluded} if skip else None),
        "top": [{"date": q.day.isoformat(), "change": q.change}
                for q in top(series, start, day, n)],
        "excluded_days": [{"date": q.day.isoformat(), "change": q.change,
                           "reason": q.excluded} for q in excluded(series, start, day)],
    }


def top(series: Series, start: date | None, end: date | None, n: int = 10) -> list[Point]:
    """The `n` largest changes in a range (ties by date, earliest first)."""
    # nsmallest over the whole war is a partial sort: the checker ranks many claims
    return heapq.nsmallest(n, (p for p in series.between(start, end) if counts(p)),
                           key=lambda p: (-(p.change or 0), p.day))


def excluded(series: Series, start: date | None = None, end: date | None = None
             ) -> list[Point]:
    """The points records skip in a range, so that outputs can list them."""
    return [p for p in series.between(start, end) if p.excluded is not None]


def _wname(window: int | None) -> str:
    return "war" if window is None else f"{window}d"


WINDOW_NAMES: tuple[str, ...] = tuple(_wname(w) for w in WINDOWS)
"""The windows' names in the order of `Standing.ranks`: "7d" ... "365d", "war"."""
