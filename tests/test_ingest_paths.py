"""The ingest's fast paths (resolving from what it read and wrote, rewriting only the ledger
rows that differ, keeping a daybook whose inputs did not change) leave the store exactly as the
general path does: every observation, every ledger cell, every correction, for the whole
history."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from attrition import daybook, ingest
from attrition.bootstrap import ensure_loaded
from attrition.model import Batch
from attrition.store.db import Store
from attrition.store.read import Reader

SEEN = "2026-12-02T00:00:00+00:00"


def _batches(*folders: Path) -> list[Batch]:
    out = [ingest.read_path(f) for f in ingest.expand(list(folders))]
    return [b for b in out if isinstance(b, Batch)]


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables an ingest writes, in a canonical order (row ids and the
    order rows were written in are not part of a store's content)."""
    conn = sqlite3.connect(path)
    try:
        return {
            "observations": sorted(conn.execute(
                "SELECT source, report_date, covers, category, total, announced_change, "
                "qualifier, address, revision, seen_at, input FROM observations")),
            "ledger": sorted(conn.execute("SELECT * FROM ledger")),
            "corrections": sorted(conn.execute("SELECT * FROM corrections")),
            "ingests": sorted(conn.execute(
                "SELECT input, source, observations, new, revised FROM ingests")),
        }
    finally:
        conn.close()


def _ingest_both_ways(start: Path | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      *steps: list[Batch]) -> tuple[dict[str, list[tuple[object, ...]]],
                                                   dict[str, list[tuple[object, ...]]]]:
    got = []
    for fast in (True, False):
        path = tmp_path / f"{'fast' if fast else 'general'}.db"
        if start is not None:
            shutil.copy(start, path)
        monkeypatch.setattr(Store, "fast_paths", fast)
        with Store(f"sqlite:///{path}") as store:
            for i, batches in enumerate(steps):
                store.ingest(batches, input=f"step {i}", seen_at=SEEN)
        got.append(_tables(path))
    return got[0], got[1]


@pytest.fixture(scope="module")
def history(shared_data: Path) -> list[Batch]:
    return _batches(shared_data / "official", shared_data / "bulletins")


@pytest.fixture(scope="module")
def snapshot_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("snap") / "snapshot.db"
    ensure_loaded(f"sqlite:///{path}")
    return path


@pytest.mark.slow
def test_the_whole_history_into_an_empty_store(history: list[Batch], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    fast, general = _ingest_both_ways(None, tmp_path, monkeypatch, history)
    assert len(fast["ledger"]) > 22_000 and len(fast["observations"]) > 60_000
    assert fast == general


@pytest.mark.slow
def test_the_whole_history_into_the_snapshot_then_revisions(
        history: list[Batch], snapshot_store: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A mirror that revises some figures (one in forty of orc-losses' cells: several change
    # the vote), then the right file again (which restores its values as new revisions).
    orc = next(b for b in history if b.source == "orc-losses")
    wrong = replace(orc, observations=[
        replace(o, total=o.total + 100) if i % 40 == 0 and o.total is not None else o
        for i, o in enumerate(orc.observations)])
    fast, general = _ingest_both_ways(snapshot_store, tmp_path, monkeypatch,
                                      history, [wrong], [orc])
    assert any(r[8] == 3 for r in fast["observations"])  # revision 3: restored
    assert fast == general


def test_a_new_day_and_a_revised_day(snapshot_store: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from attrition.sources import orc

    day = [{"date": "2026-08-23", "sourceUri": "https://mod.gov.ua/news/example",
            "personnel": 1476300, "tanks": 12295, "afvs": 25180, "artillery": 48390}]
    fix = [{"date": "2026-08-22", "sourceUri": "https://mod.gov.ua/news/example2",
            "personnel": 1475000, "tanks": 12290}]
    fast, general = _ingest_both_ways(snapshot_store, tmp_path, monkeypatch,
                                      [orc.read(json.dumps(day))], [orc.read(json.dumps(fix))])
    assert fast == general
    assert ("2026-08-23", "tanks") in {(r[0], r[1]) for r in fast["ledger"]}


def test_an_ingest_that_changes_no_figure_keeps_the_daybook(
        snapshot_store: Path, tmp_path: Path, history: list[Batch]) -> None:
    path = tmp_path / "store.db"
    shutil.copy(snapshot_store, path)
    url = f"sqlite:///{path}"
    with Store(url) as store:
        before = store.daybook_meta()
        # the bundled daybook's inputs, computed from the snapshot at the load, as read back
        assert before["inputs"] == store.daybook_inputs()
        bulletins = [b for b in history if b.source == "bulletin"]
        store.ingest(bulletins, input="bulletins again")
        daybook.refresh(store)
        after = store.daybook_meta()
    assert after["inputs"] == before["inputs"] and after["ingest"] != before["ingest"]
    with Reader(url) as r:
        kept = sorted(r._query("SELECT kind, day, body FROM daybook"))
        built = daybook.build(r.by_category(), r.corrections(), r.confirmed_counts("oryx"),
                              __import__("attrition.crosswalk").crosswalk.load(),
                              disputed=r.disputed_cells())
        assert kept == sorted(built)  # kept, and what a rebuild gives
        assert daybook.lookup(r, max(d for d in r.by_category()["tanks"]).report_date)


def test_an_ingest_that_changes_a_figure_rebuilds_the_daybook(
        snapshot_store: Path, tmp_path: Path) -> None:
    from attrition.sources import orc

    path = tmp_path / "store.db"
    shutil.copy(snapshot_store, path)
    url = f"sqlite:///{path}"
    day = [{"date": "2026-08-23", "sourceUri": "https://mod.gov.ua/news/example",
            "personnel": 1476300, "tanks": 12295, "afvs": 25180, "artillery": 48390}]
    with Store(url) as store:
        before = store.daybook_meta()
        store.ingest([orc.read(json.dumps(day))], input="a new day")
        daybook.refresh(store)
        after = store.daybook_meta()
    assert after["inputs"] != before["inputs"]
    with Reader(url) as r:
        got = daybook.lookup(r, __import__("datetime").date(2026, 8, 23))
        assert got is not None and got.standings["tanks"].total == 12295


def _stored_and_built(url: str) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    from attrition import crosswalk

    with Reader(url) as r:
        built = daybook.build(r.by_category(), r.corrections(), r.confirmed_counts("oryx"),
                              crosswalk.load(), disputed=r.disputed_cells())
    with Store(url) as store:
        stored = store.daybook_rows()
    return sorted(stored), sorted(built)


def test_new_days_extend_the_stored_daybook_as_a_build_would(
        snapshot_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from attrition.sources import orc

    path = tmp_path / "store.db"
    shutil.copy(snapshot_store, path)
    url = f"sqlite:///{path}"
    builds = []
    whole = daybook.build
    monkeypatch.setattr(daybook, "build", lambda *a, **k: builds.append(1) or whole(*a, **k))
    days = [
        [{"date": "2026-08-23", "sourceUri": "https://mod.gov.ua/news/a",
          "personnel": 1476300, "tanks": 12295, "afvs": 25180, "artillery": 48390}],
        # two more at once, one a record day for tanks
        [{"date": "2026-08-24", "sourceUri": "https://mod.gov.ua/news/b",
          "personnel": 1477000, "tanks": 12395, "afvs": 25190, "artillery": 48400},
         {"date": "2026-08-25", "sourceUri": "https://mod.gov.ua/news/c",
          "personnel": 1478000, "tanks": 12396, "afvs": 25200, "artillery": 48420}],
    ]
    for rows in days:
        with Store(url) as store:
            store.ingest([orc.read(json.dumps(rows))], input="new days")
            daybook.refresh(store)
        stored, built = _stored_and_built(url)
        assert stored == built
    assert len(builds) == 2  # only the two comparisons above: refresh extended each time


def test_a_revised_day_rebuilds_the_daybook_whole(
        snapshot_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from attrition.sources import orc

    path = tmp_path / "store.db"
    shutil.copy(snapshot_store, path)
    url = f"sqlite:///{path}"
    # three witnesses now say 2025-06-10's tanks were 10 more (and a new day comes too)
    fix = [{"date": "2025-06-10", "sourceUri": "https://mod.gov.ua/news/x",
            "tanks": 10_000}]
    with Reader(url) as r:
        fix[0]["tanks"] = next(x.total for x in r.report(__import__("datetime").date(
            2025, 6, 10)) if x.category == "tanks") + 10
    with Store(url) as store:
        for source in ("orc-losses", "petroivaniuk", "minfin"):
            batch = orc.read(json.dumps(fix))
            store.ingest([replace(batch, source=source, observations=[
                replace(o, source=source) for o in batch.observations])], input=source)
        with Reader(url) as r:
            stored = store.daybook_rows()
            got = daybook.extend(r.by_category(), r.corrections(), r.confirmed_counts("oryx"),
                                 None, stored, disputed=r.disputed_cells())
        assert got is None  # the standings from that day on may all have moved
        daybook.refresh(store)
    stored_rows, built = _stored_and_built(url)
    assert stored_rows == built


def _minfin(history: list[Batch], days: set[date] | None = None) -> Batch:
    files = [b for b in history if b.source == "minfin"]  # its two CSV files
    return replace(files[0], observations=[o for b in files for o in b.observations
                                           if days is None or o.report_date in days])


def test_a_witness_the_ledger_already_counts_changes_no_cell(
        history: list[Batch], snapshot_store: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """minfin's rows are not shipped but its votes are (the ledger's sources and dissent):
    its file, ingested after a first run, gives the values the ledger counts, so no cell
    is resolved again (the general path re-resolves them all and writes back the same);
    the one figure it gives otherwise re-resolves its day and the days around."""
    days = {date(2022, 2, 27), date(2023, 5, 1), date(2024, 11, 3), date(2024, 11, 14)}
    batch = _minfin(history, days)
    path = tmp_path / "store.db"
    shutil.copy(snapshot_store, path)
    with Store(f"sqlite:///{path}") as store:
        r = store.ingest([batch], input="minfin", seen_at=SEEN)
    assert r.new > 50 and r.cells == 0
    assert r.changes is not None and r.changes.ledger_from is None
    wrong = replace(batch, observations=[
        replace(o, total=o.total + 7) if o.category == "tanks" and o.total is not None
        and o.report_date == date(2024, 11, 14) else o for o in batch.observations])
    fast, general = _ingest_both_ways(snapshot_store, tmp_path, monkeypatch, [batch],
                                      [wrong])
    assert fast == general
    with Store(f"sqlite:///{path}") as store:
        r = store.ingest([wrong], input="minfin, one figure changed", seen_at=SEEN)
    around = {"2024-11-13", "2024-11-14", "2024-11-15"}
    assert r.revised == 1 and r.cells == sum(row[0] in around for row in fast["ledger"])


@pytest.mark.slow
def test_the_whole_minfin_file_after_a_first_run_changes_no_cell(
        history: list[Batch], snapshot_store: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "store.db"
    shutil.copy(snapshot_store, path)
    with Store(f"sqlite:///{path}") as store:
        r = store.ingest(history, input="official, bulletins", seen_at=SEEN)
    assert r.new > 20_000 and r.cells == 0
    fast, general = _ingest_both_ways(snapshot_store, tmp_path, monkeypatch, history)
    assert fast == general
