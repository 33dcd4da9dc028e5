"""Records and rankings: where a day's change stands among other reports.

Only points that count (not a category's creation, not a correction day; see series.Point)
take part, on both sides of a comparison.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from attrition.analysis.series import Point, Series

WINDOWS: tuple[int | None, ...] = (7, 30, 90, 365, None)
"""Days looked back for ranks; None is the whole war."""


@dataclass(frozen=True)
class Rank:
    rank: int
    """1 + the number of reports in the window with a strictly larger change."""
    of: int
    """Reports in the window that count."""
    window: int | None
    ties: int
    """Other reports in the window with the same change."""


@dataclass(frozen=True)
class Record:
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
    i = series.index(day)
    if i is None:
        return None
    p = series.points[i]
    if not counts(p) or p.change is None:
        return None
    for q in reversed(series.points[:i]):
        if counts(q) and q.change is not None and q.change > p.change:
            return q
    return None


def record(series: Series, day: date) -> Record:
    p = series.at(day)
    ranks = {_wname(w): rank(series, day, w) for w in WINDOWS}
    hs = highest_since(series, day)
    return Record(series.name, day, None if p is None else p.change, ranks,
                  None if hs is None else hs.day, None if hs is None else hs.change,
                  None if p is None else p.excluded, "" if p is None else p.basis)


def top(series: Series, start: date | None, end: date | None, n: int = 10) -> list[Point]:
    """The `n` largest changes in a range (ties by date, earliest first)."""
    pool = [p for p in series.between(start, end) if counts(p)]
    pool.sort(key=lambda p: (-(p.change or 0), p.day))
    return pool[:n]


def excluded(series: Series, start: date | None = None, end: date | None = None
             ) -> list[Point]:
    """The points records skip in a range, so that outputs can list them."""
    return [p for p in series.between(start, end) if p.excluded is not None]


def _wname(window: int | None) -> str:
    return "war" if window is None else f"{window}d"
