"""Writing the store: schema, transactional and idempotent ingest, revisions, resolution."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from attrition import resolve
from attrition.errors import StoreError
from attrition.model import Batch, Observation
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
    "press": {
        "title": "News reproductions of the bulletin", "url": None, "licence": "",
        "attribution": "", "redistributable": True,
    },
}


@dataclass(frozen=True)
class IngestResult:
    observations: int
    new: int
    revised: int
    unchanged: int
    cells: int
    """Ledger cells written (re-resolved)."""


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Store:
    """The database behind attrition. `Store()` opens the default SQLite file."""

    def __init__(self, url: str | None = None) -> None:
        self.url = normalise(url) if url else default_url()
        path = sqlite_path(self.url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = sa.create_engine(self.url, future=True)
            schema.metadata.create_all(self.engine)
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

    def ingest(self, batches: Sequence[Batch], *, input: str, seen_at: str | None = None,
               carried: dict[tuple[date, str], dict[str, int]] | None = None,
               ledger_cells: Sequence[resolve.Cell] | None = None) -> IngestResult:
        """Add the batches in one transaction. The same input twice changes nothing; a
        different value for a (source, day, category) becomes a new revision.

        `ledger_cells`, when given, are written as they are (the bundled snapshot ships its
        resolved cells); otherwise the touched cells are re-resolved from the store."""
        seen_at = seen_at or now()
        try:
            with self.engine.begin() as conn:
                return self._ingest(conn, batches, input, seen_at, carried, ledger_cells)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"ingest failed, nothing was written: {exc}") from None

    def _ingest(self, conn: Connection, batches: Sequence[Batch], input: str, seen_at: str,
                carried: dict[tuple[date, str], dict[str, int]] | None,
                ledger_cells: Sequence[resolve.Cell] | None) -> IngestResult:
        t = schema.observations
        total_obs = new = revised = 0
        touched: set[tuple[date, str]] = set()
        for batch in batches:
            self._ensure_source(conn, batch.source)
            latest, seen = self._history(conn, batch.source)
            rows: list[dict[str, Any]] = []
            b_new = b_rev = 0
            for obs in _dedupe(batch.observations):
                total_obs += 1
                key = (obs.report_date.isoformat(), obs.category)
                current = latest.get(key)
                fields = (obs.total, obs.announced_change, obs.qualifier, obs.address)
                if (*key, *fields) in seen:
                    continue  # this very figure from this very place is stored already
                revision = 1 if current is None else current + 1
                if current is None:
                    b_new += 1
                else:
                    b_rev += 1
                latest[key] = revision
                seen.add((*key, *fields))
                rows.append({
                    "source": obs.source, "report_date": key[0],
                    "covers": obs.covers.isoformat(), "category": obs.category,
                    "total": obs.total, "announced_change": obs.announced_change,
                    "qualifier": obs.qualifier, "address": obs.address,
                    "revision": revision, "seen_at": batch.retrieved_at or seen_at,
                    "input": batch.address or input,
                })
                touched.add((obs.report_date, obs.category))
            _bulk_insert(conn, t, rows)
            for corr in batch.corrections:
                stmt = sa.select(schema.corrections.c.value).where(
                    schema.corrections.c.source == corr.source,
                    schema.corrections.c.report_date == corr.report_date.isoformat(),
                    schema.corrections.c.category == corr.category)
                if conn.execute(stmt).first() is None:
                    conn.execute(schema.corrections.insert(), {
                        "source": corr.source, "report_date": corr.report_date.isoformat(),
                        "category": corr.category, "value": corr.value})
            new += b_new
            revised += b_rev
            conn.execute(schema.ingests.insert(), {
                "at": seen_at, "input": batch.address or input, "source": batch.source,
                "observations": len(batch.observations), "new": b_new, "revised": b_rev})
        if ledger_cells is not None:
            cells = list(ledger_cells)
        elif touched:
            cells = self._resolve(conn, {d for d, _ in touched}, carried or {})
        else:
            cells = []
        if cells:
            self._write_cells(conn, cells)
        return IngestResult(total_obs, new, revised, total_obs - new - revised, len(cells))

    def _ensure_source(self, conn: Connection, name: str) -> None:
        t = schema.sources
        if conn.execute(sa.select(t.c.name).where(t.c.name == name)).first() is None:
            info = SOURCE_INFO.get(name, {"title": name, "redistributable": True})
            conn.execute(t.insert(), {"name": name, **info})

    def _history(self, conn: Connection, source: str
                 ) -> tuple[dict[tuple[str, str], int], set[tuple[Any, ...]]]:
        """The latest revision number of each (day, category) of a source, and every figure
        the source has given (so that re-reading an input, or two inputs that alternate,
        adds nothing)."""
        t = schema.observations
        rows = conn.execute(
            sa.select(t.c.report_date, t.c.category, t.c.revision, t.c.total,
                      t.c.announced_change, t.c.qualifier, t.c.address)
            .where(t.c.source == source))
        latest: dict[tuple[str, str], int] = {}
        seen: set[tuple[Any, ...]] = set()
        for r in rows:
            key = (str(r[0]), r[1])
            latest[key] = max(latest.get(key, 0), r[2])
            seen.add((*key, r[3], r[4], r[5], r[6]))
        return latest, seen

    def _resolve(self, conn: Connection, days: set[date],
                 carried: dict[tuple[date, str], dict[str, int]]) -> list[resolve.Cell]:
        """Re-resolve every cell of the touched days from the latest revision of each
        source, keeping the votes of witnesses known only through the previous resolution."""
        t = schema.observations
        isodays = sorted(d.isoformat() for d in days)
        obs: dict[tuple[str, str, str], Observation] = {}
        present = {r[0] for r in conn.execute(sa.select(t.c.source).distinct())}
        for chunk in _chunks(isodays, 400):
            q = (sa.select(t.c.source, t.c.report_date, t.c.category, t.c.total,
                           t.c.announced_change, t.c.qualifier, t.c.address)
                 .where(t.c.report_date.in_(chunk)).order_by(t.c.revision))
            for r in conn.execute(q):
                obs[(r[0], str(r[1]), r[2])] = Observation(
                    r[0], date.fromisoformat(str(r[1])), r[2], r[3], r[4], r[5], r[6])
            lg = schema.ledger
            for c in conn.execute(sa.select(lg.c.report_date, lg.c.category, lg.c.total,
                                            lg.c.sources, lg.c.dissent)
                                  .where(lg.c.report_date.in_(chunk))):
                key = (date.fromisoformat(str(c[0])), c[1])
                votes = carried.setdefault(key, {})
                for s in str(c[3]).split(","):
                    if s and s not in present:
                        votes.setdefault(s, c[2])
                for s, v in json.loads(c[4] or "{}").items():
                    if s not in present:
                        votes.setdefault(s, v)
        carried = {k: v for k, v in carried.items() if k[0] in days and v}
        return resolve.resolve(obs.values(), carried)

    def _write_cells(self, conn: Connection, cells: Sequence[resolve.Cell]) -> None:
        """Replace the ledger rows of the cells' days; compute every change in memory, so
        that only rows whose change moved (the day after a revised one) need an update."""
        lg = schema.ledger
        days = sorted({c.report_date.isoformat() for c in cells})
        existing: dict[tuple[date, str], tuple[int, int | None]] = {}
        for r in conn.execute(sa.select(lg.c.report_date, lg.c.category, lg.c.total,
                                        lg.c.change)):
            existing[(date.fromisoformat(str(r[0])), r[1])] = (r[2], r[3])
        dayset = {date.fromisoformat(d) for d in days}
        totals = {k: v[0] for k, v in existing.items() if k[0] not in dayset}
        totals.update({(c.report_date, c.category): c.total for c in cells})
        fresh = resolve.changes(totals)
        for chunk in _chunks(days, 400):
            conn.execute(lg.delete().where(lg.c.report_date.in_(chunk)))
        _bulk_insert(conn, lg, [{
            "report_date": c.report_date.isoformat(), "category": c.category,
            "covers": date.fromordinal(c.report_date.toordinal() - 1).isoformat(),
            "total": c.total, "change": fresh[(c.report_date, c.category)],
            "announced_change": c.announced_change,
            "qualifier": c.qualifier, "sources": ",".join(c.sources),
            "dissent": json.dumps(dict(c.dissent), sort_keys=True) if c.dissent else None,
            "method": c.method, "address": c.address,
        } for c in cells])
        updates = [{"d": k[0].isoformat(), "c": k[1], "v": fresh[k]}
                   for k, (_, change) in existing.items()
                   if k[0] not in dayset and fresh[k] != change]
        if updates:
            conn.execute(
                lg.update().where(lg.c.report_date == sa.bindparam("d"),
                                  lg.c.category == sa.bindparam("c"))
                .values(change=sa.bindparam("v")), updates)

    # -- queries used by writers ----------------------------------------------------------

    def ledger_size(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(schema.ledger))
                       .scalar_one())


def _bulk_insert(conn: Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """executemany straight through the driver: SQLAlchemy's per-row parameter processing
    costs more than SQLite's work for the tens of thousands of rows of a full history."""
    if not rows:
        return
    cols = list(rows[0])
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {table.name} ({', '.join(cols)}) "
           f"VALUES ({', '.join([marker] * len(cols))})")
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(sql, [tuple(r[c] for c in cols) for r in rows])
    finally:
        cursor.close()


def _dedupe(observations: Iterable[Observation]) -> list[Observation]:
    """One observation per (source, day, category) within an input: the last one wins, as a
    later line in the same file corrects an earlier one."""
    out: dict[tuple[str, date, str], Observation] = {}
    for o in observations:
        out[(o.source, o.report_date, o.category)] = o
    return list(out.values())


def _chunks(items: Sequence[str], n: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]
