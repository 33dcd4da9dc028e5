"""Dates, weeks and months as users type them: YYYY-MM-DD, today, yesterday, latest;
YYYY-Www; YYYY-MM.

Every date a user gives is refused outside EARLIEST..LATEST: the analyses step back and
forth by days, weeks and years from it (the day a report covers, the previous week, the last
365 days), and at the ends of Python's calendar (year 1, year 9999) that arithmetic fails.
No report of this war comes near either bound; a date past them is a typing error.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cache

from attrition.errors import DateError, NotFoundError

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)


def _quoted(text: str) -> str:
    """A value a user gave, quoted in an error; a long one cut (a 10 kB path segment is
    not echoed back whole)."""
    return repr(text if len(text) <= 60 else text[:60] + "…")


def _in_range(d: date, text: str, what: str = "date") -> date:
    if not EARLIEST <= d <= LATEST:
        raise DateError(f"{what} out of range: {_quoted(text)} (give one between "
                        f"{EARLIEST.isoformat()} and {LATEST.isoformat()})")
    return d


def parse_day(text: str, latest: Callable[[], date | None] | None = None,
              today: date | None = None) -> date:
    word = text.strip().lower()
    today = today or date.today()
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    if word == "latest":
        found = latest() if latest is not None else None
        if found is None:
            raise NotFoundError("no reports in the database")
        return found
    try:
        day = date.fromisoformat(word)
    except ValueError:
        raise DateError(
            f"not a date: {_quoted(text)} (use YYYY-MM-DD, today, yesterday or latest)") from None
    return _in_range(day, text)


def parse_published(text: str, today: date | None = None) -> date:
    """The date an article was published, as a user gives it (`check --date`, the API's
    `date`): a day as `parse_day` reads it, and never after tomorrow (tomorrow: a Kyiv
    morning is still the evening before in the Americas). A later date is a typing error,
    and would be judged against reports that do not exist yet."""
    today = today or date.today()
    if text.strip().lower() == "latest":  # of reports, not of articles
        raise DateError("the article's date: give the day it was published (YYYY-MM-DD, "
                        "today or yesterday), not latest")
    day = parse_day(text, today=today)
    if day > today + timedelta(days=1):
        raise DateError(f"the article's date {day.isoformat()} is in the future: give the "
                        "date it was published (YYYY-MM-DD)")
    return day


def not_future(at: datetime, text: str, now: datetime | None = None) -> datetime:
    """`at` (a moment a user gave as `text`), refused when it is more than a day ahead of
    `now`: the ledger cannot be read as it will be."""
    now = now or datetime.now(kyiv())
    if at > now + timedelta(days=1):
        raise DateError(f"{_quoted(text)} is in the future: the ledger can be read as it was, up "
                        "to now")
    return at


def parse_week(text: str) -> tuple[date, date]:
    """`2024-W46` -> (Monday, Sunday) of that ISO week."""
    m = re.fullmatch(r"(\d{4})-?W(\d{1,2})", text.strip(), re.I)
    if not m:
        raise DateError(f"not an ISO week: {_quoted(text)} (use YYYY-Www, e.g. 2024-W46)")
    year = int(m[1])
    if not EARLIEST.year <= year <= LATEST.year - 1:  # a week may end in the next year
        raise DateError(f"week out of range: {_quoted(text)} (years {EARLIEST.year} to "
                        f"{LATEST.year - 1})")
    try:
        monday = date.fromisocalendar(year, int(m[2]), 1)
    except ValueError:
        raise DateError(f"no such ISO week: {_quoted(text)}") from None
    return monday, monday + timedelta(days=6)


def parse_month(text: str) -> tuple[date, date]:
    """`2024-11` -> (first, last day of the month)."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise DateError(f"not a month: {_quoted(text)} (use YYYY-MM)")
    year = int(m[1])
    if not EARLIEST.year <= year <= LATEST.year - 1:
        raise DateError(f"month out of range: {_quoted(text)} (years {EARLIEST.year} to "
                        f"{LATEST.year - 1})")
    first = date(year, int(m[2]), 1)
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


# -- moments: the ledger as of a time --------------------------------------------------------

@cache
def kyiv() -> tzinfo:
    """Kyiv's time zone (imported when first asked: `zoneinfo` costs ~10 ms, and commands
    that never meet a time must not pay it at start-up)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo("Europe/Kyiv")
    except ZoneInfoNotFoundError:  # zone files older than 2022 know it by its old name
        return ZoneInfo("Europe/Kiev")


MORNING = time(9, 0)
"""A report of date D counts as published at 09:00 Kyiv time on D (the General Staff posts it
between about 07:00 and 09:00), unless a source records when it appeared."""


def morning(day: date) -> datetime:
    """When the report of `day` counts as published: 09:00 in Kyiv that day (summer or
    winter time, as the zone says), as an aware datetime."""
    return datetime.combine(day, MORNING, tzinfo=kyiv())


def kyiv_date(moment: datetime) -> date:
    return moment.astimezone(kyiv()).date()


def parse_moment(text: str, now: datetime | None = None) -> datetime:
    """A moment as a user gives it: `now`, an ISO date (the end of that day in Kyiv: every
    report published that day counts) or an ISO date-time, with a zone (`Z`, `+02:00`) or
    without one (Kyiv time). An aware datetime; a clear error naming the value otherwise."""
    word = text.strip()
    if word.lower() == "now":
        return now or datetime.now(kyiv())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
        try:
            day = date.fromisoformat(word)
        except ValueError:
            raise DateError(f"not a time: {_quoted(text)} (no such date)") from None
        _in_range(day, text, "time")
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=kyiv()) - \
            timedelta(microseconds=1)
    try:
        got = datetime.fromisoformat(word.replace(" ", "T", 1) if " " in word else word)
    except ValueError:
        raise DateError(
            f"not a time: {_quoted(text)} (use an ISO date or date-time, e.g. 2024-11-14, "
            "2024-11-14T10:00, 2024-11-14T08:00:00Z or 2024-11-14T10:00+02:00; a time "
            "without a zone is Kyiv time; or now)") from None
    _in_range(got.date(), text, "time")
    return got.replace(tzinfo=kyiv()) if got.tzinfo is None else got


@functools.lru_cache(maxsize=4096)
def stored_time(text: str | None) -> datetime | None:
    """A time as the store keeps it (ISO; a bare date, as the bundled snapshot records a
    retrieval, is the end of that day in Kyiv); None when empty or unreadable. Memoised:
    a store holds few distinct times (one per ingest)."""
    if not text:
        return None
    try:
        return parse_moment(str(text))
    except DateError:
        return None
