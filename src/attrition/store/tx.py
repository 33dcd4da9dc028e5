"""The connection a write goes through: plain SQL (with `?` markers) that SQLite and PostgreSQL
both run. A SQLite file is written through the stdlib `sqlite3`, as `store/read.py` reads it:
importing SQLAlchemy alone costs ~0.3 s, more than an ingest of one new report. Other databases
go through SQLAlchemy's connection (its driver's cursor). The logic of every write is written
once, against `Tx`; only opening the file and the transaction differ."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from attrition.store import sqlite_ddl

ADDED_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "observations": (("published_at", "VARCHAR(32)"),),
}
"""Columns added to a table after stores were first made: added where missing (NULL in the
rows already there), so that a store made by an earlier version opens and keeps working."""

CACHE_PAGES = "PRAGMA cache_size = -65536"
"""A full ingest's rows go in sorted by key, so the indexes grow at their ends; a larger page
cache keeps them in memory for the one transaction."""

TIMEOUT = 5.0
"""Seconds a writer waits for another's lock (the stdlib's and SQLAlchemy's default)."""


class Tx:
    """One transaction's cursor, for SQL written with `?` markers (turned into the driver's
    `%s` where it takes those)."""

    def __init__(self, cursor: Any, dialect: str, paramstyle: str = "qmark") -> None:
        self.cursor = cursor
        self.dialect = dialect
        self._format = paramstyle != "qmark"

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self._format else sql

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self.cursor.execute(self._sql(sql), tuple(params))
        rows: list[tuple[Any, ...]] = self.cursor.fetchall()  # tuples in both drivers
        return rows

    def first(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        got = self.rows(sql, params)
        return got[0] if got else None

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.cursor.execute(self._sql(sql), tuple(params))

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """executemany straight through the driver: SQLAlchemy's per-row parameter
        processing costs more than SQLite's work for the tens of thousands of rows of a full
        history."""
        if rows:
            self.cursor.executemany(self._sql(sql), rows)

    def insert(self, table: str, cols: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        self.many(f"INSERT INTO {table} ({', '.join(cols)}) "
                  f"VALUES ({', '.join(['?'] * len(cols))})", rows)

    def insert_id(self, table: str, values: dict[str, Any]) -> int:
        """Insert one row; its new id."""
        sql = (f"INSERT INTO {table} ({', '.join(values)}) "
               f"VALUES ({', '.join(['?'] * len(values))})")
        if self.dialect == "sqlite":
            self.run(sql, list(values.values()))
            return int(self.cursor.lastrowid)
        got = self.rows(sql + " RETURNING id", list(values.values()))
        return int(got[0][0])


def open_sqlite(path: Path) -> sqlite3.Connection:
    """A connection to a SQLite file that may write, its tables made where missing. In
    autocommit mode: every write opens its transaction itself (`BEGIN IMMEDIATE`)."""
    conn = sqlite3.connect(path, timeout=TIMEOUT, isolation_level=None)
    try:
        conn.execute(CACHE_PAGES)
        _make_schema(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _make_schema(conn: sqlite3.Connection) -> None:
    """The tables and indexes of attrition.store.schema (as sqlite_ddl has them) that the file
    lacks, and the ADDED_COLUMNS; in one transaction, so that two processes opening a new
    file at once do not both make a table. Costs one read of sqlite_master when all is
    there."""
    if not _missing(conn):
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        tables, columns, indexes = _missing(conn)
        for sql in tables:
            conn.execute(sql)
        for table, name, kind in columns:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
        for sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")
    except BaseException:
        conn.rollback()
        raise


def _missing(conn: sqlite3.Connection
             ) -> tuple[list[str], list[tuple[str, str, str]], list[str]]:
    have = {(kind, name) for kind, name in conn.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index')")}
    tables = [sql for name, sql in sqlite_ddl.TABLES.items() if ("table", name) not in have]
    columns: list[tuple[str, str, str]] = []
    for table, added in ADDED_COLUMNS.items():
        if ("table", table) in have:
            cols = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            columns.extend((table, n, kind) for n, kind in added if n not in cols)
    indexes = [sql for name, (_, sql) in sqlite_ddl.INDEXES.items()
               if ("index", name) not in have]
    return tables, columns, indexes


def chunks(items: Sequence[str], n: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]
