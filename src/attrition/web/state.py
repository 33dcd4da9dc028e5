"""What the web app serves from: the whole ledger in memory, reloaded when the store changes.

The ledger is small (~23k cells), so every request is answered from memory; the store is
asked only whether anything was ingested since (at most once every `ttl` seconds).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from attrition import categories, crosswalk
from attrition.categories import Aggregate
from attrition.model import ConfirmedCount
from attrition.store.read import LedgerRow, Reader, SeriesRow

CACHE_SIZE = 4096
CACHE_BYTES = 64 * 1024 * 1024


@dataclass
class Data:
    version: tuple[int, int, str]
    by_category: dict[str, list[SeriesRow]]
    corrections: list[tuple[str, date, str, int]]
    reports: dict[date, list[LedgerRow]]
    sources: list[dict[str, Any]]
    confirmed_counts: list[ConfirmedCount]
    confirmed_retrieved: dict[str, str]
    aggregates: dict[str, Aggregate]
    crosswalk: crosswalk.Crosswalk
    loaded_at: float = field(default_factory=time.time)

    @property
    def first(self) -> date | None:
        return min(self.reports) if self.reports else None

    @property
    def latest(self) -> date | None:
        return max(self.reports) if self.reports else None

    @cached_property
    def ledger_view(self) -> Any:
        from attrition.check import LedgerView

        return LedgerView(self.by_category, self.corrections)

    @cached_property
    def confirmed_view(self) -> Any:
        from attrition.check import ConfirmedView

        return ConfirmedView(self.by_category, self.confirmed_counts, self.crosswalk)

    @cached_property
    def series_cache(self) -> dict[tuple[str, str], Any]:
        return {}


def load(url: str | None) -> Data:
    with Reader(url) as r:
        reports: dict[date, list[LedgerRow]] = {}
        for row in r.ledger():
            reports.setdefault(row.report_date, []).append(row)
        for rows in reports.values():
            rows.sort(key=lambda x: categories.ORDER.get(x.category, 99))
        return Data(r.version(), r.by_category(), r.corrections(), reports, r.sources(),
                    r.confirmed_counts("oryx"), r.confirmed_inputs(),
                    categories.aggregates(categories.load_config()), crosswalk.load())


class Holder:
    """The current `Data`, and a cache of rendered responses keyed by its version."""

    def __init__(self, url: str | None, ttl: float = 2.0) -> None:
        self.url = url
        self.ttl = ttl
        self._lock = threading.Lock()
        self._data = load(url)
        self._checked = time.monotonic()
        self.responses: OrderedDict[tuple[Any, ...], tuple[bytes, str, int]] = OrderedDict()
        self.size = 0

    def get(self) -> Data:
        now = time.monotonic()
        if now - self._checked < self.ttl:
            return self._data
        with self._lock:
            if now - self._checked >= self.ttl:
                self._checked = now
                with Reader(self.url) as r:
                    version = r.version()
                if version != self._data.version:
                    self.reload()
        return self._data

    def reload(self) -> None:
        self._data = load(self.url)
        self.responses.clear()
        self.size = 0
        self._checked = time.monotonic()

    def cached(self, key: tuple[Any, ...]) -> tuple[bytes, str, int] | None:
        return self.responses.get((self._data.version, *key))

    def remember(self, key: tuple[Any, ...], value: tuple[bytes, str, int]) -> None:
        full = (self._data.version, *key)
        old = self.responses.pop(full, None)
        if old is not None:
            self.size -= len(old[0])
        self.responses[full] = value
        self.size += len(value[0])
        # bounded in entries and in bytes: distinct query strings must not fill the memory
        while self.responses and (len(self.responses) > CACHE_SIZE or self.size > CACHE_BYTES):
            _, dropped = self.responses.popitem(last=False)
            self.size -= len(dropped[0])
