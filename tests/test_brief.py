"""The brief: every number from the ledger, in the facts; the seed report told right."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

from attrition import brief
from attrition.store.read import Reader

SEED = date(2024, 11, 14)


@pytest.fixture(scope="module")
def ctx(loaded_db: str) -> Reader:
    r = Reader(loaded_db)
    r.rows = r.by_category()  # type: ignore[attr-defined]
    r.corr = r.corrections()  # type: ignore[attr-defined]
    return r


def make(ctx: Reader, day: date, lang: str = "en") -> dict[str, object]:
    return brief.daily(ctx.rows, ctx.corr, ctx.report(day), lang=lang,  # type: ignore[attr-defined]
                       doubt=ctx.disputed_cells())


def numbers_in(text: str) -> set[float]:
    text = re.sub(r"https?://\S+", "", text)
    text = re.sub(r"\d{4}-\d{2}-\d{2}", "", text)
    text = re.sub(r"\b\d{1,2} [A-Za-zа-яіїєґ]+ \d{4}( року)?", "", text)  # dates in words
    text = re.sub(r"(?<=\d)\u00a0(?=\d{3})", "", text)  # Ukrainian thousands
    text = re.sub(r"(?<=\d),(?=\d(?!\d))", ".", text)  # a Ukrainian decimal comma: 2,9
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)  # English thousands
    return {float(m) for m in re.findall(r"\d+(?:\.\d+)?", text)}


def allowed(doc: dict[str, object]) -> set[int]:
    ok = {2022, 24}  # "since 24 February 2022"
    ok |= set(doc["windows_days"])  # type: ignore[arg-type]
    for f in doc["facts"]:  # type: ignore[attr-defined]
        for k in ("change", "total", "highest_since_value", "announced_change",
                  "skipped_value", "correction"):
            if f.get(k) is not None:
                ok |= {f[k], abs(f[k])}  # a fall is written as "fell by 14"
    ok.add(doc.get("recent_reports", 7))  # type: ignore[arg-type]
    for m in doc.get("recent_means", {}).values():  # type: ignore[attr-defined]
        ok |= {m, round(m)}  # written whole from 10 a day up
    for b in doc.get("level_breaks", []):  # type: ignore[attr-defined]
        ok |= {b["median_before"], b["median_after"], b["window"]}
    confirmed = doc.get("confirmed")  # the confirmed line: Oryx's count and the ledger's
    if isinstance(confirmed, dict):
        ok |= {confirmed["confirmed"], confirmed["claimed_on_that_date"],
               confirmed.get("months_before_report")}
    return ok


def period_allowed(doc: dict[str, Any]) -> set[float]:
    ok: set[float] = {doc["reports_expected"], doc["previous_period"]["reports_expected"]}
    ok |= {int(doc["losses_from"][:4]), int(doc["previous_period"]["from"][:4]) - (
        doc["previous_period"]["from"][5:] == "01-01")}  # "August 2026", "the month before"
    # the days the text names its periods by ("from 24 to 27 February 2022")
    prev = doc["previous_period"]
    for iso in (doc["losses_from"], doc["losses_to"], doc["from"], doc["to"],
                *(prev.get(k) for k in ("from", "to", "losses_from", "losses_to"))):
        if iso:  # a report date's day, and the day its losses are of
            d = date.fromisoformat(iso)
            ok |= {d.year, d.day, (d - timedelta(days=1)).day}
    for f in doc["facts"]:
        for k in ("change", "previous", "mean", "previous_mean", "reports", "total"):
            if f.get(k) is not None:
                ok.add(f[k])
        if f.get("change_pct") is not None:
            ok.add(abs(f["change_pct"]))
        for k in ("mean", "previous_mean"):  # written whole from 10 a day up
            if f.get(k) is not None and f[k] >= 10:
                ok.add(round(f[k]))
    return ok


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_seed_brief_numbers_all_come_from_the_facts(ctx: Reader, lang: str) -> None:
    doc = make(ctx, SEED, lang)
    assert numbers_in(doc["text"]) <= allowed(doc)  # type: ignore[arg-type]


@pytest.mark.parametrize("offset", range(0, 1600, 97))
def test_any_day_brief_numbers_come_from_the_facts(ctx: Reader, offset: int) -> None:
    day = date(2022, 3, 1) + timedelta(days=offset)
    for lang in ("en", "uk"):
        doc = make(ctx, day, lang)
        assert numbers_in(doc["text"]) <= allowed(doc)  # type: ignore[arg-type]
        assert numbers_in(doc["headline"]) <= allowed(doc)  # type: ignore[arg-type]


def test_seed_brief_says_what_a_wire_editor_needs(ctx: Reader) -> None:
    doc = make(ctx, SEED)
    text = doc["text"]
    assert isinstance(text, str)
    assert "124 vehicles and fuel tanks" in text and "124 fuel tanks" not in text
    assert ("194 armoured and other vehicles, the most since the report of 20 October 2023, "
            "which had 208 (tanks, armoured fighting vehicles and vehicles and fuel tanks "
            "taken together: a sum computed here)") in text
    assert "afv" not in text and "_" not in text  # no internal ids in prose
    # not the most "since the invasion began": before the 2022-05-01 merge the same vehicles
    # were counted as military vehicles and fuel tanks, 179 of them on 16 March 2022
    assert "since the full-scale invasion began" not in text
    assert ("124 vehicles and fuel tanks, the most since the report of 16 March 2022, which "
            "had 179, counted then as two categories, military vehicles and fuel tanks, merged "
            "on 1 May 2022") in text
    assert ("over the past day, the General Staff of the Armed Forces of Ukraine (via the "
            "Ministry of Defence) said on Thursday, 14 November 2024, in its report on the "
            "losses of Wednesday, 13 November 2024") in text
    assert "the most in at least" not in text  # the exact last-higher report instead
    assert text.count("Records: ") == 1  # grouped in one paragraph
    assert doc["headline"] == (
        "Russia lost 1,690 troops killed or wounded and 124 vehicles and fuel tanks over the "
        "past day, Ukraine's General Staff says, the most vehicles and fuel tanks since 16 "
        "March 2022")
    assert "not independently verified" in text and "killed and wounded" in text
    assert "mod.gov.ua" in text
    facts = {f["category"]: f for f in doc["facts"]}  # type: ignore[attr-defined]
    assert facts["vehicles_fuel_tanks"]["rank_30d"] == 1
    assert facts["vehicles"]["highest_since"] == "2023-10-20"
    assert facts["vehicles"]["highest_since_value"] == 208
    assert facts["vehicles"]["definition"] == "tanks + afv + vehicles_fuel_tanks"
    assert facts["tanks"]["rank_30d"] > 1
    assert set(doc) >= {"date", "covers", "text", "facts", "sources", "caveat"}
    assert doc["covers"] == "2024-11-13"


def test_record_claims_are_true(ctx: Reader) -> None:
    """Every "most since" sentence's figures equal the records engine's."""
    for day in (SEED, date(2025, 10, 16), date(2023, 6, 10)):
        doc = make(ctx, day)
        for f in doc["facts"]:  # type: ignore[attr-defined]
            if f["record"] and f["highest_since"]:
                hs = date.fromisoformat(f["highest_since"])
                assert (f"the most since the report of {brief.en_date(hs)}, which had "
                        f"{f['highest_since_value']:,}") in doc["text"]  # type: ignore


def test_a_record_equalled_is_not_called_the_most(ctx: Reader) -> None:
    doc = make(ctx, date(2022, 4, 19))
    helicopters = {f["category"]: f for f in doc["facts"]}["helicopters"]  # type: ignore
    assert helicopters["change"] == 3 and helicopters["tied_with"] == "2022-04-13"
    assert helicopters["record"] == "30d" and helicopters["record_equalled"]
    # "as many as on 13 April" would read as the losses of 13 April (the report of the 14th)
    assert ("3 helicopters, as many as in the report of 13 April 2022 and the most since the "
            "report of 18 March 2022, which had 4") in doc["text"]  # type: ignore[operator]
    uk = make(ctx, date(2022, 4, 19), "uk")["text"]
    assert "Гелікоптери – 3, стільки ж, скільки у зведенні 13 квітня 2022 року, і найбільше від " \
           "зведення 18 березня 2022 року, у якому було 4" in uk  # type: ignore[operator]


def test_a_category_counted_later_has_records_only_since_then(ctx: Reader) -> None:
    doc = make(ctx, date(2025, 12, 16))
    assert ("1 submarine, the most in a single report since the General Staff began counting "
            "them") in doc["text"]  # type: ignore
    # the day it began is in the facts (a date in the sentence read as the figure's own)
    sub = {f["category"]: f for f in doc["facts"]}["submarines"]  # type: ignore
    assert sub["counted_since"] == "2023-09-14" and sub["record"] == "war"
    # ground robotic systems, first counted on 2026-05-03: a week later no window is filled
    doc = make(ctx, date(2026, 5, 10))
    grs = {f["category"]: f for f in doc["facts"]}.get("ground_robotic_systems")  # type: ignore
    assert grs is None or grs["record"] is None


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_a_record_across_a_jump_in_the_series_says_so(ctx: Reader, lang: str) -> None:
    doc = make(ctx, date(2026, 3, 8), lang)
    uav = {f["category"]: f for f in doc["facts"]}["uav"]  # type: ignore[attr-defined]
    assert uav["change"] == 2558 and uav["record"] == "war"
    assert doc["level_breaks"] == [{"category": "uav", "day": "2026-02-06",
                                    "median_before": 595, "median_after": 1728, "window": 60}]
    text = doc["text"]
    assert isinstance(text, str) and numbers_in(text) <= allowed(doc)
    if lang == "en":
        assert ("The counts of UAVs of the operational-tactical level jumped to a new level "
                "on 6 February 2026: a median of 595 a day in the 60 reports before, and a "
                "median of 1,728 in the 60 reports from then on.") in text
    else:
        assert ("БПЛА оперативно-тактичного рівня: 6 лютого 2026 року ряд перейшов на новий "
                "рівень – медіана 595 на добу за 60 зведень до того і медіана 1\u00a0728 за "
                "60 зведень відтоді.") in text
    # a record whose window starts after the jump, or with no jump inside it, says nothing
    assert make(ctx, SEED)["level_breaks"] == []


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_a_falling_total_is_a_correction_not_a_loss(ctx: Reader, lang: str) -> None:
    doc = make(ctx, date(2022, 10, 13), lang)
    afv = {f["category"]: f for f in doc["facts"]}["afv"]  # type: ignore[attr-defined]
    assert (afv["change"], afv["total"], afv["record"]) == (-14, 5167, None)
    text = doc["text"]
    assert isinstance(text, str) and "-14" not in text
    if lang == "en":
        # artillery (+49, 32 of them a listed correction) is no day's loss either
        assert "lost 420 troops killed or wounded, 6 tanks and 8 vehicles" in text
        assert ("The report also corrects earlier ones: artillery systems rose by 49 (32 of "
                "them corrections);") in text
        assert "armoured fighting vehicles fell by 14, to 5,167" in text
    else:
        assert "бойових броньованих машин зменшилася на 14 – до 5\u00a0167" in text


def test_announced_difference_is_stated(ctx: Reader) -> None:
    doc = make(ctx, date(2025, 10, 16))
    assert "announced (+9)" in doc["text"] and "rose by 37" in doc["text"]  # type: ignore


_SERIES: dict[tuple[str, str], list[Any]] = {}


def period_of(ctx: Reader, lang: str = "en", **what: str) -> dict[str, Any]:
    return brief.period(ctx.rows, ctx.corr, lang=lang, cache=_SERIES,  # type: ignore
                        **what)


def test_week_brief(ctx: Reader) -> None:
    doc = period_of(ctx, week="2024-W46")  # the losses of 11 .. 17 November: reports 12 .. 18
    assert (doc["from"], doc["to"]) == ("2024-11-12", "2024-11-18")
    facts = {f["category"]: f for f in doc["facts"]}
    tanks = sum(r.change or 0 for r in ctx.rows["tanks"]  # type: ignore[attr-defined]
                if date(2024, 11, 12) <= r.report_date <= date(2024, 11, 18))
    assert facts["tanks"]["change"] == tanks and facts["tanks"]["reports"] == 7
    assert facts["vehicles"]["definition"] == "tanks + afv + vehicles_fuel_tanks"
    assert f"{tanks} tanks" in doc["text"] and "the week before" in doc["text"]


def test_a_month_brief_counts_the_reports_that_cover_the_month(ctx: Reader) -> None:
    """November 2024's losses are the reports of 2 November .. 1 December: 45,720 troops,
    as the checker (and the labelled articles) count them."""
    doc = period_of(ctx, month="2024-11")
    facts = {f["category"]: f for f in doc["facts"]}
    assert facts["personnel"]["change"] == 45_720 and facts["personnel"]["reports"] == 30
    assert (doc["from"], doc["to"]) == ("2024-11-02", "2024-12-01")
    assert "45,720 troops killed or wounded" in doc["text"]
    assert "against 41,980 in October 2024 (+9%)" in doc["text"]  # reports 2 Oct .. 1 Nov
    assert "Source: General Staff" in doc["text"]


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_a_partial_month_says_so_and_compares_means(ctx: Reader, lang: str) -> None:
    """The ledger ends with the report of 22 August 2026: August holds 21 of its 31 reports,
    and is set against July by the mean per report, not by sums of unequal length."""
    doc = period_of(ctx, lang, month="2026-08")
    facts = {f["category"]: f for f in doc["facts"]}
    p = facts["personnel"]
    assert (p["reports"], doc["reports_expected"], p["complete"]) == (21, 31, False)
    assert p["mean"] == round(p["change"] / 21, 1)
    assert p["previous_mean"] == round(p["previous"] / 31, 1)
    text = doc["text"]
    if lang == "en":
        assert "the ledger holds 21 reports of the 31 reports that cover it" in text
        assert f"an average of {p['mean']:,.0f} troops killed or wounded a day from 1 to 21 " \
               f"August 2026 against an average of {p['previous_mean']:,.0f} a day from 1 to " \
               f"31 July 2026" in text
        assert f"against {p['previous']:,}" not in text  # never 21 reports against 31
    else:
        assert "у базі 21 зведення з 31 зведення" in text
        assert "за середнім на одне зведення" in text
    assert numbers_in(text) <= period_allowed(doc)
    week = period_of(ctx, lang, week="2026-W34")
    assert {f["category"]: f for f in week["facts"]}["personnel"]["reports"] == 5
    assert ("5 reports of the 7 reports" in week["text"]) if lang == "en" else \
        ("5 зведень з 7 зведень" in week["text"])


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "uk"])
def test_every_week_and_month_brief_numbers_come_from_the_facts(ctx: Reader,
                                                                 lang: str) -> None:
    from attrition import periods

    day = date(2022, 2, 24)
    months, weeks = set(), set()
    while day <= date(2026, 8, 22):
        months.add(f"{day.year}-{day.month:02d}")
        iso = day.isocalendar()
        weeks.add(f"{iso.year}-W{iso.week:02d}")
        day += timedelta(days=1)
    for m in sorted(months):
        doc = period_of(ctx, lang, month=m)
        assert numbers_in(doc["text"]) <= period_allowed(doc), m
    for w in sorted(weeks):
        doc = period_of(ctx, lang, week=w)
        assert numbers_in(doc["text"]) <= period_allowed(doc), w
    assert periods.of_month("2022-02").first == date(2022, 2, 24)


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_the_invasions_first_days_are_totals_and_not_compared(ctx: Reader, lang: str) -> None:
    """Week 8 and February 2022 hold the first report (the total since the invasion began):
    their figures are said as totals by their last day. The period after them is not set
    against those few days: March 2022 was compared as 11,990 against 5,710 (+110%), 31
    days against 5, under the heading 'since the period is not complete' (it was)."""
    w8 = period_of(ctx, lang, week="2022-W08")["text"]
    march = period_of(ctx, lang, month="2022-03")["text"]
    if lang == "en":
        assert w8.startswith("Since the full-scale invasion began on 24 February 2022, Russian "
                             "forces had lost 5,300 troops killed or wounded, 150 tanks")
        assert "by 27 February 2022, according to" in w8
        assert "The month before holds only the first days of the full-scale invasion" in march
        assert "5,710" not in march and "not complete" not in march
    else:
        assert w8.startswith("За зведеннями Генерального штабу, від початку повномасштабного "
                             "вторгнення 24 лютого 2022 року по 27 лютого 2022 року Росія "
                             "втратила: особового складу – 5\u00a0300")
        assert "Попередній місяць охоплює лише перші дні" in march
        assert "5\u00a0710" not in march and "не завершено" not in march


@pytest.mark.slow
def test_a_comparison_says_which_period_is_partial_and_uses_one_basis(ctx: Reader) -> None:
    """Over every week and month: 'the period is not complete' only when it is not; a
    comparison by the mean per report gives every line as a mean (no totals of unequal
    length among them)."""
    day = date(2022, 3, 7)
    names: set[tuple[str, str]] = set()
    while day <= date(2026, 8, 22):
        iso = day.isocalendar()
        names |= {("month", f"{day.year}-{day.month:02d}"), ("week", f"{iso.year}-W{iso.week:02d}")}
        day += timedelta(days=1)
    for kind, name in sorted(names):
        doc = period_of(ctx, **{kind: name})
        text = str(doc["text"])
        held = {f["category"]: f for f in doc["facts"]}["personnel"]["reports"]
        assert ("Since the period is not complete" in text) == (
            held < doc["reports_expected"]), name
        para = next((p for p in text.split("\n\n") if "by the mean per report:" in p), None)
        if para:
            lines = para.split(": ", 1)[1].split("; ")
            assert all(ln.startswith("an average of") for ln in lines), (name, para)


def test_markdown_has_the_facts_table(ctx: Reader) -> None:
    md = brief.markdown(make(ctx, SEED))
    assert md.startswith("## Brief: report of 2024-11-14")
    assert "| Tanks, armoured fighting vehicles and vehicles and fuel tanks (sum) | 194 |" in md
    assert "vehicles_fuel_tanks" not in md and "| afv" not in md


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_a_change_after_a_stale_repeat_is_a_two_day_figure_not_a_record(
        ctx: Reader, lang: str) -> None:
    doc = make(ctx, date(2026, 7, 27), lang)
    uav = {f["category"]: f for f in doc["facts"]}["uav"]  # type: ignore[attr-defined]
    assert (uav["change"], uav["excluded"], uav["record"]) == (2719, "two_day", None)
    assert "uav" not in doc["notable"]  # type: ignore[operator]
    text = doc["text"]
    assert isinstance(text, str)
    lead = text.split("\n\n")[0]
    assert "2,719" not in lead and "2\u00a0719" not in lead  # not the past day's loss
    if lang == "en":
        assert ("The 2,719 UAVs of the operational-tactical level in this report cover two "
                "days") in text and "most" not in text.split("cover two days")[1][:200]
    else:
        assert "це дані за дві доби" in text
    before = make(ctx, date(2026, 7, 26), lang)["text"]
    assert ("repeats the report before" in before) if lang == "en" else \
        ("повторює попереднє зведення" in before)  # type: ignore[operator]


def test_corrections_are_not_the_days_losses(ctx: Reader) -> None:
    """2024-11-30: vehicles (+159, 87 of them a listed correction) and air defence (+13, all
    of it) are marked corrections in the facts: the lead leaves them out and says why."""
    doc = make(ctx, date(2024, 11, 30))
    text = doc["text"]
    assert isinstance(text, str)
    lead = text.split("\n\n")[0]
    assert "159" not in lead and "air defence" not in lead
    assert ("vehicles and fuel tanks rose by 159 (87 of them corrections)" in text
            and "air defence systems rose by 13" in text and "not a day's loss" in text)


def test_the_lead_never_counts_what_the_facts_exclude(ctx: Reader) -> None:
    """Over the history: no figure the facts mark a correction or a two-day figure is in
    the first paragraph as a loss."""
    day = date(2022, 3, 1)
    while day <= date(2026, 8, 22):
        doc = make(ctx, day)
        lead = doc["text"].split("\n\n")[0]  # type: ignore[attr-defined]
        for f in doc["facts"]:  # type: ignore[attr-defined]
            if f["excluded"] and f["change"] and f["change"] > 0 and "definition" not in f:
                assert brief._count_en(f["category"], f["change"], f["label"]) not in lead, \
                    (day, f["category"])
        day += timedelta(days=11)


def test_a_record_says_which_correction_it_does_not_count(ctx: Reader) -> None:
    """2024-11-14: 4 cruise missiles; 9 on 27 September was a correction (records skip it),
    so the last higher report that counts is 5 September (7), and the brief says both."""
    doc = make(ctx, SEED)
    cm = {f["category"]: f for f in doc["facts"]}["cruise_missiles"]  # type: ignore
    assert (cm["last_higher"], cm["skipped"], cm["skipped_value"]) == (
        "2024-09-05", "2024-09-27", 9)
    assert ("4 cruise missiles, the most since the report of 5 September 2024, which had 7, "
            "not counting the correction in the report of 27 September 2024, which had 9"
            ) in doc["text"]  # type: ignore


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_the_first_report_is_the_total_since_the_invasion(ctx: Reader, lang: str) -> None:
    doc = make(ctx, date(2022, 2, 24), lang)
    assert doc["covers"] == "2022-02-24" and doc["first_report"] is True
    text = doc["text"]
    assert isinstance(text, str) and "23 February" not in text and "23 лютого" not in text
    if lang == "en":
        assert text.startswith("In its first report, of Thursday, 24 February 2022")
        assert "800 troops killed or wounded, 30 tanks and 130 armoured fighting vehicles" in \
            text
    else:
        assert text.startswith("За першим зведенням") and "800" in text
    assert "lost  " not in text
    from attrition.report import document

    show = document(ctx.report(date(2022, 2, 24)), date(2022, 2, 24))
    assert show["covers"] == "2022-02-24" and show["first_report"] is True
    later = document(ctx.report(date(2022, 2, 25)), date(2022, 2, 25))
    assert later["covers"] == "2022-02-24" and later["first_report"] is False


@pytest.mark.parametrize(("day", "category", "jump"), [
    (date(2026, 4, 17), "artillery", "2026-03-21"),
    (date(2026, 6, 23), "vehicles_fuel_tanks", "2026-04-30"),
    (date(2026, 5, 4), "special_equipment", "2026-04-22"),
])
def test_level_breaks_are_found_in_every_series(ctx: Reader, day: date, category: str,
                                                jump: str) -> None:
    """Not UAVs only: the 2026 rises of artillery and vehicles are breaks too, and a record
    set across one says so."""
    from attrition.analysis import anomalies, series

    s = series.build(category, ctx.rows, ctx.corr)  # type: ignore[attr-defined]
    assert jump in {b.day.isoformat() for b in anomalies.breaks(s)}
    spe = series.build("special_equipment", ctx.rows, ctx.corr)  # type: ignore
    assert any(b.day.year == 2026 and b.before == 0 for b in anomalies.breaks(spe))
    doc = make(ctx, day)
    facts = {f["category"]: f for f in doc["facts"]}  # type: ignore[attr-defined]
    assert facts[category]["record"] in ("365d", "war")
    assert [b["day"] for b in doc["level_breaks"]  # type: ignore[attr-defined]
            if b["category"] == category] == [jump]
    assert "jumped to a new level on" in doc["text"]  # type: ignore[operator]


def _cli(db: str, *args: str) -> str:
    import os
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-m", "attrition.cli", "--db", db, *args],
                         capture_output=True, text=True, env={**os.environ},
                         check=False)
    assert res.returncode == 0, res.stderr
    return res.stdout


def test_series_marks_corrections_and_two_day_figures(loaded_db: str) -> None:
    import csv
    import io

    def rows(*args: str) -> list[tuple[str, str, str]]:
        out = _cli(loaded_db, "series", *args, "--daily")
        return [(r["date"], r["change"], r["excluded"]) for r in csv.DictReader(io.StringIO(out))]

    assert rows("uav", "--from", "2026-07-26", "--to", "2026-07-27") == [
        ("2026-07-26", "0", "stale"), ("2026-07-27", "2719", "two_day")]
    assert rows("cruise_missiles", "--from", "2024-09-27", "--to", "2024-09-27") == [
        ("2024-09-27", "9", "correction")]


def test_latest_says_how_old_it_is_and_how_to_refresh(loaded_db: str) -> None:
    """The bundled ledger ends on 22 August 2026: months old today."""
    import json

    text = _cli(loaded_db, "brief")
    assert text.startswith("This is the latest report in the ledger, and it is ")
    assert "attrition update" in text.split("\n\n")[0]
    doc = json.loads(_cli(loaded_db, "show", "latest", "-f", "json"))
    assert doc["stale"]["age_days"] > 1 and doc["stale"]["refresh"] == "attrition update"
    grs = {f["category"]: f for f in doc["figures"]}
    assert "ground_robotic_systems" not in grs
    assert "stale" not in json.loads(_cli(loaded_db, "show", "2024-11-14", "-f", "json"))


def test_a_single_witness_and_a_missing_category_are_said(ctx: Reader) -> None:
    doc = make(ctx, date(2026, 8, 22))
    assert doc["missing"] == ["ground_robotic_systems"]
    assert "The report has no figure for ground robotic systems" in doc["text"]  # type: ignore
    first = make(ctx, date(2022, 2, 24))
    assert all(f["single_witness"] for f in first["facts"])  # type: ignore[attr-defined]
    assert "rest on a single source (Minfin's index)" in first["text"]  # type: ignore
    from attrition.report import document

    show = document(ctx.report(date(2022, 2, 24)), date(2022, 2, 24))
    assert all(f["single_witness"] for f in show["figures"])


def test_an_old_confirmed_count_is_dated_as_such(ctx: Reader) -> None:
    from attrition import crosswalk
    from attrition.compare import ConfirmedContext

    context = ConfirmedContext(ctx.rows, ctx.confirmed_counts("oryx"),  # type: ignore
                               crosswalk.load())
    doc = brief.daily(ctx.rows, ctx.corr, ctx.report(date(2026, 8, 22)),  # type: ignore
                      confirmed=context, doubt=ctx.disputed_cells())
    assert doc["confirmed"]["months_before_report"] == 13  # type: ignore[index]
    assert "(the newest confirmed count held here, 13 months before this report)" in doc[
        "text"]
    assert numbers_in(doc["text"]) <= allowed(doc)


def test_the_day_is_set_against_the_seven_reports_before(ctx: Reader) -> None:
    doc = make(ctx, SEED)
    rows = {r.report_date: r.total for r in ctx.rows["tanks"]}  # type: ignore[attr-defined]
    want = (rows[SEED - timedelta(days=1)] - rows[SEED - timedelta(days=8)]) / 7
    assert doc["recent_means"]["tanks"] == round(want, 1)  # type: ignore[index]
    assert "Over the previous 7 reports the counts rose by an average of 1,640 troops " \
           "killed or wounded, 12 tanks" in doc["text"]  # type: ignore[operator]


def test_ukrainian_counts_take_the_form_the_number_asks_for() -> None:
    from attrition.report import uk_count

    assert [uk_count(n, "report") for n in (1, 7, 11, 21, 22, 31)] == [
        "1 зведення", "7 зведень", "11 зведень", "21 зведення", "22 зведення", "31 зведення"]
    assert [uk_count(n, "day") for n in (101, 102, 112)] == ["101 день", "102 дні",
                                                             "112 днів"]
    assert brief.uk_label("tanks", "nom") == "Танки" and brief.uk_label("tanks") == "танків"


def test_a_disputed_cell_is_said_to_be_disputed(ctx: Reader) -> None:
    """2022-11-24: petroivaniuk and minfin disagree on AFVs with no third witness (the
    ledger marks the cell disputed)."""
    doc = make(ctx, date(2022, 11, 24))
    afv = {f["category"]: f for f in doc["facts"]}["afv"]  # type: ignore[attr-defined]
    assert afv["method"] == "disputed" and not afv["single_witness"]
    assert afv["disputed"]
    assert ("The sources disagree on armoured fighting vehicles and nothing settles it"
            in doc["text"])  # type: ignore[operator]
    assert "Джерела розходяться без більшості: бойові броньовані машини" in make(
        ctx, date(2022, 11, 24), "uk")["text"]  # type: ignore[operator]


def test_a_change_from_a_disputed_total_is_said_to_be_disputed(ctx: Reader) -> None:
    """A tie of the sources on one report's total makes the next report's change disputed
    too: the 2022-03-01 brief's 48 tanks come from the 2022-02-28 total, on which PetroIvaniuk
    and minfin (150) and orc-losses (146, then 191) disagree. Over the whole history, every
    such change is flagged in the facts (`change_disputed`), in both languages' text."""
    from attrition import service

    rows = list(ctx.ledger())
    disputed = {(r.report_date, r.category) for r in rows if r.method in ("disputed", "tie")}
    cases = {(r.report_date, r.category) for r in rows
             if (r.report_date - timedelta(days=1), r.category) in disputed
             and (r.report_date, r.category) not in disputed}
    assert (date(2022, 3, 1), "tanks") in cases
    for day in sorted({d for d, _ in cases}):
        for lang in ("en", "uk"):
            doc = service.brief(ctx, day, lang=lang)  # type: ignore[arg-type]
            flagged = {f["category"] for f in doc["facts"] if f.get("change_disputed")}
            assert {c for d, c in cases if d == day} <= flagged, (day, flagged)
            said = ("disagree on the total of" if lang == "en"
                    else "щодо підсумку в попередньому зведенні")
            # or, where the disputed total was a repeat, said with the two-day figure
            repeat = "may cover two days" if lang == "en" else "можливо, це дані за дві доби"
            assert said in doc["text"] or repeat in doc["text"], (day, lang)
    doc = service.brief(ctx, date(2022, 3, 1))  # type: ignore[arg-type]
    assert "The sources disagree on the total of tanks in the report before" in doc["text"]
    # a change between two undisputed totals is not flagged
    doc = service.brief(ctx, date(2024, 11, 14))  # type: ignore[arg-type]
    assert not any(f.get("change_disputed") for f in doc["facts"])
