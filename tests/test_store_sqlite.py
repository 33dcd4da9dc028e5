"""A SQLite file is written through the stdlib `sqlite3` (attrition.store.tx), other databases
through SQLAlchemy: the two give the same store, byte for byte, for the real history; the
plain DDL is the one SQLAlchemy compiles from store/schema.py; and an ingest into a SQLite file
never imports SQLAlchemy (~0.3 s of a one-report ingest)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from attrition import daybook, ingest, prebuilt
from attrition.bootstrap import ensure_loaded
from attrition.model import Batch
from attrition.store import db as store_db
from attrition.store import schema, sqlite_ddl
from attrition.store.db import Store
from conftest import copy_db

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-12-02T10:00:00+00:00"
NEW_DAY = [{"date": "2026-08-23", "sourceUri": "https://mod.gov.ua/news/example-2026-08-23",
            "personnel": 1476300, "tanks": 12295, "afvs": 25180, "artillery": 48390}]


def test_the_plain_ddl_is_the_one_generated_from_the_schema() -> None:
    """Fails when a table of schema.py changed and `scripts/build_sqlite_ddl.py` was not
    run: the two cannot drift apart."""
    text = (ROOT / "src" / "attrition" / "store" / "sqlite_ddl.py").read_text("utf-8")
    assert text == schema.sqlite_ddl_module(), "run scripts/build_sqlite_ddl.py"
    assert set(sqlite_ddl.TABLES) == set(schema.metadata.tables)


def _schema_of(path: Path) -> list[tuple[str, str, str, str | None]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    finally:
        conn.close()


def test_a_new_file_gets_the_schema_sqlalchemy_makes(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    got = {}
    for direct in (True, False):
        monkeypatch.setattr(Store, "sqlite_direct", direct)
        path = tmp_path / f"{direct}.db"
        with Store(f"sqlite:///{path}") as store:
            assert (store._sqlite is not None) is direct
        got[direct] = _schema_of(path)
    assert got[True] == got[False]
    assert len(got[True]) > len(schema.metadata.tables)  # tables, their indexes


def test_opening_a_file_again_changes_nothing_and_adds_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store(f"sqlite:///{path}").close()
    made = _schema_of(path)
    Store(f"sqlite:///{path}").close()
    assert _schema_of(path) == made
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX ix_ledger_category")
    conn.execute("DROP TABLE feeds")
    conn.commit()
    conn.close()
    Store(f"sqlite:///{path}").close()
    assert _schema_of(path) == made


def _dump(path: Path) -> tuple[list[str], list[str]]:
    """The statements that rebuild the file: every row of every table, in the order of the
    tables and their row ids; and the schema's (in any order: SQLAlchemy makes a table's
    indexes in the order of a set)."""
    conn = sqlite3.connect(path)
    try:
        rows, ddl = [], []
        for statement in conn.iterdump():
            (rows if statement.startswith("INSERT INTO") else ddl).append(statement)
        return rows, sorted(ddl)
    finally:
        conn.close()


def _history(data: Path) -> tuple[list[Batch], list[object]]:
    got = [ingest.read_path(f) for f in ingest.expand([data / "official", data / "bulletins"])]
    return ([b for b in got if isinstance(b, Batch)],
            [ingest.read_path(data / "confirmed" / "oryx_data" / "daily_count.csv")])


@pytest.mark.slow
def test_both_write_paths_store_identical_files_for_the_real_history(
        shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first run's snapshot load (the prebuilt file's, and the documents'), the real
    official history and bulletins, a daybook, a wrong mirror file revising one figure in
    forty, one new report (the daybook patched), Oryx's confirmed counts and a run of
    `update`: through sqlite3 and through SQLAlchemy, the two files dump to the same
    statements."""
    official, confirmed = _history(shared_data)
    day = tmp_path / "day.json"
    day.write_text(json.dumps(NEW_DAY), "utf-8")
    new_day = ingest.read_path(day)
    assert isinstance(new_day, Batch)
    orc = next(b for b in official if b.source == "orc-losses")
    wrong = replace(orc, observations=[  # one figure in forty 100 more
        replace(o, total=o.total + 100) if i % 40 == 0 and o.total is not None else o
        for i, o in enumerate(orc.observations)])
    monkeypatch.setattr(store_db, "now", lambda: NOW)
    # the first load: the prebuilt file's copy into sqlite3, the documents into SQLAlchemy
    monkeypatch.setattr(prebuilt, "PREBUILT", prebuilt.build(tmp_path / "prebuilt.db"))
    dumps = {}
    for direct in (True, False):
        monkeypatch.setattr(Store, "sqlite_direct", direct)
        path = tmp_path / f"{'direct' if direct else 'sqlalchemy'}.db"
        url = f"sqlite:///{path}"
        assert ensure_loaded(url)
        with Store(url) as store:
            assert (store._sqlite is not None) is direct
            r = store.ingest(official, input="official, bulletins", seen_at=NOW)
            # minfin's file gives the votes the snapshot's ledger carries: no cell moves
            assert r.new > 20_000 and r.cells == 0
            daybook.refresh(store, r.changes)
            r = store.ingest([wrong], input="a wrong mirror", seen_at=NOW)
            assert r.revised > 400 and r.cells > 10_000  # most days re-resolved
            daybook.refresh(store, r.changes)
            r = store.ingest([new_day], input="day", seen_at=NOW)
            assert r.new == 4
            daybook.refresh(store, r.changes)
            c = store.ingest_confirmed(confirmed, input="oryx", seen_at=NOW)  # type: ignore[arg-type]
            assert c.counts_new or c.counts_revised
            daybook.refresh(store, c.changes)
            store.record_update(new=4, revised=0, failures=["minfin"], at=NOW)
        dumps[direct] = _dump(path)
    assert len(dumps[True][0]) > 90_000  # observations, ledger, daybook, counts...
    assert dumps[True][0] == dumps[False][0]
    assert dumps[True][1] == dumps[False][1]


def test_an_ingest_into_a_sqlite_file_does_not_import_sqlalchemy(loaded_db: str,
                                                                 tmp_path: Path) -> None:
    url = copy_db(loaded_db, tmp_path)
    day = tmp_path / "day.json"
    day.write_text(json.dumps(NEW_DAY), "utf-8")
    code = ("import sys\nfrom attrition import cli\nsys.argv = ['attrition', '--db', "
            f"{url!r}, 'ingest', {str(day)!r}]\ntry:\n    cli.main()\nexcept SystemExit:\n"
            "    pass\nprint(sorted(m for m in sys.modules if m.startswith('sqlalchemy'))[:3])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert "4 new" in out
    assert out.strip().splitlines()[-1] == "[]"
