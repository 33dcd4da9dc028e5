"""The first run: an empty database gets the bundled snapshot."""

from __future__ import annotations

from collections.abc import Callable

from attrition.store.read import Reader


def ensure_loaded(url: str | None = None, notice: Callable[[str], None] | None = None, *,
                  prebuilt: bool = True) -> bool:
    """Load the bundled snapshot if the database has no ledger yet. True if it loaded.

    The load is one transaction: a load killed half-way leaves an empty ledger (SQLite rolls
    the journal back when the file is next read), and the next command loads it again. A
    SQLite file gets the prebuilt copy of the snapshot where the set-up made one
    (`attrition.prebuilt`; `prebuilt=False`: the documents, as that build itself loads
    them)."""
    with Reader(url) as reader:
        if reader.exists():
            if not reader.has_confirmed():
                _load_confirmed(reader.url)
            return False
        target = reader.url
    from attrition.bulk import gc_paused

    with gc_paused():
        if prebuilt and (got := _load_prebuilt(target, notice)) is not None:
            return got
        return _load(target, notice)


def _load_prebuilt(target: str, notice: Callable[[str], None] | None) -> bool | None:
    """The load from the prebuilt file; None where there is none to use (no file, a stale
    one, not a SQLite file written directly): then the documents are loaded."""
    from attrition import prebuilt
    from attrition.errors import StoreError
    from attrition.store.db import Store

    with Store(target) as store:
        if store._sqlite is None:
            return None
        path = prebuilt.current()
        if path is None:
            return None
        try:
            loaded = store.load_prebuilt(path, input="bundled snapshot")
        except StoreError:  # rolled back: nothing written (a file changed meanwhile, say)
            return None
    if loaded is None:
        return False  # another process loaded it meanwhile
    if notice is not None:
        _notice(notice, loaded[0].cells, loaded[1], target)
    return True


def _notice(notice: Callable[[str], None], cells: int, reports: int, target: str) -> None:
    notice(f"attrition: first run, loaded the bundled snapshot ({cells:,} figures, "
           f"{reports:,} reports) into {target}")


def _load(target: str, notice: Callable[[str], None] | None) -> bool:
    from attrition import daybook, snapshot
    from attrition.store.db import Store, inputs_digest

    doc = snapshot.load_doc()
    rows = snapshot.rows(doc)
    rows["confirmed"] = snapshot.confirmed_rows()
    witnesses = {s for agreed in {r[7] for r in rows["ledger"]} for s in str(agreed).split(",")}
    confirmed_sources = {r[0] for r in rows["confirmed"]}
    meta = None
    book = daybook.bundled()
    if book is not None and book[0] == daybook.VERSION:  # else the first ingest writes one
        rows["daybook"] = list(book[2])
        # what it was computed from (as `Store.daybook_inputs` reads it back): an ingest
        # that changes no figure keeps it
        meta = {"version": book[0], "crosswalk": book[1], "inputs": inputs_digest(
            [(r[2], r[0], r[3], r[4], r[5]) for r in rows["ledger"]], rows["corrections"],
            [r[:10] for r in rows["confirmed"] if r[0] == "oryx"])}
    with Store(target) as store:
        result = store.load_rows(rows, input="bundled snapshot", sources=sorted(
            set(doc["observations"]) | witnesses | confirmed_sources), daybook_meta=meta,
            if_empty=True)
    if result is None:
        return False  # another process loaded it meanwhile
    if notice is not None:
        _notice(notice, result.cells, len({r[0] for r in rows["ledger"]}), target)
    return True


def _load_confirmed(url: str) -> None:
    """The bundled confirmed-loss counts, into a store that has none (also one made before
    they were bundled)."""
    from attrition import snapshot
    from attrition.store.db import Store

    with Store(url) as store:
        store.ingest_confirmed([snapshot.confirmed_batch()], input="bundled snapshot")
