"""Which reports a period holds: one definition for every command that sums a period.

Report D covers the losses of day D−1, so the losses of the days `first .. last` are held by
the reports `first + 1 .. last + 1`: a calendar month's are the reports from its 2nd to the
1st of the next month, an ISO week's (Monday to Sunday) the reports from Tuesday to the next
Monday. The first report, of 24 February 2022, is the exception: it is the total since the
invasion began that day, so a period that starts on or before 24 February 2022 starts with it.

Pure functions over dates (no store, no series): the brief, the summary, the API and the
checker all ask here.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NamedTuple

from attrition.errors import DateError

FIRST_REPORT = date(2022, 2, 24)
"""The first report: the total since the invasion began that day (no day before it)."""
_DAY = timedelta(days=1)


class Period(NamedTuple):
    """A period of days and the reports that hold its losses."""

    name: str
    """"2024-11", "2024-W46", or "2024-11-01..2024-11-14"."""
    kind: str
    """"month", "week", "year" or "days"."""
    first_day: date
    last_day: date
    """The days whose losses the period counts (inclusive)."""

    @property
    def first(self) -> date:
        """The first report date the period holds."""
        return FIRST_REPORT if self.first_day <= FIRST_REPORT else self.first_day + _DAY

    @property
    def last(self) -> date:
        """The last report date the period holds."""
        return max(self.last_day + _DAY, FIRST_REPORT)

    @property
    def reports(self) -> int:
        """How many reports the period holds when none is missing."""
        return (self.last - self.first).days + 1

    def held_to(self, latest: date) -> int:
        """How many of its reports exist when `latest` is the newest report."""
        return max(0, (min(self.last, latest) - self.first).days + 1)


def days(first_day: date, last_day: date, name: str = "") -> Period:
    """The losses of the days `first_day .. last_day`."""
    if last_day < first_day:
        raise DateError(f"the period ends ({last_day}) before it starts ({first_day})")
    return Period(name or f"{first_day.isoformat()}..{last_day.isoformat()}", "days",
                  first_day, last_day)


def _year_in_range(year: int, text: str, what: str) -> None:
    # the same bounds as every typed date (attrition.dates): a month or week must leave room
    # for the arithmetic around it (the period before, the report after)
    from attrition.dates import EARLIEST, LATEST

    if not EARLIEST.year <= year <= LATEST.year - 1:
        raise DateError(f"{what} out of range: {text!r} (years {EARLIEST.year} to "
                        f"{LATEST.year - 1})")


def parse_month(text: str) -> tuple[int, int]:
    """`2024-11` -> (2024, 11)."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise DateError(f"not a month: {text!r} (use YYYY-MM, e.g. 2024-11)")
    _year_in_range(int(m[1]), text, "month")
    return int(m[1]), int(m[2])


def parse_week(text: str) -> tuple[int, int]:
    """`2024-W46` -> (2024, 46)."""
    m = re.fullmatch(r"(\d{4})-?W(\d{1,2})", text.strip(), re.I)
    if not m:
        raise DateError(f"not an ISO week: {text!r} (use YYYY-Www, e.g. 2024-W46)")
    _year_in_range(int(m[1]), text, "week")
    try:
        date.fromisocalendar(int(m[1]), int(m[2]), 1)
    except ValueError:
        raise DateError(f"no such ISO week: {text!r}") from None
    return int(m[1]), int(m[2])


def month(year: int, mon: int) -> Period:
    """The losses of a calendar month: the reports of its 2nd to the 1st of the next."""
    first = date(year, mon, 1)
    nxt = date(year + (mon == 12), mon % 12 + 1, 1)
    return Period(f"{year:04d}-{mon:02d}", "month", first, nxt - _DAY)


def week(year: int, number: int) -> Period:
    """The losses of an ISO week, Monday to Sunday: the reports of Tuesday to Monday."""
    monday = date.fromisocalendar(year, number, 1)
    return Period(f"{year:04d}-W{number:02d}", "week", monday, monday + 6 * _DAY)


def year(yr: int) -> Period:
    """The losses of a calendar year: the reports of 2 January to 1 January of the next (2022
    from the first report)."""
    return Period(f"{yr:04d}", "year", date(yr, 1, 1), date(yr, 12, 31))


def of_month(text: str) -> Period:
    return month(*parse_month(text))


def of_week(text: str) -> Period:
    return week(*parse_week(text))


def month_to_date(year: int, mon: int, report: date) -> Period:
    """"Since the start of <month>", as of the report of `report`: the month's reports up to
    that one."""
    whole = month(year, mon)
    return Period(f"{whole.name} to {report.isoformat()}", "days", whole.first_day,
                  max(whole.first_day, min(whole.last_day, report - _DAY)))


def year_to_date(report: date) -> Period:
    """"So far this year" as of the report of `report`: from the report of 2 January (or the
    first report) to that one."""
    return Period(f"{report.year} to {report.isoformat()}", "days",
                  date(report.year, 1, 1), max(date(report.year, 1, 1), report - _DAY))


def previous(p: Period) -> Period:
    """The period before: the month before a month, the week before a week, the same number
    of days before a range of days."""
    if p.kind == "month":
        before = p.first_day - _DAY
        return month(before.year, before.month)
    if p.kind == "week":
        iso = (p.first_day - 7 * _DAY).isocalendar()
        return week(iso.year, iso.week)
    n = (p.last_day - p.first_day).days + 1
    return days(p.first_day - n * _DAY, p.first_day - _DAY)


def of_reports(first: date, last: date) -> Period:
    """The period whose reports are `first .. last` (report dates, as `series --from/--to`)."""
    return days(first - _DAY, last - _DAY)
