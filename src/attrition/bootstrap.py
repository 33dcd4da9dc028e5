"""The first run: an empty database gets the bundled snapshot."""

from __future__ import annotations

from collections.abc import Callable

from attrition.store.read import Reader


def ensure_loaded(url: str | None = None, notice: Callable[[str], None] | None = None) -> bool:
    """Load the bundled snapshot if the database has no ledger yet. True if it loaded."""
    with Reader(url) as reader:
        if reader.exists():
            return False
        target = reader.url
    from attrition import snapshot
    from attrition.store.db import Store

    snap = snapshot.load_bundled()
    with Store(target) as store:
        result = store.ingest(snap.batches, input="bundled snapshot", ledger_cells=snap.cells)
    if notice is not None:
        notice(f"attrition: first run, loaded the bundled snapshot ({result.cells:,} figures, "
               f"{len({c.report_date for c in snap.cells}):,} reports) into {target}")
    return True
