"""The store: observations with provenance, the resolved ledger, and ingest history.

`attrition.store.read` is light (stdlib sqlite3 for SQLite files) so that read-only commands
start fast; `attrition.store.db` writes through SQLAlchemy Core and imports it.
"""
