"""The analysis layer over the real ledger: records against brute force, category history,
windows, anomalies, user aggregates."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from attrition import categories, periods
from attrition.analysis import anomalies, records, series, windows
from attrition.errors import ConfigError, DateError, UnknownCategoryError
from attrition.store.read import Reader

NAMES = [*categories.CURRENT_IDS, "vehicles", "armour", "artillery_all", "equipment",
         "equipment_all"]
SEED = date(2024, 11, 14)


@pytest.fixture(scope="module")
def data(loaded_db: str) -> tuple[dict[str, list[object]], list[tuple[str, date, str, int]]]:
    with Reader(loaded_db) as r:
        return r.by_category(), r.corrections()  # type: ignore[return-value]


def build(data: tuple[object, object], name: str) -> series.Series:
    rows, corr = data
    return series.build(name, rows, corr)  # type: ignore[arg-type]


def test_seed_records(data: tuple[object, object]) -> None:
    vft = records.record(build(data, "vehicles_fuel_tanks"), SEED)
    assert vft.change == 124 and vft.ranks["30d"].rank == 1  # type: ignore[union-attr]
    # the category carries on military auto + fuel tanks: 179 + 0 on 2022-03-16 was more
    assert (vft.highest_since, vft.highest_since_value) == (date(2022, 3, 16), 179)
    veh = records.record(build(data, "vehicles"), SEED)
    assert veh.change == 194 and veh.ranks["30d"].rank == 1  # type: ignore[union-attr]
    assert (veh.highest_since, veh.highest_since_value) == (date(2023, 10, 20), 208)
    tanks = records.record(build(data, "tanks"), SEED)
    assert tanks.ranks["30d"].rank > 1  # type: ignore[union-attr]
    assert tanks.highest_since_value == 24
    afv = records.record(build(data, "afv"), SEED)
    assert (afv.highest_since, afv.highest_since_value) == (date(2024, 11, 12), 81)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(NAMES),
       offset=st.integers(min_value=0, max_value=1640),
       window=st.sampled_from([7, 30, 90, 365, None]))
def test_rank_and_highest_since_agree_with_brute_force(
        data: tuple[object, object], name: str, offset: int, window: int | None) -> None:
    s = build(data, name)
    day = date(2022, 2, 25) + timedelta(days=offset)
    p = s.at(day)
    got = records.rank(s, day, window)
    hs = records.highest_since(s, day)
    if p is None or p.change is None or p.excluded:
        assert got is None and hs is None
        return
    pool = [q.change for q in s.points if q.change is not None and not q.excluded
            and q.day <= day and (window is None or (day - q.day).days < window)]
    assert got is not None
    assert got.rank == 1 + sum(1 for c in pool if c > p.change)
    assert got.of == len(pool)
    earlier = [q for q in s.points if q.day < day and q.change is not None
               and not q.excluded and q.change > p.change]
    assert hs == (earlier[-1] if earlier else None)


def test_vehicles_and_fuel_tanks_carry_on_the_two_categories_they_merged(
        data: tuple[object, object]) -> None:
    s = build(data, "vehicles_fuel_tanks")
    auto, fuel = build(data, "military_auto"), build(data, "fuel_tanks")
    day = date(2022, 3, 16)
    got, a, f = s.at(day), auto.at(day), fuel.at(day)
    assert got is not None and a is not None and f is not None
    assert (got.change, got.total) == (179 + (f.change or 0), (a.total or 0) + (f.total or 0))
    assert got.components == ("military_auto", "fuel_tanks")
    merge = s.at(date(2022, 5, 1))  # counted against the two, so the merge is not a loss
    assert merge is not None and merge.change == 19 and merge.excluded is None
    assert s.points[0].day == date(2022, 2, 25) and s.points[0].excluded == "creation"


def test_top_days_are_sorted_and_in_range(data: tuple[object, object]) -> None:
    s = build(data, "tanks")
    top = records.top(s, date(2024, 10, 15), SEED, 5)
    assert [p.change for p in top] == sorted((p.change for p in top), reverse=True)
    assert all(date(2024, 10, 15) <= p.day <= SEED for p in top)
    assert top[0].change == 24


def test_merge_is_not_a_loss(data: tuple[object, object]) -> None:
    veh = build(data, "vehicles")
    before, merge = veh.at(date(2022, 4, 30)), veh.at(date(2022, 5, 1))
    assert before is not None and merge is not None
    assert before.components == ("tanks", "afv", "military_auto", "fuel_tanks")
    assert merge.components == ("tanks", "afv", "vehicles_fuel_tanks")
    assert merge.change is not None and merge.change < 200  # not the +1796 of a naive diff
    assert merge.total is not None and before.total is not None
    assert merge.total - before.total == merge.change
    eq = build(data, "equipment_all").at(date(2022, 5, 1))
    assert eq is not None and eq.excluded == "creation"  # cruise missiles begin that day


def test_corrections_are_excluded_and_listed(data: tuple[object, object]) -> None:
    s = build(data, "special_equipment")
    p = s.at(date(2024, 11, 30))
    assert p is not None and p.change == -83 and p.excluded == "correction"
    assert p in records.excluded(s, date(2024, 11, 1), date(2024, 11, 30))


def test_announced_basis_says_which(data: tuple[object, object]) -> None:
    rows, corr = data
    s = series.build("afv", rows, corr, basis=series.ANNOUNCED)  # type: ignore[arg-type]
    p = s.at(date(2025, 10, 16))
    assert p is not None and p.change == 9 and p.basis == "announced"
    q = build(data, "afv").at(date(2025, 10, 16))
    assert q is not None and q.change == 37 and q.basis == "difference"


def test_windows(data: tuple[object, object]) -> None:
    s = build(data, "tanks")
    # the losses of Monday 11 .. Sunday 17 November are in the reports of the 12th .. 18th
    w = windows.week(s, "2024-W46")
    assert (w.start, w.end, w.reports) == (date(2024, 11, 12), date(2024, 11, 18), 7)
    assert w.total == sum(p.change or 0 for p in s.between(w.start, w.end))
    m = windows.month(s, "2024-11")
    assert m.expected == 30 and m.total == sum(p.change or 0 for p in s.between(
        date(2024, 11, 2), date(2024, 12, 1)))
    wow = windows.week_on_week(s, SEED)
    assert wow.current.end == SEED and wow.previous.end == SEED - timedelta(days=7)
    assert windows.last_days(s, SEED, 1).total == 19


def test_a_month_is_the_reports_of_its_2nd_to_the_1st_of_the_next() -> None:
    p = periods.of_month("2024-11")
    assert (p.first, p.last, p.reports) == (date(2024, 11, 2), date(2024, 12, 1), 30)
    dec = periods.of_month("2024-12")
    assert (dec.first, dec.last) == (date(2024, 12, 2), date(2025, 1, 1))
    assert periods.previous(dec) == periods.of_month("2024-11")
    # the first report is the total since the invasion began: February 2022 starts with it
    feb = periods.of_month("2022-02")
    assert (feb.first, feb.last, feb.reports) == (date(2022, 2, 24), date(2022, 3, 1), 6)
    wk = periods.of_week("2024-W01")  # 1 .. 7 January 2024
    assert (wk.first, wk.last) == (date(2024, 1, 2), date(2024, 1, 8))
    assert periods.previous(wk) == periods.of_week("2023-W52")
    ytd = periods.year_to_date(date(2024, 11, 14))
    assert (ytd.first, ytd.last) == (date(2024, 1, 2), date(2024, 11, 14))
    mtd = periods.month_to_date(2024, 11, date(2024, 11, 14))
    assert (mtd.first, mtd.last) == (date(2024, 11, 2), date(2024, 11, 14))
    assert periods.days(date(2024, 11, 1), date(2024, 11, 3)).reports == 3
    assert periods.of_reports(date(2024, 11, 2), date(2024, 11, 4)).first == date(2024, 11, 2)


def test_every_month_of_the_war_is_the_same_for_the_brief_and_the_checker(
        data: tuple[object, object]) -> None:
    """One definition: the checker's reading of "in <month>" holds the same reports as the
    brief's month (the labelled articles' convention), for every month of the history."""
    from attrition.check.claims import _month_window

    day = date(2022, 3, 1)
    while day < date(2026, 8, 1):
        p = periods.month(day.year, day.month)
        assert _month_window(day.month, day.year, date(2026, 9, 1)) == (p.first, p.last)
        day = p.last
    tanks = build(data, "personnel")
    assert windows.month(tanks, "2024-11").total == 45_720  # what the checker says too


@pytest.mark.parametrize("bad", ["2024-W54", "2024-46", "november"])
def test_bad_week(bad: str) -> None:
    with pytest.raises(DateError):
        windows.parse_week(bad)


def test_uav_definition_break_in_2026(data: tuple[object, object]) -> None:
    found = anomalies.breaks(build(data, "uav"))
    assert any(b.day.year == 2026 and b.factor > 2.5 for b in found)


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.integers(0, 100), min_size=0, max_size=90),
       window=st.integers(2, 12))
@example(values=[0, 0, 3, 3], window=2)  # from none to 3 a day (found by CI)
def test_breaks_equal_the_plain_medians(values: list[int], window: int) -> None:
    import statistics

    pts = tuple(series.Point(date(2022, 2, 25) + timedelta(days=i), v, 0, "difference")
                for i, v in enumerate(values))
    s = series.Series("x", "x", "x", pts)
    want: list[anomalies.Break] = []
    for i in range(window, len(pts) - window + 1):  # the definition, medians from scratch
        if want and pts[i].day - want[-1].day < timedelta(days=window):
            continue
        b = statistics.median(values[i - window:i])
        a = statistics.median(values[i:i + window])
        lo, hi = sorted((b, a))
        if (lo == 0 and hi >= 3) or (lo >= 3 and hi / lo >= 2):  # from none, or a ratio
            want.append(anomalies.Break(pts[i].day, b, a))
    assert anomalies.breaks(s, window=window, factor=2, floor=3, from_none=3) == want


def test_outliers_are_rare(data: tuple[object, object]) -> None:
    s = build(data, "tanks")
    found = anomalies.outliers(s)
    assert 0 < len(found) < len(s.points) // 50


def test_user_aggregates_from_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[aggregates.air]\ncomponents = ["aircraft", "helicopters"]\n'
                   'en = "aircraft and helicopters"\n')
    monkeypatch.setenv("ATTRITION_CONFIG", str(cfg))
    aggs = categories.aggregates(categories.load_config())
    assert aggs["air"].components == ("aircraft", "helicopters")
    cfg.write_text('[aggregates.bad]\ncomponents = ["tankz"]\n')
    with pytest.raises(UnknownCategoryError):
        categories.aggregates(categories.load_config())
    cfg.write_text("[aggregates.bad\n")
    with pytest.raises(ConfigError):
        categories.load_config()


def test_a_records_document_names_the_old_categories_and_the_tie(
        data: tuple[object, object]) -> None:
    vft = records.describe(build(data, "vehicles_fuel_tanks"), SEED, 30, 3)
    assert (vft["highest_since"], vft["highest_since_value"]) == ("2022-03-16", 179)
    assert vft["highest_since_components"] == ["military_auto", "fuel_tanks"]
    assert vft["top"][0] == {"date": "2024-11-14", "change": 124} and vft["tied_with"] is None
    heli = records.describe(build(data, "helicopters"), date(2022, 4, 19))
    assert heli["tied_with"] == "2022-04-13" and heli["highest_since_components"] is None


def test_records_name_the_last_higher_report_and_no_change_ranks_nowhere(
        data: tuple[object, object]) -> None:
    doc = records.describe(build(data, "personnel"), date(2026, 8, 22))
    assert (doc["last_higher"], doc["last_higher_value"]) == ("2026-08-21", 1390)
    assert doc["highest_since"] == doc["last_higher"]  # the old key, an alias for a release
    air = records.describe(build(data, "aircraft"), SEED)
    assert air["change"] == 0 and air["no_change"]
    assert all(v is None for v in air["ranks"].values())  # not "rank 1 of 30"
    grs = records.describe(build(data, "ground_robotic_systems"), date(2026, 8, 22))
    assert not grs["reported"] and grs["last_reported"] == "2026-08-08"
    cm = records.describe(build(data, "cruise_missiles"), SEED)
    assert cm["skipped"] == {"date": "2024-09-27", "change": 9, "reason": "correction"}
