"""The outbox of alerts (issue 15): written in the transaction that stores a claim's verdict,
taken by one sender at a time under a lease, marked sent only by the sender that holds it.

    Policy(verdicts, channels)       the hook `register.finish`/`rejudge` call in their
                                     transaction (on_stored, on_changed): a row per flagged
                                     (claim, verdict, channel)
    take(engine, channels, sender)   the next due alert, leased to `sender`
    sent(...) / failed(...)          the outcome, recorded only while the lease is ours

At least once: a row leaves `pending` only for `sending` (leased), and `sending` only for
`sent` after the channel took the alert; a sender killed at any point leaves a lease that
runs out, and the row is taken again. Never twice: the unique key (claim, verdict, channel)
makes one row per alert whoever enqueues it, and a channel that was possibly reached by a
sender that died is told the same id again (a webhook's Idempotency-Key, a JSON line's
`alert_id`), so it can tell the repeat.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from attrition.errors import StoreError
from attrition.store import schema

ALERT_ON = ("contradicted", "mislabeled", "wrong_date")
"""The verdicts that make an alert unless configured otherwise."""
LEASE = 60.0
"""Seconds a sender holds an alert it is sending; then another may take it again."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _later(seconds: float, at: str | None = None) -> str:
    base = datetime.fromisoformat(at) if at else datetime.now(UTC)
    return (base + timedelta(seconds=seconds)).isoformat(timespec="microseconds")


def _evidence(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def snapshot(article: Mapping[str, Any], claim: Mapping[str, Any]) -> dict[str, Any]:
    """The alert's content as the claim and its article stand in this transaction."""
    art = {k: article.get(k) for k in ("id", "address", "outlet", "title", "published")}
    return {
        "claim": {"id": int(claim["id"]), "text": claim["text"],
                  "sentence": claim["sentence"], "value": claim.get("value"),
                  "category": claim.get("category"), "measure": claim.get("measure"),
                  "period": {"from": claim.get("period_from"), "to": claim.get("period_to")}},
        "verdict": claim["verdict"],
        "ledger_value": claim.get("actual"),
        "reading": claim.get("reading"),
        "why": claim.get("why"),
        "evidence": _evidence(claim.get("evidence")),
        "ledger_version": claim.get("ledger_version"),
        "judged_at": claim.get("judged_at"),
        "article": art,
    }


@dataclass(frozen=True)
class Policy:
    """Which verdicts alert, on which channels (`channel` keys: "webhook HOST DIGEST",
    "jsonl PATH", "jsonl -"). The register's `on_stored`/`on_changed` hook
    (register.OnStored): called with a connection, the article and the claims just stored
    or re-judged (rows of `claims` with their `id`), it writes their outbox rows in that
    connection's transaction."""

    verdicts: frozenset[str]
    channels: tuple[str, ...]

    def __call__(self, conn: Connection, article: Mapping[str, Any],
                 claims: Sequence[Mapping[str, Any]]) -> None:
        enqueue(conn, article, claims, self.verdicts, self.channels)


def channel(kind: str, target: str) -> str:
    """A channel's key in the outbox. A webhook's address is often its secret (a Slack
    incoming webhook's token is in its path), so it is kept as its host and a digest of the
    whole address, never as it is."""
    if kind == "webhook":
        import hashlib
        from urllib.parse import urlsplit

        digest = hashlib.sha256(target.encode()).hexdigest()[:16]
        return f"webhook {urlsplit(target).netloc} {digest}"
    return f"{kind} {target}"


def enqueue(conn: Connection, article: Mapping[str, Any],
            claims: Sequence[Mapping[str, Any]], verdicts: frozenset[str] | set[str],
            channels: Sequence[str]) -> list[int]:
    """Rows for the flagged claims on every channel, in the caller's transaction; an alert
    already there (same claim, verdict and channel) is left as it is. Returns the new ids."""
    o = schema.outbox
    at = now()
    ids: list[int] = []
    for c in claims:
        if c["verdict"] not in verdicts:
            continue
        body = json.dumps(snapshot(article, c), ensure_ascii=False, sort_keys=True, default=str)
        for ch in channels:
            row = {"claim_id": int(c["id"]), "verdict": c["verdict"], "channel": ch,
                   "body": body, "status": "pending", "tries": 0, "failures": 0,
                   "created": at, "next_try": at}
            if conn.dialect.name == "postgresql":
                from sqlalchemy.dialects.postgresql import insert as pg_insert

                stmt: Any = pg_insert(o).values(**row).on_conflict_do_nothing(
                    constraint="uq_outbox_alert")
            else:
                from sqlalchemy.dialects.sqlite import insert as sqlite_insert

                stmt = sqlite_insert(o).values(**row).on_conflict_do_nothing()
            got = conn.execute(stmt.returning(o.c.id)).first()
            if got is not None:
                ids.append(int(got[0]))
    return ids


@dataclass
class Alert:
    """An alert taken for sending: its row, with the body as the channel gets it."""

    id: int
    claim_id: int
    verdict: str
    channel: str
    body: dict[str, Any]
    tries: int
    failures: int
    sender: str


def take(engine: Engine, channels: Sequence[str], sender: str, lease: float = LEASE
         ) -> Alert | None:
    """The oldest due alert on one of `channels` (pending and its time come, or leased to a
    sender whose lease ran out), leased to `sender`; None when nothing is due."""
    o = schema.outbox
    at = now()
    due = sa.and_(o.c.channel.in_(list(channels)), sa.or_(
        sa.and_(o.c.status == "pending", o.c.next_try <= at),
        sa.and_(o.c.status == "sending", o.c.lease_until < at)))
    values = {"status": "sending", "sender": sender, "lease_until": _later(lease, at),
              "tries": o.c.tries + 1}
    cols = (o.c.id, o.c.claim_id, o.c.verdict, o.c.channel, o.c.body, o.c.tries,
            o.c.failures)
    if not channels:
        return None
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                pick = conn.execute(sa.select(o.c.id).where(due).order_by(o.c.id).limit(1)
                                    .with_for_update(skip_locked=True)).first()
                if pick is None:
                    return None
                got = conn.execute(o.update().where(o.c.id == pick[0]).values(**values)
                                   .returning(*cols)).first()
            else:  # one statement: SQLite's write lock spans the choice and the update
                pick_q = sa.select(o.c.id).where(due).order_by(o.c.id).limit(1)
                got = conn.execute(o.update().where(o.c.id == pick_q.scalar_subquery())
                                   .where(due).values(**values).returning(*cols)).first()
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"taking an alert from the outbox failed: {exc}") from None
    if got is None:
        return None
    body = {"alert_id": int(got[0]), **json.loads(got[4])}
    return Alert(int(got[0]), int(got[1]), got[2], got[3], body, int(got[5]), int(got[6]),
                 sender)


def _holding(alert: Alert) -> Any:
    o = schema.outbox
    return sa.and_(o.c.id == alert.id, o.c.status == "sending", o.c.sender == alert.sender)


def sent(engine: Engine, alert: Alert) -> bool:
    """Mark the alert sent, if it is still leased to its sender (False: another sender took
    it after the lease; it has been or will be marked by that one)."""
    o = schema.outbox
    with engine.begin() as conn:
        got = conn.execute(o.update().where(_holding(alert)).values(
            status="sent", sent_at=now(), lease_until=None, last_error=None))
    return bool(got.rowcount)


def failed(engine: Engine, alert: Alert, error: str, delay: Callable[[int], float],
           max_failures: int) -> str:
    """Record a failed send: pending again after `delay(failures)` seconds, or failed after
    `max_failures`. Returns the new status ('' when the lease was no longer ours)."""
    o = schema.outbox
    failures = alert.failures + 1
    status = "failed" if failures >= max_failures else "pending"
    with engine.begin() as conn:
        got = conn.execute(o.update().where(_holding(alert)).values(
            status=status, failures=failures, last_error=error[:1000], lease_until=None,
            next_try=_later(delay(failures)) if status == "pending" else now()))
    return status if got.rowcount else ""


def next_due(engine: Engine, channels: Sequence[str]) -> str | None:
    """When the next alert on `channels` falls due (pending or leased), or None when every
    one is sent or failed."""
    o = schema.outbox
    with engine.connect() as conn:
        got = conn.execute(sa.select(sa.func.min(sa.case(
            (o.c.status == "sending", o.c.lease_until), else_=o.c.next_try)))
            .where(o.c.channel.in_(list(channels)),
                   o.c.status.in_(("pending", "sending")))).scalar()
    return str(got) if got else None


def counts(engine: Engine) -> dict[str, int]:
    """Alerts per status."""
    o = schema.outbox
    with engine.connect() as conn:
        return {str(r[0]): int(r[1]) for r in conn.execute(
            sa.select(o.c.status, sa.func.count()).group_by(o.c.status))}


def rows(engine: Engine) -> list[dict[str, Any]]:
    o = schema.outbox
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(o).order_by(o.c.id)).mappings()]
