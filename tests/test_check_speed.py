"""What makes a cold `attrition check` fast must not change what it reads: the checker's view
built from the cached ledger's columns holds what the view of the store's rows holds, cell
for cell; parsed TOML copies equal what tomllib parses; and a warm cold start imports neither
tomllib nor the URL fetcher."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest

from attrition import cache, crosswalk
from attrition.bootstrap import ensure_loaded
from attrition.check import ledger_cache
from attrition.check.confirmed import ClaimedOf
from attrition.check.ledger import LedgerView
from attrition.compare import Claimed
from attrition.store.read import Reader, SeriesRow


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('speed')}/ledger.db"
    ensure_loaded(url)
    return url


def _views(url: str, folder: Path) -> tuple[LedgerView, LedgerView, dict[str, list[SeriesRow]]]:
    with Reader(url) as plain, ledger_cache.CachedReader(plain.url, folder) as reader:
        rows = reader.by_category()
        corrections = reader.corrections()
        columns = reader.columns()
    return LedgerView(rows, corrections), LedgerView.of_columns(columns, corrections), rows


def test_the_view_of_columns_is_the_view_of_rows(store: str, tmp_path: Path) -> None:
    ledger_cache.CachedReader(store, tmp_path)._load()  # written, then read from the copy
    by_rows, by_cols, rows = _views(store, tmp_path)
    assert list(tmp_path.glob("ledger-*.bin"))
    assert (by_cols.first, by_cols.last) == (by_rows.first, by_rows.last)
    assert list(by_cols.rows) == list(rows)
    days = [by_rows.first + timedelta(days=i)
            for i in range((by_rows.last - by_rows.first).days + 2)]
    for cat, rs in rows.items():
        assert list(by_cols.rows[cat]) == rs
        assert by_cols.totals_in_order(cat) == by_rows.totals_in_order(cat)
        for d in days:
            assert by_cols.has(cat, d) == by_rows.has(cat, d)
            assert by_cols.total(cat, d) == by_rows.total(cat, d)
            assert by_cols.change(cat, d) == by_rows.change(cat, d)
            assert by_cols.announced(cat, d) == by_rows.announced(cat, d)
        for d in days[::97]:
            assert by_cols.peak_change(cat, d) == by_rows.peak_change(cat, d)
            for span in (0, 6, 29, 400):
                assert by_cols.window(cat, d - timedelta(days=span), d) \
                    == by_rows.window(cat, d - timedelta(days=span), d)
    mine, theirs = ClaimedOf(by_cols), Claimed(rows)
    for cats in (["tanks"], ["tanks", "afv"], ["vehicles_fuel_tanks", "military_auto"]):
        for d in days[::31]:
            assert mine.at(cats, d) == theirs.at(cats, d)
        assert mine.reached(cats, 5000) == theirs.reached(cats, 5000)


def test_rows_out_of_date_order_read_as_the_rows_sorted() -> None:
    d = date(2024, 1, 1)
    rows = {"tanks": [SeriesRow(d + timedelta(days=2), "tanks", 30, 10, None),
                      SeriesRow(d, "tanks", 10, None, None),
                      SeriesRow(d + timedelta(days=1), "tanks", 20, 10, None)]}
    view = LedgerView(rows)
    assert view.totals_in_order("tanks") == ([d, d + timedelta(days=1), d + timedelta(days=2)],
                                             [10, 20, 30])
    assert Claimed(rows).at(["tanks"], d + timedelta(days=1)) \
        == ClaimedOf(view).at(["tanks"], d + timedelta(days=1)) == (20, d + timedelta(days=1))
    assert view.window("tanks", d + timedelta(days=1), d + timedelta(days=2)) == 20


def test_a_parsed_toml_copy_equals_the_file_and_a_damaged_one_is_ignored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATTRITION_CACHE", str(tmp_path))
    data = crosswalk.BUNDLED.read_bytes()
    want = tomllib.loads(data.decode("utf-8"))
    assert cache.parsed_toml(data, "toml/crosswalk") == want  # parsed, then kept
    (kept,) = (tmp_path / "toml").glob("crosswalk-*.json")
    assert cache.parsed_toml(data, "toml/crosswalk") == want  # read from the copy
    head, _, body = kept.read_bytes().partition(b"\n")
    kept.write_bytes(head + b"\n" + body.replace(b"tanks", b"tankz"))
    assert cache.parsed_toml(data, "toml/crosswalk") == want  # damaged: parsed again
    dated = b'when = 2024-01-01\n'  # JSON has no dates: parsed each time, never kept
    assert cache.parsed_toml(dated, "toml/dated") == {"when": date(2024, 1, 1)}
    assert not list((tmp_path / "toml").glob("dated-*"))
    with pytest.raises(tomllib.TOMLDecodeError):
        cache.parsed_toml(b"x = [", "toml/bad")


def test_a_warm_cold_check_imports_neither_tomllib_nor_the_fetcher(
        store: str, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Over the past day Russia lost 9 tanks, the General Staff said.\n")
    listing = tmp_path / "modules.txt"
    code = ("import atexit, sys\n"
            f"atexit.register(lambda: open({str(listing)!r}, 'w').write('\\n'.join(sys.modules)))\n"
            "from attrition.entry import main\n"
            f"sys.argv = ['attrition', 'check', {str(article)!r}, '--date', '2024-11-14']\n"
            "main()\n")
    env = {**os.environ, "ATTRITION_DB": store, "ATTRITION_CACHE": str(tmp_path / "cache")}
    for _ in range(2):  # the first run writes the caches
        got = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True)
        assert "SUPPORTED" in got.stdout or "CONTRADICTED" in got.stdout, got.stderr
    loaded = set(listing.read_text().split())
    assert "attrition.check.claims" in loaded
    assert not loaded & {"tomllib", "attrition.check.fetch", "html", "sqlalchemy", "fastapi",
                         "matplotlib", "typer"}


def _kept_view(url: str, folder: Path) -> LedgerView:
    with Reader(url) as plain, ledger_cache.CachedReader(plain.url, folder) as reader:
        view = LedgerView.of_columns(reader.columns(), reader.corrections())
        view.keep = reader.keeper()
    assert view.keep is not None
    return view


def test_a_kept_series_is_the_series_built(store: str, tmp_path: Path) -> None:
    with Reader(store) as r:
        built = LedgerView(r.by_category(), r.corrections())
    names = [*built.rows, *built.aggregates]
    first = _kept_view(store, tmp_path)  # builds each series, and keeps it
    for name in names:
        assert first.series(name) == built.series(name)
    assert len(list(tmp_path.glob("series-*.bin"))) == len(names)
    again = _kept_view(store, tmp_path)  # reads them back
    for name in names:
        assert again.series(name) == built.series(name), name
        assert all(type(p) is type(q) for p, q in zip(
            again.series(name).points, built.series(name).points, strict=True))


def test_a_kept_series_is_built_again_for_other_code_or_a_damaged_file(
        store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    source = tmp_path / "series.py"
    source.write_text("# the code that builds series\n")
    monkeypatch.setattr(ledger_cache, "series_module",
                        types.SimpleNamespace(__file__=str(source)))
    built: list[str] = []

    def series_of(view: LedgerView, name: str) -> object:
        keep = view.keep
        assert keep is not None

        def make() -> object:
            built.append(name)
            return LedgerView.series(types.SimpleNamespace(  # type: ignore[arg-type]
                _series={}, keep=None, rows=view.rows, corrections=view.corrections,
                aggregates=view.aggregates, _cache={}), name)

        return keep(name, view.aggregates.get(name), make)  # type: ignore[arg-type]

    want = series_of(_kept_view(store, tmp_path / "c"), "vehicles")
    assert built == ["vehicles"]
    assert series_of(_kept_view(store, tmp_path / "c"), "vehicles") == want
    assert built == ["vehicles"]  # read back
    source.write_text("# the code that builds series, changed\n")
    assert series_of(_kept_view(store, tmp_path / "c"), "vehicles") == want
    assert built == ["vehicles"] * 2  # another version of the code: built again
    (kept,) = (tmp_path / "c").glob("series-*.bin")
    kept.write_bytes(kept.read_bytes()[:-40])
    assert series_of(_kept_view(store, tmp_path / "c"), "vehicles") == want
    assert built == ["vehicles"] * 3  # truncated: built again
    data = bytearray(kept.read_bytes())
    data[-100] ^= 0xFF
    kept.write_bytes(bytes(data))
    assert series_of(_kept_view(store, tmp_path / "c"), "vehicles") == want
    assert built == ["vehicles"] * 4  # damaged: built again


def test_a_kept_series_is_for_one_state_of_the_store(tmp_path: Path) -> None:
    import sqlite3

    url = f"sqlite:///{tmp_path}/ledger.db"
    ensure_loaded(url)
    before = _kept_view(url, tmp_path / "c").series("tanks")
    with sqlite3.connect(tmp_path / "ledger.db") as db:  # the last report's change is another
        db.execute("UPDATE ledger SET change = change + 1 WHERE category = 'tanks' AND "
                   "report_date = (SELECT MAX(report_date) FROM ledger)")
    db.close()
    after = _kept_view(url, tmp_path / "c").series("tanks")
    with Reader(url) as r:
        assert after == LedgerView(r.by_category(), r.corrections()).series("tanks")
    assert after != before
