"""What the checker reads of a SQLite store (every ledger row, the corrections, the Oryx
counts), kept in the cache folder between runs of `attrition check`.

Reading and converting the 22k ledger rows was a fifth of a cold check; the same data as
marshalled columns loads in a few milliseconds. A copy is used only for the very state of the
store it was read from. Its key holds the store's address, the database file's identity,
size, modification time and SQLite's own change counter (written by every commit), and the
store's ingest version; a store with a rollback journal or a write-ahead log beside it is in
the middle of a write, and is read directly. The file carries its length and a checksum of
its contents (`regex_cache.seal`): a damaged, truncated or foreign file is ignored and
rewritten. Any other store (PostgreSQL) is always read directly. The series the checker
builds from it (`keeper`) are kept beside it, for the same state of the store.

`cached(reader)` is a Reader on the same store whose three methods give the same answers,
`columns()`: the ledger as `LedgerView.of_columns` takes it, and `keeper()`: what
`LedgerView.keep` takes.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable
from dataclasses import astuple
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from attrition import categories
from attrition.analysis import series as series_module
from attrition.analysis.series import Point, Series
from attrition.check.ledger import Columns
from attrition.model import ConfirmedCount
from attrition.regex_cache import SEAL, seal
from attrition.store.location import sqlite_path
from attrition.store.read import Reader, SeriesRow

try:  # as in cache.py: hashlib's import starts OpenSSL
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b

FORMAT = b"attrition-checker-ledger 2\n"


class CachedReader(Reader):
    """A Reader whose `by_category`, `corrections` and `confirmed_counts("oryx")` come from
    the cache folder when it holds them for this state of the store."""

    def __init__(self, url: str | None, folder: Path | None) -> None:
        super().__init__(url)
        self._folder = folder
        self._data: dict[str, Any] | None = None
        self._key: bytes | None = None
        """The state of the store `_data` holds, when it can be named."""

    def _load(self) -> dict[str, Any]:
        if self._data is None:
            key = state_key(self)
            path = None
            if key is not None and self._folder is not None:
                path = self._folder / f"ledger-{self._url_name()}.bin"
            data = _read(path, key) if path is not None and key is not None else None
            if data is None:
                data = _collect(self)
                if key is not None and state_key(self) != key:
                    key = None  # written meanwhile: what was read has no name
                if path is not None and key is not None:
                    _write(path, key, data)
            self._data, self._key = data, key
        return self._data

    def _url_name(self) -> str:
        return blake2b(self.url.encode(), digest_size=12).hexdigest()

    def keeper(self) -> Callable[[str, object, Callable[[], Series]], Series] | None:
        """What `LedgerView.keep` takes: a series of the ledger this reader read, from the
        cache folder when it holds it for this state of the store (and this code of
        analysis.series and categories), else built and kept there; None when the state
        cannot be named."""
        self._load()
        if self._key is None or self._folder is None:
            return None
        return partial(_keep_series, self._folder, self._url_name(), self._key)

    def by_category(self) -> dict[str, list[SeriesRow]]:
        out: dict[str, list[SeriesRow]] = {}
        row = partial(tuple.__new__, SeriesRow)  # SeriesRow(...) without its Python __new__
        for cat, ords, totals, changes, announced in self._load()["ledger"]:
            days = map(date.fromordinal, ords)
            out[cat] = list(map(row, zip(days, [cat] * len(ords), totals, changes, announced,
                                         strict=True)))
        return out

    def columns(self) -> dict[str, Columns]:
        """`by_category` as columns (`LedgerView.of_columns`): no row objects, and one date
        object per report date."""
        days: dict[int, date] = {}
        out: dict[str, Columns] = {}
        for cat, ords, totals, changes, announced in self._load()["ledger"]:
            for o in ords:
                if o not in days:
                    days[o] = date.fromordinal(o)
            out[cat] = (list(map(days.__getitem__, ords)), totals, changes, announced)
        return out

    def corrections(self) -> list[tuple[str, date, str, int]]:
        return [(s, date.fromordinal(d), c, v) for s, d, c, v in self._load()["corrections"]]

    def confirmed_counts(self, source: str | None = None) -> list[ConfirmedCount]:
        if source != "oryx":
            return super().confirmed_counts(source)
        return [ConfirmedCount(s, c, t, date.fromordinal(d), *rest)
                for s, c, t, d, *rest in self._load()["oryx"]]


def cached(reader: Reader) -> CachedReader:
    from attrition import cache

    return CachedReader(reader.url, cache.folder())


def state_key(reader: Reader) -> bytes | None:
    """Everything that names this state of a SQLite store, or None when it cannot be named
    (not SQLite, unreadable, or a write under way)."""
    path = sqlite_path(reader.url)
    if path is None:
        return None
    try:
        for suffix in ("-journal", "-wal"):
            if os.path.exists(f"{path}{suffix}"):
                return None
        st = os.stat(path)
        with open(path, "rb") as f:
            header = f.read(100)
        if len(header) < 100:
            return None
        version = reader.version()
    except (OSError, Exception):
        return None
    return marshal.dumps((reader.url, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns,
                          header[24:28], header[92:100], list(version)))


def _collect(reader: CachedReader) -> dict[str, Any]:
    """The checker's data as plain columns (marshal writes only plain values)."""
    ledger = []
    for cat, rows in Reader.by_category(reader).items():
        ledger.append((cat, [r.report_date.toordinal() for r in rows],
                       [r.total for r in rows], [r.change for r in rows],
                       [r.announced_change for r in rows]))
    return {
        "ledger": ledger,
        "corrections": [(s, d.toordinal(), c, v)
                        for s, d, c, v in Reader.corrections(reader)],
        "oryx": [(c.source, c.country, c.type, c.day.toordinal(), *astuple(c)[4:])
                 for c in Reader.confirmed_counts(reader, "oryx")],
    }


def _read(path: Path, key: bytes) -> dict[str, Any] | None:
    doc = _read_sealed(path, FORMAT, key)
    if not isinstance(doc, dict) or set(doc) != {"ledger", "corrections", "oryx"}:
        return None
    return doc


def _read_sealed(path: Path, form: bytes, key: bytes) -> Any:
    """What a file of this `form` holds for `key`; None when it is missing, for another
    key (stale), damaged or truncated."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(form) + 4
    if data[:len(form)] != form:
        return None
    size = int.from_bytes(data[len(form):head], "big")
    if data[head:head + size] != key:
        return None  # another state of the store: stale
    digest, payload = data[head + size:head + size + SEAL], data[head + size + SEAL:]
    if seal(payload) != digest:
        return None  # damaged or truncated
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None


def _write(path: Path, key: bytes, doc: dict[str, Any]) -> None:
    _write_sealed(path, FORMAT, key, doc)


def _write_sealed(path: Path, form: bytes, key: bytes, doc: Any) -> None:
    import tempfile

    try:
        payload = marshal.dumps(doc)
        data = (form + len(key).to_bytes(4, "big") + key
                + seal(payload) + payload)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except (OSError, ValueError):
        return  # a cache that cannot be written is no error


# -- series -----------------------------------------------------------------------------------
# A series of the ledger (the points records rank) as plain columns, one file per store and
# series, named by both; it holds one state of the store, and is a miss for any other state,
# another definition of the aggregate, or another version of the code that builds series
# (analysis/series.py, categories.py: their size and modification time, as Python keys its
# own bytecode on its sources').

SERIES_FORMAT = b"attrition-checker-series 1\n"
_make_point = partial(tuple.__new__, Point)


def series_key(state: bytes, name: str, aggregate: object) -> bytes:
    """What a kept series is valid for (`aggregate`: the view's definition of `name`, None
    for a category)."""
    stamps = []
    for module in (series_module, categories):
        try:
            st = os.stat(str(module.__file__))
            stamps.append((str(module.__file__), st.st_size, st.st_mtime_ns))
        except (OSError, TypeError):
            stamps.append(("", -1, -1))
    return marshal.dumps((state, name, repr(aggregate), stamps))


def _keep_series(folder: Path, url_name: str, state: bytes, name: str, aggregate: object,
                 make: Callable[[], Series]) -> Series:
    key = series_key(state, name, aggregate)
    path = folder / (f"series-{url_name}-"
                     f"{blake2b(name.encode(), digest_size=8).hexdigest()}.bin")
    doc = _read_sealed(path, SERIES_FORMAT, key)
    if isinstance(doc, tuple) and len(doc) == 5:
        try:
            return _series_of(doc)
        except (TypeError, ValueError):
            pass  # not a series: built again, and the file rewritten
    got = make()
    _write_sealed(path, SERIES_FORMAT, key, _columns_of(got))
    return got


def _columns_of(s: Series) -> tuple[Any, ...]:
    points = s.points
    return (s.name, s.label, s.definition, s.is_aggregate,
            ([p.day.toordinal() for p in points], [p.change for p in points],
             [p.total for p in points], [p.basis for p in points],
             [p.excluded for p in points], [p.components for p in points]))


def _series_of(doc: tuple[Any, ...]) -> Series:
    name, label, definition, is_aggregate, (days, *rest) = doc
    points = tuple(map(_make_point, zip(map(date.fromordinal, days), *rest, strict=True)))
    return Series(name, label, definition, points, is_aggregate=is_aggregate)
