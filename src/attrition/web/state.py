"""What the web app serves from: the whole ledger in memory, reloaded when the store changes.

The ledger is small (~23k cells), so every request is answered from memory; the store is
asked only whether anything was ingested since (at most once every `ttl` seconds).
"""

from __future__ import annotations

import threading
import time
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from attrition import categories, crosswalk
from attrition.categories import Aggregate
from attrition.model import ConfirmedCount, ConfirmedItem
from attrition.service import Checker
from attrition.store.read import LedgerRow, Reader, SeriesRow

CACHE_SIZE = 4096
CACHE_BYTES = 64 * 1024 * 1024


@dataclass
class Data:
    url: str
    version: tuple[int, int, str]
    by_category: dict[str, list[SeriesRow]]
    corrections: list[tuple[str, date, str, int]]
    reports: dict[date, list[LedgerRow]]
    sources: list[dict[str, Any]]
    confirmed_counts: list[ConfirmedCount]
    confirmed_retrieved: dict[str, str]
    aggregates: dict[str, Aggregate]
    crosswalk: crosswalk.Crosswalk
    witnesses: dict[str, int] = field(default_factory=dict)
    loaded_at: float = field(default_factory=time.time)

    @property
    def first(self) -> date | None:
        return min(self.reports) if self.reports else None

    @property
    def latest(self) -> date | None:
        return max(self.reports) if self.reports else None

    @cached_property
    def checker(self) -> Checker:
        """The fact-checker over this data, built once."""
        return Checker(self.ledger)

    @cached_property
    def series_cache(self) -> dict[tuple[str, str], Any]:
        return {}

    @cached_property
    def ledger(self) -> MemoryLedger:
        """This data as the `attrition.service.Ledger` the operations read."""
        return MemoryLedger(self)


class MemoryLedger:
    """`Data` answering as a store `Reader` does (`attrition.service.Ledger`), from memory;
    what is not held in memory (the daybook's rows, confirmed items) is read from the store
    through one read-only connection per thread."""

    def __init__(self, data: Data) -> None:
        self.data = data
        self.url = data.url
        self._local = threading.local()

    def _reader(self) -> Reader:
        r: Reader | None = getattr(self._local, "reader", None)
        if r is None:
            r = self._local.reader = Reader(self.url)
        return r

    def version(self) -> tuple[int, int, str]:
        return self.data.version

    def latest_date(self) -> date | None:
        return self.data.latest

    def first_date(self) -> date | None:
        return self.data.first

    def report(self, day: date) -> list[LedgerRow]:
        return list(self.data.reports.get(day, ()))

    def by_category(self) -> dict[str, list[SeriesRow]]:
        return self.data.by_category

    def series(self, category: str, start: date | None = None, end: date | None = None
               ) -> list[LedgerRow]:
        """A category's cells in date order, `start`..`end` inclusive (as `Reader.series`)."""
        key = ("cells", category)
        rows: list[LedgerRow] | None = self.data.series_cache.get(key)
        if rows is None:
            rows = self.data.series_cache[key] = [
                r for day in sorted(self.data.reports) for r in self.data.reports[day]
                if r.category == category]
        lo = 0 if start is None else bisect_left(rows, start, key=lambda r: r.report_date)
        hi = len(rows) if end is None else bisect_right(rows, end, key=lambda r: r.report_date)
        return rows[lo:hi]

    def disputed_cells(self) -> set[tuple[str, date]]:
        key = ("cells", "disputed")
        got: set[tuple[str, date]] | None = self.data.series_cache.get(key)
        if got is None:
            got = self.data.series_cache[key] = {
                (r.category, d) for d, rows in self.data.reports.items() for r in rows
                if r.disputed}
        return got

    def corrections(self) -> list[tuple[str, date, str, int]]:
        return self.data.corrections

    def confirmed_counts(self, source: str | None = None) -> list[ConfirmedCount]:
        if source == "oryx":
            return self.data.confirmed_counts
        return self._reader().confirmed_counts(source)

    def confirmed_items(self, source: str | None = None) -> list[ConfirmedItem]:
        return self._reader().confirmed_items(source)

    def daybook(self, day: date) -> tuple[dict[str, str], str | None, str | None, str | None]:
        return self._reader().daybook(day)

    def sources(self) -> list[dict[str, Any]]:
        return self.data.sources

    def witness_counts(self) -> dict[str, int]:
        return self.data.witnesses

    def confirmed_inputs(self) -> dict[str, str]:
        return self.data.confirmed_retrieved


def load(url: str | None) -> Data:
    with Reader(url) as r:
        reports: dict[date, list[LedgerRow]] = {}
        for row in r.ledger():
            reports.setdefault(row.report_date, []).append(row)
        for rows in reports.values():
            rows.sort(key=lambda x: categories.ORDER.get(x.category, 99))
        witnesses: dict[str, int] = {}
        for rows in reports.values():
            for row in rows:
                for s in row.sources:
                    witnesses[s] = witnesses.get(s, 0) + 1
        return Data(r.url, r.version(), r.by_category(), r.corrections(), reports,
                    r.sources(), r.confirmed_counts("oryx"), r.confirmed_inputs(),
                    categories.aggregates(categories.load_config()), crosswalk.load(),
                    witnesses)


class Holder:
    """The current `Data`, and a cache of rendered responses keyed by its version."""

    def __init__(self, url: str | None, ttl: float = 2.0) -> None:
        self.url = url
        self.ttl = ttl
        self._lock = threading.Lock()
        self._checking = threading.Lock()
        self._data = load(url)
        self._checked = time.monotonic()
        self.responses: OrderedDict[tuple[Any, ...], tuple[bytes, str, int]] = OrderedDict()
        self.size = 0

    def get(self) -> Data:
        now = time.monotonic()
        if now - self._checked < self.ttl:
            return self._data
        with self._checking:
            if now - self._checked >= self.ttl:
                self._checked = now
                with Reader(self.url) as r:
                    version = r.version()
                if version != self._data.version:
                    self.reload()
        return self._data

    def reload(self) -> None:
        data = load(self.url)
        with self._lock:
            self._data = data
            self.responses.clear()
            self.size = 0
            self._checked = time.monotonic()

    def fresh(self) -> bool:
        """Whether the data was checked against the store within `ttl` (the event loop
        answers from the response cache only then: checking may mean reloading, which is
        work for a thread)."""
        return time.monotonic() - self._checked < self.ttl

    def cached(self, key: tuple[Any, ...]) -> tuple[bytes, str, int] | None:
        return self.responses.get((self._data.version, *key))

    def remember(self, key: tuple[Any, ...], value: tuple[bytes, str, int],
                 version: tuple[int, int, str] | None = None) -> None:
        """Keep a response computed from the data of `version` (default: the current one;
        a response computed from data that has since been replaced is keyed by its own
        version, so it is never served for the new data)."""
        full = (version or self._data.version, *key)
        with self._lock:  # endpoints run in threads: the byte count must stay exact
            old = self.responses.pop(full, None)
            if old is not None:
                self.size -= len(old[0])
            self.responses[full] = value
            self.size += len(value[0])
            # bounded in entries and in bytes: distinct query strings must not fill memory
            while self.responses and (len(self.responses) > CACHE_SIZE
                                      or self.size > CACHE_BYTES):
                _, dropped = self.responses.popitem(last=False)
                self.size -= len(dropped[0])
