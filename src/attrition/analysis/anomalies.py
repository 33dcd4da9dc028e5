"""Anomalies: days far outside the recent distribution, and breaks in a series' level that
suggest a change of definition (the UAV series quadruples during 2026)."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from attrition.analysis.records import counts

if TYPE_CHECKING:
    from attrition.analysis.series import Series


class Outlier(NamedTuple):
    day: date
    change: int
    median: float
    mad: float
    score: float
    """Robust z-score: 0.6745 × (change − median) / MAD."""


class Break(NamedTuple):  # NamedTuples: a brief reads breaks from the daybook at start-up
    day: date
    before: float
    """Median daily change over the `window` days before."""
    after: float
    """Median daily change over the `window` days from this day on."""

    @property
    def factor(self) -> float:
        return self.after / self.before if self.before else float("inf")


def outliers(series: Series, window: int = 30, threshold: float = 5.0,
             min_points: int = 10) -> list[Outlier]:
    """Days whose change is more than `threshold` robust z-scores from the median of the
    previous `window` reports that count."""
    import statistics

    pts = [p for p in series.points if counts(p)]
    out = []
    for i, p in enumerate(pts):
        prev = [q.change for q in pts[max(0, i - window): i] if q.change is not None]
        if len(prev) < min_points or p.change is None:
            continue
        med = statistics.median(prev)
        mad = statistics.median(abs(x - med) for x in prev) or 1.0
        score = 0.6745 * (p.change - med) / mad
        if abs(score) > threshold:
            out.append(Outlier(p.day, p.change, med, mad, round(score, 1)))
    return out


def breaks(series: Series, window: int = 60, factor: float = 1.8, floor: float = 10.0,
           from_none: float = 3.0, *, known: Sequence[Break] | None = None,
           changed_from: date | None = None) -> list[Break]:
    """Days where the median change of the next `window` days is at least `factor` times
    that of the previous `window` days (or a `factor`-th of it), both medians `floor` or
    more; or where a median of 0 becomes `from_none` or more (special equipment: none on
    most days of 2025, 3 a day from April 2026). One per shift. Found in every series: the
    UAV counts of 2026, and the rises of vehicles and artillery. The two windows slide along
    as sorted lists (the daybook asks this of every series).

    `known`: the breaks found before the series changed from `changed_from` on (its points
    before that day the same): a break reads the `window` reports on each side and the
    breaks before it, so those more than `window` reports before the change stand, and the
    scan resumes there (a new report rescans ~120 reports, not the war)."""
    pts = [p for p in series.points if counts(p)]
    values = [p.change or 0 for p in pts]
    out: list[Break] = []
    if len(pts) < 2 * window:
        return out
    first = window
    if known is not None and changed_from is not None:
        # the first report whose windows reach a changed one (its points before, and so
        # the breaks found among them, are the ones `known` was found in)
        resume = bisect_left([p.day for p in pts], changed_from) - window + 1
        if resume > window:
            first = resume
            out = [b for b in known if b.day < pts[first].day]
            if first > len(pts) - window:
                return out
    before = sorted(values[first - window:first])
    after = sorted(values[first:first + window])
    for i in range(first, len(pts) - window + 1):
        if i > first:  # slide both windows one report on
            del before[bisect_left(before, values[i - window - 1])]
            insort(before, values[i - 1])
            del after[bisect_left(after, values[i - 1])]
            insort(after, values[i + window - 1])
        day = pts[i].day
        if out and day - out[-1].day < timedelta(days=window):
            continue
        b, a = _median(before), _median(after)
        lo, hi = sorted((b, a))
        if lo == 0 and hi >= from_none:
            out.append(Break(day, b, a))
        elif lo >= floor and hi / lo >= factor:  # small counts swing by ratios that mean
            out.append(Break(day, b, a))  # nothing
    return out


def _median(ordered: list[int]) -> float:
    """statistics.median of a sorted list, without sorting it again."""
    n = len(ordered)
    return float(ordered[n // 2]) if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
