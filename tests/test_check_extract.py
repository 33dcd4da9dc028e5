"""The fact-checker's extraction side (numbers, claims, sentences) on sentences written for
these tests: every number form, language and attachment case, and that the output does not
depend on the hash seed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date

import pytest

from attrition.check import LedgerView, check_text
from attrition.check.article import MAX_CHARS, read
from attrition.check.claims import MAX_CLAIMS, Claim, extract
from attrition.store.read import Reader


@pytest.fixture(scope="module")
def ledger(loaded_db: str) -> LedgerView:
    with Reader(loaded_db) as r:
        return LedgerView(r.by_category(), r.corrections())


def claims_of(text: str, day: date = date(2024, 11, 14)) -> list[Claim]:
    return extract(read(text), day)


def one(text: str, day: date = date(2024, 11, 14)) -> Claim:
    found = claims_of(text, day)
    assert len(found) == 1, [(c.value, c.label) for c in found]
    return found[0]


# -- determinism ------------------------------------------------------------------------------

DETERMINISM_TEXTS = (
    "За добу знищено 124 одиниці автомобільної техніки.",
    "Russia lost 1,230 troops, 14 tanks, 31 armoured vehicles and 56 vehicles and fuel tanks "
    "over the past day, Kyiv said on Tuesday.",
    "Since the start of October Russian forces have lost 41,980 soldiers; in September alone "
    "the figure was about 38,000.",
    "За минулу добу окупанти втратили 1 380 осіб, 9 танків та 22 артилерійські системи.",
    "За сутки ВСУ уничтожили более 1,2 тыс. военных и 15 танков, сообщил Генштаб.",
)

_DUMP = """
import json, sys
from datetime import date
from attrition.check.article import MAX_CHARS, read
from attrition.check.claims import extract
out = []
for text in json.loads(sys.stdin.read()):
    for c in extract(read(text), date(2024, 11, 14)):
        out.append([c.value, c.label, c.category, c.label_kind, c.measure, str(c.period),
                    c.period_note, c.qualifier, c.scope, c.start, c.end,
                    getattr(c, "rule_ids", None)])
print(json.dumps(out, ensure_ascii=False))
"""


def test_extraction_is_the_same_under_any_hash_seed() -> None:
    outs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        r = subprocess.run([sys.executable, "-c", _DUMP], input=json.dumps(DETERMINISM_TEXTS),
                           capture_output=True, text=True, env=env, check=True)
        outs.add(r.stdout)
    assert len(outs) == 1


def test_label_with_two_meanings_is_read_by_the_day(ledger: LedgerView) -> None:
    # the same words named military auto before the 2022-05-01 merge, vehicles and fuel
    # tanks after it; which one was once left to the hash seed
    text = "За добу знищено 124 одиниці автомобільної техніки."
    assert one(text).category == "vehicles_fuel_tanks"
    assert one(text, date(2022, 3, 10)).category == "military_auto"
    doc = check_text(text, ledger, date(2024, 11, 14))
    assert [c["verdict"] for c in doc["claims"]] == ["supported"]  # type: ignore[index]


# -- number forms -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value", "precision", "qualifier"), [
    ("By Kyiv's count Russia has now lost 1.5 million troops.", 1_500_000, 100_000, None),
    ("The army says about 21.6 thousand soldiers were lost in May.", 21_600, 100, "about"),
    ("Over the past day Russia lost about 1.4 thousand soldiers, Kyiv said.", 1_400, 100,
     "about"),
    ("Russia suffered 2010 casualties in one day, the General Staff said.", 2_010, 10, None),
    ("By the General Staff's count Russia has lost 716k troops.", 716_000, 1_000, None),
    ("Kyiv puts Russian losses at 1.1m troops since 2022.", 1_100_000, 100_000, None),
    ("Загалом окупанти втратили 1,2 тис. осіб за добу.", 1_200, 100, None),
    ("Від початку вторгнення втрати росіян сягнули 1 мільйон 209 880 осіб.", 1_209_880, 1,
     None),
    ("За сутки Россия потеряла более 1,2 тыс. военных, сообщил Генштаб.", 1_200, 100, "over"),
    ("С начала вторжения потери России достигли почти 1,1 млн военных.", 1_100_000, 100_000,
     "nearly"),
    ("За сутки противник потерял около полторы тысячи военных.", 1_500, 500, "about"),
    ("Russia lost twenty-three artillery systems in a single day.", 23, 1, None),
    ("Russia has lost 2 thousand 109 tanks since the war began.", 2_109, 1, None),
])
def test_number_forms_give_one_claim_with_value_and_precision(
        text: str, value: int, precision: int, qualifier: str | None) -> None:
    c = one(text, date(2025, 3, 20))
    assert c.value == value
    assert c.number is not None and c.number.precision == precision
    assert c.qualifier == qualifier


@pytest.mark.parametrize("text", [
    "In 2023 troops lost ground near the river.",
    "Since 2022 tanks have changed their armour.",
    "The unit was formed on 1.4 and moved to the front on 2.5.",
])
def test_years_and_dates_are_no_counts(text: str) -> None:
    assert claims_of(text) == []


@pytest.mark.parametrize(("text", "values"), [
    ("За оцінками розвідки, на фронті перебуває 640–650 тис. російських військових.",
     [640_000, 650_000]),
    ("Аналитики считают, что армия РФ теряет 25-30 тыс. человек в месяц.", [25_000, 30_000]),
    ("Western officials put the force at 20–25 thousand troops.", [20_000, 25_000]),
    ("За добу знищено 5–6 танків ворога.", [5, 6]),
])
def test_a_range_with_one_scale_is_in_that_scale_and_takes_its_category_word(
        text: str, values: list[int]) -> None:
    found = claims_of(text, date(2025, 3, 20))
    assert [c.value for c in found] == values
    assert len({c.category for c in found}) == 1 and found[0].category is not None


def test_a_range_of_years_takes_no_scale() -> None:
    assert [c.value for c in claims_of("У 2022–2023 роках ворог втратив 6 000 танків.")] == [
        6_000]


# -- sentences, language, category words ------------------------------------------------------

def test_abbreviations_and_initials_end_no_sentence() -> None:
    art = read("Kyiv counts 593,160 Russian personnel lost since Feb. 24, 2022. U.S. officials "
               "gave a lower figure. В. Зеленський назвав 1,2 тис. осіб.")
    assert [s.text for s in art.sentences] == [
        "Kyiv counts 593,160 Russian personnel lost since Feb. 24, 2022.",
        "U.S. officials gave a lower figure.", "В. Зеленський назвав 1,2 тис. осіб."]


def test_a_hard_wrap_is_no_sentence_break_but_a_blank_line_is() -> None:
    text = ("Russia lost 1,200\ntroops over the past day, the General Staff said in its "
            "morning update,\nand the figure was the highest this week.\n\nTanks — 9,419\n"
            "• personnel — 700,000")
    art = read(text)
    assert [s.text for s in art.sentences] == [
        "Russia lost 1,200 troops over the past day, the General Staff said in its morning "
        "update, and the figure was the highest this week.", "Tanks — 9,419",
        "• personnel — 700,000"]
    c = one("Over the past day Russia lost 1,200\ntroops, Kyiv said.")
    assert (c.value, c.category, c.measure) == (1200, "personnel", "change")


def test_a_list_line_without_a_stop_ends_its_sentence_where_paragraphs_are_one_line() -> None:
    # paragraphs on one line each: a long line without a stop is a heading or a list item,
    # and the capital on the next line starts another sentence (no hard wrap here)
    para = ("Kyiv's count of Russian losses rose again this week, and the General Staff said "
            "the pace had not slowed since the spring offensive began in the east.")
    text = (f"{para}\n2024 in full: 430,790 troops, an average of 1,177 for each report\n"
            f"The General Staff first published its count on 1 March 2022.\n{para}")
    assert [s.text for s in read(text).sentences][1:3] == [
        "2024 in full: 430,790 troops, an average of 1,177 for each report",
        "The General Staff first published its count on 1 March 2022."]
    # the same lines in a text wrapped at 70 columns read as one sentence
    wrapped = ("Kyiv's count of Russian losses rose again this week, and the General\n"
               "Staff said the pace had not slowed since the spring offensive began\n"
               "in the east, with 1,177 troops for each report of the year before in\n"
               "Donetsk region alone.")
    assert len(read(wrapped).sentences) == 1


def test_kyiv_counts_since_feb_24_gives_one_claim() -> None:
    c = one("Kyiv counts 593,160 Russian personnel lost in Ukraine since Feb. 24, 2022.",
            date(2024, 8, 13))
    assert (c.value, c.category, c.measure) == (593160, "personnel", "total")


@pytest.mark.parametrize(("text", "lang"), [
    ("За сутки ВСУ уничтожили 1 200 военных и 15 танков, сообщил Генштаб.", "ru"),
    ("За сутки уничтожено 2 НРК.", "ru"),
    ("За добу знищено 2 НРК.", "uk"),
    ("За добу окупанти втратили 1 380 осіб і 9 танків.", "uk"),
    ("Russia lost 1,380 troops, the General Staff (Генштаб) said.", "en"),
])
def test_language_by_letters_and_marker_words(text: str, lang: str) -> None:
    assert read(text).language == lang


@pytest.mark.parametrize(("text", "category"), [
    ("Moscow has lost 369 military jets since the invasion, Kyiv says.", "aircraft"),
    ("Russia lost 4 jet artillery systems over the past day.", "mlrs"),
    ("Moscow lost 5 military helicopters in a week, Kyiv said.", "helicopters"),
    ("За сутки уничтожено 30 боевых бронированных машин.", "afv"),
    ("За сутки уничтожены 14 танков и 3 РСЗО.", "tanks"),
    ("С начала вторжения сбито 2 426 крылатых ракет.", "cruise_missiles"),
    ("Від початку вторгнення знищено 1 підводний човен.", "submarines"),
])
def test_category_words(text: str, category: str) -> None:
    assert claims_of(text)[0].category == category


def test_rule_ids_name_every_rule_that_set_something() -> None:
    c = one("British intelligence says Russia has lost more than 450 thousand troops.")
    assert c.rule_ids == ["en.scale.thousand", "en.qual.over", "en.cat.personnel",
                          "en.scope.uk_defence_intelligence"]


# -- linear time ------------------------------------------------------------------------------

def _distinct(n: int) -> str:
    # no two sentences alike, so no cache hides the work
    return "".join(f"On {i % 28 + 1} November 2024 Russia lost {i + 3} tanks; "
                   for i in range(n))


def _timed(text: str) -> tuple[float, int]:
    t = time.perf_counter()
    found = extract(read(text), date(2024, 11, 14))
    return time.perf_counter() - t, len(found)


@pytest.mark.slow
def test_extraction_time_grows_linearly_with_the_text() -> None:
    _timed(_distinct(50))  # compile the rules first
    # (below MAX_CLAIMS, the most figures one article is checked for)
    small, n_small = _timed(_distinct(MAX_CLAIMS // 4))
    big, n_big = _timed(_distinct(MAX_CLAIMS))
    assert (n_small, n_big) == (MAX_CLAIMS // 4, MAX_CLAIMS)  # a run-on list is cut, all read
    assert big < 8 * small, (small, big)  # 4x the text: ~4x the time, never ~16x


@pytest.mark.slow
def test_long_repetitive_input_is_read_in_seconds() -> None:
    text = "on 5 November 2024 Russia lost 12 tanks; " * 48_000  # 2 MB, one "sentence"
    assert len(text) < MAX_CHARS
    took, n = _timed(text)
    assert n == MAX_CLAIMS and took < 60  # read to the cap, the rest left out
    took, n = _timed("Russia lost 8 tanks. " * 90_000)
    assert n == MAX_CLAIMS and took < 60


# -- attachment: a figure's own clause first --------------------------------------------------

def test_a_total_does_not_take_the_next_clauses_day() -> None:
    total, daily = claims_of("Russia has lost 620,000 troops since the invasion began on "
                             "February 24, and 1,100 troops on Wednesday, Kyiv said.")
    assert (total.value, total.measure, total.period) == (620_000, "total", None)
    assert (daily.value, daily.measure) == (1_100, "change")
    assert daily.period == (date(2024, 11, 14), date(2024, 11, 14))  # Wednesday's losses


def test_a_month_in_one_clause_does_not_make_the_others_total_a_window() -> None:
    month, total = claims_of("Russia lost 41,000 troops in October, while 700,000 troops have "
                             "been lost overall.")
    assert (month.measure, month.period) == ("window", (date(2024, 10, 2), date(2024, 11, 1)))
    assert (total.measure, total.period) == ("total", None)


def test_the_sentences_frame_reaches_every_item_of_a_list() -> None:
    found = claims_of("Over the past day Russia lost 1,100 troops, 12 tanks, and 30 armoured "
                      "vehicles.")
    assert [(c.value, c.measure) for c in found] == [(1100, "change"), (12, "change"),
                                                     (30, "change")]


def test_another_source_in_another_clause_does_not_rule_out_the_general_staffs() -> None:
    uk_di, gs = claims_of("British intelligence estimates Russia has lost 450,000 troops, "
                          "while the General Staff says 1,100 were lost on Monday.")
    assert uk_di.scope is not None and uk_di.period is None
    assert gs.scope is None and gs.period == (date(2024, 11, 12), date(2024, 11, 12))


def test_the_day_another_event_began_is_not_the_figures_day() -> None:
    c = one("Russian forces lost 42 tanks over the past day as the assault that began on "
            "October 10 continued, the General Staff said.", date(2023, 10, 12))
    assert (c.measure, c.period) == ("change", None)


def test_a_total_on_a_day_is_that_days_report() -> None:
    c = one("Russia's losses passed the mark in Kyiv's tally on August 7 when they reached "
            "250,240 troops.", date(2023, 8, 14))
    assert (c.measure, c.period) == ("total", (None, date(2023, 8, 7)))


def test_one_written_as_an_article() -> None:
    found = claims_of("Over the past day Russia also lost an air defence system and another "
                      "fighter jet, Kyiv said.", date(2024, 6, 10))
    assert [(c.value, c.category) for c in found] == [(1, "air_defense"), (1, "aircraft")]
    assert claims_of("An artillery strike hit a destroyed tank near the river.") == []


def test_missiles_fired_and_shot_down_are_losses() -> None:
    c = one("Ukraine said 2,426 cruise missiles fired by Russia have been shot down since the "
            "invasion.", date(2024, 8, 13))
    assert (c.value, c.category, c.measure) == (2426, "cruise_missiles", "total")
    assert claims_of("Russia fired 40 cruise missiles at Kyiv overnight.") == []


@pytest.mark.parametrize(("text", "day", "category", "measure"), [
    ("Russia also lost 56 units of automotive equipment over the past day.", date(2024, 6, 10),
     "vehicles_fuel_tanks", "change"),
    ("Russia also lost 6 units of automotive equipment over the past day.", date(2022, 4, 10),
     "military_auto", "change"),
    ("Moscow has lost 8,455 drones since Russia's full-scale invasion of Ukraine began in "
     "February 2022.", date(2024, 8, 13), "uav", "total"),
    ("A General Staff spokesperson said 1,190 Russian troops were killed or wounded over "
     "the past day.", date(2024, 6, 10), "personnel", "change"),
    ("Some 910 Russian troops were put out of action in the latest 24 hours, Ukraine's army "
     "claimed on Thursday.", date(2024, 4, 18), "personnel", "change"),
])
def test_issue_cases_read_as_stated(text: str, day: date, category: str, measure: str) -> None:
    c = one(text, day)
    assert (c.category, c.measure, c.scope) == (category, measure, None)
    if "Thursday" in text:
        assert c.period == (day, day)  # "claimed on Thursday": the report of that day


@pytest.mark.parametrize(("text", "period"), [
    ("On 5 November Russia lost 12 tanks, Kyiv said.",
     (date(2024, 11, 6), date(2024, 11, 6))),
    ("5 листопада окупанти втратили 12 танків.", (date(2024, 11, 6), date(2024, 11, 6))),
    ("5 ноября противник потерял 12 танков.", (date(2024, 11, 6), date(2024, 11, 6))),
    ("Станом на 5 листопада окупанти втратили 9 300 танків.", (None, date(2024, 11, 5))),
    ("По состоянию на 5 ноября противник потерял 9 300 танков.", (None, date(2024, 11, 5))),
    ("Russia has lost 9,300 tanks as of 5 November.", (None, date(2024, 11, 5))),
])
def test_day_first_dates_in_every_language(text: str, period: tuple[date | None, date]
                                          ) -> None:
    assert one(text).period == period


def test_since_the_first_day_is_no_loss_date() -> None:
    c = one("С 24 февраля 2022 года Россия потеряла 9 300 танков.")
    assert (c.measure, c.period) == ("total", None)


def test_russian_comparative_claim_is_about_personnel() -> None:
    c = one("Российская армия несет самые большие потери с первой недели вторжения, сообщил "
            "Генштаб.", date(2023, 2, 12))
    assert (c.measure, c.category) == ("comparative", "personnel")


@pytest.mark.parametrize("text", [
    "Russia has sent 50,000 new troops to the Kursk region.",
    "Россия перебросила 50 тысяч новых военных в Курскую область.",
    "Росія перекинула 50 тисяч нових військових на Курщину.",
])
def test_troops_sent_are_no_losses_in_any_language(text: str) -> None:
    assert claims_of(text) == []


@pytest.mark.parametrize(("text", "value", "category"), [
    ("Середньодобові втрати ворога в жовтні склали 1 270 особи.", 1270, "personnel"),
    ("Загалом знищено 1907 одиниць автомобільної техніки.", 1907, "vehicles_fuel_tanks"),
    ("Almost a thousand vehicles were destroyed over the week, Kyiv said.", 1000, "vehicles"),
    ("Moscow has admitted just under 6,000 troop deaths, the report said.", 6000,
     "personnel"),
    ("Втрати ворога наближаються до 700 000.", 700_000, "personnel"),
])
def test_more_category_and_count_forms(text: str, value: int, category: str) -> None:
    c = one(text)
    assert (c.value, c.category) == (value, category)


@pytest.mark.parametrize(("text", "day"), [
    ("Russia lost 3,689 tanks in 2024, the General Staff said.", date(2025, 1, 3)),
    ("За 2024 рік окупанти втратили 3689 танків.", date(2025, 1, 3)),
    ("За 2024 год противник потерял 3689 танков.", date(2025, 1, 3)),
])
def test_a_calendar_years_losses(text: str, day: date) -> None:
    c = one(text, day)
    assert (c.measure, c.period) == ("window", (date(2024, 1, 2), date(2025, 1, 1)))


def test_a_count_of_military_units_is_out_of_scope() -> None:
    found = claims_of("За рік ворог втратив 430 тисяч військових. Це майже 36 "
                      "мотострілецьких дивізій.")
    assert [(c.value, c.scope is None) for c in found] == [(430_000, True), (36, False)]


def test_what_the_kremlin_confirmed_is_the_russian_sides_figure() -> None:
    c = one("For example, the Kremlin has confirmed just under 6,000 troop deaths.")
    assert c.scope == "from the Russian side, not the General Staff"
    assert "en.scope.russian_mod" in c.rule_ids


def test_a_month_nearer_the_figure_than_the_year_names_its_period() -> None:
    # "in 2023 … in September – 947": September 2023's sum, in every language
    for text in ("In 2023, the most Russian artillery was destroyed in September – 947.",
                 "У 2023 році найбільше артсистем знищили у вересні – 947.",
                 "В 2023 году больше всего артсистем уничтожили в сентябре – 947."):
        (c, *_) = [x for x in extract(read(text), date(2024, 4, 2)) if x.value == 947]
        assert c.period == (date(2023, 9, 2), date(2023, 10, 1)), (text, c.period)
    # the year alone is the year's
    (c,) = [x for x in extract(read("У 2023 році ЗСУ знищили 6461 артсистему."),
                               date(2024, 4, 2)) if x.value == 6461]
    assert c.period == (date(2023, 1, 2), date(2024, 1, 1))
