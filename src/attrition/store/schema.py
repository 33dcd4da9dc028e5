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
_LATER = sa.text("revision > 1 OR published_at IS NOT NULL")
sa.Index("ix_observations_later", observations.c.report_date, sqlite_where=_LATER,
         postgresql_where=_LATER)

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
