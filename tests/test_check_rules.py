"""Every rule of the fact-checker (src/attrition/check/rules/*.toml) on its own example
sentences: it fires on each `yes` sentence (its id is in a claim's rule_ids) and on no `no`
sentence. A rule whose examples are missing, or that fires on neither, fails here."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

import pytest

from attrition.check import rules
from attrition.check.article import read
from attrition.check.claims import extract, not_loss_rule

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DAY = date(2024, 11, 14)


def fired(text: str, day: date) -> set[str]:
    return {rid for c in extract(read(text), day) for rid in c.rule_ids}


def _cases() -> list[object]:
    out: list[object] = []
    for r in rules.all_rules():
        for sign in ("yes", "no"):
            for i, text in enumerate(r.data.get(sign, ())):
                out.append(pytest.param(r.id, sign, text, id=f"{r.id}-{sign}{i}"))
    return out


@pytest.mark.parametrize(("rule_id", "sign", "text"), _cases())
def test_rule_on_its_examples(rule_id: str, sign: str, text: str) -> None:
    rule = rules.by_id(rule_id)
    day = date.fromisoformat(rule.data["day"]) if "day" in rule.data else DEFAULT_DAY
    if rule.kind == "not_loss":  # it fires by leaving no claim
        found = extract(read(text), day)
        assert (not found) == (sign == "yes"), (rule_id, sign, text)
        assert (not_loss_rule(text) == rule_id) == (sign == "yes"), (rule_id, sign, text)
        return
    got = fired(text, day)
    if sign == "yes":
        assert rule_id in got, f"{rule_id} did not fire on {text!r} (fired: {sorted(got)})"
    else:
        assert rule_id not in got, f"{rule_id} fired on its negative example {text!r}"


@pytest.mark.parametrize("rule_id", [r.id for r in rules.all_rules()])
def test_every_rule_has_a_positive_and_a_negative_example(rule_id: str) -> None:
    rule = rules.by_id(rule_id)
    assert rule.data.get("yes"), f"{rule_id} has no positive example"
    assert rule.data.get("no"), f"{rule_id} has no negative example"


def test_rule_ids_are_unique_and_name_their_language() -> None:
    ids = [r.id for r in rules.all_rules()]
    assert len(ids) == len(set(ids))
    assert all(r.id.startswith(f"{r.lang}.") for r in rules.all_rules())


def test_wordforms_file_is_what_the_build_script_writes() -> None:
    pytest.importorskip("pymorphy3")
    spec = importlib.util.spec_from_file_location("build_wordforms",
                                                  ROOT / "scripts" / "build_wordforms.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["build_wordforms"] = mod
    spec.loader.exec_module(mod)
    assert mod.OUT.read_text("utf-8") == mod.render(mod.build())


def test_usage_counts_every_rule_and_shows_the_dead_ones() -> None:
    found = extract(read("Russia lost more than 1,200 troops over the past day, Kyiv said."),
                    DEFAULT_DAY)
    counts = rules.usage([c.rule_ids for c in found])
    assert counts["en.qual.over"] == 1 and counts["en.cat.personnel"] == 1
    assert counts["ru.cat.submarines"] == 0
    assert list(counts) == [r.id for r in rules.all_rules()]


# -- rules in code (claims.py), each with examples of its own ---------------------------------

CHECK_DAY = date(2022, 7, 14)


@pytest.fixture(scope="module")
def ledger(loaded_db: str) -> object:
    from attrition.check import LedgerView
    from attrition.store.read import Reader

    with Reader(loaded_db) as r:
        return LedgerView(r.by_category(), r.corrections())


def _claims(text: str, day: date = CHECK_DAY) -> list[object]:
    return list(extract(read(text), day))


def test_numbers_in_a_web_address_are_no_figures() -> None:
    found = _claims("Since 24 February 2022 the General Staff has counted 11,000 troops "
                    "killed or wounded.\n\nSource: the General Staff, report of 6 March 2022 "
                    "(https://www.mil.gov.ua/news/2022/03/06/vtrati-okupantiv-ponad-11-000-"
                    "osib-znishheno-2000-odinicz-tehniki/); figures as agreed by two sources.",
                    date(2022, 3, 6))
    assert [c.value for c in found] == [11000]  # type: ignore[attr-defined]
    # the figure outside the address is still one
    found = _claims("Russia has lost 11,000 troops since the invasion began "
                    "(https://www.mil.gov.ua/news/2022/03/06/).")
    assert [c.value for c in found] == [11000]  # type: ignore[attr-defined]
    # an address with parentheses in it ("(24-26-lyutogo)") is one address
    found = _claims("Russia has lost 11,000 troops since the invasion began.\n\nSource: "
                    "https://www.mil.gov.ua/news/2022/02/27/vtrati-za-tri-dobi-(24-26-lyutogo)-"
                    "vijni/.", date(2022, 2, 27))
    assert [c.value for c in found] == [11000]  # type: ignore[attr-defined]


def test_the_report_of_a_day_is_that_report_not_the_losses_of_that_day() -> None:
    (c,) = _claims("The report of 6 May 2022 listed 3 aircraft.")
    assert c.period == (date(2022, 5, 6), date(2022, 5, 6))  # type: ignore[attr-defined]
    # the losses of a day are the next day's report
    (c,) = _claims("Russia lost 3 aircraft on 6 May 2022, the General Staff said.")
    assert c.period == (date(2022, 5, 7), date(2022, 5, 7))  # type: ignore[attr-defined]


def test_a_figure_in_a_relative_clause_on_a_named_report_is_that_reports() -> None:
    found = _claims("Record: 2 aircraft, the most since the report of 6 May 2022, which "
                    "had 3.")
    by = {c.value: c for c in found if c.value is not None}  # type: ignore[attr-defined]
    assert by[3].period == (date(2022, 5, 6), date(2022, 5, 6))  # type: ignore[attr-defined]
    assert "period.report_which_had" in by[3].rule_ids  # type: ignore[attr-defined]
    assert by[2].period is None  # the article's own report  # type: ignore[attr-defined]
    found = _claims("Рекорд: Літаки – 2: найбільше від зведення 6 травня 2022 року, у якому "
                    "було 3.")
    by = {c.value: c for c in found if c.value is not None}  # type: ignore[attr-defined]
    assert by[3].period == (date(2022, 5, 6), date(2022, 5, 6))  # type: ignore[attr-defined]
    # no report named right before it: the figure is not that report's
    found = _claims("2 aircraft were lost, the most since 6 May 2022, and 3 helicopters.")
    by = {c.value: c for c in found if c.value is not None}  # type: ignore[attr-defined]
    assert by[3].period != (date(2022, 5, 6), date(2022, 5, 6))  # type: ignore[attr-defined]


def _verdicts(text: str, ledger: object, day: date = CHECK_DAY) -> list[tuple[str, str]]:
    from attrition.check import check_text

    doc = check_text(text, ledger, day)  # type: ignore[arg-type]
    return [(c["text"], c["verdict"]) for c in doc["claims"]]


def test_as_many_as_on_a_day_and_the_most_since_another(ledger: object) -> None:
    # 14 July 2022: 2 aircraft; 17 June 2022 had 2 as well; 6 May 2022 had 3
    good = _verdicts("Record: 2 aircraft, as many as on 17 June 2022 and the most since the "
                     "report of 6 May 2022, which had 3.", ledger)
    assert good and all(v == "supported" for _, v in good), good
    bad = dict(_verdicts("Record: 2 aircraft, as many as on 16 June 2022 and the most since "
                         "the report of 6 May 2022, which had 3.", ledger))
    assert bad["the most since the report of 6 May 2022"] == "contradicted"


def test_a_comparative_on_aircraft_or_ukrainian_most_since_is_read(ledger: object) -> None:
    assert dict(_verdicts("Record: 2 aircraft, the most since 6 May 2022.", ledger)) == {
        "2 aircraft": "supported", "the most since 6 May 2022": "supported"}
    got = dict(_verdicts("Рекорд: Літаки – 2: найбільше від зведення 6 травня 2022 року.",
                         ledger))
    assert got["найбільше від зведення 6 травня 2022 року"] == "supported", got
    got = dict(_verdicts("Рекорд: Літаки – 2: найбільше від зведення 7 травня 2022 року.",
                         ledger))
    assert got["найбільше від зведення 7 травня 2022 року"] == "contradicted", got


def test_a_list_items_unlabelled_figure_takes_the_items_own_category(ledger: object) -> None:
    # 31 October 2024: 8 air defence systems (6 July 2023 had 9); 157 tanks, AFVs and
    # vehicles and fuel tanks (26 September 2024 had 159): the loose word is the item's
    text = ("Records: 8 air defence systems, the most since the report of 6 July 2023, which "
            "had 9; 157 armoured and other vehicles, the most since the report of 26 September "
            "2024, which had 159.")
    got = dict(_verdicts(text, ledger, date(2024, 10, 31)))
    assert got["9"] == "supported" and got["159"] == "supported", got
    # with no category word of its own item, the figure keeps the sentence's last one
    found = _claims("Russia lost 121 vehicles and fuel tanks and 8 air defence systems; 9 "
                    "more than the day before.", date(2024, 10, 31))
    assert {c.value: c.category for c in found}[9] == "air_defense"  # type: ignore[attr-defined]


def test_a_record_after_a_windows_sentence_is_its_own_reports(ledger: object) -> None:
    text = ("Over the previous 7 reports the counts rose by an average of 11 cruise missiles "
            "a day.\n\nRecord: 51 cruise missiles, the most since the report of 11 February "
            "2023, which had 61.")
    got = dict(_verdicts(text, ledger, date(2023, 5, 30)))
    assert got["51 cruise missiles"] == "supported", got
    # a figure with nothing of its own after a window still takes the window (a round-up)
    from attrition.check import context

    day = date(2024, 11, 18)
    art = read("Over the past week Russia lost 7,210 troops. It also lost 62 tanks.")
    found = extract(art, day)
    context.inherit_periods(art, found, day)
    assert [c.period for c in found] == [(date(2024, 11, 12), day)] * 2


def test_a_confirmed_count_dated_by_the_text_is_checked_at_that_date(loaded_db: str) -> None:
    from attrition import service
    from attrition.store.read import Reader

    with Reader(loaded_db) as r:
        checker = service.Checker(r)  # type: ignore[arg-type]
        text = ("For comparison, Oryx had visually confirmed 4,074 Russian tanks lost by 19 "
                "July 2025 (three months before this report).")
        got = [c["verdict"] for c in checker.check(text, date(2025, 10, 26))["claims"]]
        assert got == ["supported"]
        text = text.replace("4,074", "3,900")
        got = [c["verdict"] for c in checker.check(text, date(2025, 10, 26))["claims"]]
        assert got == ["contradicted"]


def test_the_most_since_on_a_loose_vehicles_figure_ranks_that_sum(ledger: object) -> None:
    # 31 October 2024: tanks + AFVs + vehicles and fuel tanks = 157; 26 September had 159
    text = ("Record: 157 armoured and other vehicles, the most since the report of 26 "
            "September 2024, which had 159.")
    got = dict(_verdicts(text, ledger, date(2024, 10, 31)))
    assert set(got.values()) == {"supported"}, got
    got = dict(_verdicts(text.replace("26 September", "25 September").replace("159", "160"),
                         ledger, date(2024, 10, 31)))
    assert got["the most since the report of 25 September 2024"] == "contradicted", got


def test_which_had_after_an_item_with_a_total_cue_is_still_that_reports(ledger: object) -> None:
    # 14 February 2024; the first item's "since the full-scale invasion began" is its own
    text = ("Records: 66 artillery systems, the most in a single report since the full-scale "
            "invasion began; 4 air defence systems, as many as on 13 January 2024 and the most "
            "since the report of 9 November 2023, which had 5; 3 MLRS, as many as on 17 "
            "January 2024 and the most since the report of 31 December 2023, which had 4.")
    got = _verdicts(text, ledger, date(2024, 2, 14))
    assert got and all(v == "supported" for _, v in got), got
    # its own total words make it a total
    (c,) = [c for c in _claims("Record: 4 air defence systems; the report of 9 November "
                               "2023, which had 540 in all.", date(2024, 2, 14))
            if c.value == 540]  # type: ignore[attr-defined]
    assert c.period != (date(2023, 11, 9), date(2023, 11, 9))  # type: ignore[attr-defined]


def test_a_count_said_to_fall_is_a_change_below_zero(ledger: object) -> None:
    # 30 November 2024: MLRS 1,255 -> 1,253, special equipment 3,700 -> 3,617 (corrections)
    for text in ("MLRS fell by 2, to 1,253; units of special equipment fell by 83, to 3,617.",
                 "Кількість РСЗВ зменшилася на 2 – до 1 253; кількість спеціальної техніки "
                 "зменшилася на 83 – до 3 617."):
        got = _verdicts(text, ledger, date(2024, 11, 30))
        assert len(got) == 4 and all(v == "supported" for _, v in got), got
    # a rise of the same size is not that (special equipment's bulletin announced +2, not
    # +83: the correction file's −85 is the rest)
    got = dict(_verdicts("Special equipment rose by 83, to 3,617.", ledger, date(2024, 11, 30)))
    assert got["83"] == "contradicted", got
    # while the bulletin's own (+N) is what it said: MLRS +2 with a correction of −4
    got = dict(_verdicts("MLRS rose by 2, to 1,253.", ledger, date(2024, 11, 30)))
    assert got["2"] == "supported", got


def test_n_of_them_is_a_part_of_the_figure_before_not_a_loss_of_its_own() -> None:
    for text in ("Armoured fighting vehicles rose by 16 (4 of them corrections).",
                 "Кількість бойових броньованих машин зросла на 16 (4 з них – виправлення)."):
        assert [c.value for c in _claims(text, date(2024, 11, 30))] == [16]  # type: ignore[attr-defined]
    assert [c.value for c in _claims("Russia lost 16 tanks; 4 armoured vehicles were also "
                                     "destroyed.", date(2024, 11, 30))] == [16, 4]  # type: ignore[attr-defined]


def test_a_range_of_days_is_the_losses_of_those_days(ledger: object) -> None:
    # the losses of 11-17 November 2024 are the reports of 12-18 November: 11,780 troops,
    # 112 tanks; of 4-10 November, 10,270 and 60
    for text in ("Against the week before: 11,780 troops killed or wounded from 11 to 17 "
                 "November 2024 against 10,270 from 4 to 10 November 2024 (+15%); 112 tanks "
                 "from 11 to 17 November 2024 against 60 from 4 to 10 November 2024 (+87%).",
                 "Особового складу – 11 780 з 11 по 17 листопада 2024 року проти 10 270 з 4 "
                 "по 10 листопада 2024 року (+15%); танків – 112 з 11 по 17 листопада 2024 "
                 "року проти 60 з 4 по 10 листопада 2024 року (+87%)."):
        got = _verdicts(text, ledger, date(2024, 11, 18))
        assert len(got) == 4 and all(v == "supported" for _, v in got), got
    found = _claims("Russia lost 112 tanks from 11 to 17 November 2024.", date(2024, 11, 18))
    assert [c.period for c in found] == [(date(2024, 11, 12), date(2024, 11, 18))]  # type: ignore[attr-defined]
    # a range not yet over when the text was written is no period of its figures
    found = _claims("Russia lost 112 tanks from 11 to 17 November 2024.", date(2024, 11, 15))
    assert [c.period for c in found] != [(date(2024, 11, 12), date(2024, 11, 18))]  # type: ignore[attr-defined]
    # one day's figure is not a range's
    (c,) = _claims("Russia lost 15 tanks on 17 November 2024.", date(2024, 11, 18))
    assert c.period == (date(2024, 11, 18), date(2024, 11, 18))  # type: ignore[attr-defined]


def test_a_stated_year_after_as_of_is_kept(ledger: object) -> None:
    # tanks: 11,032 in the report of 19 July 2025 (a year before the article)
    got = dict(_verdicts("The General Staff's count of tanks as of 19 July 2025 was 11,032.",
                         ledger, date(2026, 7, 19)))
    assert got == {"11,032": "supported"}, got
    got = dict(_verdicts("The General Staff's count of tanks as of 19 July was 11,032.",
                         ledger, date(2026, 7, 19)))
    assert got["11,032"] != "supported", got


def test_oryxs_trucks_are_its_vehicles_line(loaded_db: str) -> None:
    from attrition import service
    from attrition.store.read import Reader

    with Reader(loaded_db) as r:
        checker = service.Checker(r)  # type: ignore[arg-type]
        text = ("Oryx had visually confirmed 3,918 Russian trucks, vehicles and jeeps lost by "
                "13 April 2025.")
        assert [c["verdict"] for c in checker.check(text, date(2025, 4, 15))["claims"]] == [
            "supported"]
        text = text.replace("3,918", "3,100")
        assert [c["verdict"] for c in checker.check(text, date(2025, 4, 15))["claims"]] == [
            "contradicted"]


def test_a_rank_with_as_many_as_on_a_day_ranks_its_own_report(ledger: object) -> None:
    # 15 April 2025: 210 vehicles and fuel tanks, as many as on 28 March 2025, the most of the
    # war
    text = ("Record: 210 vehicles and fuel tanks, as many as on 28 March 2025 and the most in a "
            "single report since the full-scale invasion began.")
    got = _verdicts(text, ledger, date(2025, 4, 15))
    assert got and all(v == "supported" for _, v in got), got


def test_not_counting_a_named_report_is_no_date_of_the_figure(ledger: object) -> None:
    # 18 October 2022: 35 UAVs, the most of the war but for the correction of 13 October (53)
    text = ("Record: 35 UAVs of the operational-tactical level, the most in a single report "
            "since the full-scale invasion began, not counting the correction in the report of "
            "13 October 2022, which had 53.")
    got = _verdicts(text, ledger, date(2022, 10, 18))
    assert got and all(v == "supported" for _, v in got), got


def test_a_clause_with_its_measure_but_no_day_takes_the_frames_day() -> None:
    text = ("Wednesday's figures included 49 armored vehicles, bringing the total to 18,896; "
            "56 more artillery systems, bringing the total to 20,408.")
    by = {c.value: c for c in _claims(text, DEFAULT_DAY)}  # type: ignore[attr-defined]
    wed = (date(2024, 11, 13), date(2024, 11, 13))
    assert by[56].period == wed  # type: ignore[attr-defined]
    assert "period.frame_day" in by[56].rule_ids  # type: ignore[attr-defined]
    assert by[20408].period[1] == date(2024, 11, 13)  # type: ignore[attr-defined]
    # a clause that names its own day keeps it
    text = ("On Wednesday Kyiv reported 49 armored vehicles; today it says 64 more artillery "
            "systems were destroyed.")
    by = {c.value: c for c in _claims(text, DEFAULT_DAY)}  # type: ignore[attr-defined]
    assert "period.frame_day" not in by[64].rule_ids  # type: ignore[attr-defined]


def test_a_counter_line_takes_the_category_of_the_label_line_above_it() -> None:
    """A page's counter block ("Танки\\n9 382") gives each bare figure the category word of
    the line above it (rule category.counter_line), dated by the block's day of the war."""
    day = date(2024, 12, 5)
    found = _claims("1 000 день війни\nТанки\n9 382\nБпЛА\n19 111", day)
    assert [(c.value, c.category, c.measure, c.period)  # type: ignore[attr-defined]
            for c in found] == [(9382, "tanks", "total", (None, date(2024, 11, 19))),
                                (19111, "uav", "total", (None, date(2024, 11, 19)))]
    # a line of prose above, or a blank line between, is no counter's label
    assert _claims("Ворог втратив танки, повідомили у штабі\n9 382", day) == []
    assert _claims("Танки\n\n9 382", day) == []
