"""Writing the store: schema, transactional and idempotent ingest, revisions, resolution."""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrition import resolve
from attrition.errors import StoreError
from attrition.model import Batch, ConfirmedBatch, Observation
from attrition.store import tx
from attrition.store.location import default_url, normalise, sqlite_path

if TYPE_CHECKING:  # SQLAlchemy is imported only for a database other than a SQLite file
    from sqlalchemy.engine import Engine

SOURCE_INFO: dict[str, dict[str, Any]] = {
    "petroivaniuk": {
        "title": "PetroIvaniuk/2022-Ukraine-Russia-War-Dataset",
        "url": "https://github.com/PetroIvaniuk/2022-Ukraine-Russia-War-Dataset",
        "licence": "MIT", "attribution": "© 2022 Petro Ivaniuk", "redistributable": True,
    },
    "orc-losses": {
        "title": "lod-db/orc-losses (ukrainewarlosses.com)",
        "url": "https://github.com/lod-db/orc-losses",
        "licence": "MIT",
        "attribution": "© 2022-2026 Lod Softworks LLC and the Orc Losses contributors",
        "redistributable": True,
    },
    "minfin": {
        "title": "romansverdan/russian-Losses-in-Ukraine (index.minfin.com.ua)",
        "url": "https://github.com/romansverdan/russian-Losses-in-Ukraine",
        "licence": "none (cross-checking only, never redistributed)",
        "attribution": "", "redistributable": False,
    },
    "russianwarship": {
        "title": "russianwarship.rip API v2", "url": "https://russianwarship.rip/api/v2",
        "licence": "", "attribution": "", "redistributable": True,
    },
    "bulletin": {
        "title": "General Staff / MoD of Ukraine bulletin text",
        "url": "https://www.mil.gov.ua/", "licence": "© Ministry of Defence of Ukraine",
        "attribution": "", "redistributable": True,
    },
    "oryx": {
        "title": "Oryx, Attack On Europe: Documenting Equipment Losses (via scarnecchia/oryx_data)",
        "url": "https://github.com/scarnecchia/oryx_data", "licence": "CC BY 4.0",
        "attribution": "Oryx (oryxspioenkop.com) and scarnecchia/oryx_data, CC BY 4.0",
        "redistributable": True,
    },
    "warspotting": {
        "title": "WarSpotting API (ukr.warspotting.net)", "url": "https://ukr.warspotting.net/api",
        "licence": "see ukr.warspotting.net terms", "attribution": "WarSpotting",
        "redistributable": False,
    },
    "press": {
        "title": "News reproductions of the bulletin", "url": None, "licence": "",
        "attribution": "", "redistributable": True,
    },
}


@dataclass(frozen=True)
class Changes:
    """What one write did to the daybook's inputs (see `attrition.daybook.refresh`): the
    ingest ids before and after it, and the earliest report date whose ledger figures or
    corrections it changed. The daybook, when it was current at `before`, then needs only
    the days from `ledger_from` on (a new report: one day, not the whole history)."""

    before: int
    """The last ingest id before this write (0: none)."""
    last: int
    """Its own last ingest id."""
    ingests: int
    """How many ingest ids it added (ids before+1 .. last, when no other writer came
    between)."""
    ledger_from: date | None = None
    """The earliest report date whose ledger row (total, change, announced change: any
    column) or correction changed; None when none did."""
    confirmed: bool = False
    """Whether the Oryx counts the confirmed lines read changed."""

    def then(self, other: Changes | None) -> Changes | None:
        """This write followed by `other`, or None where another writer came between."""
        if other is None or other.before != self.last:
            return None
        starts = [d for d in (self.ledger_from, other.ledger_from) if d is not None]
        return Changes(self.before, other.last, self.ingests + other.ingests,
                       min(starts) if starts else None, self.confirmed or other.confirmed)


@dataclass(frozen=True)
class IngestResult:
    observations: int
    new: int
    revised: int
    unchanged: int
    cells: int
    """Ledger cells written (re-resolved)."""
    changes: Changes | None = None


@dataclass(frozen=True)
class ConfirmedResult:
    counts_new: int
    counts_revised: int
    items_new: int
    items_changed: int
    changes: Changes | None = None


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Store:
    """The database behind attrition. `Store()` opens the default SQLite file."""

    fast_paths = True
    """Resolve from what an ingest read and wrote rather than reading the observations back
    (tests turn it off to compare the store each way gives)."""

    sqlite_direct = True
    """Write a SQLite file through the stdlib `sqlite3` (`attrition.store.tx`), not
    SQLAlchemy (tests turn it off to compare the stores each way gives)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = normalise(url) if url else default_url()
        path = sqlite_path(self.url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._engine: Engine | None = None
        self._sqlite: sqlite3.Connection | None = None
        if path is not None and self.sqlite_direct and "?" not in self.url:
            try:
                self._sqlite = tx.open_sqlite(path)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open the database {self.url}: "
                                 f"{exc.__class__.__name__}: {exc}") from None
            return
        import sqlalchemy as sa

        from attrition.store import schema

        try:
            self._engine = sa.create_engine(self.url, future=True)
            schema.metadata.create_all(self._engine)
            _add_missing_columns(self._engine)
        except sa.exc.SQLAlchemyError as exc:
            detail = getattr(exc, "orig", None) or exc
            raise StoreError(f"cannot open the database {self._safe_url()}: "
                             f"{exc.__class__.__name__}: {detail}") from None
        except ModuleNotFoundError as exc:
            raise StoreError(f"no driver for {self._safe_url()}: {exc}") from None

    @property
    def engine(self) -> Engine:
        """SQLAlchemy's engine for the store (the register, the outbox and the monitor work
        through it); made on first use where the ledger's writes do without."""
        if self._engine is None:
            import sqlalchemy as sa

            self._engine = sa.create_engine(self.url, future=True)
        return self._engine

    def _safe_url(self) -> str:
        import sqlalchemy as sa

        return sa.engine.make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
        if self._engine is not None:
            self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _begin(self, failed: str, *, write: bool = True) -> Iterator[tx.Tx]:
        """One transaction (`write`: that may write, taking the write lock at once, so that
        what it reads first cannot change before it writes). Any database error becomes a
        StoreError starting with `failed`; an error of any kind rolls everything back."""
        if self._sqlite is not None:
            conn = self._sqlite
            try:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield tx.Tx(conn.cursor(), "sqlite")
                except BaseException:
                    conn.rollback()
                    raise
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                conn.rollback()
                raise StoreError(f"{failed}: {exc.__class__.__name__}: {exc}") from None
            return
        import sqlalchemy as sa

        engine = self.engine
        driver_error = getattr(engine.dialect.dbapi, "Error", sa.exc.SQLAlchemyError)
        try:
            with engine.begin() as sa_conn:
                cursor = sa_conn.connection.cursor()
                try:
                    yield tx.Tx(cursor, sa_conn.dialect.name, sa_conn.dialect.paramstyle)
                finally:
                    cursor.close()
        except (sa.exc.SQLAlchemyError, driver_error) as exc:
            raise StoreError(f"{failed}: {exc}") from None

    # -- ingest ---------------------------------------------------------------------------

    def ingest(self, batches: Sequence[Batch], *, input: str,
               seen_at: str | None = None) -> IngestResult:
        """Add the batches in one transaction and re-resolve the cells they touch. The same
        input twice changes nothing; a value that differs from the source's latest for a
        (source, day, category) becomes a new revision, kept beside the old ones."""
        seen_at = seen_at or now()
        with self._begin("ingest failed, nothing was written") as conn:
            if conn.dialect == "sqlite":
                conn.run(tx.CACHE_PAGES)  # as load_rows
            return self._ingest(conn, batches, input, seen_at)

    def _ingest(self, conn: tx.Tx, batches: Sequence[Batch], input: str,
                seen_at: str) -> IngestResult:
        total_obs = new = revised = 0
        before = _last_ingest(conn)
        fixed: list[date] = []  # report dates of the corrections this ingest adds
        touched: set[tuple[date, str]] = set()
        history: dict[str, dict[tuple[str, str], tuple[int, tuple[Any, ...]]]] = {}
        first: dict[tuple[str, str, str], int | None] = {}
        stored: dict[tuple[str, str], tuple[Any, ...]] = {}  # ledger rows _resolve read
        # Into an empty store, what this ingest writes is all there is: resolve it from
        # memory instead of reading it back (a fifth of a full ingest).
        empty = self.fast_paths and conn.first("SELECT id FROM observations LIMIT 1") is None
        written: dict[tuple[str, str, str], tuple[int | None, Observation]] = {}
        around = {d + timedelta(days=k) for d in {o.report_date for b in batches
                                                  for o in b.observations}
                  for k in (-1, 0, 1)}
        # witnesses' first figures, by cell, held against the ledger's votes after the loop
        confirm: dict[tuple[str, str], list[tuple[str, date, tuple[Any, ...]]]] = {}
        confirming = self.fast_paths and not empty
        if not empty:
            # Every source's latest revision (and first total) of every cell on the days
            # this ingest touches and their neighbours, in one read: what is new is judged
            # against it, and the cells are re-resolved from it (with this ingest's rows
            # added) instead of reading every observation back.
            history = self._history(conn, around, first)
        for batch in batches:
            self._ensure_source(conn, batch.source)
            latest = history.setdefault(batch.source, {})
            rows: list[tuple[Any, ...]] = []
            b_new = b_rev = 0
            seen_at_b = batch.retrieved_at or seen_at
            input_b = batch.address or input
            for obs in _dedupe(batch.observations):
                total_obs += 1
                iso, covers = _iso(obs.report_date)
                key = (iso, obs.category)
                current = latest.get(key)
                fields = (obs.total, obs.announced_change, obs.qualifier, obs.address)
                if current is not None and current[1] == fields:
                    continue  # the source says what it said last: nothing new
                # Anything else is the source's new word on the cell, a revision of that
                # witness with its time (re-reading an older file restores its values).
                revision = 1 if current is None else current[0] + 1
                if current is None:
                    b_new += 1
                else:
                    b_rev += 1
                latest[key] = (revision, fields)
                if current is None:
                    first[(obs.source, iso, obs.category)] = obs.total
                rows.append((obs.source, iso, covers, obs.category, *fields, revision,
                             seen_at_b, input_b, batch.published_at))
                if confirming and current is None and obs.source != resolve.PRESS:
                    # a witness's first figure for a cell: it may be one the ledger already
                    # counts (a vote carried from the snapshot), which changes nothing
                    confirm.setdefault(key, []).append((obs.source, obs.report_date, fields))
                else:
                    touched.add((obs.report_date, obs.category))
                if empty:
                    wkey = (obs.source, iso, obs.category)
                    earlier = written.get(wkey)
                    written[wkey] = (obs.total if earlier is None else earlier[0], obs)
            rows.sort(key=_index_order)  # the unique index grows at its end: ~2x faster
            conn.insert("observations", (*_OBS_COLUMNS, "published_at"), rows)
            if batch.corrections:
                have = {(r[0], str(r[1]), r[2]) for r in conn.rows(
                    "SELECT source, report_date, category FROM corrections")}
                added = [c for c in batch.corrections
                         if (c.source, c.report_date.isoformat(), c.category) not in have]
                conn.insert("corrections", ("source", "report_date", "category", "value"), [
                    (c.source, c.report_date.isoformat(), c.category, c.value) for c in added])
                fixed.extend(c.report_date for c in added)
            new += b_new
            revised += b_rev
            conn.insert("ingests", _INGEST_COLUMNS, [
                (seen_at, batch.address or input, batch.source, len(batch.observations),
                 b_new, b_rev)])
        if confirm:
            touched |= self._not_counted(conn, confirm)
        if not touched:
            cells: list[resolve.Cell] = []
        elif empty:
            cells = resolve.resolve(
                [o for _, o in written.values()],
                revised={(o.source, o.report_date, o.category)
                         for first, o in written.values() if first != o.total})
        else:
            cells = self._resolve(conn, {d for d, _ in touched},
                                  (history, first) if self.fast_paths else None, stored)
        changed = self._write_cells(conn, cells, stored if stored else None) if cells \
            else None
        starts = [d for d in (changed, min(fixed, default=None)) if d is not None]
        changes = Changes(before, _last_ingest(conn), len(batches),
                          min(starts) if starts else None)
        return IngestResult(total_obs, new, revised, total_obs - new - revised, len(cells),
                            changes)

    def ingest_confirmed(self, batches: Sequence[ConfirmedBatch], *, input: str,
                         seen_at: str | None = None) -> ConfirmedResult:
        """Add confirmed-loss counts and items in one transaction. A count already stored
        is skipped; a different count for the same (source, country, type, day) becomes a
        new revision; an item (by source and id) is replaced by its newer record."""
        seen_at = seen_at or now()
        new = revised = items_new = items_changed = 0
        oryx = False  # whether the counts the daybook's confirmed lines read changed
        with self._begin("ingest failed, nothing was written") as conn:
            before = _last_ingest(conn)
            for batch in batches:
                self._ensure_source(conn, batch.source)
                have: dict[tuple[str, str, str], tuple[int, tuple[int, ...]]] = {}
                for r in conn.rows(
                        "SELECT country, type, day, revision, destroyed, damaged, abandoned, "
                        "captured, total FROM confirmed_counts WHERE source = ? "
                        "ORDER BY revision", (batch.source,)):
                    have[(r[0], r[1], str(r[2]))] = (r[3], tuple(r[4:]))
                rows = []
                for c in batch.counts:
                    key = (c.country, c.type, c.day.isoformat())
                    nums = (c.destroyed, c.damaged, c.abandoned, c.captured, c.total)
                    old = have.get(key)
                    if old is not None and old[1] == nums:
                        continue
                    rev = 1 if old is None else old[0] + 1
                    new += old is None
                    revised += old is not None
                    have[key] = (rev, nums)
                    rows.append((batch.source, *key, rev, *nums,
                                 batch.retrieved_at or seen_at, batch.address or input))
                conn.insert("confirmed_counts", _CONFIRMED_COLUMNS, rows)
                oryx = oryx or bool(rows and batch.source == "oryx")
                if batch.items:
                    stored = {str(r[0]): tuple(r[1:]) for r in conn.rows(
                        "SELECT id, country, type, model, status, day, address, location, "
                        "unit, tags FROM confirmed_items WHERE source = ?", (batch.source,))}
                    fresh = []
                    for i in batch.items:
                        vals = (i.country, i.type, i.model, i.status,
                                i.day.isoformat() if i.day else None, i.address,
                                i.location, i.unit, i.tags)
                        old_item = stored.get(i.id)
                        if old_item == vals:
                            continue
                        if old_item is not None:
                            items_changed += 1
                            conn.run("DELETE FROM confirmed_items WHERE source = ? AND id = ?",
                                     (batch.source, i.id))
                        else:
                            items_new += 1
                        stored[i.id] = vals
                        fresh.append((batch.source, i.id, *vals,
                                      batch.retrieved_at or seen_at))
                    conn.insert("confirmed_items", _ITEM_COLUMNS, fresh)
                conn.insert("ingests", _INGEST_COLUMNS, [
                    (seen_at, batch.address or input, batch.source,
                     len(batch.counts) + len(batch.items), new + items_new,
                     revised + items_changed)])
            changes = Changes(before, _last_ingest(conn), len(batches), confirmed=oryx)
        return ConfirmedResult(new, revised, items_new, items_changed, changes)

    def _ensure_source(self, conn: tx.Tx, name: str) -> None:
        if conn.first("SELECT name FROM sources WHERE name = ?", (name,)) is None:
            info = SOURCE_INFO.get(name, {"title": name, "redistributable": True})
            row = {"name": name, **info}
            conn.insert("sources", tuple(row), [tuple(row.values())])

    def _not_counted(self, conn: tx.Tx,
                     firsts: Mapping[tuple[str, str], Sequence[tuple[str, date, tuple[Any, ...]]]]
                     ) -> set[tuple[date, str]]:
        """The cells among `firsts` (witnesses' first figures, by (day, category)) whose
        resolution they change. A witness known until now only through the ledger's vote (the
        minfin-derived CSV after a first run: its rows are not shipped, its votes are) whose
        file gives the value the ledger already counts for it, and no announced change,
        qualifier or address other than the cell's, leaves every input of the cell's
        resolution as it was (`_resolve` carries that vote): re-resolving the whole history
        for it (a first run's ingest of the mirrors) would write back what is there."""
        days = {d for new in firsts.values() for _, d, _ in new}
        ledger = {(str(r[0]), r[1]): r for r in _select_days(
            conn, "SELECT report_date, category, total, announced_change, qualifier, sources, "
            "dissent, address FROM ledger", days, date_col=0)}
        agreeing: dict[str, frozenset[str]] = {}  # a `sources` text, split once
        out: set[tuple[date, str]] = set()
        for key, new in firsts.items():
            row = ledger.get(key)
            if row is None:
                out.add((new[0][1], key[1]))
                continue
            agree = agreeing.get(row[5])
            if agree is None:
                agree = agreeing[row[5]] = frozenset(str(row[5]).split(","))
            dissent = json.loads(row[6]) if row[6] else None
            for source, day, (total, announced, qualifier, address) in new:
                vote = row[2] if source in agree else dissent.get(source) if dissent else None
                if (total is None or vote != total or announced not in (None, row[3])
                        or qualifier not in (None, row[4]) or address not in (None, row[7])):
                    out.add((day, key[1]))
                    break
        return out

    def _history(self, conn: tx.Tx, days: set[date],
                 first: dict[tuple[str, str, str], int | None]
                 ) -> dict[str, dict[tuple[str, str], tuple[int, tuple[Any, ...]]]]:
        """For each source, the latest revision of each (day, category) on `days`: its
        number and figures; `first` gets the total of each cell's first revision."""
        out: dict[str, dict[tuple[str, str], tuple[int, tuple[Any, ...]]]] = {}
        lowest: dict[tuple[str, str, str], int] = {}
        for r in _select_days(conn, "SELECT source, report_date, category, revision, total, "
                              "announced_change, qualifier, address FROM observations", days):
            latest = out.get(r[0])
            if latest is None:
                latest = out[r[0]] = {}
            key = (str(r[1]), r[2])
            old = latest.get(key)
            if old is None or r[3] > old[0]:
                latest[key] = (r[3], (r[4], r[5], r[6], r[7]))
            fkey = (r[0], *key)
            if fkey not in lowest or r[3] < lowest[fkey]:
                lowest[fkey] = r[3]
                first[fkey] = r[4]
        return out

    def _resolve(self, conn: tx.Tx, touched: set[date],
                 known: tuple[Mapping[str, Mapping[tuple[str, str], tuple[int, tuple[Any, ...]]]],
                              Mapping[tuple[str, str, str], int | None]] | None = None,
                 stored: dict[tuple[str, str], tuple[Any, ...]] | None = None
                 ) -> list[resolve.Cell]:
        """Re-resolve every cell of the touched days, and of the days either side (the
        evidence for a day looks at its neighbours), from the latest revision of each
        source. A witness known only through the previous resolution (the minfin-derived
        CSV, whose rows are not shipped) keeps its vote in every cell where it has no stored
        figure of its own: a partial file never retracts what it does not mention.
        `stored` gets the ledger rows of those days as read (for `_write_cells`, which
        then need not read them again)."""
        days = {d + timedelta(days=k) for d in touched for k in (-1, 0, 1)}
        around = {d + timedelta(days=k) for d in days for k in (-1, 1)} - days
        obs: dict[tuple[str, str, str], resolve.Seen] = {}
        seen = resolve.seen
        first_total: dict[tuple[str, str, str], int | None] = {}
        dates: dict[str, date] = {d.isoformat(): d for d in days | around}
        if known is not None:  # the latest revisions this ingest read and wrote
            latest, firsts = known
            isodays = {d.isoformat(): d for d in days}
            for source, cells in latest.items():
                for (iso, cat), (_, (total, announced, qualifier, address)) in cells.items():
                    day = isodays.get(iso)
                    if day is not None:
                        key = (source, iso, cat)
                        first_total[key] = firsts[key]
                        obs[key] = seen((source, day, cat, total, announced, qualifier,
                                         address))
        for r in () if known is not None else _select_days(
                conn, "SELECT source, report_date, category, total, announced_change, "
                "qualifier, address FROM observations", days, "ORDER BY revision"):
            iso = str(r[1])
            key = (r[0], iso, r[2])
            first_total.setdefault(key, r[3])
            day = dates.get(iso)
            if day is None:
                day = dates[iso] = date.fromisoformat(iso)
            obs[key] = seen((r[0], day, r[2], r[3], r[4], r[5], r[6]))
        revised = {(o.source, o.report_date, o.category) for k, o in obs.items()
                   if first_total[k] != o.total}
        carried: dict[tuple[date, str], dict[str, int]] = {}
        context: dict[tuple[date, str], int] = {}
        for row in _select_days(conn, f"SELECT {', '.join(_LEDGER_COLUMNS)} FROM ledger",
                                days | around, date_col=0):
            iso = str(row[0])
            day = dates.get(iso) or date.fromisoformat(iso)
            c = (row[0], row[2], row[3], row[7], row[8])  # day, category, total, sources, dissent
            if day not in days:
                context[(day, c[1])] = c[2]
                continue
            if stored is not None:
                stored[(iso, c[1])] = row
            agreed = str(c[3]).split(",")
            if not c[4] and all((s, iso, c[1]) in obs for s in agreed):
                continue  # every witness voted again: nothing carried (most cells)
            votes = {s: c[2] for s in agreed if s}
            if c[4]:
                votes.update(json.loads(c[4]))
            kept = {s: v for s, v in votes.items() if (s, iso, c[1]) not in obs
                    and s != resolve.PRESS}
            if kept:
                carried[(day, c[1])] = kept
        return resolve.resolve(obs.values(), carried, revised=revised, context=context)

    def _write_cells(self, conn: tx.Tx, cells: Sequence[resolve.Cell],
                     read: Mapping[tuple[str, str], tuple[Any, ...]] | None = None
                     ) -> date | None:
        """Replace the ledger rows of the cells' days; compute every change in memory, so
        that only rows whose change moved (the day after a revised one) need an update.
        Returns the earliest report date whose row it changed (None: no row changed).
        `read`: the ledger rows of (at least) the cells' days, where already read."""
        days = sorted({c.report_date.isoformat() for c in cells})
        dayset = {date.fromisoformat(d) for d in days}
        existing, movable = self._around(conn, dayset)
        totals = {k: v[0] for k, v in existing.items() if k[0] not in dayset}
        totals.update({(c.report_date, c.category): c.total for c in cells})
        fresh = resolve.changes(totals)
        if any(fresh[(c.report_date, c.category)] is None
               and c.category in resolve.PREDECESSORS for c in cells):
            # a merged category's first change needs what it merged: the whole ledger
            existing, movable = self._around(conn, dayset, whole=True)
            totals = {k: v[0] for k, v in existing.items() if k[0] not in dayset}
            totals.update({(c.report_date, c.category): c.total for c in cells})
            fresh = resolve.changes(totals)
        rows = [(*_iso(c.report_date), c.category, c.total,
                 fresh[(c.report_date, c.category)], c.announced_change, c.qualifier,
                 ",".join(c.sources),
                 json.dumps(dict(c.dissent), sort_keys=True) if c.dissent else None,
                 c.method, c.address) for c in cells]
        # Only the rows that differ are rewritten: re-resolving a whole history that an
        # ingest confirms (the same files again, or the mirrors the snapshot came from)
        # writes nothing, where deleting and inserting every row was a third of the ingest.
        if read is not None:
            isodays = set(days)
            stored = {k: r for k, r in read.items() if k[0] in isodays}
        else:
            stored = {(str(r[0]), r[2]): tuple(r) for r in _select_days(
                conn, f"SELECT {', '.join(_LEDGER_COLUMNS)} FROM ledger", dayset, date_col=0)}
        changed = [r for r in rows if stored.get((r[0], r[2])) != r]
        keep = {(r[0], r[2]) for r in rows}
        gone = [(k[0], k[1]) for k in stored if k not in keep]
        conn.many("DELETE FROM ledger WHERE report_date = ? AND category = ?",
                  [(r[0], r[2]) for r in changed if (r[0], r[2]) in stored] + gone)
        conn.insert("ledger", _LEDGER_COLUMNS, changed)
        updates = [(fresh[k], k[0].isoformat(), k[1])
                   for k, (_, change) in existing.items()
                   if k[0] not in dayset and k in movable and fresh[k] != change]
        conn.many("UPDATE ledger SET change = ? WHERE report_date = ? AND category = ?",
                  updates)
        moved = [str(r[0]) for r in changed] + [k[0] for k in gone] + [
            str(u[1]) for u in updates]
        return date.fromisoformat(min(moved)) if moved else None

    def _around(self, conn: tx.Tx, days: set[date], whole: bool = False
                ) -> tuple[dict[tuple[date, str], tuple[int, int | None]],
                           set[tuple[date, str]]]:
        """(total, change) of the ledger rows a re-resolution of `days` needs, and those
        whose change it can move: for each run of consecutive days and each category, the
        report just before (needed) and just after (movable), two indexed look-ups, so that
        one new day does not read the whole ledger; the whole ledger when runs are many."""
        runs: list[tuple[date, date]] = []
        for d in sorted(days):
            if runs and (d - runs[-1][1]).days == 1:
                runs[-1] = (runs[-1][0], d)
            else:
                runs.append((d, d))
        out: dict[tuple[date, str], tuple[int, int | None]] = {}
        after: list[tuple[Any, ...]] = []
        if whole or len(runs) > 20:
            rows = conn.rows("SELECT report_date, category, total, change FROM ledger")
            after = rows
        else:
            rows = []
            cats = [r[0] for r in conn.rows("SELECT DISTINCT category FROM ledger")]
            for start, end in runs:
                for cat in cats:
                    for op, edge, order in (("<", start, "DESC"), (">", end, "ASC")):
                        got = conn.rows(
                            "SELECT report_date, category, total, change FROM ledger "
                            f"WHERE category = ? AND report_date {op} ? "
                            f"ORDER BY report_date {order} LIMIT 1", (cat, edge.isoformat()))
                        rows.extend(got)
                        if op == ">":
                            after.extend(got)
        for r in rows:
            out[(date.fromisoformat(str(r[0])), r[1])] = (int(r[2]),
                                                          None if r[3] is None else int(r[3]))
        return out, {(date.fromisoformat(str(r[0])), r[1]) for r in after}

    def record_update(self, *, new: int, revised: int, failures: Sequence[str],
                      at: str | None = None) -> None:
        """Note a run of `attrition update` (for /health: the last successful one)."""
        with self._begin("noting the update failed") as conn:
            conn.insert("update_runs", ("at", "new", "revised", "failures"), [
                (at or now(), new, revised, json.dumps(list(failures), ensure_ascii=False))])

    def put_daybook(self, rows: Sequence[tuple[str, str, str]], meta: Mapping[str, str]
                    ) -> None:
        """Replace the daybook (rows of kind, day, body; see attrition.daybook) and its
        metadata, in one transaction."""
        with self._begin("writing the daybook failed, nothing was written") as conn:
            _put_daybook(conn, rows, meta)

    def patch_daybook(self, series_from: str | None, confirmed_from: str | None,
                      rows: Sequence[tuple[str, str, str]], meta: Mapping[str, str]) -> int:
        """Replace part of the daybook, in one transaction: the standings of the report
        dates from `series_from` on and the breaks row (None: keep them), the confirmed
        lines of the scrapes from `confirmed_from` on (None: keep them all), by `rows`; and
        the metadata. Returns how many rows the daybook then has."""
        with self._begin("writing the daybook failed, nothing was written") as conn:
            if series_from is not None:
                conn.run("DELETE FROM daybook WHERE kind = 'breaks'")
                conn.run("DELETE FROM daybook WHERE kind = 'series' AND day >= ?",
                         (series_from,))
            if confirmed_from is not None:
                conn.run("DELETE FROM daybook WHERE kind = 'confirmed' AND day >= ?",
                         (confirmed_from,))
            conn.insert("daybook", ("kind", "day", "body"), rows)
            _put_meta(conn, meta)
            got = conn.first("SELECT COUNT(*) FROM daybook")
            return int(got[0]) if got else 0

    def daybook_meta(self) -> dict[str, str]:
        with self._begin("reading the daybook failed", write=False) as conn:
            return {str(k): str(v) for k, v in conn.rows(
                "SELECT key, value FROM daybook_meta")}

    def daybook_rows(self) -> list[tuple[str, str, str]]:
        """Every row of the daybook: (kind, day, body)."""
        with self._begin("reading the daybook failed", write=False) as conn:
            return [(str(k), str(d), str(b)) for k, d, b in conn.rows(
                "SELECT kind, day, body FROM daybook")]

    def daybook_inputs(self) -> str:
        """The digest of what the daybook is computed from (`inputs_digest`), as stored."""
        with self._begin("reading the ledger failed", write=False) as conn:
            parts = [conn.rows(sql) for sql in _DAYBOOK_INPUTS]
        return inputs_digest(*parts)

    def put_daybook_meta(self, meta: Mapping[str, str]) -> int:
        """Replace the daybook's metadata, keeping its rows; returns how many rows it has
        (0: none, and nothing was written)."""
        with self._begin("writing the daybook failed, nothing was written") as conn:
            got = conn.first("SELECT COUNT(*) FROM daybook")
            n = int(got[0]) if got else 0
            if n:
                _put_meta(conn, meta)
            return n

    def load_rows(self, rows: dict[str, list[tuple[Any, ...]]], *, input: str,
                  sources: Iterable[str], daybook_meta: Mapping[str, str] | None = None,
                  if_empty: bool = False) -> IngestResult | None:
        """Load prepared rows (the bundled snapshot) into an empty database, in one
        transaction (a crash leaves the database as it was). Refuses a database that already
        holds observations: there, `ingest`; with `if_empty`, returns None instead (another
        process loaded it first). With `daybook_meta`, rows["daybook"] is the daybook
        computed for exactly these rows (its metadata gets this load's ingest id)."""
        with self._begin("loading failed, nothing was written") as conn:
            if conn.first("SELECT id FROM observations LIMIT 1") is not None:
                if if_empty:
                    return None
                raise StoreError("the database is not empty; use ingest instead")
            if conn.dialect == "sqlite":
                conn.run(tx.CACHE_PAGES)
            for name in sources:
                self._ensure_source(conn, name)
            conn.insert("observations", _OBS_COLUMNS, rows["observations"])
            conn.insert("ledger", _LEDGER_COLUMNS, rows["ledger"])
            conn.insert("corrections", ("source", "report_date", "category", "value"),
                        rows["corrections"])
            conn.insert("confirmed_counts", _CONFIRMED_COLUMNS, rows.get("confirmed", []))
            n = len(rows["observations"])
            key = conn.insert_id("ingests", dict(zip(
                _INGEST_COLUMNS, (now(), input, "snapshot", n, n, 0), strict=True)))
            if daybook_meta is not None:
                _put_daybook(conn, rows["daybook"], {**daybook_meta, "ingest": str(key)})
        return IngestResult(n, n, 0, 0, len(rows["ledger"]))

    def load_prebuilt(self, path: Path, *, input: str) -> tuple[IngestResult, int] | None:
        """As `load_rows`, the rows copied from a SQLite file that holds them (the prebuilt
        snapshot, `attrition.prebuilt`: a store the same load wrote) with one `INSERT …
        SELECT` per table, in one transaction: no Python object per row. Returns the result
        and how many report dates the ledger has, or None where the store is not empty
        (another process loaded it first). A SQLite file written directly only."""
        conn = self._sqlite
        if conn is None:
            raise StoreError("a prebuilt snapshot loads into a SQLite file only")
        try:  # (by its name: a URI's "?mode=ro" needs URI names, which a build may lack)
            conn.execute("ATTACH DATABASE ? AS bundle", (str(path),))
        except sqlite3.Error as exc:
            raise StoreError(f"loading failed, nothing was written: {exc}") from None
        try:
            with self._begin("loading failed, nothing was written") as tx_:
                if tx_.first("SELECT id FROM observations LIMIT 1") is not None:
                    return None
                tx_.run(tx.CACHE_PAGES)
                for table, cols in _PREBUILT_TABLES:
                    names = ", ".join(cols)
                    tx_.run(f"INSERT INTO main.{table} ({names}) SELECT {names} "
                            f"FROM bundle.{table} ORDER BY rowid")
                n = int(tx_.rows("SELECT COUNT(*) FROM main.observations")[0][0])
                cells, reports = tx_.rows(
                    "SELECT COUNT(*), COUNT(DISTINCT report_date) FROM main.ledger")[0]
                key = tx_.insert_id("ingests", dict(zip(
                    _INGEST_COLUMNS, (now(), input, "snapshot", n, n, 0), strict=True)))
                meta = dict(tx_.rows("SELECT key, value FROM bundle.daybook_meta"))
                if meta:
                    _put_meta(tx_, {**meta, "ingest": str(key)})
        finally:
            with suppress(sqlite3.Error):  # (the connection is closed with the store anyway)
                conn.execute("DETACH DATABASE bundle")
        return IngestResult(n, n, 0, 0, int(cells)), int(reports)


_OBS_COLUMNS = ("source", "report_date", "covers", "category", "total", "announced_change",
                "qualifier", "address", "revision", "seen_at", "input")
_CONFIRMED_COLUMNS = ("source", "country", "type", "day", "revision", "destroyed", "damaged",
                      "abandoned", "captured", "total", "seen_at", "input")
_ITEM_COLUMNS = ("source", "id", "country", "type", "model", "status", "day", "address",
                 "location", "unit", "tags", "seen_at")
_LEDGER_COLUMNS = ("report_date", "covers", "category", "total", "change", "announced_change",
                   "qualifier", "sources", "dissent", "method", "address")
_INGEST_COLUMNS = ("at", "input", "source", "observations", "new", "revised")
ADDED_COLUMNS = tx.ADDED_COLUMNS
_PREBUILT_TABLES = (
    ("sources", ("name", "title", "url", "licence", "attribution", "redistributable")),
    ("observations", _OBS_COLUMNS), ("ledger", _LEDGER_COLUMNS),
    ("corrections", ("source", "report_date", "category", "value")),
    ("confirmed_counts", _CONFIRMED_COLUMNS), ("daybook", ("kind", "day", "body")))
"""What `load_rows` writes, copied by `load_prebuilt` (the ingest row and the daybook's
metadata are its own)."""


def _add_missing_columns(engine: Engine) -> None:
    """Add ADDED_COLUMNS where missing, and the indexes on them (`create_all` makes a table's
    indexes only with the table). Two processes opening an old store at once may both try:
    the one that finds the work done by the other goes on. (A SQLite file written
    directly: `tx.open_sqlite`.)"""
    import sqlalchemy as sa

    from attrition.store import schema

    for table, columns in ADDED_COLUMNS.items():
        have = {c["name"] for c in sa.inspect(engine).get_columns(table)}
        missing = [(n, kind) for n, kind in columns if n not in have]
        if not missing:
            continue
        try:
            with engine.begin() as conn:
                for name, kind in missing:
                    conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
        except sa.exc.SQLAlchemyError:
            have = {c["name"] for c in sa.inspect(engine).get_columns(table)}
            if any(n not in have for n, _ in missing):
                raise
        if table == "observations":
            try:
                with engine.begin() as conn:
                    conn.exec_driver_sql(schema.LATER_INDEX)
            except sa.exc.SQLAlchemyError:
                if "ix_observations_later" not in {
                        i["name"] for i in sa.inspect(engine).get_indexes(table)}:
                    raise


_DAYBOOK_INPUTS = (
    "SELECT category, report_date, total, change, announced_change FROM ledger",
    "SELECT source, report_date, category, value FROM corrections",
    "SELECT source, country, type, day, revision, destroyed, damaged, abandoned, captured, "
    "total FROM confirmed_counts WHERE source = 'oryx'",
)


def inputs_digest(ledger: Iterable[Sequence[Any]], corrections: Iterable[Sequence[Any]],
                  confirmed: Iterable[Sequence[Any]]) -> str:
    """A digest of what the daybook is computed from: the rows of `_DAYBOOK_INPUTS` (the
    ledger's figures, the corrections, every revision of the Oryx counts), in any order.
    Equal digests, equal daybooks (see `daybook.refresh`)."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover
        from hashlib import blake2b
    h = blake2b(digest_size=16)
    for part in (ledger, corrections, confirmed):
        rows = sorted(tuple(str(v) if isinstance(v, date) else v for v in r) for r in part)
        h.update(json.dumps(rows, separators=(",", ":")).encode())
        h.update(b"\n")
    return h.hexdigest()


def _last_ingest(conn: tx.Tx) -> int:
    """The last ingest id (0: none); read inside a write's transaction, so that the ids a
    write adds and the one before it are known (`Changes`)."""
    got = conn.first("SELECT COALESCE(MAX(id), 0) FROM ingests")
    return int(got[0]) if got else 0


@functools.cache
def _iso(day: date) -> tuple[str, str]:
    """(report date, the day it covers) as ISO strings; memoised, as every report has ~15
    figures."""
    return day.isoformat(), date.fromordinal(day.toordinal() - 1).isoformat()


def _put_daybook(conn: tx.Tx, rows: Sequence[tuple[str, str, str]],
                 meta: Mapping[str, str]) -> None:
    conn.run("DELETE FROM daybook")
    conn.insert("daybook", ("kind", "day", "body"), rows)
    _put_meta(conn, meta)


def _put_meta(conn: tx.Tx, meta: Mapping[str, str]) -> None:
    conn.run("DELETE FROM daybook_meta")
    conn.insert("daybook_meta", ("key", "value"), sorted(meta.items()))


def _dedupe(observations: Iterable[Observation]) -> list[Observation]:
    """One observation per (source, day, category) within an input: the last one wins, as a
    later line in the same file corrects an earlier one."""
    out: dict[tuple[str, date, str], Observation] = {}
    for o in observations:
        out[(o.source, o.report_date, o.category)] = o
    return list(out.values())


def _select_days(conn: tx.Tx, sql: str, days: set[date], tail: str = "",
                 date_col: int = 1) -> list[tuple[Any, ...]]:
    """Rows of `sql` whose report_date is one of `days`, straight through the driver (as
    `Tx.many` writes: SQLAlchemy's row objects cost more than the query for a full
    history). When the days span most of the history, one scan filtered here."""
    isodays = sorted(d.isoformat() for d in days)
    if len(isodays) > 400:
        wanted = set(isodays)
        return [r for r in conn.rows(f"{sql} {tail}") if str(r[date_col]) in wanted]
    out: list[tuple[Any, ...]] = []
    for chunk in tx.chunks(isodays, 400):
        out.extend(conn.rows(f"{sql} WHERE report_date IN ({', '.join(['?'] * len(chunk))})"
                             f" {tail}", chunk))
    return out


def _index_order(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """An observation row's key in the unique index (source, report_date, category,
    revision)."""
    return (row[0], row[1], row[3], row[8])
