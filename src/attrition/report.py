"""One report as the figures a reader needs: total, change, announced change, sources."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from attrition import categories
from attrition.errors import NotFoundError
from attrition.store.read import LedgerRow, Reader

PUBLISHER = "General Staff of the Armed Forces of Ukraine (via the Ministry of Defence)"
CAVEAT = ("Official Ukrainian claims, not independently verified; personnel counts killed "
          "and wounded.")


def figure(row: LedgerRow) -> dict[str, Any]:
    cat = categories.BY_ID.get(row.category)
    return {
        "category": row.category,
        "label": cat.en if cat else row.category,
        "total": row.total,
        "change": row.change,
        "announced_change": row.announced_change,
        "qualifier": row.qualifier,
        "sources": list(row.sources),
        "method": row.method,
        "dissent": row.dissent,
        "address": row.address,
    }


def report(reader: Reader, day: date) -> dict[str, Any]:
    """The `show --format json` document for the report of `day`."""
    rows = reader.report(day)
    if not rows:
        first, last = reader.first_date(), reader.latest_date()
        raise NotFoundError(f"no report for {day} (the ledger runs {first} .. {last})")
    return document(rows, day)


def document(rows: list[LedgerRow], day: date) -> dict[str, Any]:
    """The report document from its ledger rows."""
    address = next((r.address for r in rows if r.address), None)
    # the first report (24 February 2022) is the total since the invasion began that day: no
    # change, and no day before it to cover
    first = bool(rows) and all(r.change is None for r in rows) and \
        day <= categories.WAR_START + timedelta(days=1)
    return {
        "date": day.isoformat(),
        "covers": (categories.WAR_START if first else day - timedelta(days=1)).isoformat(),
        "first_report": first,
        "publisher": PUBLISHER,
        "address": address,
        "figures": [figure(r) for r in rows],
        "caveat": CAVEAT,
    }
