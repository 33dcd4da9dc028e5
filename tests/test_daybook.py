"""The daybook: every stored standing and confirmed line equals the on-the-fly analysis, and a
daybook that does not match the store is never read."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attrition import brief, categories, crosswalk, daybook
from attrition.analysis import records, series
from attrition.compare import ConfirmedContext
from attrition.store.db import Store
from attrition.store.read import Reader

SEED = date(2024, 11, 14)


@pytest.fixture(scope="module")
def ledger(loaded_db: str) -> dict[str, Any]:
    with Reader(loaded_db) as r:
        return {"rows": r.by_category(), "corr": r.corrections(),
                "counts": r.confirmed_counts("oryx"), "disputed": r.disputed_cells(),
                "days": sorted(
                    {row.report_date for rows in r.by_category().values() for row in rows})}


@pytest.fixture
def db_copy(loaded_db: str, tmp_path: Path) -> str:
    path = tmp_path / "copy.db"
    shutil.copy(loaded_db.removeprefix("sqlite:///"), path)
    return f"sqlite:///{path}"


@pytest.mark.slow
def test_standings_equal_records_on_every_day_of_the_real_history(
        ledger: dict[str, Any]) -> None:
    cache: dict[tuple[str, str], list[series.Point]] = {}
    checked = disputed = 0
    for name in daybook.SERIES:
        s = series.build(name, ledger["rows"], ledger["corr"], cache=cache)
        doubt = records.resting_on(ledger["disputed"], categories.parts(name))
        for day, got in records.standings(s, doubt):
            assert got == records.standing(s, day, doubt), (name, day)
            checked += 1
            disputed += got.disputed
    assert checked > 30_000  # 18 categories and 5 aggregates over 1,641 reports
    assert disputed > 40  # 17 disputed totals, each under two changes, of parts and sums


points = st.lists(st.tuples(st.integers(1, 40),  # days since the previous report
                            st.one_of(st.none(), st.integers(-5, 60)),  # change
                            st.sampled_from([None, None, None, "correction", "creation"]),
                            st.sampled_from([False] * 5 + [True])),  # on a disputed total
                  min_size=1, max_size=120)


@settings(max_examples=200, deadline=None)
@given(points=points)
def test_standings_agree_with_brute_force_on_any_series(
        points: list[tuple[int, int | None, str | None, bool]]) -> None:
    """Ranks, the last higher and the tied report, by brute force over the points that
    count: a change resting on a disputed total counts on neither side, as a correction."""
    day, pts, doubt = date(2022, 2, 24), [], set()
    for gap, change, excluded, disputed in points:
        day += timedelta(days=gap)
        pts.append(series.Point(day, change, 0, "difference", excluded))
        if disputed:
            doubt.add(day)
    s = series.Series("x", "x", "x", tuple(pts))
    for d, got in records.standings(s, doubt):
        p = s.at(d)
        assert p is not None
        assert got.excluded == p.excluded  # the series' own reason, never "disputed"
        assert got.disputed == (d in doubt and p.change is not None)
        assert got == records.standing(s, d, doubt)
        if p.change is None or p.excluded or d in doubt:
            assert got.ranks == (None,) * len(records.WINDOWS) and got.highest_since is None
            continue
        counted = [q for q in pts if q.change is not None and not q.excluded and q.day <= d
                   and q.day not in doubt]
        for w, rank in zip(records.WINDOWS, got.ranks, strict=True):
            pool = [q.change for q in counted if w is None or (d - q.day).days < w]
            assert rank == 1 + sum(1 for c in pool if c is not None and c > p.change)
        larger = [q for q in counted if q.day < d and q.change is not None
                  and q.change > p.change]
        want = larger[-1] if larger else None
        assert (got.highest_since, got.highest_since_value) == (
            (want.day, want.change) if want else (None, None))
        equal = [q for q in counted if q.day < d and q.change == p.change
                 and (want is None or q.day > want.day)]
        assert got.tied_with == (equal[-1].day if equal else None)


def test_bundled_daybook_is_the_one_computed_from_the_bundled_ledger(
        loaded_db: str, ledger: dict[str, Any]) -> None:
    bundled = daybook.bundled()
    assert bundled is not None and bundled[0] == daybook.VERSION
    assert bundled[1] == daybook.crosswalk_stamp()  # built with the bundled crosswalk
    want = daybook.build(ledger["rows"], ledger["corr"], ledger["counts"], crosswalk.load(),
                         disputed=ledger["disputed"])
    assert bundled[2] == want
    shipped = (Path(daybook.__file__).parent / daybook.BUNDLED).read_bytes()
    assert daybook.dumps(want, bundled[1]) == shipped  # scripts/build_snapshot.py's bytes
    with Reader(loaded_db) as r:  # and the first run loaded it as the store's own
        assert daybook.lookup(r, SEED) is not None


def test_confirmed_lines_equal_the_context_on_every_report_date(
        loaded_db: str, ledger: dict[str, Any]) -> None:
    ctx = ConfirmedContext(ledger["rows"], ledger["counts"], crosswalk.load())
    covered = 0
    with Reader(loaded_db) as r:
        for day in ledger["days"]:
            book = daybook.lookup(r, day)
            assert book is not None
            for cat in categories.IDS:
                got = book.beside(cat, day)
                assert got == ctx.beside(cat, day), (cat, day)
                covered += got is not None
    assert covered > 1_000


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_briefs_from_the_daybook_equal_briefs_computed_from_the_ledger(
        loaded_db: str, ledger: dict[str, Any], lang: str) -> None:
    ctx = ConfirmedContext(ledger["rows"], ledger["counts"], crosswalk.load())
    days = [*ledger["days"][:3], *ledger["days"][60::97], SEED, date(2026, 7, 27),
            date(2024, 11, 30), date(2022, 10, 13), ledger["days"][-1]]
    with Reader(loaded_db) as r:
        for day in days:
            report = r.report(day)
            book = daybook.lookup(r, day)
            assert book is not None
            got = brief.compose(report, book.standings, lang=lang, confirmed=book,
                                breaks=book.breaks, corrections=book.corrections)
            want = brief.daily(ledger["rows"], ledger["corr"], report, lang=lang,
                               confirmed=ctx, doubt=ledger["disputed"])
            assert json.dumps(got) == json.dumps(want), day


def test_a_daybook_from_another_ingest_or_version_is_not_read(db_copy: str) -> None:
    from attrition.model import Batch, Observation

    with Reader(db_copy) as r:
        assert daybook.lookup(r, SEED) is not None
    day = date(2026, 8, 23)
    obs = Observation("press", day, "tanks", 12295, 3, None, None)
    with Store(db_copy) as store:
        store.ingest([Batch("press", [obs])], input="test")
    with Reader(db_copy) as r:
        assert daybook.lookup(r, SEED) is None  # written for the ingest before
    with Store(db_copy) as store:
        assert daybook.refresh(store) > 1_600
    with Reader(db_copy) as r:
        got = daybook.lookup(r, day)
        assert got is not None and got.standings["tanks"].change == 3
        meta = r.daybook(day)[0]
    with Store(db_copy) as store:
        store.put_daybook([], {**meta, "version": "0"})
    with Reader(db_copy) as r:
        assert daybook.lookup(r, day) is None


def test_another_crosswalk_leaves_the_confirmed_lines_to_be_computed(
        loaded_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "crosswalk.toml"
    text = (Path(daybook.__file__).parent / "data" / "crosswalk.toml").read_text("utf-8")
    mine.write_text(text + "\n# mine\n", encoding="utf-8")
    monkeypatch.setenv("ATTRITION_CROSSWALK", str(mine))
    with Reader(loaded_db) as r:
        book = daybook.lookup(r, SEED)
    assert book is not None and book.confirmed is None and book.standings


def test_a_damaged_daybook_row_is_ignored_not_an_error(db_copy: str) -> None:
    import sqlite3

    with sqlite3.connect(db_copy.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE daybook SET body = '{\"tanks\": [1, 2' "
                     "WHERE kind = 'series' AND day = ?", (SEED.isoformat(),))
    with Reader(db_copy) as r:
        assert daybook.lookup(r, SEED) is None
        assert daybook.lookup(r, SEED + timedelta(days=1)) is not None


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_every_days_brief_takes_its_numbers_from_its_facts(
        loaded_db: str, ledger: dict[str, Any], lang: str) -> None:
    from test_brief import allowed, numbers_in  # tests/ is on the path under pytest

    records_claimed = 0
    with Reader(loaded_db) as r:
        for day in ledger["days"]:
            book = daybook.lookup(r, day)
            assert book is not None
            doc = brief.compose(r.report(day), book.standings, lang=lang, confirmed=book,
                                breaks=book.breaks, corrections=book.corrections)
            assert numbers_in(doc["text"]) <= allowed(doc), day
            records_claimed += len(doc["notable"])
    assert records_claimed > 900  # not a trivial check (the tanks + AFV sum is no longer cited)


def test_a_store_from_before_the_daybook_still_gets_its_brief(db_copy: str) -> None:
    import sqlite3

    with sqlite3.connect(db_copy.removeprefix("sqlite:///")) as conn:
        conn.execute("DROP TABLE daybook")
        conn.execute("DROP TABLE daybook_meta")
    with Reader(db_copy) as r:
        assert daybook.lookup(r, SEED) is None
        report = r.report(SEED)
        doc = brief.daily(r.by_category(), r.corrections(), report, doubt=r.disputed_cells())
    assert "124 vehicles and fuel tanks" in doc["text"]
    with Store(db_copy) as store:  # the next ingest's refresh makes the tables again
        daybook.refresh(store)
    with Reader(db_copy) as r:
        assert daybook.lookup(r, SEED) is not None
