"""A brief's own text, put through the checker as `attrition check` runs it (the ledger and
the confirmed counts): every figure and comparative of every paragraph of the brief of every
report date, in English and Ukrainian, comes back supported, but for the exceptions listed
in ALLOWED, each with its reason (58 of 63,497 claims on the bundled history; the checker
ranks as records do, a change resting on a disputed total set aside).
bench/brief_selfcheck.py prints the same tally for every brief, weeks and months included,
with the patterns that do not check.

Week and month briefs (sampled: every 8th week, every 3rd month) check too, but for the
exceptions in PERIOD_ALLOWED (6 claims: the tanks + AFV + vehicles sum over a week or month
that holds the first report or the 1 May 2022 merge, in English and, since the Ukrainian
briefs state that sum too, in Ukrainian)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from attrition import service
from attrition.store.read import Reader

SUM = ("a sum the text lists ('ships and submarines', 'warships / boats and submarines'): "
       "the checker reads one category, or the loose word 'vehicles', never a listed sum")
PREMERGE = ("before the 1 May 2022 merge the loose word 'vehicles' reads as military vehicles "
            "alone, so the tanks + AFV + vehicles sum named with it is called mislabeled")
CORR = ("a correction's part ('N з них – виправлення', a rise that is partly a correction) "
        "has no ledger figure of its own to check against")
OPEN = ("the checker misreads this record's figure or comparative (a war record of a "
        "category counted later, a skipped correction's value in a loose sum, a level-break "
        "day); open, tracked by bench/brief_selfcheck.py")

ALLOWED: dict[tuple[str, str, str], str] = {
    # (report date, language, the claim's text): why it may come back other than supported.
    # Every other claim of every daily brief (63,427 of 63,483 on the bundled history) is;
    # an entry no brief needs any more fails the test, so the list only shrinks.
    ('2022-04-26', 'en', '161 armoured and other vehicles'): PREMERGE,  # mislabeled
    ('2022-04-26', 'en', '301'): PREMERGE,  # mislabeled
    ('2022-04-26', 'uk', 'автомобілів – 161'): PREMERGE,  # mislabeled
    ('2022-04-26', 'uk', '301'): PREMERGE,  # mislabeled
    ('2022-05-02', 'en', '6 units of special equipment'): OPEN,  # contradicted
    ('2022-05-02', 'uk', 'Спеціальна техніка – 6'): OPEN,  # contradicted
    ('2023-03-13', 'en', '9 units of special equipment'): OPEN,  # contradicted
    ('2023-03-13', 'uk', 'Спеціальна техніка – 9'): OPEN,  # contradicted
    # the lead's "... and 11 units of special equipment" and the record's "11 units of
    # special equipment" (alone, supported): read as MLRS since the record paragraph holds
    # it alone (the disputed 43 vehicles and fuel tanks no longer a record); for the checker
    ('2023-08-29', 'en', '11 units of special equipment'): OPEN,  # mislabeled
    ('2023-08-29', 'uk', 'Спеціальна техніка – 11'): OPEN,  # mislabeled
    ('2023-10-07', 'en', '161'): OPEN,  # mislabeled
    ('2023-10-07', 'uk', '161'): OPEN,  # mislabeled
    ('2023-10-11', 'en', '161'): OPEN,  # mislabeled
    ('2023-10-11', 'uk', '161'): OPEN,  # mislabeled
    ('2023-10-20', 'en', '301'): OPEN,  # mislabeled
    ('2023-10-20', 'uk', '301'): OPEN,  # mislabeled
    ('2023-12-01', 'en', '13 units of special equipment'): OPEN,  # contradicted
    ('2023-12-01', 'uk', 'Спеціальна техніка – 13'): OPEN,  # contradicted
    ('2024-09-27', 'uk', '9'): CORR,  # contradicted
    ('2025-01-15', 'en', '301'): OPEN,  # mislabeled
    ('2025-01-15', 'uk', '301'): OPEN,  # mislabeled
    ('2025-03-28', 'en', '301'): OPEN,  # mislabeled
    ('2025-03-28', 'uk', '301'): OPEN,  # mislabeled
    ('2025-04-18', 'en', '312 vehicles and fuel tanks, the most in a single report since the full-scale invasion began; '): OPEN,  # noqa: E501
    ('2025-04-18', 'en', '436'): OPEN,  # mislabeled
    ('2025-04-18', 'uk', '436'): OPEN,  # mislabeled
    ('2025-04-18', 'uk', 'Автомобільна техніка та автоцистерни – 312: найбільше за одне зведення від початку повномасштабного вторгнення; '): OPEN,  # noqa: E501
    ('2025-05-04', 'uk', '34'): CORR,  # mislabeled
    ('2025-08-05', 'uk', 'Бойові броньовані машини – 12'): OPEN,  # contradicted
    ('2025-08-30', 'uk', 'Бойові броньовані машини – 19'): OPEN,  # mislabeled
    ('2025-10-03', 'uk', '7'): CORR,  # contradicted
    ('2025-12-16', 'en', '29'): SUM,  # mislabeled
    ('2025-12-16', 'uk', 'підводних човнів – 29'): SUM,  # mislabeled
    ('2025-12-31', 'uk', '4'): CORR,  # wrong_date
    ('2026-02-14', 'en', '29'): SUM,  # mislabeled
    ('2026-02-14', 'uk', 'підводних човнів – 29'): SUM,  # mislabeled
    ('2026-03-03', 'en', '29'): SUM,  # mislabeled
    ('2026-03-03', 'uk', 'підводних човнів – 29'): SUM,  # mislabeled
    ('2026-03-08', 'en', '2,558 UAVs'): OPEN,  # contradicted
    ('2026-03-09', 'en', '29'): SUM,  # mislabeled
    ('2026-03-09', 'uk', 'підводних човнів – 29'): SUM,  # mislabeled
    ('2026-03-15', 'en', '29'): SUM,  # mislabeled
    ('2026-03-15', 'uk', 'підводних човнів – 29'): SUM,  # mislabeled
    ('2026-03-16', 'en', '29'): SUM,  # mislabeled
    ('2026-03-16', 'uk', 'підводних човнів – 29'): SUM,  # mislabeled
    ('2026-04-30', 'en', '375 vehicles and fuel tanks, the most in a single report since the full-scale invasion began; '): OPEN,  # noqa: E501
    ('2026-04-30', 'en', '436'): OPEN,  # mislabeled
    ('2026-04-30', 'uk', '436'): OPEN,  # mislabeled
    ('2026-04-30', 'uk', 'Автомобільна техніка та автоцистерни – 375: найбільше за одне зведення від початку повномасштабного вторгнення; '): OPEN,  # noqa: E501
    ('2026-05-01', 'en', '403 vehicles and fuel tanks, the most in a single report since the full-scale invasion began.'): OPEN,  # noqa: E501
    ('2026-05-01', 'en', '436'): OPEN,  # mislabeled
    ('2026-05-01', 'uk', '436'): OPEN,  # mislabeled
    ('2026-05-01', 'uk', 'Автомобільна техніка та автоцистерни – 403: найбільше за одне зведення від початку повномасштабного вторгнення.'): OPEN,  # noqa: E501
    ('2026-07-15', 'en', '29'): SUM,  # mislabeled
    ('2026-07-15', 'uk', 'підводних човнів – 29'): SUM,  # mislabeled
    ('2026-08-08', 'en', '29'): SUM,  # mislabeled
    ('2026-08-08', 'uk', 'підводних човнів – 29'): SUM,  # mislabeled
}



@pytest.fixture(scope="module")
def store(loaded_db: str) -> Iterator[tuple[Reader, service.Checker]]:
    with Reader(loaded_db) as r:
        yield r, service.Checker(r)  # type: ignore[arg-type]  # a Reader reads as a Ledger


def _days(reader: Reader) -> list[date]:
    return sorted({row.report_date for row in reader.ledger()})


def _unsupported(checker: service.Checker, text: str, day: date
                 ) -> tuple[int, list[dict[str, object]]]:
    claims = checker.check(text, day)["claims"]
    return len(claims), [c for c in claims if c["verdict"] != "supported"]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "uk"])
def test_every_figure_of_every_daily_brief_checks_as_supported(
        store: tuple[Reader, service.Checker], lang: str) -> None:
    reader, checker = store
    wrong, used = [], set()
    checked = 0
    for day in _days(reader):
        doc = service.brief(reader, day, lang=lang)
        n, bad = _unsupported(checker, doc["text"], day)
        checked += n
        for c in bad:
            key = (day.isoformat(), lang, str(c["text"]))
            if key in ALLOWED:
                used.add(key)
            else:
                wrong.append((*key, c["verdict"], c["why"]))
    assert checked > 30000
    assert not wrong, f"{len(wrong)} claims not supported: {wrong[:10]}"
    stale = {k for k in ALLOWED if k[1] == lang} - used
    assert not stale, f"allowed claims no brief needs any more: {sorted(stale)[:10]}"


def _periods(reader: Reader) -> list[tuple[str, str]]:
    days = _days(reader)
    weeks = sorted({(d - timedelta(days=1)).isocalendar()[:2] for d in days[1:]})
    months = sorted({(d - timedelta(days=1)).timetuple()[:2] for d in days[1:]})
    return ([("week", f"{y}-W{w:02d}") for y, w in weeks[::8]]
            + [("month", f"{y}-{m:02d}") for y, m in months[::3]])


VEHICLES = ("the checker reads 'armoured and other vehicles' over a week or a month as the "
            "loose word 'vehicles' (vehicles and fuel tanks, or military vehicles before the "
            "1 May 2022 merge), not as the tanks + AFV + vehicles sum the sentence defines; "
            "it reads it right from 2024 on, and in the daily briefs' records; open, for the "
            "checker")

PERIOD_ALLOWED: dict[tuple[str, str, str], str] = {
    # (week or month, language, the claim's text): why it may come back other than
    # supported; every other claim of the sampled week and month briefs is.
    # (997 and 1,089, the sums of the changes, were wrong: the totals by then are these)
    ('2022-W08', 'en', '1,317 armoured and other vehicles'): VEHICLES,  # contradicted
    ('2022-W08', 'uk', 'автомобілів – 1\xa0317'): VEHICLES,  # mislabeled
    ('2022-W16', 'en', '390 armoured and other vehicles'): VEHICLES,  # mislabeled
    ('2022-W16', 'uk', 'автомобілів – 390'): VEHICLES,  # mislabeled
    ('2022-02', 'en', '1,409 armoured and other vehicles'): VEHICLES,  # contradicted
    ('2022-02', 'uk', 'автомобілів – 1\xa0409'): VEHICLES,  # mislabeled
}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "uk"])
def test_every_figure_of_week_and_month_briefs_checks_as_supported(
        store: tuple[Reader, service.Checker], lang: str) -> None:
    reader, checker = store
    latest = _days(reader)[-1]
    wrong, used = [], set()
    checked = 0
    for kind, name in _periods(reader):
        doc = service.brief(reader, week=name if kind == "week" else None,
                            month=name if kind == "month" else None, lang=lang)
        day = min(date.fromisoformat(doc["to"]), latest)
        n, bad = _unsupported(checker, doc["text"], day)
        checked += n
        for c in bad:
            key = (name, lang, str(c["text"]))
            if key in PERIOD_ALLOWED:
                used.add(key)
            else:
                wrong.append((*key, c["verdict"], c["why"]))
    assert not wrong, f"{len(wrong)} claims not supported: {wrong}"
    assert checked > 700
    stale = {k for k in PERIOD_ALLOWED if k[1] == lang} - used
    assert not stale, f"allowed claims no brief needs any more: {sorted(stale)}"
