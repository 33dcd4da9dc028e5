"""The checker's view of the ledger at a moment made cheaply (asof.Timeline in memory, the
view now cut and patched: check.ledger_at) against the definition (asof.at over the store,
LedgerAt, a LedgerView built from it): identical in every category, figure and verdict, at
moments across the whole bundled history and around revisions."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from attrition import crosswalk
from attrition.check import ConfirmedView, LedgerView, check_text
from attrition.check.ledger_at import Basis, LedgerViewAt, Moments
from attrition.dates import kyiv, kyiv_date, morning, parse_moment
from attrition.store import asof
from attrition.store.read import Reader
from test_asof import corrected, revised_often  # noqa: F401  # fixtures

ARTICLE = """Kyiv, {day}. Over the past day Russia lost {tanks} tanks and {art} artillery
systems, the General Staff said. Since the start of the invasion it has lost {total} tanks."""


def _same(view: LedgerView, ref: LedgerView) -> None:
    assert set(view.rows) == set(ref.rows)
    assert (view.first, view.last, list(view.corrections)) == (
        ref.first, ref.last, list(ref.corrections))
    last = ref.last
    for cat in ref.rows:
        assert list(view.rows[cat]) == list(ref.rows[cat]), cat
        for d in (last, last - timedelta(days=1), last - timedelta(days=40)):
            assert (view.total(cat, d), view.change(cat, d), view.announced(cat, d),
                    view.peak_change(cat, d)) == (
                ref.total(cat, d), ref.change(cat, d), ref.announced(cat, d),
                ref.peak_change(cat, d)), (cat, d)
            for start in (d - timedelta(days=6), d - timedelta(days=30)):
                for measure in ("window", "average", "total", "change"):
                    assert view.value([cat], measure, start, d) == ref.value(
                        [cat], measure, start, d), (cat, measure, start, d)


def _compare(url: str, moments: list[datetime]) -> int:
    """Both paths at each moment; the number of moments whose ledger was a past one."""
    past = 0
    with Reader(url) as r:
        now = LedgerView(r.by_category(), r.corrections())
        timeline = asof.Timeline(r)
        basis = Basis(now)
        counts = r.confirmed_counts("oryx")
        fast = Moments(now, counts, crosswalk.load(), lambda: timeline)
        for at in moments:
            m = asof.at(r, at)
            assert timeline.at(at) == m, at
            got = fast.at(at)
            if m.current:
                assert got is None
                continue
            assert got is not None
            if m.latest is None:
                assert got[0] is None
                continue
            past += 1
            then = asof.LedgerAt(r, m)
            by_cat = then.by_category()
            ref = LedgerView(by_cat, then.corrections())
            _same(LedgerViewAt(basis, m.latest, m.cells), ref)
            view, confirmed, _ = got
            assert view is not None and confirmed is not None
            _same(view, ref)
            ref_confirmed = ConfirmedView(by_cat, then.confirmed_counts("oryx"),
                                          crosswalk.load())
            day = kyiv_date(at)
            tanks, art = (ref.change("tanks", m.latest) or 0), (
                ref.change("artillery", m.latest) or 0)
            text = ARTICLE.format(day=day.strftime("%d %B %Y"), tanks=tanks, art=art + 1,
                                  total=ref.total("tanks", m.latest))
            assert check_text(text, view, day, confirmed=confirmed)["claims"] == check_text(
                text, ref, day, confirmed=ref_confirmed)["claims"], at
    return past


@pytest.mark.slow
def test_the_cheap_view_equals_the_store_s_at_moments_across_the_bundled_history(
        loaded_db: str) -> None:
    with Reader(loaded_db) as r:
        first, last = r.first_date(), r.latest_date()
    assert first is not None and last is not None
    moments: list[datetime] = []
    day = first
    while day <= last + timedelta(days=1):  # every 17th day: before, at and after its morning
        m = morning(day)
        moments += [m - timedelta(minutes=1), m, m + timedelta(hours=5, minutes=17)]
        day += timedelta(days=17)
    # and around the days a category starts or ends (the merge of 1 May 2022: a merged
    # category's first change is counted against its parts)
    for first_or_last in ("2022-03-16", "2022-03-26", "2022-04-30", "2022-05-01",
                          "2022-05-02", "2023-09-14", "2026-05-03", "2026-08-08"):
        m = morning(date.fromisoformat(first_or_last))
        moments += [m - timedelta(minutes=1), m + timedelta(hours=1)]
    moments += [parse_moment("2022-02-24T08:59"), datetime.now(kyiv())]
    assert _compare(loaded_db, moments) > 100


@pytest.mark.slow
def test_the_cheap_view_equals_the_store_s_around_revisions(
        revised_often: str) -> None:  # noqa: F811
    moments = [parse_moment(w) for w in (
        "2023-10-02T10:00", "2023-10-03", "2023-10-05T10:00", "2024-11-14T07:00",
        "2024-11-14T08:00", "2024-11-14T10:00", "2024-11-16T09:30", "2024-11-20T13:59+02:00",
        "2024-11-20T14:00+02:00", "2024-12-03T09:59", "2024-12-03T10:00", "2025-01-09",
        "2025-01-10T08:00", "2025-02-01T07:59", "2025-02-01T08:00", "2026-08-22T08:00",
        "now")]
    assert _compare(revised_often, moments) >= 14


def test_a_live_moment_is_the_ledger_now_without_a_view(loaded_db: str) -> None:
    with Reader(loaded_db) as r:
        now = LedgerView(r.by_category(), r.corrections())
        timeline = asof.Timeline(r)
        latest = r.latest_date()
    assert latest is not None
    fast = Moments(now, [], crosswalk.load(), lambda: timeline)
    assert fast.at(datetime.now(kyiv())) is None
    assert fast.at(morning(latest) + timedelta(hours=3)) is None
    before = fast.at(morning(latest) - timedelta(minutes=1))
    assert before is not None and before[2].latest == latest - timedelta(days=1)
    assert date(2022, 2, 24) == fast.at(morning(date(2022, 2, 24)))[2].latest  # type: ignore[index]
