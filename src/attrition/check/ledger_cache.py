"""What the checker reads of a SQLite store (every ledger row, the corrections, the Oryx
counts), kept in the cache folder between runs of `attrition check`.

Reading and converting the 22k ledger rows was a fifth of a cold check; the same data as
marshalled columns loads in a few milliseconds. A copy is used only for the very state of the
store it was read from. Its key holds the store's address, the database file's identity,
size, modification time and SQLite's own change counter (written by every commit), and the
store's ingest version; a store with a rollback journal or a write-ahead log beside it is in
the middle of a write, and is read directly. The file carries a digest of its contents: a
damaged, truncated or foreign file is ignored and rewritten. Any other store (PostgreSQL) is
always read directly.

`cached(reader)` is a Reader on the same store whose three methods give the same answers,
and `columns()`: the ledger as `LedgerView.of_columns` takes it.
"""

from __future__ import annotations

import marshal
import os
from dataclasses import astuple
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from attrition.check.ledger import Columns
from attrition.model import ConfirmedCount
from attrition.store.location import sqlite_path
from attrition.store.read import Reader, SeriesRow

try:  # as in cache.py: hashlib's import starts OpenSSL
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b

FORMAT = b"attrition-checker-ledger 1\n"


class CachedReader(Reader):
    """A Reader whose `by_category`, `corrections` and `confirmed_counts("oryx")` come from
    the cache folder when it holds them for this state of the store."""

    def __init__(self, url: str | None, folder: Path | None) -> None:
        super().__init__(url)
        self._folder = folder
        self._data: dict[str, Any] | None = None

    def _load(self) -> dict[str, Any]:
        if self._data is None:
            key = state_key(self)
            path = None
            if key is not None and self._folder is not None:
                name = blake2b(self.url.encode(), digest_size=12).hexdigest()
                path = self._folder / f"ledger-{name}.bin"
            data = _read(path, key) if path is not None and key is not None else None
            if data is None:
                data = _collect(self)
                if path is not None and key is not None and state_key(self) == key:
                    _write(path, key, data)  # only if nothing was written meanwhile
            self._data = data
        return self._data

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
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(FORMAT) + 4
    if data[:len(FORMAT)] != FORMAT:
        return None
    size = int.from_bytes(data[len(FORMAT):head], "big")
    if data[head:head + size] != key:
        return None  # another state of the store: stale
    digest, payload = data[head + size:head + size + 32], data[head + size + 32:]
    if blake2b(payload, digest_size=32).digest() != digest:
        return None  # damaged or truncated
    try:
        doc = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    if not isinstance(doc, dict) or set(doc) != {"ledger", "corrections", "oryx"}:
        return None
    return doc


def _write(path: Path, key: bytes, doc: dict[str, Any]) -> None:
    import tempfile

    try:
        payload = marshal.dumps(doc)
        data = (FORMAT + len(key).to_bytes(4, "big") + key
                + blake2b(payload, digest_size=32).digest() + payload)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except (OSError, ValueError):
        return  # a cache that cannot be written is no error
