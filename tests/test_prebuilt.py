"""The prebuilt snapshot file (attrition.prebuilt): a first run into a SQLite file copies it
with one INSERT … SELECT per table, and the store it gives is the one the bundled documents
give row by row, every table and every row; a missing or stale file is never used."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from attrition import prebuilt
from attrition.bootstrap import ensure_loaded
from attrition.errors import StoreError
from attrition.store import db as store_db
from attrition.store.db import Store
from attrition.store.read import Reader

NOW = "2026-12-02T10:00:00+00:00"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prebuilt.build(tmp_path_factory.mktemp("prebuilt") / "snapshot.db")


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted (rowids aside, a store's whole content)."""
    conn = sqlite3.connect(path)
    try:
        tables = [t for (t,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(conn.execute(f"SELECT * FROM {t}"), key=repr) for t in tables}
    finally:
        conn.close()


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("this load must not take this path")


def test_the_prebuilt_file_gives_the_store_the_documents_give(
        built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_db, "now", lambda: NOW)
    monkeypatch.setattr(prebuilt, "PREBUILT", built)
    fast, slow = tmp_path / "prebuilt.db", tmp_path / "documents.db"
    notices: list[str] = []
    with monkeypatch.context() as m:
        m.setattr(Store, "load_rows", _refuse)
        assert ensure_loaded(f"sqlite:///{fast}", notice=notices.append)
    with monkeypatch.context() as m:
        m.setattr(Store, "load_prebuilt", _refuse)
        assert ensure_loaded(f"sqlite:///{slow}", prebuilt=False, notice=notices.append)
    got, want = dump(fast), dump(slow)
    assert len(want["observations"]) > 40_000 and len(want["daybook"]) > 1_600
    assert len(want["confirmed_counts"]) > 900 and want["daybook_meta"]
    assert got == want
    assert notices[0] == notices[1].replace("documents.db", "prebuilt.db")
    assert "22,516 figures, 1,641 reports" in notices[0]
    with Reader(f"sqlite:///{fast}") as r:  # the daybook is current for the load
        from attrition import daybook

        assert daybook.lookup(r, max(x.report_date for x in r.ledger())) is not None


def test_a_store_that_is_not_empty_is_not_loaded_again(built: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Store(url) as store:
        assert store.load_prebuilt(built, input="first") is not None
        assert store.load_prebuilt(built, input="second") is None  # (another process first)
    with Reader(url) as r:
        assert r.version()[1] == 1  # one ingest: the first load


@pytest.mark.parametrize("damage", ["missing", "stale", "not a database"])
def test_a_missing_or_stale_file_is_not_used(built: Path, tmp_path: Path, damage: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "snapshot.db"
    if damage == "stale":  # made from other documents, or by other code
        path.write_bytes(built.read_bytes())
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE prebuilt SET value = 'other' WHERE key = 'made_from'")
    elif damage == "not a database":
        path.write_bytes(b"not a database" * 100)
    monkeypatch.setattr(prebuilt, "PREBUILT", path)
    assert prebuilt.current() is None
    monkeypatch.setattr(Store, "load_prebuilt", _refuse)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    assert ensure_loaded(url)  # from the documents
    with Reader(url) as r:
        assert r.latest_date() is not None


def test_the_file_records_what_it_was_made_from(built: Path) -> None:
    assert prebuilt.current(built) == built
    with sqlite3.connect(built) as conn:
        stamp = conn.execute("SELECT value FROM prebuilt").fetchall()
    assert stamp == [(prebuilt.made_from(),)]


def test_a_file_that_fails_to_copy_leaves_the_documents_to_load(
        built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its stamp right but a table gone (a damaged or hand-edited file): the copy fails
    inside its transaction, nothing of it stays, and the documents load."""
    path = tmp_path / "snapshot.db"
    path.write_bytes(built.read_bytes())
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE ledger")
    monkeypatch.setattr(prebuilt, "PREBUILT", path)
    assert prebuilt.current() == path
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Store(url) as store, pytest.raises(StoreError):
        store.load_prebuilt(path, input="damaged")
    assert ensure_loaded(url)
    with Reader(url) as r:
        assert r.version()[1] == 1 and len(list(r.ledger())) == 22_516


def test_a_change_to_the_code_that_loads_makes_the_file_stale(
        built: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """How the documents become rows is code (snapshot.rows, Store.load_rows): a file written
    by other code is stale, as one made from other documents is."""
    code = tmp_path / "attrition"
    (code / "store").mkdir(parents=True)
    for name in prebuilt.CODE:
        (code / name).write_bytes((prebuilt.DATA.parent / name).read_bytes())
    (code / "data").symlink_to(prebuilt.DATA)
    monkeypatch.setattr(prebuilt, "DATA", code / "data")
    assert prebuilt.current(built) == built
    with (code / "snapshot.py").open("a") as f:
        f.write("\n# another way to write the rows\n")
    assert prebuilt.current(built) is None
