"""Tables (SQLAlchemy Core). Plain names and ISO dates so the SQLite file reads well in
Datasette."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

sources = sa.Table(
    "sources", metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("licence", sa.Text),
    sa.Column("attribution", sa.Text),
    sa.Column("redistributable", sa.Boolean, nullable=False, default=True),
)

observations = sa.Table(
    "observations", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(40), nullable=False),
    sa.Column("report_date", sa.String(10), nullable=False),
    sa.Column("covers", sa.String(10), nullable=False),
    sa.Column("category", sa.String(40), nullable=False),
    sa.Column("total", sa.BigInteger),
    sa.Column("announced_change", sa.BigInteger),
    sa.Column("qualifier", sa.String(20)),
    sa.Column("address", sa.Text),
    sa.Column("revision", sa.Integer, nullable=False, default=1),
    sa.Column("seen_at", sa.String(32), nullable=False),
    sa.Column("input", sa.Text),
    # When the source records that the report first appeared (ISO with zone); NULL when it
    # does not. Added after the first stores were made: Store adds it where it is missing.
    sa.Column("published_at", sa.String(32)),
    sa.UniqueConstraint("source", "report_date", "category", "revision",
                        name="uq_observation_revision"),
)
# No index by date on observations: a scan of ~45k rows costs less than keeping one up to date
# through every full ingest. Only the rows whose time is not their report's morning (revisions,
# and figures whose source recorded when they appeared; few) are indexed by date, for the ledger
# as of a moment (attrition.store.asof).
# A partial index written as DDL that SQLite and PostgreSQL both run: declared with
# `sqlite_where`/`postgresql_where`, SQLAlchemy imports its PostgreSQL dialect to check the
# keyword (~50 ms of every command that writes a SQLite store).
LATER_INDEX = ("CREATE INDEX IF NOT EXISTS ix_observations_later ON observations (report_date)"
               " WHERE revision > 1 OR published_at IS NOT NULL")
sa.event.listen(observations, "after_create", sa.DDL(LATER_INDEX))  # type: ignore[no-untyped-call]

corrections = sa.Table(
    "corrections", metadata,
    sa.Column("source", sa.String(40), primary_key=True),
    sa.Column("report_date", sa.String(10), primary_key=True),
    sa.Column("category", sa.String(40), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

ledger = sa.Table(
    "ledger", metadata,
    sa.Column("report_date", sa.String(10), primary_key=True),
    sa.Column("category", sa.String(40), primary_key=True),
    sa.Column("covers", sa.String(10), nullable=False),
    sa.Column("total", sa.BigInteger, nullable=False),
    sa.Column("change", sa.BigInteger),
    sa.Column("announced_change", sa.BigInteger),
    sa.Column("qualifier", sa.String(20)),
    sa.Column("sources", sa.Text, nullable=False),
    sa.Column("dissent", sa.Text),
    sa.Column("method", sa.String(20), nullable=False),
    sa.Column("address", sa.Text),
)
sa.Index("ix_ledger_category", ledger.c.category, ledger.c.report_date)

ingests = sa.Table(
    "ingests", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("input", sa.Text, nullable=False),
    sa.Column("source", sa.String(40), nullable=False),
    sa.Column("observations", sa.Integer, nullable=False),
    sa.Column("new", sa.Integer, nullable=False),
    sa.Column("revised", sa.Integer, nullable=False),
)

# Confirmed (visually documented) losses: kept apart from the official figures, never mixed
# into the ledger.
confirmed_counts = sa.Table(
    "confirmed_counts", metadata,
    sa.Column("source", sa.String(40), primary_key=True),
    sa.Column("country", sa.String(40), primary_key=True),
    sa.Column("type", sa.String(200), primary_key=True),
    sa.Column("day", sa.String(10), primary_key=True),
    sa.Column("revision", sa.Integer, primary_key=True, default=1),
    sa.Column("destroyed", sa.Integer, nullable=False),
    sa.Column("damaged", sa.Integer, nullable=False),
    sa.Column("abandoned", sa.Integer, nullable=False),
    sa.Column("captured", sa.Integer, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("seen_at", sa.String(32), nullable=False),
    sa.Column("input", sa.Text),
)

confirmed_items = sa.Table(
    "confirmed_items", metadata,
    sa.Column("source", sa.String(40), primary_key=True),
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("country", sa.String(40), nullable=False),
    sa.Column("type", sa.String(200)),
    sa.Column("model", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("day", sa.String(10)),
    sa.Column("address", sa.Text),
    sa.Column("location", sa.Text),
    sa.Column("unit", sa.Text),
    sa.Column("tags", sa.Text),
    sa.Column("seen_at", sa.String(32), nullable=False),
)

# Derived from the tables above (see attrition.daybook): every report date's standing of every
# series (kind "series", keyed by report date), the confirmed-loss lines (kind "confirmed",
# keyed by scrape date) and the series' level breaks (kind "breaks", one row), so that a brief
# reads three rows instead of analysing the history.
# `daybook_meta` says which ingest and which rules they were computed for; a reader that finds
# another ingest or version ignores them, so they can lag but never mislead.
daybook = sa.Table(
    "daybook", metadata,
    sa.Column("kind", sa.String(10), primary_key=True),
    sa.Column("day", sa.String(10), primary_key=True),
    sa.Column("body", sa.Text, nullable=False),
)

daybook_meta = sa.Table(
    "daybook_meta", metadata,
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# -- asof (issue 15): runs of `attrition update`, for /health --------------------------------
# One row per run that reached the network: when it ended, what it added, which sources failed
# (a JSON list; empty when every source answered).
update_runs = sa.Table(
    "update_runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("new", sa.Integer, nullable=False, default=0),
    sa.Column("revised", sa.Integer, nullable=False, default=0),
    sa.Column("failures", sa.Text, nullable=False, default="[]"),
)
# The register of checked articles and claims (issue 15)
# An article is one version of a page: the same address with new content is a new row with
# version + 1, the old one kept. A row is made when a feed entry (or a file, or a pushed text)
# is new, keyed by its `entry_hash` (the entry's link, date and title; for a text, the text);
# `content_hash` (of the text checked) and `version` are set once the page is read, and a text
# already checked at that address makes the row a `duplicate`. `status` moves pending ->
# checking (claimed by one watcher, `claimed_by`/`claimed_at`; a claim older than a lease is
# taken again) -> checked, failed or duplicate. Claims keep their current verdict; every change
# of it is a row of `verdict_changes`. `ledger_version` is register.ledger_version().
articles = sa.Table(
    "articles", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("address", sa.Text, nullable=False),
    sa.Column("outlet", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.String(32)),
    sa.Column("fetched", sa.String(32)),
    sa.Column("language", sa.String(8)),
    sa.Column("entry_hash", sa.String(64), nullable=False),
    sa.Column("content_hash", sa.String(64)),
    sa.Column("version", sa.Integer),
    sa.Column("status", sa.String(10), nullable=False, default="pending"),
    sa.Column("claimed_by", sa.String(80)),
    sa.Column("claimed_at", sa.String(32)),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("retry_at", sa.String(32)),
    sa.Column("error", sa.Text),
    sa.Column("feed", sa.Text),
    sa.Column("body", sa.Text),
    sa.Column("found", sa.String(32), nullable=False),
    sa.Column("checked_at", sa.String(32)),
    sa.UniqueConstraint("address", "content_hash", name="uq_article_content"),
)
sa.Index("ix_articles_status", articles.c.status, articles.c.id)
sa.Index("ix_articles_entry", articles.c.address, articles.c.entry_hash)

claims = sa.Table(
    "claims", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("sentence", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("value", sa.BigInteger),
    sa.Column("category", sa.String(40)),
    sa.Column("measure", sa.String(20)),
    sa.Column("period_from", sa.String(10)),
    sa.Column("period_to", sa.String(10)),
    sa.Column("verdict", sa.String(20), nullable=False),
    sa.Column("actual", sa.BigInteger),
    sa.Column("reading", sa.Text),
    sa.Column("why", sa.Text),
    sa.Column("evidence", sa.Text),
    sa.Column("rule_ids", sa.Text),
    sa.Column("ledger_version", sa.String(40), nullable=False),
    sa.Column("judged_at", sa.String(32), nullable=False),
    sa.UniqueConstraint("article_id", "position", name="uq_claim_position"),
)

verdict_changes = sa.Table(
    "verdict_changes", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id"), nullable=False),
    sa.Column("old_verdict", sa.String(20), nullable=False),
    sa.Column("old_actual", sa.BigInteger),
    sa.Column("new_verdict", sa.String(20), nullable=False),
    sa.Column("new_actual", sa.BigInteger),
    sa.Column("ledger_version", sa.String(40), nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("reason", sa.String(20), nullable=False),
)
sa.Index("ix_verdict_changes_claim", verdict_changes.c.claim_id)

feeds = sa.Table(
    "feeds", metadata,
    sa.Column("address", sa.Text, primary_key=True),
    sa.Column("outlet", sa.Text),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("polled_at", sa.String(32)),
    sa.Column("next_poll", sa.String(32)),
    sa.Column("interval", sa.Integer, nullable=False, default=900),
    sa.Column("failures", sa.Integer, nullable=False, default=0),
    sa.Column("last_ok", sa.String(32)),
    sa.Column("last_error", sa.Text),
)

# -- alerts (issue 15, item 3) --------------------------------------------------------------
# The outbox: one row per (claim, verdict, channel), written in the transaction that stores
# the claim's verdict (attrition.store.outbox), so an alert is never lost with a crash and
# never made twice. `body` is the alert as it was at that moment (JSON; the sender adds the
# row's id, which is also the Idempotency-Key a webhook receiver dedupes by). `status` moves
# pending -> sending (a sender's lease until `lease_until`; an expired one is taken again) ->
# sent, or back to pending with `next_try` after an error, or failed after the last attempt.
# `tries` counts the times a sender took the row, `failures` the errors it reported (a sender
# killed mid-send is no failure: the row is taken again when its lease ends).
outbox = sa.Table(
    "outbox", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id"), nullable=False),
    sa.Column("verdict", sa.String(20), nullable=False),
    sa.Column("channel", sa.String(500), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("status", sa.String(10), nullable=False, default="pending"),
    sa.Column("tries", sa.Integer, nullable=False, default=0),
    sa.Column("failures", sa.Integer, nullable=False, default=0),
    sa.Column("created", sa.String(32), nullable=False),
    sa.Column("next_try", sa.String(32), nullable=False),
    sa.Column("lease_until", sa.String(32)),
    sa.Column("sender", sa.String(80)),
    sa.Column("sent_at", sa.String(32)),
    sa.Column("last_error", sa.Text),
    sa.UniqueConstraint("claim_id", "verdict", "channel", name="uq_outbox_alert"),
)
sa.Index("ix_outbox_due", outbox.c.status, outbox.c.next_try)


# -- the SQLite DDL (ingestspeed) -----------------------------------------------------------
# A SQLite file is written without SQLAlchemy (importing it is ~0.3 s of every ingest):
# attrition.store.sqlite_ddl holds the statements below, generated from these tables by
# `scripts/build_sqlite_ddl.py`; tests/test_store_sqlite.py fails when the two differ.


def sqlite_ddl_module() -> str:
    """The text of attrition/store/sqlite_ddl.py: every table's and index's CREATE statement
    as SQLAlchemy's SQLite dialect compiles it (so that a store made either way has the same
    schema), the partial index last."""
    import json

    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    tables = {t.name: str(sa.schema.CreateTable(t).compile(dialect=dialect)).strip()
              for t in metadata.sorted_tables}
    indexes = {str(i.name): (t.name, str(sa.schema.CreateIndex(i).compile(dialect=dialect)))
               for t in metadata.sorted_tables
               for i in sorted(t.indexes, key=lambda i: str(i.name))}
    indexes["ix_observations_later"] = ("observations", LATER_INDEX)

    def text(sql: str) -> str:  # one source line per line of SQL, within 100 columns
        return "(\n" + "".join(f"        {json.dumps(part)}\n"
                               for part in sql.splitlines(keepends=True)) + "    )"

    lines = ['"""The SQLite schema as plain DDL. GENERATED from attrition/store/schema.py by',
             "`scripts/build_sqlite_ddl.py`: do not edit (tests/test_store_sqlite.py fails when",
             'the two differ)."""', "", "# ruff: noqa: E501", "", "TABLES: dict[str, str] = {"]
    lines += [f"    {json.dumps(name)}: {text(sql)}," for name, sql in tables.items()]
    lines += ["}", "", "INDEXES: dict[str, tuple[str, str]] = {"]
    lines += [f"    {json.dumps(name)}: ({json.dumps(table)}, {text(sql)}),"
              for name, (table, sql) in indexes.items()]
    lines += ["}", ""]
    return "\n".join(lines)
