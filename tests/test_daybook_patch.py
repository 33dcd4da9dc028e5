"""The daybook patched ingest by ingest (`daybook.refresh` with the ingest's `Changes`: only
the days an ingest changed are computed again) equals the daybook built whole from the
ledger, for the real history: the last reports added one by one to a store that holds the
rest, an older day revised, new confirmed counts. And the ledger the days were added to
equals the one the whole history gives at once."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from attrition import daybook, ingest, snapshot
from attrition.model import Batch, ConfirmedBatch
from attrition.store.db import Changes, Store
from attrition.store.read import Reader
from test_ingest_paths import _stored_and_built  # the stored daybook against a fresh build

LAST = 8
"""Report dates held back from the first ingest and then added one ingest each."""


def _history(shared_data: Path) -> list[Batch]:
    out = [ingest.read_path(f)
           for f in ingest.expand([shared_data / "official", shared_data / "bulletins"])]
    return [b for b in out if isinstance(b, Batch)]


def _only(batches: list[Batch], keep: set[date]) -> list[Batch]:
    """The batches cut to the report dates in `keep` (their corrections too)."""
    return [replace(b, observations=[o for o in b.observations if o.report_date in keep],
                    corrections=[c for c in b.corrections if c.report_date in keep])
            for b in batches]


def _ledger(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return sorted(conn.execute("SELECT * FROM ledger"))


@pytest.fixture(scope="module")
def history(shared_data: Path) -> list[Batch]:
    return _history(shared_data)


@pytest.mark.slow
def test_days_added_one_by_one_patch_the_daybook_as_a_build_would(
        history: list[Batch], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    days = sorted({o.report_date for b in history for o in b.observations})
    held, earlier = days[-LAST:], set(days[:-LAST])
    path = tmp_path / "store.db"
    url = f"sqlite:///{path}"
    with Store(url) as store:
        store.ingest_confirmed([snapshot.confirmed_batch()], input="bundled counts")
        store.ingest(_only(history, earlier), input="all but the last days")
        daybook.refresh(store)  # the first daybook: built whole
    builds: list[int] = []
    whole = daybook.build
    monkeypatch.setattr(daybook, "build", lambda *a, **k: builds.append(1) or whole(*a, **k))
    patched = 0
    for day in held:
        with Store(url) as store:
            result = store.ingest(_only(history, {day}), input=f"the report of {day}")
            assert result.changes is not None and result.changes.ledger_from is not None
            # a day's vote looks at the day before: it may move, and is patched too
            assert result.changes.ledger_from >= day - timedelta(days=1)
            daybook.refresh(store, result.changes)
        patched += 1
        stored, built = _stored_and_built(url)
        assert stored == built, day
    assert len(builds) == patched  # only the comparisons: every refresh patched

    # the ledger those ingests made is the one the whole history makes at once
    at_once = tmp_path / "at-once.db"
    with Store(f"sqlite:///{at_once}") as store:
        store.ingest_confirmed([snapshot.confirmed_batch()], input="bundled counts")
        store.ingest(history, input="the whole history")
    assert _ledger(path) == _ledger(at_once)

    # an older day revised by every official witness: the standings from it on move
    with Reader(url) as r:
        old = days[-200]
        tanks = next(x.total for x in r.report(old) if x.category == "tanks")
    fixes = [Batch(b.source, observations=[replace(o, total=tanks + 7)
                                           for o in b.observations
                                           if o.report_date == old and o.category == "tanks"])
             for b in history]
    with Store(url) as store:
        result = store.ingest([b for b in fixes if b.observations], input="a revision")
        assert result.changes is not None and result.changes.ledger_from == old
        daybook.refresh(store, result.changes)
    stored, built = _stored_and_built(url)
    assert stored == built
    assert any(d == old.isoformat() and json.loads(b)["tanks"][1] == tanks + 7
               for k, d, b in stored if k == "series")

    # new confirmed counts: every line is computed again, the standings stay
    counts = snapshot.confirmed_batch()
    newest = max(c.day for c in counts.counts)
    more = ConfirmedBatch(counts.source, counts=[
        replace(c, day=date.fromordinal(newest.toordinal() + 1),
                destroyed=c.destroyed + 3, total=c.total + 3)
        for c in counts.counts if c.day == newest])
    with Store(url) as store:
        got = store.ingest_confirmed([more], input="a new scrape")
        assert got.changes is not None and got.changes.confirmed
        daybook.refresh(store, got.changes)
    stored, built = _stored_and_built(url)
    assert stored == built
    assert len(builds) == patched + 2


def test_changes_are_not_trusted_across_another_writer(tmp_path: Path) -> None:
    """A daybook of an earlier ingest than the one before this write, or a write whose ids
    another writer interleaved with, is not patched: it is built again."""
    first = Changes(before=3, last=4, ingests=1, ledger_from=date(2025, 1, 1))
    assert first.then(Changes(before=4, last=6, ingests=2)) == Changes(
        3, 6, 3, date(2025, 1, 1), False)
    assert first.then(Changes(before=5, last=6, ingests=1)) is None  # a write came between
    assert first.then(None) is None


def test_an_interrupted_refresh_is_caught_up_whole(snapshot_store: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Two ingests whose first one's refresh never ran (a crash): the second's changes
    alone do not say what the first changed, so the daybook is built again."""
    import shutil

    from attrition.sources import orc

    path = tmp_path / "store.db"
    shutil.copy(snapshot_store, path)
    url = f"sqlite:///{path}"
    days = [[{"date": "2026-08-23", "sourceUri": "https://mod.gov.ua/news/a",
              "personnel": 1476300, "tanks": 12295, "afvs": 25180, "artillery": 48390}],
            [{"date": "2026-08-24", "sourceUri": "https://mod.gov.ua/news/b",
              "personnel": 1477000, "tanks": 12395, "afvs": 25190, "artillery": 48400}]]
    patched: list[int] = []
    real = daybook._patch
    monkeypatch.setattr(daybook, "_patch", lambda *a: patched.append(1) or real(*a))
    with Store(url) as store:
        store.ingest([orc.read(json.dumps(days[0]))], input="no refresh after it")
        result = store.ingest([orc.read(json.dumps(days[1]))], input="the next day")
        daybook.refresh(store, result.changes)
    assert not patched
    stored, built = _stored_and_built(url)
    assert stored == built


@pytest.fixture(scope="module")
def snapshot_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from attrition.bootstrap import ensure_loaded

    path = tmp_path_factory.mktemp("snap") / "snapshot.db"
    ensure_loaded(f"sqlite:///{path}")
    return path


def test_breaks_resumed_before_a_change_equal_a_whole_scan(loaded_db: str) -> None:
    """`anomalies.breaks` resumed from the breaks found before a change equals the scan of
    the whole changed series, for every series of the real history, changed at days from
    the war's first months to its last report."""
    from attrition.analysis import anomalies, series
    from attrition.analysis.series import Point, Series

    with Reader(loaded_db) as r:
        rows, corrections = r.by_category(), r.corrections()
    aggs = {a.id: a for a in __import__("attrition.categories").categories.BUILTIN_AGGREGATES}
    found = moved = 0
    for name in daybook.SERIES:
        s = series.build(name, rows, corrections, aggregates=aggs)
        old = anomalies.breaks(s)
        found += len(old)
        counted = [p.day for p in s.points if p.change is not None and p.excluded is None]
        # changes at spread days, and at the last report each break's window reads (the
        # first change that moves it)
        days = [s.points[k].day for k in (30, 400, 900, len(s.points) - 1)
                if k < len(s.points)]
        days += [counted[i + 59] for b in old
                 if (i := counted.index(b.day)) + 59 < len(counted)]
        for at in days:
            for factor in (0, 100):  # from `at` on, as a revision of those days would
                changed = Series(s.name, s.label, s.definition, tuple(
                    p if p.day < at or p.change is None else Point(
                        p.day, p.change * factor, p.total, p.basis, p.excluded,
                        p.components)
                    for p in s.points), s.is_aggregate)
                whole = anomalies.breaks(changed)
                moved += whole != old
                assert anomalies.breaks(changed, known=old, changed_from=at) == whole, (
                    name, at, factor)
            assert anomalies.breaks(s, known=old, changed_from=at) == old, (name, at)
    assert found > 20 and moved > 20  # breaks to keep, and changes that move them


def test_an_aggregates_parts_asked_only_at_their_edges_are_the_parts_of_each_day() -> None:
    from datetime import timedelta

    from attrition import categories
    from attrition.analysis import series

    days = [date(2022, 2, 20) + timedelta(days=n) for n in range(2000)]
    for a in categories.BUILTIN_AGGREGATES:
        parts = {c for comp in a.components
                 for c in (comp, *categories.HISTORICAL_PARTS.get(comp, ()))}
        assert list(series._components(a, parts, days)) == [a.components_on(d) for d in days]
