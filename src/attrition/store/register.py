"""The register of checked articles and claims (issue 15): what the watchers found, who is
checking what, the verdicts and their changes, and the feeds' polling state.

Plain data in, plain data out: the pipeline (attrition.watch) reads pages and runs the
checker; this module only keeps the record. Several watchers share one store: an article is
claimed atomically (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: one UPDATE on a pending
row, which SQLite's write lock makes atomic), and a claim older than the lease is taken again,
so a watcher killed mid-article loses nothing. A check is stored only by the watcher that
still holds the claim, in the transaction that marks the article checked: never twice.
"""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from attrition.errors import StoreError
from attrition.store import schema

LEASE = 300.0
"""Seconds a claim on an article holds; an older one is taken again (its watcher died)."""
MAX_ATTEMPTS = 5
"""Claims of one article (fetch failures, deaths mid-article) before it counts as failed."""

STATUSES = ("pending", "checking", "checked", "failed", "duplicate")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _ago(seconds: float, at: str | None = None) -> str:
    base = datetime.fromisoformat(at) if at else datetime.now(UTC)
    return (base - timedelta(seconds=seconds)).isoformat(timespec="microseconds")


def tune(engine: Engine) -> None:
    """Make a SQLite store fit for watchers: write-ahead logging (readers, such as the web
    service, and several watchers no longer block each other; it stays set in the file) and
    `synchronous=NORMAL` on this engine's connections (a commit no longer waits for the disk;
    a power cut may lose the last commits, never corrupt the file, and a lost check is done
    again). Each article is two small transactions, so this is most of a watcher's time."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA busy_timeout = 30000")
        cur.close()

    engine.dispose()  # connections opened before the listener get it too
    with engine.connect() as conn:
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        if str(mode).lower() != "wal" and engine.url.database not in (None, "", ":memory:"):
            conn.exec_driver_sql("PRAGMA journal_mode = WAL")


def worker_name() -> str:
    """This process's name in `claimed_by`: host, pid and a random tail (a pid is reused)."""
    import os

    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


# -- the ledger's version -------------------------------------------------------------------


def ledger_version(conn: Connection | Engine) -> str:
    """What the claims were judged against, cheaply: the newest ingest's id and the newest
    report's date ("57:2026-11-30"). Every ingest (a new report or a revision) changes it."""
    if isinstance(conn, Engine):
        with conn.connect() as c:
            return ledger_version(c)
    got = conn.execute(sa.text(
        "SELECT (SELECT COALESCE(MAX(id), 0) FROM ingests), "
        "(SELECT MAX(report_date) FROM ledger)")).first()
    ingest, latest = (got[0], got[1]) if got else (0, None)
    return f"{int(ingest)}:{latest or '-'}"


def version_reason(old: str, new: str) -> str:
    """Why claims judged against `old` are judged again against `new`: a newer report came,
    or (same newest report) a revision."""
    return "new report" if old.partition(":")[2] != new.partition(":")[2] else "revision"


# -- articles -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """An article found: a feed's entry (text None: the page is to be fetched), a file, or a
    text pushed by a CMS."""

    address: str
    entry_hash: str
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    feed: str | None = None
    text: str | None = None
    content_hash: str | None = None


@dataclass
class Article:
    """A claimed article: what the pipeline needs to fetch and check it."""

    id: int
    address: str
    outlet: str | None
    title: str | None
    published: str | None
    body: str | None
    attempts: int
    claimed_by: str
    feed: str | None = None


@dataclass
class Stored:
    """What `finish` wrote: the article and its claims (with their ids), or nothing when the
    claim was lost (another watcher took the article after the lease)."""

    article_id: int
    status: str
    claims: list[dict[str, Any]] = field(default_factory=list)
    duplicate_of: int | None = None


def enqueue(engine: Engine, entries: Iterable[Entry]) -> list[int]:
    """Register the entries not seen yet (same address and entry hash, or for a text, same
    address and content hash): new rows, pending. Returns their ids. Another watcher
    enqueuing the same entry at the same moment may add it twice; the second is then found
    a duplicate when read (same text at the address), never checked twice."""
    a = schema.articles
    found = now()
    fresh: dict[tuple[str, str], Entry] = {}
    for e in entries:
        fresh.setdefault((e.address, e.entry_hash), e)
    if not fresh:
        return []
    try:
        with engine.begin() as conn:
            addresses = sorted({k[0] for k in fresh})
            seen: set[tuple[str, str]] = set()
            for i in range(0, len(addresses), 500):
                for r in conn.execute(sa.select(a.c.address, a.c.entry_hash, a.c.content_hash)
                                      .where(a.c.address.in_(addresses[i:i + 500]))):
                    seen.add((r[0], r[1]))
                    if r[2]:
                        seen.add((r[0], r[2]))
            rows = [{"address": e.address, "entry_hash": e.entry_hash, "outlet": e.outlet,
                     "title": e.title, "published": e.published, "feed": e.feed,
                     "body": e.text, "status": "pending", "attempts": 0, "found": found}
                    for key, e in fresh.items() if key not in seen
                    and (e.content_hash is None or (e.address, e.content_hash) not in seen)]
            if not rows:
                return []
            got = conn.execute(a.insert().returning(a.c.id, sort_by_parameter_order=True),
                               rows)
            return [int(r[0]) for r in got]
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"registering articles failed, nothing was written: {exc}") from None


def _claim_statements() -> tuple[sa.Update, sa.Update]:
    """The two claiming statements, built once (building and keying a statement costs more
    than running it on SQLite): one takes the oldest pending articles, the other articles
    whose claim expired. Each is one UPDATE whose choice is a subquery: on SQLite its write
    lock covers the choice and the update; on PostgreSQL the chosen rows are locked by the
    choice (`FOR UPDATE SKIP LOCKED`) and another watcher's choice skips them."""
    a = schema.articles
    at: sa.BindParameter[str] = sa.bindparam("b_at")
    expired: sa.BindParameter[str] = sa.bindparam("b_expired")
    n: sa.BindParameter[int] = sa.bindparam("b_n")
    pending = sa.and_(a.c.status == "pending",
                      sa.or_(a.c.retry_at.is_(None), a.c.retry_at <= at))
    stale = sa.and_(a.c.status == "checking", a.c.claimed_at < expired)
    cols = (a.c.id, a.c.address, a.c.outlet, a.c.title, a.c.published, a.c.body,
            a.c.attempts, a.c.feed)
    out = []
    for takeable in (pending, stale):
        # by id within each kind: the (status, id) index gives them in order, without
        # sorting the whole queue at every claim
        # a CTE: PostgreSQL runs it once (a plain IN (subquery ... LIMIT n) may be run
        # again per row, and then takes more than n)
        pick = (sa.select(a.c.id).where(takeable).order_by(a.c.id).limit(n)
                .with_for_update(skip_locked=True).cte("pick"))
        out.append(a.update().where(a.c.id.in_(sa.select(pick.c.id)))
                   .where(takeable).values(status="checking", claimed_by=sa.bindparam("b_w"),
                                           claimed_at=at, attempts=a.c.attempts + 1)
                   .returning(*cols))
    return out[0], out[1]


_CLAIM_PENDING, _CLAIM_EXPIRED = _claim_statements()


def claim(engine: Engine, worker: str, lease: float = LEASE) -> Article | None:
    """Take the oldest pending article (or one whose claim expired) for `worker`, or None
    when there is nothing to do. Exactly one watcher gets each."""
    got = claim_many(engine, worker, 1, lease)
    return got[0] if got else None


def claim_many(engine: Engine, worker: str, n: int, lease: float = LEASE) -> list[Article]:
    """Take up to `n` articles for `worker` in one transaction: the oldest pending first,
    then those a dead watcher left (an article that kills its watcher is not taken again at
    once by the next one, and gives up after MAX_ATTEMPTS). Exactly one watcher gets each."""
    at = now()
    params = {"b_at": at, "b_expired": _ago(lease, at), "b_n": n, "b_w": worker}
    rows: list[Any] = []
    try:
        with engine.begin() as conn:
            rows += conn.execute(_CLAIM_PENDING, params).all()
            if len(rows) < n:
                rows += conn.execute(_CLAIM_EXPIRED, {**params, "b_n": n - len(rows)}).all()
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"claiming an article failed: {exc}") from None
    rows.sort(key=lambda r: int(r[0]))
    return [Article(int(r[0]), r[1], r[2], r[3], r[4], r[5], int(r[6]), worker, r[7])
            for r in rows]


def _ours(conn: Connection, article_id: int, worker: str) -> bool:
    a = schema.articles
    q = sa.select(a.c.id).where(a.c.id == article_id, a.c.status == "checking",
                                a.c.claimed_by == worker)
    if conn.dialect.name == "postgresql":
        q = q.with_for_update()
    return conn.execute(q).first() is not None


def unclaim(engine: Engine, arts: Sequence[Article]) -> int:
    """Give back claimed articles not yet read (a watcher stopping, or one whose batch of
    claims is getting old): pending again at once, this claim not counted as an attempt.
    Returns how many were still ours."""
    if not arts:
        return 0
    a = schema.articles
    try:
        with engine.begin() as conn:
            got = conn.execute(a.update().where(
                a.c.id == sa.bindparam("b_id"), a.c.status == "checking",
                a.c.claimed_by == sa.bindparam("b_w")).values(
                status="pending", claimed_by=None, claimed_at=None,
                attempts=a.c.attempts - 1), [{"b_id": x.id, "b_w": x.claimed_by}
                                             for x in arts])
            return int(got.rowcount or 0)
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"giving back claimed articles failed: {exc}") from None


def release(engine: Engine, art: Article, error: str, *, final: bool = False,
            max_attempts: int = MAX_ATTEMPTS, retry: float = 60.0,
            wait: float | None = None, count: bool = True) -> str:
    """Give an article back after an error: pending again, to be tried after `retry` × 2^n
    seconds (n: the attempts so far) or `wait` seconds if longer (a server's Retry-After),
    or failed with the error when `final` or after `max_attempts`. Without `count`, this
    claim is no attempt (the watcher did not ask: the server had asked it to wait). Returns
    the new status ('' when the claim had been lost)."""
    a = schema.articles
    attempts = art.attempts if count else art.attempts - 1
    status = "failed" if final or attempts >= max_attempts else "pending"
    backoff = retry * 2 ** max(0, attempts - 1) if count else 0.0
    try:
        with engine.begin() as conn:
            if not _ours(conn, art.id, art.claimed_by):
                return ""
            conn.execute(a.update().where(a.c.id == art.id).values(
                status=status, error=error[:2000], claimed_by=None, claimed_at=None,
                attempts=attempts,
                retry_at=later(max(backoff, wait or 0.0)) if status == "pending" else None,
                checked_at=now() if status == "failed" else None))
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"releasing article {art.id} failed: {exc}") from None
    return status


def fail_exhausted(engine: Engine, max_attempts: int = MAX_ATTEMPTS,
                   lease: float = LEASE) -> int:
    """Articles whose watchers died `max_attempts` times on them: failed, so that one poison
    page cannot kill every watcher in turn."""
    a = schema.articles
    with engine.begin() as conn:
        got = conn.execute(a.update().where(
            a.c.status == "checking", a.c.claimed_at < _ago(lease),
            a.c.attempts >= max_attempts).values(
            status="failed", error=f"given up after {max_attempts} attempts",
            claimed_by=None, claimed_at=None, checked_at=now()))
        return int(got.rowcount or 0)


def _claim_row(article_id: int, position: int, c: Mapping[str, Any], version: str,
               at: str) -> dict[str, Any]:
    period = c.get("period") or {}
    return {"article_id": article_id, "position": position, "sentence": c["sentence"],
            "text": c["text"], "value": _int(c.get("value")), "category": c.get("category"),
            "measure": c.get("measure"), "period_from": period.get("from"),
            "period_to": period.get("to"), "verdict": c["verdict"],
            "actual": _int(c.get("actual")), "reading": c.get("reading"),
            "why": c.get("why"),
            "evidence": json.dumps(c.get("evidence"), ensure_ascii=False, sort_keys=True,
                                   default=str),
            "rule_ids": json.dumps(list(c.get("rule_ids") or []), ensure_ascii=False),
            "ledger_version": version, "judged_at": at}


def _int(v: Any) -> int | None:
    if v is None:
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


OnStored = Callable[[Connection, Mapping[str, Any], Sequence[Mapping[str, Any]]], None]
"""Called inside the transaction that stores an article's claims (or records changed
verdicts): the connection, the article (id, address, outlet, title, published) and the
claim rows with their ids. What it writes (an alert's outbox row) commits with the claims, or
not at all."""


@dataclass(frozen=True)
class Checked:
    """An article read and checked, to be stored by `finish_many`."""

    article: Article
    text: str
    content_hash: str
    language: str | None
    claims: Sequence[Mapping[str, Any]]
    version: str
    fetched: str | None = None


def _finish_statements() -> dict[str, Any]:
    """The statements that store a checked article, built once (see _claim_statements)."""
    a, ct = schema.articles, schema.claims
    ours = (a.c.id == sa.bindparam("b_id"), a.c.status == "checking",
            a.c.claimed_by == sa.bindparam("b_w"))
    other = a.alias("other")
    newest = sa.select(sa.func.coalesce(sa.func.max(other.c.version), 0) + 1).where(
        other.c.address == sa.bindparam("b_address")).scalar_subquery()
    at: sa.BindParameter[str] = sa.bindparam("b_at")
    fetched: sa.BindParameter[str | None] = sa.bindparam("b_fetched")
    return {
        "same": sa.select(a.c.id).where(
            a.c.address == sa.bindparam("b_address"), a.c.content_hash == sa.bindparam("b_hash"),
            a.c.id != sa.bindparam("b_id")).limit(1),
        "duplicate": a.update().where(*ours).values(
            status="duplicate", claimed_at=None, checked_at=at, fetched=fetched,
            error=sa.bindparam("b_error")),
        # claimed_by stays: who checked it. Only the claim's holder gets a row here.
        "checked": a.update().where(*ours).values(
            status="checked", claimed_at=None, checked_at=at, fetched=fetched,
            body=sa.bindparam("b_body"), content_hash=sa.bindparam("b_hash"),
            language=sa.bindparam("b_language"), version=newest, error=None),
        "claims": ct.insert().returning(ct.c.id, sort_by_parameter_order=True),
    }


_FINISH = _finish_statements()


def _batch_statements() -> dict[str, Any]:
    """The statements that store a batch with a few round trips to the database whatever
    its size (each round trip waits for the server's turn on a busy machine)."""
    a = schema.articles
    ids: sa.BindParameter[list[int]] = sa.bindparam("b_ids", expanding=True)
    addresses: sa.BindParameter[list[str]] = sa.bindparam("b_addresses", expanding=True)
    ours = (a.c.id == sa.bindparam("b_id"), a.c.status == "checking",
            a.c.claimed_by == sa.bindparam("b_w"))
    at: sa.BindParameter[str] = sa.bindparam("b_at")
    fetched: sa.BindParameter[str | None] = sa.bindparam("b_fetched")
    ct = schema.claims
    return {
        "claims": ct.insert(),
        "claim_ids": sa.select(ct.c.article_id, ct.c.position, ct.c.id).where(
            ct.c.article_id.in_(ids)),
        # on PostgreSQL the rows stay ours until the commit
        "ours": sa.select(a.c.id, a.c.claimed_by).where(a.c.id.in_(ids),
                                                        a.c.status == "checking")
        .with_for_update(),
        "texts": sa.select(a.c.address, a.c.content_hash, a.c.id).where(
            a.c.address.in_(addresses), a.c.content_hash.is_not(None)).order_by(a.c.id),
        "versions": sa.select(a.c.address, sa.func.max(a.c.version)).where(
            a.c.address.in_(addresses)).group_by(a.c.address),
        "duplicate": _FINISH["duplicate"],
        "checked": a.update().where(*ours).values(
            status="checked", claimed_at=None, checked_at=at, fetched=fetched,
            body=sa.bindparam("b_body"), content_hash=sa.bindparam("b_hash"),
            language=sa.bindparam("b_language"), version=sa.bindparam("b_version"),
            error=None),
    }


_BATCH = _batch_statements()


class _Changed(Exception):
    """A claim of the batch was lost between the check and the write: store it one by one."""


def finish(engine: Engine, art: Article, *, text: str, content_hash: str,
           language: str | None, claims: Sequence[Mapping[str, Any]], version: str,
           fetched: str | None = None, on_stored: OnStored | None = None) -> Stored:
    """Store a checked article and its claims, in one transaction, if `art`'s claim is still
    ours: the text, its hash and version number (one more than the address's newest), and
    the claims judged against ledger `version`. A text already stored at this address makes
    the article a duplicate (no claims). A lost claim stores nothing (status '').
    `on_stored` runs in that transaction (see OnStored)."""
    return finish_many(engine, [Checked(art, text, content_hash, language, claims, version,
                                        fetched)], on_stored=on_stored)[0]


def finish_many(engine: Engine, items: Sequence[Checked], *,
                on_stored: OnStored | None = None) -> list[Stored]:
    """Store several checked articles in one transaction, each as `finish` stores one (the
    same rules, in order: a later text the same as an earlier one's at its address is its
    duplicate). One commit for many articles: a watcher's writes cost a fraction. All or
    nothing: a watcher killed before the commit leaves every one of them claimed, taken
    again after the lease, and no claim or alert of theirs written. When two watchers store
    the same text at an address in the same instant, the batch is stored again one article
    at a time, so that only that article becomes the duplicate."""
    if not items:
        return []
    try:
        with engine.begin() as conn:
            at = now()
            if len(items) > 1:
                return _finish_batch(conn, items, at, on_stored)
            return [_finish_one(conn, items[0], at, on_stored)]
    except _Changed:  # rolled back; rare (a claim lost in the instant between)
        return [finish_many(engine, [it], on_stored=on_stored)[0] for it in items]
    except sa.exc.IntegrityError:
        if len(items) > 1:
            return [finish_many(engine, [it], on_stored=on_stored)[0] for it in items]
        # another watcher stored the same text at this address in the same instant
        a, art = schema.articles, items[0].article
        with engine.begin() as conn:
            if _ours(conn, art.id, art.claimed_by):
                conn.execute(a.update().where(a.c.id == art.id).values(
                    status="duplicate", claimed_by=None, claimed_at=None, checked_at=now(),
                    error="same text as another article at this address"))
        return [Stored(art.id, "duplicate")]
    except sa.exc.SQLAlchemyError as exc:
        ids = ", ".join(str(it.article.id) for it in items)
        raise StoreError(f"storing article(s) {ids} failed, nothing was written: {exc}"
                         ) from None


def _finish_batch(conn: Connection, items: Sequence[Checked], at: str,
                  on_stored: OnStored | None) -> list[Stored]:
    """`_finish_one` for each item, decided in Python from three reads (which claims are
    still ours, the texts and newest versions at these addresses) and written with one
    statement per kind of row. Raises _Changed when a row it decided on changed under it."""
    arts = [it.article for it in items]
    addresses = sorted({a.address for a in arts})
    holders = dict(conn.execute(_BATCH["ours"], {"b_ids": [a.id for a in arts]}).all())
    texts: dict[tuple[str, str], int] = {}
    for address, digest, article_id in conn.execute(_BATCH["texts"],
                                                    {"b_addresses": addresses}):
        texts.setdefault((address, digest), int(article_id))
    newest = {address: int(v or 0) for address, v in conn.execute(
        _BATCH["versions"], {"b_addresses": addresses})}
    out: list[Stored] = []
    dupes: list[dict[str, Any]] = []
    checked: list[dict[str, Any]] = []
    claim_rows: list[dict[str, Any]] = []
    for it in items:
        art = it.article
        if holders.get(art.id) != art.claimed_by:
            out.append(Stored(art.id, ""))
            continue
        key = {"b_id": art.id, "b_w": art.claimed_by, "b_at": at, "b_fetched": it.fetched}
        same = texts.get((art.address, it.content_hash))
        if same is not None and same != art.id:
            dupes.append({**key, "b_error": f"same text as article {same}"})
            out.append(Stored(art.id, "duplicate", duplicate_of=same))
            continue
        texts[(art.address, it.content_hash)] = art.id
        newest[art.address] = newest.get(art.address, 0) + 1
        checked.append({**key, "b_body": it.text, "b_hash": it.content_hash,
                        "b_language": it.language, "b_version": newest[art.address]})
        rows = [_claim_row(art.id, i, c, it.version, at) for i, c in enumerate(it.claims)]
        claim_rows += rows
        out.append(Stored(art.id, "checked", rows))  # their ids come below
    for statement, params in ((_BATCH["duplicate"], dupes), (_BATCH["checked"], checked)):
        if params and conn.execute(statement, params).rowcount != len(params):
            raise _Changed
    if claim_rows:
        # a plain executemany, ids read back: with RETURNING, SQLAlchemy writes one INSERT
        # of all the rows' VALUES, a new statement text per batch, which psycopg parses
        # anew each time (~30 ms for a batch of 16 articles)
        conn.execute(_BATCH["claims"], claim_rows)
        ids = {(int(r[0]), int(r[1])): int(r[2]) for r in conn.execute(
            _BATCH["claim_ids"], {"b_ids": [g.article_id for g in out if g.claims]})}
        for got in out:
            got.claims = [{"id": ids[(got.article_id, row["position"])], **row}
                          for row in got.claims]
    if on_stored is not None:
        for it, got in zip(items, out, strict=True):
            if got.status == "checked":
                art = it.article
                on_stored(conn, {"id": art.id, "address": art.address, "outlet": art.outlet,
                                 "title": art.title, "published": art.published}, got.claims)
    return out


def _finish_one(conn: Connection, it: Checked, at: str, on_stored: OnStored | None
                ) -> Stored:
    art = it.article
    key = {"b_id": art.id, "b_w": art.claimed_by, "b_at": at, "b_fetched": it.fetched,
           "b_address": art.address, "b_hash": it.content_hash}
    same = conn.execute(_FINISH["same"], key).first()
    if same is not None:
        got = conn.execute(_FINISH["duplicate"],
                           {**key, "b_error": f"same text as article {same[0]}"})
        if not got.rowcount:
            return Stored(art.id, "")
        return Stored(art.id, "duplicate", duplicate_of=int(same[0]))
    got = conn.execute(_FINISH["checked"], {**key, "b_body": it.text,
                                            "b_language": it.language})
    if not got.rowcount:
        return Stored(art.id, "")
    rows = [_claim_row(art.id, i, c, it.version, at) for i, c in enumerate(it.claims)]
    stored: list[dict[str, Any]] = []
    if rows:
        ids = conn.execute(_FINISH["claims"], rows).scalars().all()
        stored = [{"id": int(i), **row} for i, row in zip(ids, rows, strict=True)]
    if on_stored is not None:
        on_stored(conn, {"id": art.id, "address": art.address, "outlet": art.outlet,
                         "title": art.title, "published": art.published}, stored)
    return Stored(art.id, "checked", stored)


# -- re-judging -----------------------------------------------------------------------------


def stale_articles(engine: Engine, version: str, limit: int = 500
                   ) -> list[tuple[int, str, str | None, str]]:
    """Checked articles with a claim judged against another ledger version than `version`:
    (id, body, published, the oldest such version), oldest first."""
    a, ct = schema.articles, schema.claims
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(a.c.id, a.c.body, a.c.published, sa.func.min(ct.c.ledger_version))
            .join(ct, ct.c.article_id == a.c.id)
            .where(a.c.status == "checked", ct.c.ledger_version != version)
            .group_by(a.c.id, a.c.body, a.c.published).order_by(a.c.id).limit(limit)).all()
    return [(int(r[0]), str(r[1] or ""), r[2], str(r[3])) for r in rows]


def article_claims(engine: Engine, article_id: int) -> list[dict[str, Any]]:
    ct = schema.claims
    with engine.connect() as conn:
        rows = conn.execute(sa.select(ct).where(ct.c.article_id == article_id)
                            .order_by(ct.c.position)).mappings().all()
    return [dict(r) for r in rows]


def rejudge(engine: Engine, article_id: int, fresh: Sequence[Mapping[str, Any]],
            version: str, on_changed: OnStored | None = None) -> list[dict[str, Any]]:
    """Record the article's claims as judged again against `version`: a claim whose verdict
    or ledger value changed gets a `verdict_changes` row (old and new) and its current
    verdict updated; the others only their version. Claims are matched by position and the
    figure as written (a claim the checker no longer reads the same is left as it was).
    Returns the changes (claim id, old, new, reason). Idempotent: a claim already judged
    against `version` is skipped, so two watchers re-judging at once record each change
    once. `on_changed` gets the changed claims' new rows, in the same transaction."""
    ct, vc = schema.claims, schema.verdict_changes
    at = now()
    changes: list[dict[str, Any]] = []
    with engine.begin() as conn:
        q = sa.select(ct).where(ct.c.article_id == article_id).order_by(ct.c.position)
        if conn.dialect.name == "postgresql":
            q = q.with_for_update()
        old = {r["position"]: dict(r) for r in conn.execute(q).mappings()}
        for pos, c in enumerate(fresh):
            prev = old.get(pos)
            if prev is None or prev["text"] != c["text"] or prev["ledger_version"] == version:
                continue
            row = _claim_row(article_id, pos, c, version, at)
            if (row["verdict"], row["actual"]) != (prev["verdict"], prev["actual"]):
                change = {"claim_id": prev["id"], "old_verdict": prev["verdict"],
                          "old_actual": prev["actual"], "new_verdict": row["verdict"],
                          "new_actual": row["actual"], "ledger_version": version, "at": at,
                          "reason": version_reason(prev["ledger_version"], version)}
                conn.execute(vc.insert().values(**change))
                conn.execute(ct.update().where(ct.c.id == prev["id"]).values(
                    **{k: row[k] for k in ("verdict", "actual", "reading", "why", "evidence",
                                           "rule_ids", "ledger_version", "judged_at",
                                           "category", "measure", "period_from",
                                           "period_to")}))
                changes.append({**change, "article_id": article_id, "text": prev["text"],
                                "sentence": prev["sentence"]})
            else:
                conn.execute(ct.update().where(ct.c.id == prev["id"]).values(
                    ledger_version=version))
        # claims the checker no longer reads as before keep their verdict, marked as seen
        conn.execute(ct.update().where(ct.c.article_id == article_id,
                                       ct.c.ledger_version != version)
                     .values(ledger_version=version))
        if changes and on_changed is not None:
            a = schema.articles
            art = conn.execute(sa.select(a.c.id, a.c.address, a.c.outlet, a.c.title,
                                         a.c.published).where(a.c.id == article_id)
                               ).mappings().first()
            ids = [c["claim_id"] for c in changes]
            rows = conn.execute(sa.select(ct).where(ct.c.id.in_(ids)).order_by(ct.c.position)
                                ).mappings().all()
            on_changed(conn, dict(art or {}), [dict(r) for r in rows])
    return changes


def verdict_history(engine: Engine, claim_id: int) -> list[dict[str, Any]]:
    vc = schema.verdict_changes
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(vc).where(vc.c.claim_id == claim_id)
                                              .order_by(vc.c.id)).mappings()]


# -- feeds ----------------------------------------------------------------------------------


@dataclass
class FeedState:
    address: str
    outlet: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    polled_at: str | None = None
    next_poll: str | None = None
    interval: int = 900
    failures: int = 0
    last_ok: str | None = None
    last_error: str | None = None


def feed_state(engine: Engine, address: str) -> FeedState | None:
    f = schema.feeds
    with engine.connect() as conn:
        r = conn.execute(sa.select(f).where(f.c.address == address)).mappings().first()
    return FeedState(**dict(r)) if r else None


def feeds(engine: Engine) -> list[FeedState]:
    f = schema.feeds
    with engine.connect() as conn:
        return [FeedState(**dict(r)) for r in
                conn.execute(sa.select(f).order_by(f.c.address)).mappings()]


def take_feed(engine: Engine, address: str, outlet: str | None, interval: int,
              hold: float, *, once: bool = False, min_gap: float = 60.0) -> FeedState | None:
    """The feed's state if it is due, its next poll put `hold` seconds ahead so that another
    watcher leaves it alone meanwhile; None when it is not due or another watcher took it
    first. Due: its next poll has come; with `once` (a pass from cron), also when it is not
    in back-off after errors and was last polled over `min_gap` seconds ago."""
    f = schema.feeds
    at = now()
    with engine.begin() as conn:
        have = conn.execute(sa.select(f.c.address).where(f.c.address == address)).first()
        if have is None:
            nested = conn.begin_nested()
            try:
                conn.execute(f.insert().values(address=address, outlet=outlet,
                                               interval=interval, failures=0, next_poll=at))
                nested.commit()
            except sa.exc.IntegrityError:
                nested.rollback()
        due: Any = sa.or_(f.c.next_poll.is_(None), f.c.next_poll <= at)
        if once:
            due = sa.or_(due, sa.and_(f.c.failures == 0, sa.or_(
                f.c.polled_at.is_(None), f.c.polled_at <= _ago(min_gap, at))))
        got = conn.execute(f.update().where(f.c.address == address, due).values(
            polled_at=at, next_poll=_ago(-hold, at),
            outlet=outlet if outlet else f.c.outlet, interval=interval))
        if not got.rowcount:
            return None
        r = conn.execute(sa.select(f).where(f.c.address == address)).mappings().first()
    return FeedState(**dict(r)) if r else None


def later(seconds: float) -> str:
    """The time `seconds` from now, as the register writes times."""
    return _ago(-seconds)


def feed_polled(engine: Engine, address: str, *, ok: bool, next_poll: str,
                etag: str | None = None, last_modified: str | None = None,
                error: str | None = None) -> None:
    """Record a poll: on success the validators for the next conditional GET and no
    failures; on error the one-line error and one more failure (the caller computed the
    back-off into `next_poll`)."""
    f = schema.feeds
    values: dict[str, Any] = {"next_poll": next_poll}
    if ok:
        values.update(failures=0, last_ok=now(), last_error=None)
        if etag is not None:
            values["etag"] = etag
        if last_modified is not None:
            values["last_modified"] = last_modified
    else:
        values.update(failures=f.c.failures + 1, last_error=(error or "")[:500])
    with engine.begin() as conn:
        conn.execute(f.update().where(f.c.address == address).values(**values))


# -- reading the register -------------------------------------------------------------------


def claimable(engine: Engine, lease: float = LEASE) -> int:
    """Articles a watcher could claim now (pending and not waiting for a retry, or claimed
    longer ago than the lease)."""
    a = schema.articles
    at = now()
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(a).where(sa.or_(
            sa.and_(a.c.status == "pending",
                    sa.or_(a.c.retry_at.is_(None), a.c.retry_at <= at)),
            sa.and_(a.c.status == "checking", a.c.claimed_at < _ago(lease, at))))).scalar()
            or 0)


def counts(engine: Engine) -> dict[str, int]:
    """Articles per status."""
    a = schema.articles
    with engine.connect() as conn:
        return {str(r[0]): int(r[1]) for r in conn.execute(
            sa.select(a.c.status, sa.func.count()).group_by(a.c.status))}


def articles(engine: Engine, ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Articles (without their text), all or those of `ids`."""
    a = schema.articles
    cols = [c for c in a.c if c.name != "body"]
    q = sa.select(*cols).order_by(a.c.id)
    if ids is not None:
        q = q.where(a.c.id.in_(list(ids)))
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]
