"""The checker's contract, case by case (issue 11's table): our own sentences, figures from the
ledger. Each row names the figure as written, the verdict, and where it matters the ledger's
value or category that the verdict rests on."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from attrition.check import LedgerView, check_text
from attrition.store.read import Reader


@pytest.fixture(scope="module")
def ledger(loaded_db: str) -> LedgerView:
    with Reader(loaded_db) as r:
        return LedgerView(r.by_category(), r.corrections())


def claims(ledger: LedgerView, text: str, day: str) -> list[dict[str, Any]]:
    return check_text(text, ledger, date.fromisoformat(day))["claims"]  # type: ignore[no-any-return]


def claim(found: list[dict[str, Any]], figure: str) -> dict[str, Any]:
    hits = [c for c in found if figure in c["text"] and c["measure"] != "comparative"]
    assert len(hits) == 1, (figure, [c["text"] for c in found])
    return hits[0]


CASES: list[tuple[str, str, list[tuple[str, str, dict[str, Any]]]]] = [
    ("2024-09-20",
     "Since the start of September, Russia has lost 133 tanks, Kyiv said on Friday. Russian "
     "forces lost 14 tanks on Tuesday, the General Staff added.",
     [("133", "supported", {}), ("14", "wrong_date", {"actual": 14})]),
    ("2024-07-01",
     "Russia lost 359 tanks in June, the General Staff said. In June 2023, by comparison, "
     "Russian forces lost 359 tanks.",
     []),  # checked separately below: the same figure twice
    ("2023-10-12",
     "Russian forces lost 42 tanks over the past day as the assault that began on October 10 "
     "continued, the General Staff said.",
     [("42", "supported", {})]),
    ("2024-08-13",
     "Moscow has lost 8,455 drones since Russia's full-scale invasion of Ukraine began in "
     "February 2022.",
     [("8,455", "mislabeled", {"actual_category": "tanks"})]),
    ("2024-08-13",
     "The tally includes 8,455 tanks, 16,385 armoured vehicles and 1,146 artillery systems.",
     [("1,146", "mislabeled", {"actual_category": "mlrs"})]),
    ("2024-07-03",
     "According to Kyiv's tally, Russia has lost 546,270 soldiers, including roughly 35,000 "
     "in June.",
     [("546,270", "supported", {}), ("35,000", "rounded", {"actual": 35030})]),
    ("2024-04-18",
     "Some 910 Russian troops were put out of action in the latest 24 hours, Ukraine's army "
     "claimed on Thursday.",
     [("910", "supported", {})]),
    ("2024-06-10",
     "Russia also lost 56 units of automotive equipment over the past day.",
     [("56", "supported", {})]),
    ("2025-03-20",
     "Over the past day Russia lost about 1.4 thousand soldiers, the General Staff reported.",
     [("1.4 thousand", "supported", {})]),
    ("2024-08-13",
     "Kyiv counts 593,160 Russian personnel lost in Ukraine since Feb. 24, 2022.",
     [("593,160", "supported", {})]),
    ("2025-05-10",
     "Vehicle losses peaked in April, when Russia lost 4,104 vehicles and fuel tanks.",
     [("4,104", "supported", {"period": {"from": "2025-04-02", "to": "2025-05-01"}})]),
    ("2024-06-10",
     "A General Staff spokesperson said 1,190 Russian troops were killed or wounded over the "
     "past day.",
     [("1,190", "supported", {})]),
    ("2024-08-13",
     "Ukraine said 2,426 cruise missiles fired by Russia have been shot down since the "
     "invasion.",
     [("2,426", "supported", {})]),
]


@pytest.mark.parametrize(("day", "text", "expected"), CASES,
                         ids=[f"{d}-{t[:30]}" for d, t, _ in CASES])
def test_case(ledger: LedgerView, day: str, text: str,
              expected: list[tuple[str, str, dict[str, Any]]]) -> None:
    found = claims(ledger, text, day)
    for figure, verdict, fields in expected:
        c = claim(found, figure)
        assert c["verdict"] == verdict, (figure, c["verdict"], c["why"])
        for k, v in fields.items():
            assert c[k] == v, (figure, k, c[k])


def test_the_same_figure_for_two_months(ledger: LedgerView) -> None:
    found = claims(ledger, CASES[1][1], "2024-07-01")
    figures = [c for c in found if c["value"] == 359]
    assert [c["verdict"] for c in figures] == ["supported", "contradicted"]
    assert figures[1]["actual"] == 238  # June 2023


def test_one_claim_for_a_total_since_a_date(ledger: LedgerView) -> None:
    found = claims(ledger, CASES[9][1], "2024-08-13")
    assert len(found) == 1


def test_an_air_defence_system_and_a_fighter_jet(ledger: LedgerView) -> None:
    found = claims(ledger, "Over the past day Russia also lost an air defence system and "
                           "another fighter jet, Kyiv said.", "2024-06-10")
    assert sorted(c["category"] for c in found) == ["air_defense", "aircraft"]
    assert all(c["verdict"] == "supported" for c in found), [c["why"] for c in found]


def test_first_time_more_than_200_drones(ledger: LedgerView) -> None:
    found = claims(ledger, "For the first time, Russia lost more than 200 drones in a single "
                           "day, the General Staff said.", "2025-07-05")
    assert [c["verdict"] for c in found] == ["contradicted"], [c["why"] for c in found]
    assert "2025-02-24" in found[0]["why"]


def test_fewest_month_of_the_year(ledger: LedgerView) -> None:
    found = claims(ledger, "With 4,574 drones downed, June brought the fewest Russian drone "
                           "losses of any month in 2025.", "2025-07-03")
    comp = [c for c in found if c["measure"] == "comparative"]
    assert [c["verdict"] for c in comp] == ["contradicted"], [c["why"] for c in found]


def test_april_2025_is_the_peak_month_of_vehicles(ledger: LedgerView) -> None:
    found = claims(ledger, CASES[10][1], "2025-05-10")
    comp = [c for c in found if c["measure"] == "comparative"]
    assert [c["verdict"] for c in comp] == ["supported"], [c["why"] for c in comp]


def test_a_figure_under_100_is_exact(ledger: LedgerView) -> None:
    # the report of 2024-08-05 has 6 tanks (and no report within 3 days has 10)
    found = claims(ledger, "Over the past day Russia lost 10 tanks, the General Staff said.",
                   "2024-08-05")
    assert (found[0]["verdict"], found[0]["actual"]) == ("contradicted", 6)


def test_more_than_n_in_a_day_is_not_the_total(ledger: LedgerView) -> None:
    found = claims(ledger, "Russia lost more than 200 drones in a single day, Kyiv said.",
                   "2025-07-05")
    assert found[0]["measure"] == "change" and found[0]["verdict"] == "contradicted"


@pytest.mark.parametrize(("text", "day", "verdict"), [
    # the report named by its day, day first (Ukrainian, Russian, numeric): 930 on 2023-12-03
    ("Станом на 3 грудня російські загарбники за минулу добу втратили 930 осіб.", "2023-12-05",
     "supported"),
    ("Станом на 1 грудня російські загарбники за минулу добу втратили 930 осіб.", "2023-12-05",
     "wrong_date"),
    ("По состоянию на 3 декабря оккупанты за сутки потеряли 930 человек.", "2023-12-05",
     "supported"),
    ("Станом на 03.12.2023 ворог за добу втратив 930 осіб.", "2023-12-05", "supported"),
])
def test_a_report_named_by_its_day(ledger: LedgerView, text: str, day: str,
                                   verdict: str) -> None:
    found = [c for c in claims(ledger, text, day) if c["value"] == 930]
    assert [c["verdict"] for c in found] == [verdict], [c["why"] for c in found]


def test_a_stated_precision_is_allowed_whole(ledger: LedgerView) -> None:
    # 1,420 on 2024-11-23: "півтори тисячі" (1.5 thousand) cannot say it more finely
    found = claims(ledger, "За минулу добу ворог втратив ще півтори тисячі окупантів.",
                   "2024-11-23")
    assert [c["verdict"] for c in found] == ["rounded"], [c["why"] for c in found]


@pytest.mark.parametrize(("text", "day", "verdict"), [
    # a count of one part of the personnel figure is not the General Staff's (it counts
    # killed and wounded together); a day's figure called "killed" is the press's shorthand
    ("Western officials estimate that 13,000 Russian soldiers have died since the invasion.",
     "2022-12-12", "unverifiable"),
    ("More than 284,000 Russian troops have been wounded since February 2022.", "2024-02-01",
     "unverifiable"),
    ("Russia lost 970 soldiers killed over the past day, the General Staff said.",
     "2023-02-24", "supported"),
    ("Russia lost 990 soldiers killed over the past day, the General Staff said.",
     "2023-02-24", "contradicted"),
])
def test_a_part_of_the_personnel_figure(ledger: LedgerView, text: str, day: str,
                                        verdict: str) -> None:
    found = claims(ledger, text, day)
    assert [c["verdict"] for c in found] == [verdict], [c["why"] for c in found]


def test_a_calendar_year_is_its_reports(ledger: LedgerView) -> None:
    # 2024: the reports of 2 January 2024 to 1 January 2025 (3,689 tanks)
    found = claims(ledger, "In 2024, Ukraine's forces destroyed 3,689 Russian tanks.",
                   "2025-01-03")
    assert (found[0]["verdict"], found[0]["period"]) == (
        "supported", {"from": "2024-01-02", "to": "2025-01-01"}), found[0]["why"]
    found = claims(ledger, "За 2024 рік Сили оборони знищили 3689 ворожих танків.",
                   "2025-01-03")
    assert found[0]["verdict"] == "supported", found[0]["why"]


def test_the_year_of_an_event_is_no_period(ledger: LedgerView) -> None:
    # "since the invasion in 2022" names when the war began, not the losses of 2022
    found = claims(ledger, "Russia lost 42 armoured vehicles over the past day, its worst "
                           "since the start of the invasion in 2022, Kyiv said.", "2024-05-13")
    figure = [c for c in found if c["value"] == 42]
    assert figure[0]["period"] == {"from": "2024-05-13", "to": "2024-05-13"}, figure[0]["why"]


@pytest.mark.parametrize(("text", "verdict"), [
    # 124 on 2024-11-14; the last report with more was 16 March 2022 (179, counted then as
    # military vehicles and fuel tanks)
    ("Russia lost 124 vehicles and fuel tanks over the past day, the most since 16 March 2022, "
     "the General Staff said.", "supported"),
    ("Russia lost 124 vehicles and fuel tanks over the past day, the most since March 2022, "
     "the General Staff said.", "supported"),
    ("Russia lost 124 vehicles and fuel tanks over the past day, the most since 16 March 2023, "
     "the General Staff said.", "contradicted"),
])
def test_the_most_since_a_date(ledger: LedgerView, text: str, verdict: str) -> None:
    found = claims(ledger, text, "2024-11-14")
    comp = [c for c in found if c["measure"] == "comparative"]
    assert [c["verdict"] for c in comp] == [verdict], [c["why"] for c in comp]


def test_an_average_over_the_previous_reports(ledger: LedgerView) -> None:
    # the 7 reports before 2024-11-14 (7 to 13 November) averaged 1,640 troops a day
    found = claims(ledger, "Over the previous 7 reports Russian losses rose by an average of "
                           "1,640 troops a day.", "2024-11-14")
    assert [(c["verdict"], c["period"]) for c in found] == [
        ("supported", {"from": "2024-11-07", "to": "2024-11-13"})], [c["why"] for c in found]


def test_ukrainian_report_framing(ledger: LedgerView) -> None:
    # "оприлюднені у четвер" names the report; "від 24 лютого 2022" is since the invasion
    text = ("За зведеннями Генштабу, оприлюдненими у четвер, 14 листопада 2024 року, за минулу "
            "добу Росія втратила 19 танків. Загалом від 24 лютого 2022 року: танків – 9 319.")
    found = claims(ledger, text, "2024-11-14")
    assert [(c["value"], c["verdict"]) for c in found] == [(19, "supported"),
                                                           (9319, "supported")], found


@pytest.mark.parametrize("text", [
    "Over the previous 7 reports the counts rose by an average of 1,640 troops killed or "
    "wounded, 12 tanks, 43 armoured fighting vehicles, 34 artillery systems and 90 vehicles "
    "and fuel tanks a day.",
    "У середньому за попередні 7 зведень – на добу: особового складу – 1 640; танків – 12; "
    "бойових броньованих машин – 43; артилерійських систем – 34; автомобільної техніки та "
    "автоцистерн – 90.",
])
def test_every_item_of_an_average_list_is_the_average(ledger: LedgerView, text: str) -> None:
    # the seven reports before 2024-11-14 (rounded means: 1,640, 12, 43, 34 and 90)
    found = claims(ledger, text, "2024-11-14")
    assert [c["value"] for c in found] == [1640, 12, 43, 34, 90]
    assert all(c["measure"] == "average" and c["verdict"] in ("supported", "rounded")
               for c in found), [(c["value"], c["measure"], c["why"]) for c in found]
