"""Windows over a series: N-day sums and means, ISO weeks, calendar months, week on week.

Which reports a week or a month holds is `attrition.periods`' business (report D covers day
D−1); here they are summed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from attrition import periods
from attrition.analysis.series import Series
from attrition.periods import Period


@dataclass(frozen=True)
class Window:
    name: str
    start: date
    """First report date in the window (inclusive)."""
    end: date
    """Last report date (inclusive)."""
    total: int
    """Sum of the changes of the reports in the window."""
    reports: int
    """How many reports carry a change in the window."""
    expected: int
    """Reports the window holds when none is missing: fewer reports means gaps (or a period
    not over yet)."""

    @property
    def mean(self) -> float | None:
        return self.total / self.reports if self.reports else None


def span(series: Series, start: date, end: date, name: str = "") -> Window:
    """The reports `start .. end` (report dates). The first report of the war has no change
    but holds the losses since the invasion began: its total counts as its change."""
    pts = series.between(start, end)
    total, n = 0, 0
    for p in pts:
        if p.change is not None:
            total, n = total + p.change, n + 1
        elif p.day <= periods.FIRST_REPORT + timedelta(days=6) and p.total is not None and \
                series.points and series.points[0] is p and p.excluded == "creation":
            total, n = total + p.total, n + 1  # counted from the invasion's first week
    return Window(name or f"{start}..{end}", start, end, total, n, (end - start).days + 1)


def of(series: Series, period: Period) -> Window:
    """The reports a period holds (`periods`)."""
    return span(series, period.first, period.last, period.name)


def last_days(series: Series, end: date, days: int) -> Window:
    return span(series, end - timedelta(days=days - 1), end, f"{days} days to {end}")


def parse_week(text: str) -> tuple[date, date]:
    """`2024-W46` -> the first and last report of that ISO week's losses."""
    p = periods.of_week(text)
    return p.first, p.last


def parse_month(text: str) -> tuple[date, date]:
    """`2024-11` -> the first and last report of that month's losses (2nd .. 1st)."""
    p = periods.of_month(text)
    return p.first, p.last


def week(series: Series, text: str) -> Window:
    return of(series, periods.of_week(text))


def month(series: Series, text: str) -> Window:
    return of(series, periods.of_month(text))


@dataclass(frozen=True)
class WeekOnWeek:
    current: Window
    previous: Window

    @property
    def ratio(self) -> float | None:
        if not self.previous.mean or self.current.mean is None:
            return None
        return self.current.mean / self.previous.mean


def week_on_week(series: Series, end: date) -> WeekOnWeek:
    """The mean of the 7 reports to `end` against the 7 before."""
    return WeekOnWeek(last_days(series, end, 7), last_days(series, end - timedelta(days=7), 7))


def rolling_mean(series: Series, days: int = 7) -> list[tuple[date, float | None]]:
    """The mean change of the `days` reports ending on each report."""
    pts = series.points
    out: list[tuple[date, float | None]] = []
    for i, p in enumerate(pts):
        lo = p.day - timedelta(days=days - 1)
        vals = [q.change for q in pts[max(0, i - days + 1): i + 1]
                if q.day >= lo and q.change is not None]
        out.append((p.day, sum(vals) / len(vals) if vals else None))
    return out
