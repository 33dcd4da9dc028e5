"""Windows over a series: N-day sums and means, ISO weeks, calendar months, week on week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from attrition import dates
from attrition.analysis.series import Series


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
    """Days in the window: fewer reports than days means gaps."""

    @property
    def mean(self) -> float | None:
        return self.total / self.reports if self.reports else None


def span(series: Series, start: date, end: date, name: str = "") -> Window:
    pts = [p for p in series.between(start, end) if p.change is not None]
    return Window(name or f"{start}..{end}", start, end, sum(p.change or 0 for p in pts),
                  len(pts), (end - start).days + 1)


def last_days(series: Series, end: date, days: int) -> Window:
    return span(series, end - timedelta(days=days - 1), end, f"{days} days to {end}")


def parse_week(text: str) -> tuple[date, date]:
    """`2024-W46` -> (Monday, Sunday) of that ISO week (parsed and range-checked where
    every user-typed date is: attrition.dates)."""
    return dates.parse_week(text)


def parse_month(text: str) -> tuple[date, date]:
    """`2024-11` -> (first, last day of the month)."""
    return dates.parse_month(text)


def week(series: Series, text: str) -> Window:
    start, end = parse_week(text)
    return span(series, start, end, text.upper())


def month(series: Series, text: str) -> Window:
    start, end = parse_month(text)
    return span(series, start, end, text)


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
