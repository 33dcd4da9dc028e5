"""Reading the store. Plain SQL that both SQLite and PostgreSQL run; for a SQLite file it goes
through the stdlib `sqlite3`, because importing SQLAlchemy alone costs ~0.3 s and read-only
commands such as `show` must start in well under that."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from attrition import categories
from attrition.errors import StoreError

if TYPE_CHECKING:  # imported where used: `show` has no need of them at start-up
    from attrition.model import ConfirmedCount, ConfirmedItem
from attrition.store.location import default_url, normalise, sqlite_path


class LedgerRow(NamedTuple):
    """One resolved cell. (NamedTuples, not dataclasses, here: every command imports this
    module, and a NamedTuple costs a fifth of a frozen dataclass to define.)"""

    report_date: date
    category: str
    total: int
    change: int | None
    announced_change: int | None
    qualifier: str | None
    sources: tuple[str, ...]
    dissent: dict[str, int]
    method: str
    address: str | None

    @property
    def covers(self) -> date:
        return date.fromordinal(self.report_date.toordinal() - 1)

    @property
    def disputed(self) -> bool:
        """No majority settles the figure (see attrition.resolve); "tie" in stores resolved
        before the name changed."""
        return self.method in ("disputed", "tie")


class SeriesRow(NamedTuple):
    """The part of a ledger row that the analysis reads (cheap to load for every cell)."""

    report_date: date
    category: str
    total: int
    change: int | None
    announced_change: int | None


class ObservationRow(NamedTuple):
    source: str
    report_date: date
    category: str
    total: int | None
    announced_change: int | None
    qualifier: str | None
    address: str | None
    revision: int
    seen_at: str
    input: str | None
    published_at: str | None = None
    """When the source records that the report appeared (see attrition.store.asof)."""


_LEDGER_COLS = ("report_date, category, total, change, announced_change, qualifier, sources, "
                "dissent, method, address")


def _ledger_row(r: Sequence[Any]) -> LedgerRow:
    return LedgerRow(
        date.fromisoformat(str(r[0])), r[1], int(r[2]),
        None if r[3] is None else int(r[3]), None if r[4] is None else int(r[4]), r[5],
        tuple(s for s in str(r[6]).split(",") if s), json.loads(r[7]) if r[7] else {},
        r[8], r[9])


def _needs_rollback(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name == "SQLITE_READONLY_ROLLBACK" or (
        not name and "attempt to write a readonly database" in str(exc))


def _roll_back_hot_journal(path: Path) -> None:
    """Let SQLite replay the journal a crashed writer left (it does so when a connection
    that may write first reads the file)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=10)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: a crashed write left a journal to roll back, and it could "
                         f"not be ({exc}); run `attrition sources` as a user who may write "
                         "the file") from None


class Reader:
    """Read-only access to the store."""

    def __init__(self, url: str | None = None) -> None:
        self.url = normalise(url) if url else default_url()
        self._path = sqlite_path(self.url)
        self._conn: sqlite3.Connection | None = None
        self._engine: Any = None
        self._published: bool | None = None

    def exists(self) -> bool:
        """Whether the database holds a ledger at all (a first run finds it empty). Only a
        missing file or table means no: any other failure is an error, never a reason to
        load the snapshot over a store that has one."""
        if self._path is not None:
            if not self._path.exists():
                return False
            if not self._query("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                               "AND name = 'ledger'"):
                return False
            return bool(self._query("SELECT 1 FROM ledger LIMIT 1"))
        try:
            rows = self._query("SELECT 1 FROM ledger LIMIT 1")
        except StoreError:
            return False  # no such table (PostgreSQL: an empty database)
        return bool(rows)

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self._path is None:
            return self._query_sa(sql, params)
        try:
            return self._sqlite(sql, params)
        except sqlite3.Error as exc:
            if not _needs_rollback(exc):
                raise StoreError(f"cannot read {self._path}: {exc}") from None
        # A writer was killed mid-transaction and left its rollback journal: a read-only
        # connection may not replay it ("attempt to write a readonly database", for ever).
        # Replaying it writes no data; it restores the last committed state, as the next
        # writer would. Then read again.
        self.close()
        _roll_back_hot_journal(self._path)
        try:
            return self._sqlite(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot read {self._path}: {exc}") from None

    def _sqlite(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        if self._conn is None:
            self._conn = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True)
        return self._conn.execute(sql, tuple(params)).fetchall()

    def _query_sa(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        import sqlalchemy as sa

        if self._engine is None:
            self._engine = sa.create_engine(self.url)
        names = {f"p{i}": v for i, v in enumerate(params)}
        parts = sql.split("?")
        text = "".join(p + (f":p{i}" if i < len(parts) - 1 else "")
                       for i, p in enumerate(parts))
        try:
            with self._engine.connect() as conn:
                return [tuple(r) for r in conn.execute(sa.text(text), names)]
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"cannot read the database: {exc.__class__.__name__}") from None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def version(self) -> tuple[int, int, str]:
        """Changes whenever anything is ingested (caches key on it): how many ingests, the
        last one's id and time (a store rebuilt from scratch differs in the time)."""
        rows = self._query("SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(MAX(at), '') "
                           "FROM ingests")
        return (int(rows[0][0]), int(rows[0][1]), str(rows[0][2])) if rows else (0, 0, "")

    # -- the ledger -----------------------------------------------------------------------

    def latest_date(self) -> date | None:
        rows = self._query("SELECT MAX(report_date) FROM ledger")
        return date.fromisoformat(str(rows[0][0])) if rows and rows[0][0] else None

    def first_date(self) -> date | None:
        rows = self._query("SELECT MIN(report_date) FROM ledger")
        return date.fromisoformat(str(rows[0][0])) if rows and rows[0][0] else None

    def report(self, day: date) -> list[LedgerRow]:
        rows = self._query(f"SELECT {_LEDGER_COLS} FROM ledger WHERE report_date = ?",
                           (day.isoformat(),))
        out = [_ledger_row(r) for r in rows]
        out.sort(key=lambda r: categories.ORDER.get(r.category, 99))
        return out

    def series(self, category: str, start: date | None = None,
               end: date | None = None) -> list[LedgerRow]:
        sql = f"SELECT {_LEDGER_COLS} FROM ledger WHERE category = ?"
        params: list[Any] = [category]
        if start is not None:
            sql += " AND report_date >= ?"
            params.append(start.isoformat())
        if end is not None:
            sql += " AND report_date <= ?"
            params.append(end.isoformat())
        return [_ledger_row(r) for r in self._query(sql + " ORDER BY report_date", params)]

    def by_category(self) -> dict[str, list[SeriesRow]]:
        """The whole ledger, each category's rows in date order (what the analysis reads)."""
        out: dict[str, list[SeriesRow]] = {}
        days: dict[str, date] = {}
        new = tuple.__new__  # skips NamedTuple's Python-level __new__ for ~23k rows
        for d, cat, total, change, announced in self._query(
                # No ORDER BY: a plain scan is twice as fast, and rows come in the order they
                # were written (by date); the series sorts whatever does not.
                "SELECT report_date, category, total, change, announced_change FROM ledger"):
            day = days.get(d)
            if day is None:
                day = days[d] = date.fromisoformat(str(d))
            rows = out.get(cat)
            if rows is None:
                rows = out[cat] = []
            rows.append(new(SeriesRow, (day, cat, total, change, announced)))
        return out

    def disputed_cells(self) -> set[tuple[str, date]]:
        """(category, report date) of every disputed total (`LedgerRow.disputed`): the few
        cells records set aside, without reading the whole ledger."""
        return {(cat, date.fromisoformat(str(d))) for d, cat in self._query(
            "SELECT report_date, category FROM ledger WHERE method IN ('disputed', 'tie')")}

    def ledger(self) -> Iterator[LedgerRow]:
        for r in self._query(f"SELECT {_LEDGER_COLS} FROM ledger "
                             "ORDER BY report_date, category"):
            yield _ledger_row(r)

    # -- observations and provenance ------------------------------------------------------

    def observations(self, day: date | None = None, *, latest_only: bool = True
                     ) -> list[ObservationRow]:
        sql = ("SELECT source, report_date, category, total, announced_change, qualifier, "
               "address, revision, seen_at, input FROM observations")
        params: list[Any] = []
        if day is not None:
            sql += " WHERE report_date = ?"
            params.append(day.isoformat())
        rows = [ObservationRow(r[0], date.fromisoformat(str(r[1])), r[2], r[3], r[4], r[5],
                               r[6], r[7], r[8], r[9])
                for r in self._query(sql + " ORDER BY revision", params)]
        return rows if not latest_only else self.latest_of(rows)

    def timed_observations(self, *, days: Collection[date] | None = None,
                           since: date | None = None, until: date | None = None
                           ) -> list[ObservationRow]:
        """Every revision (in revision order) with its times: all, or those of `days`; or,
        up to `until`, those whose time may not be their report's morning: rows from
        `since` on, revisions, and rows whose source recorded when they appeared (what
        `attrition.store.asof` needs to know which figures a moment had not seen yet).
        Looked up through the observations' indexes (`source IN` lets SQLite use the
        unique one by date), not a scan."""
        published = "published_at" if self._has_published() else "NULL"
        sql = ("SELECT source, report_date, category, total, announced_change, qualifier, "
               f"address, revision, seen_at, input, {published} FROM observations")
        by_source = "source IN (SELECT name FROM sources)"
        queries: list[tuple[str, list[Any]]] = []
        if days is not None:
            isodays = sorted({d.isoformat() for d in days})
            for i in range(0, len(isodays), 400):
                chunk = isodays[i:i + 400]
                queries.append((f"{sql} WHERE {by_source} AND report_date IN "
                                f"({', '.join('?' * len(chunk))})", chunk))
        elif since is not None and until is not None:
            queries.append((f"{sql} WHERE {by_source} AND report_date >= ? AND "
                            "report_date <= ?", [since.isoformat(), until.isoformat()]))
            later = ("(revision > 1 OR published_at IS NOT NULL)" if published != "NULL"
                     else "revision > 1")
            queries.append((f"{sql} WHERE {later} AND report_date < ?", [since.isoformat()]))
        else:
            queries.append((sql, []))
        rows = [r for q, params in queries for r in self._query(q, params)]
        rows.sort(key=lambda r: int(r[7]))
        return [ObservationRow(r[0], date.fromisoformat(str(r[1])), r[2], r[3], r[4], r[5],
                               r[6], int(r[7]), str(r[8]), r[9], r[10]) for r in rows]

    def _has_published(self) -> bool:
        """Whether the observations have `published_at` (a store made before it was added
        and not written since has none)."""
        if self._published is None:
            try:
                self._query("SELECT published_at FROM observations WHERE 1 = 0")
                self._published = True
            except StoreError:
                self._published = False
        return self._published

    def cells(self, days: Collection[date]) -> list[LedgerRow]:
        """The ledger rows of `days`."""
        isodays = sorted({d.isoformat() for d in days})
        out: list[LedgerRow] = []
        for i in range(0, len(isodays), 400):
            chunk = isodays[i:i + 400]
            out.extend(_ledger_row(r) for r in self._query(
                f"SELECT {_LEDGER_COLS} FROM ledger WHERE report_date IN "
                f"({', '.join('?' * len(chunk))})", chunk))
        return out

    def first_dates(self) -> dict[str, date]:
        """Each category's first report date."""
        return {str(c): date.fromisoformat(str(d)) for c, d in self._query(
            "SELECT category, MIN(report_date) FROM ledger GROUP BY category")}

    def report_dates(self, start: date, end: date) -> list[date]:
        """The report dates start..end the ledger holds, and the one before `start`."""
        rows = self._query(
            "SELECT DISTINCT report_date FROM ledger WHERE report_date >= ? AND "
            "report_date <= ? UNION SELECT MAX(report_date) FROM ledger WHERE "
            "report_date < ?", (start.isoformat(), end.isoformat(), start.isoformat()))
        return sorted(date.fromisoformat(str(r[0])) for r in rows if r[0])

    @staticmethod
    def latest_of(rows: Sequence[ObservationRow]) -> list[ObservationRow]:
        """The latest revision of each (source, day, category) among rows in revision
        order (so one query serves both every revision and the latest)."""
        latest: dict[tuple[str, date, str], ObservationRow] = {}
        for r in rows:
            latest[(r.source, r.report_date, r.category)] = r
        return list(latest.values())

    def corrections(self) -> list[tuple[str, date, str, int]]:
        return [(r[0], date.fromisoformat(str(r[1])), r[2], int(r[3])) for r in self._query(
            "SELECT source, report_date, category, value FROM corrections "
            "ORDER BY report_date, category")]

    def sources(self) -> list[dict[str, Any]]:
        info = {r[0]: r for r in self._query(
            "SELECT name, title, url, licence, attribution FROM sources")}
        out = []
        for r in self._query(
            "SELECT source, MIN(report_date), MAX(report_date), COUNT(DISTINCT report_date), "
            "COUNT(*), MAX(seen_at) FROM observations GROUP BY source ORDER BY source"
        ):
            i = info.get(r[0], (r[0], r[0], None, None, None))
            out.append({"source": r[0], "title": i[1], "url": i[2], "licence": i[3],
                        "attribution": i[4], "first": str(r[1]), "last": str(r[2]),
                        "reports": int(r[3]), "observations": int(r[4]),
                        "retrieved_at": r[5]})
        return out

    # -- confirmed losses -----------------------------------------------------------------

    def confirmed_counts(self, source: str | None = None) -> list[ConfirmedCount]:
        """The latest revision of every confirmed count (empty on a store without them)."""
        from attrition.model import ConfirmedCount

        sql = ("SELECT source, country, type, day, revision, destroyed, damaged, abandoned, "
               "captured, total FROM confirmed_counts")
        params: list[Any] = []
        if source:
            sql += " WHERE source = ?"
            params.append(source)
        try:
            rows = self._query(sql + " ORDER BY revision", params)
        except StoreError:
            return []
        latest: dict[tuple[str, str, str, str], ConfirmedCount] = {}
        for r in rows:
            latest[(r[0], r[1], r[2], str(r[3]))] = ConfirmedCount(
                r[0], r[1], r[2], date.fromisoformat(str(r[3])), *(int(v) for v in r[5:10]))
        return list(latest.values())

    def confirmed_items(self, source: str | None = None) -> list[ConfirmedItem]:
        from attrition.model import ConfirmedItem

        sql = ("SELECT source, id, country, type, model, status, day, address, location, "
               "unit, tags FROM confirmed_items")
        params: list[Any] = []
        if source:
            sql += " WHERE source = ?"
            params.append(source)
        try:
            rows = self._query(sql, params)
        except StoreError:
            return []
        return [ConfirmedItem(r[0], str(r[1]), r[2], r[3], r[4], r[5],
                              date.fromisoformat(str(r[6])) if r[6] else None, r[7], r[8],
                              r[9], r[10]) for r in rows]

    def daybook(self, day: date) -> tuple[dict[str, str], str | None, str | None, str | None]:
        """The daybook's metadata, the standings row of `day`, the confirmed-lines row of
        the last scrape on or before `day` and the level breaks (see attrition.daybook,
        which checks the metadata before trusting any). Empty on a store without one."""
        try:
            meta = {str(k): str(v) for k, v in self._query(
                "SELECT key, value FROM daybook_meta")}
        except StoreError:
            return {}, None, None, None
        if not meta:
            return {}, None, None, None
        iso = day.isoformat()
        rows = self._query(
            "SELECT kind, body FROM daybook WHERE (kind = 'series' AND day = ?) "
            "OR kind = 'breaks' OR (kind = 'confirmed' AND day = (SELECT MAX(day) "
            "FROM daybook WHERE kind = 'confirmed' AND day <= ?))", (iso, iso))
        got = {str(k): str(b) for k, b in rows}
        return meta, got.get("series"), got.get("confirmed"), got.get("breaks")

    def updates(self) -> tuple[str | None, str | None, list[str]]:
        """When `attrition update` last ran, when it last ran with every source answering,
        and the sources that failed in the last run (None, None, [] on a store without
        any run noted)."""
        try:
            last = self._query("SELECT at, failures FROM update_runs ORDER BY id DESC LIMIT 1")
            ok = self._query("SELECT MAX(at) FROM update_runs WHERE failures = '[]'")
        except StoreError:
            return None, None, []
        if not last:
            return None, None, []
        try:
            failed = [str(f) for f in json.loads(last[0][1] or "[]")]
        except ValueError:
            failed = [str(last[0][1])]
        return str(last[0][0]), (str(ok[0][0]) if ok and ok[0][0] else None), failed

    def last_poll(self) -> str | None:
        """When a watcher last polled a feed successfully (the `feeds` table of `attrition
        watch`; None where there is none)."""
        try:
            rows = self._query("SELECT MAX(last_ok) FROM feeds")
        except StoreError:
            return None
        return str(rows[0][0]) if rows and rows[0][0] else None

    def has_confirmed(self) -> bool:
        """Whether any confirmed count is stored (asked by every command at start-up, so one
        row, not a grouping)."""
        try:
            return bool(self._query("SELECT 1 FROM confirmed_counts LIMIT 1"))
        except StoreError:
            return False

    def confirmed_inputs(self) -> dict[str, str]:
        """source -> when its confirmed data was last retrieved."""
        try:
            rows = self._query("SELECT source, MAX(seen_at) FROM confirmed_counts "
                               "GROUP BY source")
        except StoreError:
            return {}
        return {r[0]: r[1] for r in rows}

    def witness_counts(self) -> dict[str, int]:
        """How many ledger cells each source agrees with (including witnesses whose rows are
        not stored, such as the minfin-derived CSV)."""
        counts: dict[str, int] = {}
        for (srcs,) in self._query("SELECT sources FROM ledger"):
            for s in str(srcs).split(","):
                counts[s] = counts.get(s, 0) + 1
        return counts
