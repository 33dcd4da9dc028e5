"""Writing the store: schema, transactional and idempotent ingest, revisions, resolution."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from attrition import resolve
from attrition.errors import StoreError
from attrition.model import Batch, ConfirmedBatch, Observation
from attrition.store import schema
from attrition.store.location import default_url, normalise, sqlite_path

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

    def __init__(self, url: str | None = None) -> None:
        self.url = normalise(url) if url else default_url()
        path = sqlite_path(self.url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = sa.create_engine(self.url, future=True)
            schema.metadata.create_all(self.engine)
            _add_missing_columns(self.engine)
        except sa.exc.SQLAlchemyError as exc:
            detail = getattr(exc, "orig", None) or exc
            raise StoreError(f"cannot open the database {self._safe_url()}: "
                             f"{exc.__class__.__name__}: {detail}") from None
        except ModuleNotFoundError as exc:
            raise StoreError(f"no driver for {self._safe_url()}: {exc}") from None

    def _safe_url(self) -> str:
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest ---------------------------------------------------------------------------

    def ingest(self, batches: Sequence[Batch], *, input: str,
               seen_at: str | None = None) -> IngestResult:
        """Add the batches in one transaction and re-resolve the cells they touch. The same
        input twice changes nothing; a value that differs from the source's latest for a
        (source, day, category) becomes a new revision, kept beside the old ones."""
        seen_at = seen_at or now()
        try:
            with self.engine.begin() as conn:
                if conn.dialect.name == "sqlite":
                    conn.exec_driver_sql("PRAGMA cache_size = -65536")  # as load_rows
                return self._ingest(conn, batches, input, seen_at)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"ingest failed, nothing was written: {exc}") from None

    def _ingest(self, conn: Connection, batches: Sequence[Batch], input: str,
                seen_at: str) -> IngestResult:
        t = schema.observations
        total_obs = new = revised = 0
        before = _last_ingest(conn)
        fixed: list[date] = []  # report dates of the corrections this ingest adds
        touched: set[tuple[date, str]] = set()
        history: dict[str, dict[tuple[str, str], tuple[int, tuple[Any, ...]]]] = {}
        first: dict[tuple[str, str, str], int | None] = {}
        # Into an empty store, what this ingest writes is all there is: resolve it from
        # memory instead of reading it back (a fifth of a full ingest).
        empty = self.fast_paths and conn.execute(sa.select(t.c.id).limit(1)).first() is None
        written: dict[tuple[str, str, str], tuple[int | None, Observation]] = {}
        around = {d + timedelta(days=k) for d in {o.report_date for b in batches
                                                  for o in b.observations}
                  for k in (-1, 0, 1)}
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
                touched.add((obs.report_date, obs.category))
                if empty:
                    wkey = (obs.source, iso, obs.category)
                    earlier = written.get(wkey)
                    written[wkey] = (obs.total if earlier is None else earlier[0], obs)
            rows.sort(key=_index_order)  # the unique index grows at its end: ~2x faster
            _bulk_insert(conn, t, (*_OBS_COLUMNS, "published_at"), rows)
            if batch.corrections:
                ct = schema.corrections
                have = {(r[0], str(r[1]), r[2]) for r in conn.execute(
                    sa.select(ct.c.source, ct.c.report_date, ct.c.category))}
                added = [c for c in batch.corrections
                         if (c.source, c.report_date.isoformat(), c.category) not in have]
                _bulk_insert(conn, ct, ("source", "report_date", "category", "value"), [
                    (c.source, c.report_date.isoformat(), c.category, c.value) for c in added])
                fixed.extend(c.report_date for c in added)
            new += b_new
            revised += b_rev
            conn.execute(schema.ingests.insert(), {
                "at": seen_at, "input": batch.address or input, "source": batch.source,
                "observations": len(batch.observations), "new": b_new, "revised": b_rev})
        if not touched:
            cells: list[resolve.Cell] = []
        elif empty:
            cells = resolve.resolve(
                [o for _, o in written.values()],
                revised={(o.source, o.report_date, o.category)
                         for first, o in written.values() if first != o.total})
        else:
            cells = self._resolve(conn, {d for d, _ in touched},
                                  (history, first) if self.fast_paths else None)
        changed = self._write_cells(conn, cells) if cells else None
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
        try:
            with self.engine.begin() as conn:
                before = _last_ingest(conn)
                ct, it = schema.confirmed_counts, schema.confirmed_items
                for batch in batches:
                    self._ensure_source(conn, batch.source)
                    have: dict[tuple[str, str, str], tuple[int, tuple[int, ...]]] = {}
                    for r in conn.execute(sa.select(
                            ct.c.country, ct.c.type, ct.c.day, ct.c.revision, ct.c.destroyed,
                            ct.c.damaged, ct.c.abandoned, ct.c.captured, ct.c.total)
                            .where(ct.c.source == batch.source).order_by(ct.c.revision)):
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
                    _bulk_insert(conn, ct, _CONFIRMED_COLUMNS, rows)
                    oryx = oryx or bool(rows and batch.source == "oryx")
                    if batch.items:
                        stored = {str(r[0]): tuple(r[1:]) for r in conn.execute(sa.select(
                            it.c.id, it.c.country, it.c.type, it.c.model, it.c.status,
                            it.c.day, it.c.address, it.c.location, it.c.unit, it.c.tags)
                            .where(it.c.source == batch.source))}
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
                                conn.execute(it.delete().where(it.c.source == batch.source,
                                                               it.c.id == i.id))
                            else:
                                items_new += 1
                            stored[i.id] = vals
                            fresh.append((batch.source, i.id, *vals,
                                          batch.retrieved_at or seen_at))
                        _bulk_insert(conn, it, _ITEM_COLUMNS, fresh)
                    conn.execute(schema.ingests.insert(), {
                        "at": seen_at, "input": batch.address or input, "source": batch.source,
                        "observations": len(batch.counts) + len(batch.items),
                        "new": new + items_new, "revised": revised + items_changed})
                changes = Changes(before, _last_ingest(conn), len(batches), confirmed=oryx)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"ingest failed, nothing was written: {exc}") from None
        return ConfirmedResult(new, revised, items_new, items_changed, changes)

    def _ensure_source(self, conn: Connection, name: str) -> None:
        t = schema.sources
        if conn.execute(sa.select(t.c.name).where(t.c.name == name)).first() is None:
            info = SOURCE_INFO.get(name, {"title": name, "redistributable": True})
            conn.execute(t.insert(), {"name": name, **info})

    def _history(self, conn: Connection, days: set[date],
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

    def _resolve(self, conn: Connection, touched: set[date],
                 known: tuple[Mapping[str, Mapping[tuple[str, str], tuple[int, tuple[Any, ...]]]],
                              Mapping[tuple[str, str, str], int | None]] | None = None
                 ) -> list[resolve.Cell]:
        """Re-resolve every cell of the touched days, and of the days either side (the
        evidence for a day looks at its neighbours), from the latest revision of each
        source. A witness known only through the previous resolution (the minfin-derived
        CSV, whose rows are not shipped) keeps its vote in every cell where it has no stored
        figure of its own: a partial file never retracts what it does not mention."""
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
        for c in _select_days(conn, "SELECT report_date, category, total, sources, "
                              "dissent FROM ledger", days | around, date_col=0):
            iso = str(c[0])
            day = dates.get(iso) or date.fromisoformat(iso)
            if day not in days:
                context[(day, c[1])] = c[2]
                continue
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

    def _write_cells(self, conn: Connection, cells: Sequence[resolve.Cell]) -> date | None:
        """Replace the ledger rows of the cells' days; compute every change in memory, so
        that only rows whose change moved (the day after a revised one) need an update.
        Returns the earliest report date whose row it changed (None: no row changed)."""
        lg = schema.ledger
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
        stored = {(str(r[0]), r[2]): tuple(r) for r in _select_days(
            conn, f"SELECT {', '.join(_LEDGER_COLUMNS)} FROM ledger", dayset, date_col=0)}
        changed = [r for r in rows if stored.get((r[0], r[2])) != r]
        keep = {(r[0], r[2]) for r in rows}
        gone = [(k[0], k[1]) for k in stored if k not in keep]
        _bulk_delete(conn, lg, [(r[0], r[2]) for r in changed if (r[0], r[2]) in stored]
                     + gone)
        _bulk_insert(conn, lg, _LEDGER_COLUMNS, changed)
        updates = [{"d": k[0].isoformat(), "c": k[1], "v": fresh[k]}
                   for k, (_, change) in existing.items()
                   if k[0] not in dayset and k in movable and fresh[k] != change]
        if updates:
            conn.execute(
                lg.update().where(lg.c.report_date == sa.bindparam("d"),
                                  lg.c.category == sa.bindparam("c"))
                .values(change=sa.bindparam("v")), updates)
        moved = [str(r[0]) for r in changed] + [k[0] for k in gone] + [
            str(u["d"]) for u in updates]
        return date.fromisoformat(min(moved)) if moved else None

    def _around(self, conn: Connection, days: set[date], whole: bool = False
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
        cursor = conn.connection.cursor()
        marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        try:
            after: list[tuple[Any, ...]] = []
            if whole or len(runs) > 20:
                cursor.execute("SELECT report_date, category, total, change FROM ledger")
                rows = list(cursor.fetchall())
                after = rows
            else:
                rows = []
                cursor.execute("SELECT DISTINCT category FROM ledger")
                cats = [r[0] for r in cursor.fetchall()]
                for start, end in runs:
                    for cat in cats:
                        for op, edge, order in (("<", start, "DESC"), (">", end, "ASC")):
                            cursor.execute(
                                "SELECT report_date, category, total, change FROM ledger "
                                f"WHERE category = {marker} AND report_date {op} {marker} "
                                f"ORDER BY report_date {order} LIMIT 1",
                                (cat, edge.isoformat()))
                            got = cursor.fetchall()
                            rows.extend(got)
                            if op == ">":
                                after.extend(got)
        finally:
            cursor.close()
        for r in rows:
            out[(date.fromisoformat(str(r[0])), r[1])] = (int(r[2]),
                                                          None if r[3] is None else int(r[3]))
        return out, {(date.fromisoformat(str(r[0])), r[1]) for r in after}

    def record_update(self, *, new: int, revised: int, failures: Sequence[str],
                      at: str | None = None) -> None:
        """Note a run of `attrition update` (for /health: the last successful one)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(schema.update_runs.insert(), {
                    "at": at or now(), "new": new, "revised": revised,
                    "failures": json.dumps(list(failures), ensure_ascii=False)})
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"noting the update failed: {exc}") from None

    def put_daybook(self, rows: Sequence[tuple[str, str, str]], meta: Mapping[str, str]
                    ) -> None:
        """Replace the daybook (rows of kind, day, body; see attrition.daybook) and its
        metadata, in one transaction."""
        try:
            with self.engine.begin() as conn:
                _put_daybook(conn, rows, meta)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"writing the daybook failed, nothing was written: {exc}"
                             ) from None

    def patch_daybook(self, series_from: str | None, confirmed_from: str | None,
                      rows: Sequence[tuple[str, str, str]], meta: Mapping[str, str]) -> int:
        """Replace part of the daybook, in one transaction: the standings of the report
        dates from `series_from` on and the breaks row (None: keep them), the confirmed
        lines of the scrapes from `confirmed_from` on (None: keep them all), by `rows`; and
        the metadata. Returns how many rows the daybook then has."""
        t = schema.daybook
        try:
            with self.engine.begin() as conn:
                if series_from is not None:
                    conn.execute(t.delete().where(t.c.kind == "breaks"))
                    conn.execute(t.delete().where(t.c.kind == "series", t.c.day >= series_from))
                if confirmed_from is not None:
                    conn.execute(t.delete().where(t.c.kind == "confirmed",
                                                  t.c.day >= confirmed_from))
                _bulk_insert(conn, t, ("kind", "day", "body"), rows)
                conn.execute(schema.daybook_meta.delete())
                conn.execute(schema.daybook_meta.insert(),
                             [{"key": k, "value": v} for k, v in sorted(meta.items())])
                return int(conn.execute(sa.select(sa.func.count()).select_from(t))
                           .scalar_one())
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"writing the daybook failed, nothing was written: {exc}"
                             ) from None

    def daybook_meta(self) -> dict[str, str]:
        try:
            with self.engine.connect() as conn:
                return {str(k): str(v) for k, v in conn.execute(
                    sa.select(schema.daybook_meta.c.key, schema.daybook_meta.c.value))}
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"reading the daybook failed: {exc}") from None

    def daybook_rows(self) -> list[tuple[str, str, str]]:
        """Every row of the daybook: (kind, day, body)."""
        try:
            with self.engine.connect() as conn:
                cursor = conn.connection.cursor()
                try:
                    cursor.execute("SELECT kind, day, body FROM daybook")
                    return [(str(k), str(d), str(b)) for k, d, b in cursor.fetchall()]
                finally:
                    cursor.close()
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"reading the daybook failed: {exc}") from None

    def daybook_inputs(self) -> str:
        """The digest of what the daybook is computed from (`inputs_digest`), as stored."""
        try:
            with self.engine.connect() as conn:
                cursor = conn.connection.cursor()
                try:
                    parts = []
                    for sql in _DAYBOOK_INPUTS:
                        cursor.execute(sql)
                        parts.append(cursor.fetchall())
                finally:
                    cursor.close()
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"reading the ledger failed: {exc}") from None
        return inputs_digest(*parts)

    def put_daybook_meta(self, meta: Mapping[str, str]) -> int:
        """Replace the daybook's metadata, keeping its rows; returns how many rows it has
        (0: none, and nothing was written)."""
        try:
            with self.engine.begin() as conn:
                n = conn.execute(sa.select(sa.func.count()).select_from(
                    schema.daybook)).scalar_one()
                if n:
                    conn.execute(schema.daybook_meta.delete())
                    conn.execute(schema.daybook_meta.insert(),
                                 [{"key": k, "value": v} for k, v in sorted(meta.items())])
                return int(n)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"writing the daybook failed, nothing was written: {exc}"
                             ) from None

    def load_rows(self, rows: dict[str, list[tuple[Any, ...]]], *, input: str,
                  sources: Iterable[str], daybook_meta: Mapping[str, str] | None = None,
                  if_empty: bool = False) -> IngestResult | None:
        """Load prepared rows (the bundled snapshot) into an empty database, in one
        transaction (a crash leaves the database as it was). Refuses a database that already
        holds observations: there, `ingest`; with `if_empty`, returns None instead (another
        process loaded it first). With `daybook_meta`, rows["daybook"] is the daybook
        computed for exactly these rows (its metadata gets this load's ingest id)."""
        try:
            with self.engine.begin() as conn:
                t = schema.observations
                if conn.execute(sa.select(t.c.id).limit(1)).first() is not None:
                    if if_empty:
                        return None
                    raise StoreError("the database is not empty; use ingest instead")
                if conn.dialect.name == "sqlite":
                    # the rows go in sorted by key, so the indexes grow at their ends; a
                    # larger page cache keeps them in memory for the one transaction
                    conn.exec_driver_sql("PRAGMA cache_size = -65536")
                for name in sources:
                    self._ensure_source(conn, name)
                _bulk_insert(conn, t, _OBS_COLUMNS, rows["observations"])
                _bulk_insert(conn, schema.ledger, _LEDGER_COLUMNS, rows["ledger"])
                _bulk_insert(conn, schema.corrections,
                             ("source", "report_date", "category", "value"),
                             rows["corrections"])
                _bulk_insert(conn, schema.confirmed_counts, _CONFIRMED_COLUMNS,
                             rows.get("confirmed", []))
                n = len(rows["observations"])
                done = conn.execute(schema.ingests.insert(), {
                    "at": now(), "input": input, "source": "snapshot", "observations": n,
                    "new": n, "revised": 0})
                if daybook_meta is not None:
                    key = done.inserted_primary_key
                    assert key is not None
                    _put_daybook(conn, rows["daybook"], {**daybook_meta, "ingest": str(key[0])})
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"loading failed, nothing was written: {exc}") from None
        return IngestResult(n, n, 0, 0, len(rows["ledger"]))


_OBS_COLUMNS = ("source", "report_date", "covers", "category", "total", "announced_change",
                "qualifier", "address", "revision", "seen_at", "input")
_CONFIRMED_COLUMNS = ("source", "country", "type", "day", "revision", "destroyed", "damaged",
                      "abandoned", "captured", "total", "seen_at", "input")
_ITEM_COLUMNS = ("source", "id", "country", "type", "model", "status", "day", "address",
                 "location", "unit", "tags", "seen_at")
_LEDGER_COLUMNS = ("report_date", "covers", "category", "total", "change", "announced_change",
                   "qualifier", "sources", "dissent", "method", "address")


ADDED_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "observations": (("published_at", "VARCHAR(32)"),),
}
"""Columns added to a table after stores were first made: added where missing (NULL in the
rows already there), so that a store made by an earlier version opens and keeps working."""


def _add_missing_columns(engine: Engine) -> None:
    """Add ADDED_COLUMNS where missing, and the indexes on them (`create_all` makes a table's
    indexes only with the table). Two processes opening an old store at once may both try:
    the one that finds the work done by the other goes on."""
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


def _last_ingest(conn: Connection) -> int:
    """The last ingest id (0: none); read inside a write's transaction, so that the ids a
    write adds and the one before it are known (`Changes`)."""
    return int(conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM ingests").scalar_one())


@functools.cache
def _iso(day: date) -> tuple[str, str]:
    """(report date, the day it covers) as ISO strings; memoised, as every report has ~15
    figures."""
    return day.isoformat(), date.fromordinal(day.toordinal() - 1).isoformat()


def _bulk_insert(conn: Connection, table: sa.Table, cols: Sequence[str],
                 rows: Sequence[tuple[Any, ...]]) -> None:
    """executemany straight through the driver: SQLAlchemy's per-row parameter processing
    costs more than SQLite's work for the tens of thousands of rows of a full history."""
    if not rows:
        return
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {table.name} ({', '.join(cols)}) "
           f"VALUES ({', '.join([marker] * len(cols))})")
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


def _bulk_delete(conn: Connection, table: sa.Table, keys: Sequence[tuple[str, str]]
                 ) -> None:
    """Delete rows by (report_date, category), through the driver as `_bulk_insert`."""
    if not keys:
        return
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(f"DELETE FROM {table.name} WHERE report_date = {marker} "
                           f"AND category = {marker}", keys)
    finally:
        cursor.close()


def _put_daybook(conn: Connection, rows: Sequence[tuple[str, str, str]],
                 meta: Mapping[str, str]) -> None:
    conn.execute(schema.daybook_meta.delete())
    conn.execute(schema.daybook.delete())
    _bulk_insert(conn, schema.daybook, ("kind", "day", "body"), rows)
    conn.execute(schema.daybook_meta.insert(), [{"key": k, "value": v}
                                                for k, v in sorted(meta.items())])


def _dedupe(observations: Iterable[Observation]) -> list[Observation]:
    """One observation per (source, day, category) within an input: the last one wins, as a
    later line in the same file corrects an earlier one."""
    out: dict[tuple[str, date, str], Observation] = {}
    for o in observations:
        out[(o.source, o.report_date, o.category)] = o
    return list(out.values())


def _select_days(conn: Connection, sql: str, days: set[date], tail: str = "",
                 date_col: int = 1) -> list[tuple[Any, ...]]:
    """Rows of `sql` whose report_date is one of `days`, straight through the driver (as
    `_bulk_insert` writes: SQLAlchemy's row objects cost more than the query for a full
    history). When the days span most of the history, one scan filtered here."""
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    isodays = sorted(d.isoformat() for d in days)
    cursor = conn.connection.cursor()
    out: list[tuple[Any, ...]] = []
    try:
        if len(isodays) > 400:
            wanted = set(isodays)
            cursor.execute(f"{sql} {tail}")
            out = [tuple(r) for r in cursor.fetchall() if str(r[date_col]) in wanted]
        else:
            for chunk in _chunks(isodays, 400):
                cursor.execute(f"{sql} WHERE report_date IN ({', '.join([marker] * len(chunk))})"
                               f" {tail}", tuple(chunk))
                out.extend(tuple(r) for r in cursor.fetchall())
    finally:
        cursor.close()
    return out


def _chunks(items: Sequence[str], n: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _index_order(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """An observation row's key in the unique index (source, report_date, category,
    revision)."""
    return (row[0], row[1], row[3], row[8])
